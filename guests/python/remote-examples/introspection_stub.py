"""A tiny RFC 7662 introspection endpoint for tests and demos, on the standard library alone.
It is a real HTTP server, so that the introspection example is tested over the wire.

POST /introspect (HTTP Basic client authentication) answers for these tokens, any other token
being inactive:
    good-token      active, sub alice, scope "read write", expires in an hour
    expires-at-<T>  active until Unix time T (sub bob), inactive after
    expired-token   active but expired (exp in the past)
GET /stats answers {"requests": N}, the number of introspections served.

    python guests/python/remote-examples/introspection_stub.py --port 9000 --client-id mockforge --client-secret s3cret
"""

from __future__ import annotations

import argparse
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def token_claims(token: str, now: float) -> dict:
    if token == "good-token":
        return {"active": True, "sub": "alice", "username": "alice", "scope": "read write",
                "client_id": "mockforge", "token_type": "Bearer", "exp": int(now) + 3600,
                "iss": "https://issuer.test"}
    if token.startswith("expires-at-") and token[11:].isdigit():
        exp = int(token[11:])
        return {"active": True, "sub": "bob", "scope": "read", "exp": exp} if exp > now else {"active": False}
    if token == "expired-token":
        return {"active": True, "sub": "carol", "exp": int(now) - 10}
    return {"active": False}


def make_handler(client_id: str, client_secret: str):
    expected = "Basic " + base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    lock = threading.Lock()
    stats = {"requests": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/stats":
                with lock:
                    self.answer(200, dict(stats))
            else:
                self.answer(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("content-length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            if self.path != "/introspect":
                return self.answer(404, {"error": "not_found"})
            if self.headers.get("authorization") != expected:
                return self.answer(401, {"error": "invalid_client"})
            with lock:
                stats["requests"] += 1
            token = (form.get("token") or [""])[0]
            self.answer(200, token_claims(token, time.time()))

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--client-id", default="mockforge")
    parser.add_argument("--client-secret", default="s3cret")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.client_id, args.client_secret))
    print(f"introspection stub on http://{args.host}:{server.server_port}/introspect", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
