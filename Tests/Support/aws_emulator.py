"""The local AWS for Reflex's tests: moto's server on 127.0.0.1 with a fault injector and a
traffic counter in front of it.

With --serial-dynamodb it serves DynamoDB one request at a time (see SERIAL_DYNAMODB), and
everything else on threads as usual.

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
                          "body": "<x/>"               this body as text/xml, with "status"
                                                       (200 if none)
                          "delay_after": S             the real answer, held S seconds after
                                                       it was made (a read as of its arrival)
                                                       A fault may apply to some requests only:
                          "match": "text"              those whose body contains the text (a
                                                       query request's form, e.g. one RoleArn)
  DELETE /_reflex/faults                               drop queued faults
  GET    /_reflex/traffic                              {"requests": n, "request_bytes": n,
                                                       "response_bytes": n, "operations": {op: n}}
                                                       for every AWS request (JSON, CBOR, query),
                                                       injected faults included, since the last
                                                       reset; an operation is its X-Amz-Target
  DELETE /_reflex/traffic                              reset it
  POST   /_reflex/requests                             start recording AWS requests (anew); the
                                                       harness's own boto3 calls are left out
  GET    /_reflex/requests                             each recorded request checked against the
                                                       official AWS model of its operation
                                                       (botocore's): [{"operation", "service",
                                                       "params", "problems": [...], "at": when
                                                       it arrived, in seconds since 1970}]
  DELETE /_reflex/requests                             stop recording
  POST   /_reflex/boto3      [{"service": "ecs", "operation": "create_cluster",
                               "params_json": "{...}"}]   make boto3 calls against this server,
                                                       in order; answers their outputs. With
                               "role_arn": "arn:..."   the call is made in that role's account,
                                                       with credentials AssumeRole issued
  GET    /_reflex/issued-credentials                   every secret key and session token STS
                                                       issued (AssumeRole, AssumeRoleWithWeb-
                                                       Identity), for tests that look for leaks
  POST   /_reflex/seed/cart-service                    create the cart-service world (ECS cluster
                                                       `ecommerce`, service `cart-service` on task
                                                       definition revision 3 of 3, DynamoDB table
                                                       `cart-service-carts`, its scalable target,
                                                       log group `/ecs/cart-service`)
  GET    /_reflex/container-credentials                an ECS credentials endpoint (needs
                                                       `Authorization: container-token`)
  PUT    /latest/api/token, GET /latest/meta-data/...  an EC2 instance metadata service (IMDSv2)

GetMetricData answers as moto does, but moto scans every stored datapoint for every query and
every period; here each query is answered from the datapoints of its own metric only, which
gives the same result in a fraction of the time (benchmarks ask for 2,000 metrics at once).
"""
import contextlib
import io
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
# moto checks a write's condition and then writes without a lock: served on threads, two racing
# conditional writes can both succeed. Tests of atomic conditions (leases) serve DynamoDB one
# request at a time, as DynamoDB itself guarantees per item; the rest stays threaded, so that
# /_reflex/seed and /_reflex/boto3 (which call this server from inside a request) still work.
SERIAL_DYNAMODB = "--serial-dynamodb" in sys.argv
dynamodb_lock = threading.Lock()
tokens_issued = 0
# Secret keys and session tokens of the temporary credentials STS handed out.
issued_secrets = []
# Where an endless body stops, should a client fail to: far above any limit under test.
STREAM_SAFETY_BYTES = 160 << 20
traffic = {"requests": 0, "request_bytes": 0, "response_bytes": 0, "operations": {}}
# The AWS requests seen while recording is on (None: off).
recording = None


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
        if path == "/_reflex/requests":
            global recording
            with lock:
                recorded = recording or []
                if method == "POST":
                    recording = []
                elif method == "DELETE":
                    recording = None
            if method != "GET":
                return respond(start_response, "200 OK", {})
            return respond(start_response, "200 OK", [dict(check_request(request), at=request["at"]) for request in recorded])
        if path == "/_reflex/boto3":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                outputs = boto3_calls(environ["SERVER_PORT"], json.loads(environ["wsgi.input"].read(length)))
            except Exception as error:  # the test that asked fails with this message
                return respond(start_response, "400 Bad Request", {"error": f"{type(error).__name__}: {error}"})
            return respond(start_response, "200 OK", json.loads(json.dumps(outputs, default=str)))
        if path == "/_reflex/issued-credentials":
            with lock:
                return respond(start_response, "200 OK", list(issued_secrets))
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
        content_type = environ.get("CONTENT_TYPE", "")
        # Read here (recordings, query actions and faults that match a body need it), and handed
        # on to moto as if unread.
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        action = query_action(body) if content_type.startswith("application/x-www-form-urlencoded") else None
        operation = target or action or operation_of(environ)
        fault = None
        with lock:
            # Counted on arrival, so that a request held by a slow fault is already seen.
            traffic["requests"] += 1
            traffic["request_bytes"] += int(environ.get("CONTENT_LENGTH") or 0)
            traffic["operations"][operation] = traffic["operations"].get(operation, 0) + 1
            if recording is not None and "Boto3/" not in environ.get("HTTP_USER_AGENT", ""):
                recording.append({"target": target, "content_type": content_type, "body": body.decode("utf-8", "replace"),
                                  "authorization": environ.get("HTTP_AUTHORIZATION", ""), "at": time.time()})
            for index, queued in enumerate(faults):
                if (target or action) and queued["target"] in (target or action) \
                        and queued.get("match", "") in body.decode("utf-8", "replace"):
                    fault = faults.pop(index)
                    break
        if fault:
            time.sleep(float(fault.get("delay", 0)))
        if fault and fault.get("stream"):
            start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0")])
            return endless_body()
        if fault and "body" in fault:
            raw = fault["body"].encode()
            start_response(f'{fault.get("status") or 200} Injected', [("Content-Type", "text/xml"), ("Content-Length", str(len(raw)))])
            chunks = [raw]
        elif fault and fault.get("next_token"):
            global tokens_issued
            with lock:
                tokens_issued += 1
                token = fault["next_token"].replace("{n}", str(tokens_issued))
            chunks = respond(start_response, "200 OK", {"MetricDataResults": [], "NextToken": token},
                             "application/x-amz-json-1.0")
        elif fault and fault.get("status") and action:
            # The query protocol's errors are XML.
            message = "x" * int(fault["message_bytes"]) if "message_bytes" in fault else "injected fault"
            error = (f'<ErrorResponse><Error><Type>Sender</Type><Code>{fault.get("code", "InternalFailure")}</Code>'
                     f'<Message>{message}</Message></Error><RequestId>injected-request</RequestId></ErrorResponse>').encode()
            start_response(f'{fault["status"]} Injected', [("Content-Type", "text/xml"), ("Content-Length", str(len(error)))])
            chunks = [error]
        elif fault and fault.get("status"):
            message = "x" * int(fault["message_bytes"]) if "message_bytes" in fault else "injected fault"
            chunks = respond(start_response, f'{fault["status"]} Injected',
                             {"__type": fault.get("code", "InternalFailure"), "message": message},
                             "application/x-amz-json-1.0")
        else:
            with dynamodb_lock if SERIAL_DYNAMODB and target.startswith("DynamoDB_") else contextlib.nullcontext():
                body = self.app(environ, start_response)
                try:
                    chunks = list(body)
                finally:
                    if hasattr(body, "close"):
                        body.close()
            if fault:
                time.sleep(float(fault.get("delay_after", 0)))
        with lock:
            traffic["response_bytes"] += sum(len(chunk) for chunk in chunks)
            if action in ("AssumeRole", "AssumeRoleWithWebIdentity"):
                import re
                issued_secrets.extend(re.findall(r"<(?:SecretAccessKey|SessionToken)>([^<]+)</", b"".join(chunks).decode("utf-8", "replace")))
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


