"""A tiny stand-in for plex.tv: answers who owns a token, and nothing else."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_TOKEN = "plex-token-for-tests-0123456789"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path.startswith("/api/v2/user"):
            if self.headers.get("X-Plex-Token") == GOOD_TOKEN:
                self._json(200, {"id": 1, "username": "owner", "title": "owner"})
            else:
                self._json(401, {"errors": [{"code": 1001, "message": "User could not be authenticated"}]})
        elif self.path.startswith("/api/v2/resources"):
            self._json(200, [])
        else:
            self._json(404, {"error": "not here"})

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class FakePlex:
    """Serves on 127.0.0.1 on a free port until stopped."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
