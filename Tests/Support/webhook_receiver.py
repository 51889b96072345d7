"""A local webhook receiver for Reflex's tests. It verifies Standard Webhooks signatures on its
own (HMAC-SHA256 of "{id}.{timestamp}.{body}" with each whsec_ secret, as the specification
says) and answers with scripted statuses.

Prints {"port": N} when ready; serves until its standard input closes.

  POST /_control/script   [200, 503, {"status": 429, "retry_after": "2"}, ...]  answers for the
                          next deliveries, in order, replacing any left; afterwards 200. An
                          answer may also hold "location" (sent as Location), "hang": true
                          (answer only once released) or "stream": true (a body that does not
                          end, cut at STREAM_SAFETY_BYTES)
  POST /_control/release  lets every hanging delivery answer
  POST /_control/secrets  ["whsec_...", ...]   secrets to verify signatures with
  POST /_control/pagerduty {"routing_key": "..."}  checks every delivery as PagerDuty's Events
                          API v2 would (pagerduty_errors lists what it finds wrong) and answers
                          as PagerDuty does: 202 when the event is valid, 400 when not (a
                          scripted answer still wins)
  GET  /_control/received every delivery: id, timestamp, signature_valid, body, status, at,
                          pagerduty_errors (null unless checking PagerDuty events)
  POST /_control/probe    {"status": 503}   what every other GET (a health probe) answers; 200 at first

A scripted answer may also hold "body", sent as the answer's body.
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
script, secrets, received = [], [], []
probe_status = [200]
pagerduty = {}  # {"routing_key": ...} once PagerDuty events are checked
PAGERDUTY_KEYS = {"routing_key", "event_action", "dedup_key", "payload", "images", "links", "client", "client_url"}
PAGERDUTY_PAYLOAD_KEYS = {"summary", "source", "severity", "timestamp", "component", "group", "class", "custom_details"}
released = threading.Event()
# Where an endless body stops, should a client fail to: far above any limit under test.
STREAM_SAFETY_BYTES = 160 << 20
# How long a hanging delivery waits for its release at most, so that no thread outlives a test by much.
HANG_SAFETY_SECONDS = 120


def signature_valid(headers, body):
    webhook_id, timestamp, signature = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature")
    if not (webhook_id and timestamp and signature):
        return False
    content = f"{webhook_id}.{timestamp}.".encode() + body
    for secret in secrets:
        key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
        expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
        for part in signature.split(" "):
            version, _, value = part.partition(",")
            if version == "v1" and hmac.compare_digest(value, expected):
                return True
    return False


def pagerduty_errors(headers, body):
    """What PagerDuty's Events API v2 would refuse in an event (its documented rules), and
    fields it does not know."""
    if not (headers.get("Content-Type") or "").startswith("application/json"):
        return ["Content-Type is not application/json"]
    try:
        event = json.loads(body)
    except ValueError:
        return ["body is not JSON"]
    if not isinstance(event, dict):
        return ["event is not an object"]
    errors = [f"unknown field {key}" for key in sorted(set(event) - PAGERDUTY_KEYS)]
    if event.get("routing_key") != pagerduty["routing_key"]:
        errors.append("invalid routing_key")
    action = event.get("event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        errors.append(f"invalid event_action {action!r}")
    dedup_key = event.get("dedup_key")
    if dedup_key is not None and not (isinstance(dedup_key, str) and 0 < len(dedup_key) <= 255):
        errors.append("dedup_key must be a string of 1 to 255 characters")
    if action in ("acknowledge", "resolve") and dedup_key is None:
        errors.append(f"{action} needs dedup_key")
    if action == "trigger":
        payload = event.get("payload")
        if not isinstance(payload, dict):
            return errors + ["trigger needs payload"]
        errors += [f"unknown payload field {key}" for key in sorted(set(payload) - PAGERDUTY_PAYLOAD_KEYS)]
        summary = payload.get("summary")
        if not (isinstance(summary, str) and 0 < len(summary) <= 1024):
            errors.append("payload.summary must be a string of 1 to 1024 characters")
        if not (isinstance(payload.get("source"), str) and payload["source"]):
            errors.append("payload.source is required")
        if payload.get("severity") not in ("critical", "error", "warning", "info"):
            errors.append(f"invalid payload.severity {payload.get('severity')!r}")
        if "timestamp" in payload:
            try:
                datetime.fromisoformat(payload["timestamp"].replace("Z", "+00:00"))
            except (AttributeError, ValueError):
                errors.append("payload.timestamp is not ISO 8601")
        if "custom_details" in payload and not isinstance(payload["custom_details"], dict):
            errors.append("payload.custom_details is not an object")
    return errors


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, payload=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path.startswith("/_control/received"):
            with lock:
                payload = json.dumps(received).encode()
            return self.reply(200, payload)
        # Any other GET is a health probe, answered with the status set by /_control/probe.
        with lock:
            status = probe_status[0]
        self.reply(status, b"ok" if status == 200 else b"unavailable")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/_control/script":
            with lock:
                script[:] = json.loads(body)
            return self.reply(200)
        if self.path == "/_control/secrets":
            with lock:
                secrets[:] = json.loads(body)
            return self.reply(200)
        if self.path == "/_control/probe":
            with lock:
                probe_status[0] = json.loads(body)["status"]
            return self.reply(200)
        if self.path == "/_control/pagerduty":
            with lock:
                pagerduty.update(json.loads(body))
            return self.reply(200)
        if self.path == "/_control/release":
            released.set()
            return self.reply(200)
        with lock:
            errors = pagerduty_errors(self.headers, body) if pagerduty else None
            answer = script.pop(0) if script else (200 if errors is None else None)
            if answer is None:
                # PagerDuty's own answers.
                answer = {"status": 400, "body": json.dumps({"status": "invalid event", "message": "Event object is invalid", "errors": errors})} \
                    if errors else {"status": 202, "body": json.dumps({"status": "success", "message": "Event processed",
                                                                       "dedup_key": json.loads(body).get("dedup_key")})}
            if isinstance(answer, int):
                answer = {"status": answer}
            received.append({
                "id": self.headers.get("webhook-id"), "timestamp": self.headers.get("webhook-timestamp"),
                "signature_valid": signature_valid(self.headers, body), "body": body.decode(), "status": answer["status"],
                "at": time.time(), "path": self.path, "pagerduty_errors": errors,
            })
        if answer.get("hang"):
            released.wait(HANG_SAFETY_SECONDS)
        if answer.get("stream"):
            return self.stream(answer["status"])
        headers = [("Retry-After", answer["retry_after"])] if "retry_after" in answer else []
        headers += [("Location", answer["location"])] if "location" in answer else []
        try:
            self.reply(answer["status"], answer.get("body", "").encode(), headers)
        except OSError:
            pass  # a client that gave up on a hanging answer

    def stream(self, status):
        self.send_response(status)
        self.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(STREAM_SAFETY_BYTES // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass  # the client hung up, as it should
        self.close_connection = True


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_port}), flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