def query_action(body):
    """The Action of a query-protocol request (form-encoded), or None."""
    from urllib.parse import parse_qs
    actions = parse_qs(body.decode("utf-8", "replace")).get("Action")
    return actions[0] if actions else None


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
    logs = client("logs")
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
                          ProvisionedThroughput={"ReadCapacityUnits": 100, "WriteCapacityUnits": 50},
                          Tags=[{"Key": "service", "Value": "cart-service"}])
    autoscaling.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/ecommerce/cart-service",
                                         ScalableDimension="ecs:service:DesiredCount", MinCapacity=2, MaxCapacity=10)
    # The service's log group, which the rollback policy reads for "circuit" lines.
    logs.create_log_group(logGroupName="/ecs/cart-service")
    logs.create_log_stream(logGroupName="/ecs/cart-service", logStreamName="cart/cart/seed")
    return {"taskDefinitions": arns}


boto3_clients = {}


def boto3_calls(port, calls):
    """Makes each boto3 call against this server and returns their outputs (without
    ResponseMetadata), so that tests build their worlds as AWS's own SDK would."""
    import boto3

    def make(service, role_arn):
        keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        if role_arn:
            issued = make("sts", None).assume_role(RoleArn=role_arn, RoleSessionName="harness")["Credentials"]
            keys = {"aws_access_key_id": issued["AccessKeyId"], "aws_secret_access_key": issued["SecretAccessKey"],
                    "aws_session_token": issued["SessionToken"]}
        return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1", **keys)

    outputs = []
    for call in calls:
        key = (call["service"], call.get("role_arn"))
        with lock:
            client = boto3_clients.get(key)
        if client is None:
            client = make(*key)
            with lock:
                boto3_clients[key] = client
        output = getattr(client, call["operation"])(**json.loads(call.get("params_json") or "{}"))
        output.pop("ResponseMetadata", None)
        outputs.append(output)
    return outputs


