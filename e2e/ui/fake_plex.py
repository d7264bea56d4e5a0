"""A tiny stand-in for plex.tv, its sign-in page and one Plex Media Server.

plex.tv: who owns a token (`/api/v2/user`), sign-in PINs (`POST /api/v2/pins`, `GET
/api/v2/pins/{id}`), the account's servers (`/api/v2/resources`: this fake, reachable at its own
address but listed after a dead local one, and a server that does not answer at all).
The sign-in page (`/auth#?clientID=…&code=…`) has an "Allow" button that links the PIN, as a
person signing in at app.plex.tv would. The server: `/identity`, `/library/sections`, a
section's shows (paged), `/library/metadata/{ratingKey}` and `/allLeaves`, `/accounts` and the
watch history (paged, oldest first)."""
import itertools
import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

GOOD_TOKEN = "plex-token-for-tests-0123456789"
MACHINE_ID = "ui-fake-server-uuid"
DEAD_URL = "http://127.0.0.1:9"

# The library: Severance is in the UI tests' catalog (mapped by its tmdb id); the others are
# in no catalog and are added from this server (the UI daemon has no TMDB key).
SHOWS = [
    {"ratingKey": "501", "title": "Severance", "year": 2022, "guid": "plex://show/ui-severance",
     "Guid": ["tmdb://95396"], "seasons": {1: 9}},
    {"ratingKey": "502", "title": "Velvet Lighthouse", "year": 2019, "guid": "local://502", "Guid": [],
     "seasons": {1: 6, 2: 4}},
    {"ratingKey": "503", "title": "Copper Orchard", "year": 2020, "guid": "com.plexapp.agents.none://503?lang=en",
     "Guid": [], "seasons": {1: 8}},
    {"ratingKey": "504", "title": "Paper Zeppelin", "year": 2016, "guid": "plex://show/ui-paper-zeppelin",
     "Guid": [], "seasons": {1: 5}},
    {"ratingKey": "505", "title": "Glass Harbour", "year": 2021, "guid": "com.plexapp.agents.hama://anidb-77001?lang=en",
     "Guid": [], "seasons": {1: 12}},
    {"ratingKey": "506", "title": "Lantern Bakery", "year": 2018, "guid": "plex://show/ui-lantern-bakery",
     "Guid": [], "seasons": {1: 7}},
]


def _history():
    entries, clock = [], 1_650_000_000
    for show in SHOWS:
        for season, count in show["seasons"].items():
            for episode in range(1, count + 1):
                clock += 1800
                entries.append({
                    "historyKey": f"/status/sessions/history/{len(entries) + 1}", "type": "episode",
                    "ratingKey": f"{show['ratingKey']}{season:02d}{episode:02d}",
                    "grandparentKey": f"/library/metadata/{show['ratingKey']}", "grandparentTitle": show["title"],
                    "title": f"Episode {episode}", "parentIndex": season, "index": episode,
                    "viewedAt": clock, "accountID": 1,
                })
    for number in range(1, 6):
        clock += 1800
        entries.append({"historyKey": f"/status/sessions/history/{len(entries) + 1}", "type": "movie",
                        "ratingKey": f"9{number}", "title": f"A Movie {number}", "viewedAt": clock, "accountID": 1})
    return entries


HISTORY = _history()


