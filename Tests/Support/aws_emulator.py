"""The local AWS for Reflex's tests: moto's server on 127.0.0.1 with a fault injector and a
traffic counter in front of it.

Prints one JSON line when ready ({"port": N, and with --auth the access key it created}),
then serves until its standard input closes, so it never outlives the test process.

  POST   /_reflex/faults  [{"target": "GetMetricData", "status": 400, "code": "ThrottlingException",
                            "delay": 0, "count": 1}]   queue faults; a request whose X-Amz-Target
                                                       contains `target` gets the next one.
                                                       Instead of an error a fault may answer:
                          "message_bytes": N           the error with a message of N bytes
                          "next_token": "t{n}"         200, no results and this NextToken
                                                       ({n} counts up: a fresh token each time)
                          "stream": true               200 with a body that does not end (cut
                                                       at STREAM_SAFETY_BYTES)
  DELETE /_reflex/faults                               drop queued faults
  GET    /_reflex/traffic                              {"requests": n, "request_bytes": n,
                                                       "response_bytes": n, "operations": {op: n}}
                                                       for every AWS request (JSON, CBOR, query),
                                                       injected faults included, since the last
                                                       reset; an operation is its X-Amz-Target
  DELETE /_reflex/traffic                              reset it
  POST   /_reflex/seed/cart-service                    create the cart-service world (ECS cluster
                                                       `ecommerce`, service `cart-service` on task
                                                       definition revision 3 of 3, DynamoDB table
                                                       `cart-service-carts`, its scalable target)
  GET    /_reflex/container-credentials                an ECS credentials endpoint (needs
                                                       `Authorization: container-token`)
  PUT    /latest/api/token, GET /latest/meta-data/...  an EC2 instance metadata service (IMDSv2)

GetMetricData answers as moto does, but moto scans every stored datapoint for every query and
every period; here each query is answered from the datapoints of its own metric only, which
gives the same result in a fraction of the time (benchmarks ask for 2,000 metrics at once).
"""
import json
import logging
import sys
import threading
import time
from collections import defaultdict

from moto.cloudwatch.models import CloudWatchBackend
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

lock = threading.Lock()
faults = []
tokens_issued = 0
# Where an endless body stops, should a client fail to: far above any limit under test.
STREAM_SAFETY_BYTES = 160 << 20
traffic = {"requests": 0, "request_bytes": 0, "response_bytes": 0, "operations": {}}


def respond(start_response, status, payload, content_type="application/json"):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