# Checking recorded requests against the official AWS models (botocore's, which the SDKs are
# generated from). moto accepts much that AWS refuses: an unknown member, a missing required
# one, a wrong type, a list or number past its limit.
JSON_SERVICES = {"DynamoDB_20120810": "dynamodb", "AmazonEC2ContainerServiceV20141113": "ecs",
                 "ResourceGroupsTaggingAPI_20170126": "resourcegroupstaggingapi",
                 "GraniteServiceVersion20100801": "cloudwatch", "AnyScaleFrontendService": "application-autoscaling",
                 "Logs_20140328": "logs"}
# Query-protocol services by signing name and API version.
QUERY_SERVICES = {("elasticloadbalancing", "2015-12-01"): "elbv2", ("sts", "2011-06-15"): "sts"}
# Limits the API references document but the models leave out.
DOCUMENTED_LIMITS = {("resourcegroupstaggingapi", "GetResources"): {"ResourcesPerPage": 100},
                     ("ecs", "ListServices"): {"maxResults": 100}, ("ecs", "DescribeServices"): {"services": 10},
                     ("ecs", "ListTasks"): {"maxResults": 100}, ("ecs", "DescribeTasks"): {"tasks": 100}}
models = {}


def service_model(name):
    import botocore.session

    with lock:
        if name not in models:
            models[name] = botocore.session.get_session().get_service_model(name)
        return models[name]


def check_request(request):
    """The operation of a recorded request, its parameters, and what the model refuses in it."""
    problems = []
    scope = request["authorization"].split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    signing_name = scope[3] if len(scope) == 5 else None
    if request["target"]:
        prefix, _, operation = request["target"].rpartition(".")
        service = JSON_SERVICES.get(prefix)
        if service is None:
            return {"operation": request["target"], "service": "", "params": {}, "problems": [f"unknown X-Amz-Target prefix {prefix}"]}
        model = service_model(service)
        expected_type = f'application/x-amz-json-{model.metadata["jsonVersion"]}'
        if request["content_type"] != expected_type:
            problems.append(f'Content-Type {request["content_type"]}, the model wants {expected_type}')
        try:
            params = json.loads(request["body"] or "{}")
        except ValueError as error:
            params = {}
            problems.append(f"body is not JSON: {error}")
    else:
        from urllib.parse import parse_qsl

        form = parse_qsl(request["body"], keep_blank_values=True)
        fields = dict(form)
        operation, version = fields.get("Action", ""), fields.get("Version", "")
        service = QUERY_SERVICES.get((signing_name, version))
        if service is None and signing_name is None:
            # Unsigned: the version alone names the service (whether the operation may be
            # unsigned is checked below).
            service = next((name for (_, known), name in QUERY_SERVICES.items() if known == version), None)
        if service is None:
            return {"operation": operation, "service": "", "params": {}, "problems": [f"no query service signs as {signing_name} at version {version}"]}
        model = service_model(service)
        if not request["content_type"].startswith("application/x-www-form-urlencoded"):
            problems.append(f'Content-Type {request["content_type"]} for a query-protocol request')
        if len(fields) != len(form):
            problems.append("a form field is repeated")
        params = {}
        if operation in model.operation_names:
            shape = model.operation_model(operation).input_shape
            used = {"Action", "Version"}
            params = unflatten(fields, shape, "", used, problems) if shape else {}
            problems += [f"unknown form field {name}" for name in fields if name not in used]
            problems += query_encoding_problems(request["body"], params, model.operation_model(operation))
    if operation not in model.operation_names:
        return {"operation": operation, "service": service, "params": params, "problems": problems + [f"{service} has no operation {operation}"]}
    unauthenticated = model.operation_model(operation).resolved_auth_type == "none"
    if signing_name is None and not unauthenticated:
        problems.append(f"{operation} is unsigned, the model requires SigV4")
    elif signing_name is not None and unauthenticated:
        problems.append(f"{operation} is signed, the model (and the SDKs) send it unsigned")
    elif signing_name is not None and signing_name != model.signing_name:
        problems.append(f"signed for {signing_name}, the model's signing name is {model.signing_name}")
    shape = model.operation_model(operation).input_shape
    if shape is not None:
        from botocore.validate import ParamValidator

        report = ParamValidator().validate(params, shape)
        if report.has_errors():
            problems.append(report.generate_report())
        maximum_problems(params, shape, "", problems)
        for member, limit in DOCUMENTED_LIMITS.get((service, operation), {}).items():
            value = params.get(member) if isinstance(params, dict) else None
            size = len(value) if isinstance(value, list) else value if isinstance(value, int) else None
            if size is not None and size > limit:
                problems.append(f"{member}: {size} is over the documented maximum {limit}")
    elif params:
        problems.append(f"{operation} takes no input")
    return {"operation": operation, "service": service, "params": json.loads(json.dumps(params, default=str)), "problems": problems}