class _State:
    lock = threading.Lock()
    pins = {}
    ids = itertools.count(4001)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        path, query = url.path, parse_qs(url.query)
        if path.startswith("/api/v2/pins/"):
            return self._pin(path.rsplit("/", 1)[-1])
        if path == "/auth":
            return self._auth_page()
        if self.headers.get("X-Plex-Token") != GOOD_TOKEN:
            return self._json(401, {"errors": [{"code": 1001, "message": "User could not be authenticated"}]})
        if path == "/api/v2/user":
            self._json(200, {"id": 1, "username": "owner", "title": "owner"})
        elif path == "/api/v2/resources":
            self._json(200, [
                {"name": "Home Server", "clientIdentifier": MACHINE_ID, "provides": "server", "owned": True,
                 "connections": [{"uri": DEAD_URL, "local": True, "relay": False},
                                 {"uri": self.server.base, "local": False, "relay": False}]},
                {"name": "Cabin Server", "clientIdentifier": "ui-cabin-uuid", "provides": "server", "owned": True,
                 "connections": [{"uri": DEAD_URL, "local": True, "relay": False}]},
            ])
        elif path == "/identity":
            self._json(200, {"MediaContainer": {"machineIdentifier": MACHINE_ID, "version": "1.40.0"}})
        elif path == "/library/sections":
            self._json(200, {"MediaContainer": {"Directory": [
                {"key": "1", "type": "show", "title": "TV Shows"}, {"key": "2", "type": "movie", "title": "Movies"}]}})
        elif path == "/library/sections/1/all":
            items = [self._show(show, guids=query.get("includeGuids") == ["1"]) for show in SHOWS]
            self._page(items)
        elif path.startswith("/library/metadata/") and path.endswith("/allLeaves"):
            show = self._find(path.split("/")[3])
            if not show:
                return self._json(404, {})
            leaves = [{"type": "episode", "parentIndex": season, "index": episode, "title": f"Episode {episode}",
                       "originallyAvailableAt": f"2020-0{season}-{episode:02d}", "duration": 1_800_000}
                      for season, count in show["seasons"].items() for episode in range(1, count + 1)]
            self._json(200, {"MediaContainer": {"size": len(leaves), "Metadata": leaves}})
        elif path.startswith("/library/metadata/"):
            show = self._find(path.split("/")[3])
            if not show:
                return self._json(404, {})
            self._json(200, {"MediaContainer": {"size": 1, "Metadata": [self._show(show, guids=True)]}})
        elif path == "/accounts":
            self._json(200, {"MediaContainer": {"Account": [{"id": 1, "name": "owner"}]}})
        elif path == "/status/sessions/history/all":
            since = query.get("viewedAt%3E") or query.get("viewedAt>")
            entries = [e for e in HISTORY if not since or e["viewedAt"] >= int(since[0])]
            self._page(entries)
        else:
            self._json(404, {"error": "not here"})

    def do_POST(self):  # noqa: N802
        url = urlparse(self.path)
        if url.path == "/api/v2/pins":
            if not self.headers.get("X-Plex-Client-Identifier"):
                return self._json(400, {"errors": [{"message": "X-Plex-Client-Identifier is missing"}]})
            with _State.lock:
                pin_id = next(_State.ids)
                pin = {"id": pin_id, "code": f"uicode{pin_id}", "authToken": None,
                       "expiresAt": (datetime.now(timezone.utc) + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%SZ")}
                _State.pins[pin_id] = pin
            return self._json(201, pin)
        if url.path == "/auth/approve":
            length = int(self.headers.get("Content-Length") or 0)
            code = parse_qs(self.rfile.read(length).decode()).get("code", [""])[0]
            with _State.lock:
                for pin in _State.pins.values():
                    if pin["code"] == code:
                        pin["authToken"] = GOOD_TOKEN
                        return self._html(200, "<h1 id='approved'>Showmatch may now use your Plex account.</h1>"
                                               "<p>You can close this tab.</p>")
            return self._html(404, "<h1>Unknown code</h1>")
        self._json(404, {"error": "not here"})

    # MARK: helpers

    def _pin(self, pin_id):
        with _State.lock:
            pin = _State.pins.get(int(pin_id)) if pin_id.isdigit() else None
        if not pin:
            return self._json(404, {"errors": [{"code": 1020, "message": "Not Found"}]})
        self._json(200, pin)

    def _auth_page(self):
        self._html(200, """<!doctype html><title>Plex sign-in (fake)</title>
<h1>Sign in to Plex</h1>
<form method="post" action="/auth/approve"><input type="hidden" name="code" id="code">
<button type="submit" id="allow">Allow Showmatch</button></form>
<script>document.getElementById('code').value =
  new URLSearchParams(location.hash.replace(/^#\\??/, '')).get('code') || '';</script>""")

    def _show(self, show, guids):
        item = {"ratingKey": show["ratingKey"], "type": "show", "title": show["title"], "year": show["year"],
                "guid": show["guid"]}
        if guids and show["Guid"]:
            item["Guid"] = [{"id": g} for g in show["Guid"]]
        return item

    def _find(self, rating_key):
        return next((show for show in SHOWS if show["ratingKey"] == rating_key), None)

    def _page(self, items):
        start = int(self.headers.get("X-Plex-Container-Start") or 0)
        size = int(self.headers.get("X-Plex-Container-Size") or len(items))
        page = items[start:start + size]
        self._json(200, {"MediaContainer": {"size": len(page), "totalSize": len(items), "Metadata": page}})

    def _json(self, status, body):
        self._send(status, "application/json", json.dumps(body).encode())

    def _html(self, status, text):
        self._send(status, "text/html; charset=utf-8", text.encode())

    def _send(self, status, content_type, data):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
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
        self.server.base = self.base
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
