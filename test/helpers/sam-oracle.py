#!/usr/bin/env python3
"""Oracle for the SAM transform tests: AWS's own translator (samtranslator) on one template.

stdin:  {"template": {...}, "parameterValues": {...}, "region": "us-east-1"}, or a list of those
stdout: {"template": {...}} or {"error": "Invalid Serverless Application Specification document. ..."},
        or a list of those in the same order

It must never reach AWS: no credentials lookup beyond the fake ones set here, no instance metadata,
and the IAM managed-policy lookup is replaced by a fixed map. Any socket connection raises, so a
translator change that starts calling out fails the tests instead of leaking traffic.
"""
import json
import os
import socket
import sys

os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
os.environ["AWS_ACCESS_KEY_ID"] = "AKIAFAKEFAKEFAKEFAKE"
os.environ["AWS_SECRET_ACCESS_KEY"] = "fake"
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_SESSION_TOKEN", None)


def _no_network(*args, **kwargs):
    raise RuntimeError(f"sam-oracle: network call attempted: {args!r}")


# An audit hook sees every socket operation even if the caller swallows the error raised below:
# the run then fails at the end, so a network attempt can never pass unnoticed.
_NETWORK_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.sendto"}
_network_attempts = []


def _audit(event, args):
    if event in _NETWORK_EVENTS:
        _network_attempts.append((event, repr(args)[:200]))
        raise RuntimeError(f"sam-oracle: network call attempted: {event} {args!r}")


sys.addaudithook(_audit)


socket.socket.connect = _no_network  # type: ignore[method-assign]
socket.socket.connect_ex = _no_network  # type: ignore[method-assign]
socket.create_connection = _no_network  # type: ignore[assignment]
socket.getaddrinfo = _no_network  # type: ignore[assignment]

request = json.load(sys.stdin)
requests = request if isinstance(request, list) else [request]
# samtranslator caches the region once per process: one region per run.
os.environ["AWS_DEFAULT_REGION"] = requests[0].get("region", "us-east-1") if requests else "us-east-1"
os.environ["AWS_REGION"] = os.environ["AWS_DEFAULT_REGION"]

from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402

# Only consulted for names missing from the map samtranslator bundles (it looks there first).
FIXED_MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AmazonS3ReadOnlyAccess": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "AmazonDynamoDBReadOnlyAccess": "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "CloudWatchLogsFullAccess": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
}


class FixedManagedPolicyLoader:
    def load(self):
        return FIXED_MANAGED_POLICIES




def run(req):
    try:
        out = transform(req["template"], req.get("parameterValues", {}), FixedManagedPolicyLoader())
        return {"template": out}
    except InvalidDocumentException as e:
        causes = " ".join(cause.message for cause in e.causes)
        return {"error": f"{e.message} {causes}"}


results = [run(r) for r in requests]
if _network_attempts:
    print(f"sam-oracle: samtranslator attempted network calls: {_network_attempts}", file=sys.stderr)
    sys.exit(3)
json.dump(results if isinstance(request, list) else results[0], sys.stdout)