def unflatten(fields, shape, prefix, used, problems):
    """A query-protocol form read back into parameters, as botocore's QuerySerializer writes
    them (`List.member.N`, `Structure.Member`, `Map.entry.N.key`)."""
    if shape.type_name == "structure":
        value = {}
        for name, member in shape.members.items():
            key = ".".join(filter(None, [prefix, member.serialization.get("name", name)]))
            if any(field == key or field.startswith(key + ".") for field in fields):
                value[name] = unflatten(fields, member, key, used, problems)
        return value
    if shape.type_name == "list":
        item = prefix + (".member" if not shape.serialization.get("flattened") else "")
        indexes = sorted({int(field[len(item) + 1:].split(".")[0]) for field in fields
                          if field.startswith(item + ".") and field[len(item) + 1:].split(".")[0].isdigit()})
        if indexes != list(range(1, len(indexes) + 1)):
            problems.append(f"{item} is numbered {indexes}, not 1...{len(indexes)}")
        if prefix in fields:  # an empty list is written as `Name=`
            used.add(prefix)
        return [unflatten(fields, shape.member, f"{item}.{index}", used, problems) for index in indexes]
    if shape.type_name == "map":
        entries = sorted({int(field[len(prefix) + 7:].split(".")[0]) for field in fields if field.startswith(prefix + ".entry.")})
        return {unflatten(fields, shape.key, f"{prefix}.entry.{n}.key", used, problems):
                unflatten(fields, shape.value, f"{prefix}.entry.{n}.value", used, problems) for n in entries}
    if prefix not in fields:
        problems.append(f"{prefix} has fields below it but is a {shape.type_name}")
        return None
    used.add(prefix)
    text = fields[prefix]
    try:
        if shape.type_name in ("integer", "long"):
            return int(text)
        if shape.type_name in ("float", "double"):
            return float(text)
        if shape.type_name == "boolean":
            if text not in ("true", "false"):
                raise ValueError(f"{text!r} is not true or false")
            return text == "true"
    except ValueError as error:
        problems.append(f"{prefix}: {error}")
        return text
    return text


def query_encoding_problems(body, params, operation_model):
    """Whether the body is exactly what botocore would send for the same parameters: the same
    fields and values, each percent-encoded as botocore does."""
    from urllib.parse import unquote
    from botocore.serialize import create_serializer
    from botocore.utils import percent_encode

    problems = []
    try:
        expected = create_serializer("query", include_validation=False).serialize_to_request(params, operation_model)["body"]
    except Exception as error:  # parameters of the wrong type: reported by the validator already
        return [f"botocore cannot serialize the parameters: {type(error).__name__}: {error}"]
    sent = {}
    for pair in body.split("&") if body else []:
        name, _, value = pair.partition("=")
        if percent_encode(unquote(name)) != name or percent_encode(unquote(value)) != value:
            problems.append(f"{pair} is not percent-encoded as the SDKs encode it")
        sent[unquote(name)] = unquote(value)
    if sent != {name: str(value) if not isinstance(value, bool) else str(value).lower() for name, value in expected.items()}:
        problems.append(f"the form {sorted(sent.items())} is not botocore's {sorted(expected.items())}")
    return problems


def maximum_problems(value, shape, name, problems):
    """Limits botocore's validator leaves out: the maximum of numbers, lengths and list sizes."""
    limit = shape.metadata.get("max")
    if shape.type_name == "structure" and isinstance(value, dict):
        for member, member_value in value.items():
            if member in shape.members:
                maximum_problems(member_value, shape.members[member], f"{name}.{member}".lstrip("."), problems)
        return
    if shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            maximum_problems(item, shape.member, f"{name}[{index}]", problems)
    if limit is None:
        return
    if isinstance(value, bool):
        return
    size = value if isinstance(value, (int, float)) else len(value) if isinstance(value, (str, list, dict)) else None
    if size is not None and size > limit:
        problems.append(f"{name}: {size} is over the model's maximum {limit}")


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
