"""Local fakes of outside services, started by the tests that need them: each is a small HTTP
server on 127.0.0.1 (a free port) that speaks the service's documented protocol. They are the
only stand-ins the tests use; everything of ours runs for real against them."""

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class FakeServer:
    """Runs `handler` (a FakeHandler subclass) in a thread until `stop()`; `base` is its address."""

    handler = None

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.server.fake = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.lock = threading.Lock()  # requests arrive on threads of their own

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class FakeHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass

    @property
    def fake(self):
        return self.server.fake

    def query(self) -> dict:
        return dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))

    def json_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            return None

    def send_json(self, data: dict, status=200):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_text(self, text: str, status=200):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def get_once(url: str) -> tuple[int, dict, str]:
    """GET `url` without following a redirect: (status, headers, body), as a browser first sees it."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def split_url(url: str) -> tuple[str, dict]:
    """A URL's address without the query, and the query as a flat dict."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", dict(parse_qsl(parts.query, keep_blank_values=True))
