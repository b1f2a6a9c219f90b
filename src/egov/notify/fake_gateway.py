"""A fake SMS gateway for tests and the demo: a real HTTP server on 127.0.0.1 that speaks the
protocol in :mod:`egov.notify.sms`, records what it receives, and can be told to fail.

    with FakeSmsGateway(api_key="k") as gateway:   # random free port
        settings.EGOV_SMS_GATEWAY_URL = gateway.url
        gateway.fail_next(2)                        # the next two requests get 503
        ...
        gateway.requests                            # [{"to": …, "text": …, "reference": …}, …]

Run by hand for a demo: ``python -m egov.notify.fake_gateway --port 9099 --api-key demo``.
"""

import argparse
import contextlib
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class _State:
    api_key: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)  # reference -> id
    failures_left: int = 0
    failure_status: int = 503
    verbose: bool = False  # print each request (the demo); tests read ``requests`` instead
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server_version = "egov-fake-sms/1"
    state: _State  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet; requests are recorded instead

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        state = self.state
        if self.headers.get("X-Api-Key") != state.api_key:
            self._reply(401, {"code": "unauthorized", "message": "bad X-Api-Key"})
            return
        try:
            payload = json.loads(raw.decode("utf-8"))
            to, text, reference = payload["to"], payload["text"], payload["reference"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            self._reply(400, {"code": "bad_request", "message": "need JSON to, text, reference"})
            return
        if not (isinstance(to, str) and to.startswith("+") and to[1:].isdigit()):
            self._reply(422, {"code": "bad_number", "message": f"not an E.164 number: {to!r}"})
            return
        if state.verbose:
            print(f"SMS to={to} ref={reference}: {text}", flush=True)
        with state.lock:
            state.requests.append(
                {**payload, "idempotency_key": self.headers.get("Idempotency-Key", "")}
            )
            if state.failures_left > 0:
                state.failures_left -= 1
                status = state.failure_status
            else:
                status = 0
            if not status:
                # A repeated reference is the same message: same id, not sent again.
                repeated = reference in state.accepted
                message_id = state.accepted.setdefault(reference, uuid.uuid4().hex)
        if status:
            self._reply(status, {"code": "unavailable", "message": "try again later"})
            return
        self._reply(200 if repeated else 202, {"id": message_id, "text_length": len(text)})


class FakeSmsGateway:
    """Start with ``start()`` or as a context manager; ``url`` is where to POST."""

    def __init__(self, *, api_key: str = "test-key", host: str = "127.0.0.1", port: int = 0):
        self.state = _State(api_key=api_key)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1/messages"

    @property
    def api_key(self) -> str:
        return self.state.api_key

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return list(self.state.requests)

    @property
    def delivered(self) -> dict[str, str]:
        """reference -> gateway id of every message accepted (each once)."""
        with self.state.lock:
            return dict(self.state.accepted)

    def fail_next(self, count: int, status: int = 503) -> None:
        with self.state.lock:
            self.state.failures_left = count
            self.state.failure_status = status

    def start(self) -> "FakeSmsGateway":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "FakeSmsGateway":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake egov SMS gateway (prints what it gets).")
    parser.add_argument("--port", type=int, default=9099)
    parser.add_argument("--api-key", default="demo")
    args = parser.parse_args()
    gateway = FakeSmsGateway(api_key=args.api_key, port=args.port)
    gateway.state.verbose = True
    print(f"EGOV_SMS_GATEWAY_URL={gateway.url} EGOV_SMS_API_KEY={args.api_key}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        gateway.server.serve_forever()


if __name__ == "__main__":
    main()