class FaultInjector:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        if path == "/_reflex/faults":
            with lock:
                if method == "POST":
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    for fault in json.loads(environ["wsgi.input"].read(length)):
                        faults.extend([fault] * int(fault.get("count", 1)))
                else:
                    faults.clear()
            return respond(start_response, "200 OK", {})
        if path == "/_reflex/traffic":
            with lock:
                snapshot = json.loads(json.dumps(traffic))
                if method == "DELETE":
                    traffic.update(requests=0, request_bytes=0, response_bytes=0, operations={})
            return respond(start_response, "200 OK", snapshot)
        if path.startswith("/_reflex/seed/"):
            return respond(start_response, "200 OK", seed_cart_service(environ["SERVER_PORT"]))
        if path == "/_reflex/container-credentials":
            if environ.get("HTTP_AUTHORIZATION") != "container-token":
                return respond(start_response, "401 Unauthorized", {"code": "Unauthorized"})
            return respond(start_response, "200 OK", TEMPORARY_CREDENTIALS)
        if path == "/latest/api/token" and method == "PUT":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"imds-token"]
        if path.startswith("/latest/meta-data/iam/security-credentials/"):
            if environ.get("HTTP_X_AWS_EC2_METADATA_TOKEN") != "imds-token":
                return respond(start_response, "401 Unauthorized", {})
            role = path.rsplit("/", 1)[1]
            if not role:
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"reflex-role"]
            return respond(start_response, "200 OK", dict(TEMPORARY_CREDENTIALS, Code="Success", Type="AWS-HMAC"))

        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target or operation_of(environ)
        fault = None
        with lock:
            # Counted on arrival, so that a request held by a slow fault is already seen.
            traffic["requests"] += 1
            traffic["request_bytes"] += int(environ.get("CONTENT_LENGTH") or 0)
            traffic["operations"][operation] = traffic["operations"].get(operation, 0) + 1
            for index, queued in enumerate(faults):
                if target and queued["target"] in target:
                    fault = faults.pop(index)
                    break
        if fault:
            time.sleep(float(fault.get("delay", 0)))
        if fault and fault.get("stream"):
            start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0")])
            return endless_body()
        if fault and fault.get("next_token"):
            global tokens_issued
            with lock:
                tokens_issued += 1
                token = fault["next_token"].replace("{n}", str(tokens_issued))
            chunks = respond(start_response, "200 OK", {"MetricDataResults": [], "NextToken": token},
                             "application/x-amz-json-1.0")
        elif fault and fault.get("status"):
            message = "x" * int(fault["message_bytes"]) if "message_bytes" in fault else "injected fault"
            chunks = respond(start_response, f'{fault["status"]} Injected',
                             {"__type": fault.get("code", "InternalFailure"), "message": message},
                             "application/x-amz-json-1.0")
        else:
            body = self.app(environ, start_response)
            try:
                chunks = list(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        with lock:
            traffic["response_bytes"] += sum(len(chunk) for chunk in chunks)
        return chunks


def endless_body():
    """A JSON reply that never closes, as fast as the client reads it."""
    yield b'{"MetricDataResults": ['
    chunk = b'{"Id": "q0", "Timestamps": [], "Values": [], "StatusCode": "Complete"}, ' * 1000
    sent = 0
    while sent < STREAM_SAFETY_BYTES:
        sent += len(chunk)
        with lock:
            traffic["response_bytes"] += len(chunk)
        yield chunk


def operation_of(environ):
    """The operation of a request without X-Amz-Target: CBOR RPC names it in the path
    (/service/S/operation/Op); anything else is named by method and path."""
    path = environ.get("PATH_INFO", "")
    if "/operation/" in path:
        return path.rsplit("/", 1)[1]
    return f'{environ["REQUEST_METHOD"]} {path}'


moto_get_metric_data = CloudWatchBackend.get_metric_data


class MetricData:
    """Stands in for the backend in moto's GetMetricData, holding only some datapoints."""

    def __init__(self, data):
        self.data = data

    def get_all_metrics(self):
        return self.data


def dimension_key(pairs):
    return tuple(sorted(pairs))


def indexed_get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
    """moto's GetMetricData, one query at a time over the datapoints it can match: with
    dimensions, those of the same name and dimensions; otherwise those of the same name
    (moto then filters them exactly as it would have filtered them all)."""
    if not all("MetricStat" in query for query in queries):
        return moto_get_metric_data(self, queries, start_time, end_time, scan_by)
    by_name, by_dimensions = defaultdict(list), defaultdict(list)
    # moto matches a dimension without a value to any value: index exact values only.
    exact = True
    for datum in self.get_all_metrics():
        by_name[datum.name].append(datum)
        by_dimensions[(datum.name, dimension_key((d.name, d.value) for d in datum.dimensions))].append(datum)
        exact = exact and all(d.value is not None for d in datum.dimensions)
    results = []
    for query in queries:
        metric = query["MetricStat"]["Metric"]
        dimensions = metric.get("Dimensions", [])
        if dimensions and exact and all(d.get("Value") is not None for d in dimensions):
            candidates = by_dimensions[(metric["MetricName"], dimension_key((d["Name"], d["Value"]) for d in dimensions))]
        else:
            candidates = by_name[metric["MetricName"]]
        results += moto_get_metric_data(MetricData(candidates), [query], start_time, end_time, scan_by)
    return results


CloudWatchBackend.get_metric_data = indexed_get_metric_data


TEMPORARY_CREDENTIALS = {"AccessKeyId": "ASIATEMPORARY", "SecretAccessKey": "temporary-secret",
                         "Token": "temporary-session-token", "Expiration": "2099-01-01T00:00:00Z"}


def seed_cart_service(port):
    """The world of the cart-service runbook, as boto3 would build it."""
    import boto3

    def client(name):
        return boto3.client(name, endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    ec2, ecs, dynamodb, autoscaling = client("ec2"), client("ecs"), client("dynamodb"), client("application-autoscaling")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="cart-service", Description="cart-service", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="ecommerce")
    arns = [ecs.register_task_definition(
        family="cart-service",
        containerDefinitions=[{"name": "cart", "image": f"cart-service:{version}", "memory": 512}],
    )["taskDefinition"]["taskDefinitionArn"] for version in ("1.0", "1.1", "1.2")]
    ecs.create_service(cluster="ecommerce", serviceName="cart-service", taskDefinition=arns[-1], desiredCount=4,
                       launchType="FARGATE", networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}})
    dynamodb.create_table(TableName="cart-service-carts", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                          ProvisionedThroughput={"ReadCapacityUnits": 100, "WriteCapacityUnits": 50})
    autoscaling.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/ecommerce/cart-service",
                                         ScalableDimension="ecs:service:DesiredCount", MinCapacity=2, MaxCapacity=10)
    return {"taskDefinitions": arns}


def create_access_key(port):
    """Creates an administrator's access key, then switches IAM authentication on."""
    import urllib.request
    import boto3

    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam.create_user(UserName="reflex")
    iam.put_user_policy(UserName="reflex", PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="reflex")["AccessKey"]
    request = urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset-auth", data=b"0",
                                     headers={"Content-Type": "text/plain"}, method="POST")
    urllib.request.urlopen(request).read()
    return key["AccessKeyId"], key["SecretAccessKey"]


def main():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, FaultInjector(DomainDispatcherApplication(create_backend_app)), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ready = {"port": server.server_port}
    if "--auth" in sys.argv:
        ready["access_key_id"], ready["secret_access_key"] = create_access_key(server.server_port)
    print(json.dumps(ready), flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
