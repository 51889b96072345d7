"""The local AWS for Reflex's tests: moto's server on 127.0.0.1 with a fault injector and a
call counter in front of it.

Prints one JSON line when ready ({"port": N, and with --auth the access key it created}),
then serves until its standard input closes, so it never outlives the test process.

  POST   /_reflex/faults  [{"target": "GetMetricData", "status": 400, "code": "ThrottlingException",
                            "delay": 0, "count": 1}]   queue faults; a request whose X-Amz-Target
                                                       contains `target` gets the next one
  DELETE /_reflex/faults                               drop queued faults
  GET    /_reflex/calls                                {"<X-Amz-Target>": count} since the last reset
  DELETE /_reflex/calls                                reset the counts
  POST   /_reflex/seed/cart-service                    create the cart-service world (ECS cluster
                                                       `ecommerce`, service `cart-service` on task
                                                       definition revision 3 of 3, DynamoDB table
                                                       `cart-service-carts`, its scalable target)
  GET    /_reflex/container-credentials                an ECS credentials endpoint (needs
                                                       `Authorization: container-token`)
  PUT    /latest/api/token, GET /latest/meta-data/...  an EC2 instance metadata service (IMDSv2)
"""
import json
import logging
import sys
import threading
import time

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

lock = threading.Lock()
faults = []
calls = {}


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
        if path == "/_reflex/calls":
            with lock:
                snapshot = dict(calls)
                if method == "DELETE":
                    calls.clear()
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
        fault = None
        with lock:
            if target:
                calls[target] = calls.get(target, 0) + 1
            for index, queued in enumerate(faults):
                if target and queued["target"] in target:
                    fault = faults.pop(index)
                    break
        if fault:
            time.sleep(float(fault.get("delay", 0)))
            if fault.get("status"):
                return respond(start_response, f'{fault["status"]} Injected',
                               {"__type": fault.get("code", "InternalFailure"), "message": "injected fault"},
                               "application/x-amz-json-1.0")
        return self.app(environ, start_response)


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
