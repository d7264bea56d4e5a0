"""Starts the real showmatch daemon on a temporary SQLite file, and talks to its webhook."""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "showmatch"
ADMIN_PASSWORD = "ui-tests-admin-password"
WEBHOOK_SECRET = "ui-tests-webhook-secret-0123456789abcdef"
ENCRYPTION_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Daemon:
    def __init__(self, workdir: Path, plex_base: str, catalog: Path):
        self.workdir = workdir
        self.database = workdir / "showmatch.sqlite"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update({
            "SHOWMATCH_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SHOWMATCH_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "ENCRYPTION_KEY": ENCRYPTION_KEY,
            "PLEX_TV_BASE": plex_base,
            "PLEX_APP_BASE": plex_base,
            "SHOWMATCH_WEBHOOK_RATE_LIMIT": "0",
        })
        for name in ("TMDB_API_KEY", "PLEX_SERVER_URL", "PUBLIC_WEBHOOK_URL"):
            self.env.pop(name, None)
        self.catalog = catalog
        self.process = None

    def start(self):
        if not BINARY.exists():
            raise RuntimeError(f"{BINARY} is missing: run `swift build` first")
        subprocess.run([str(BINARY), "library", "import", str(self.catalog), "--database", str(self.database)],
                       check=True, env=self.env, capture_output=True, cwd=ROOT)
        self.log = open(self.workdir / "daemon.log", "wb")
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--port", str(self.port), "--database", str(self.database),
             "--chain", str(ROOT / "plugins.json")],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the daemon exited: " + (self.workdir / "daemon.log").read_text())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise RuntimeError("the daemon did not start in 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process:
            self.log.close()

    def post_webhook(self, payload: dict):
        """Posts a payload as Plex does (multipart, a `payload` part); returns (status, JSON answer)."""
        boundary = "----ShowmatchUITests" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\n"
                f"Content-Type: application/json\r\n\r\n{json.dumps(payload)}\r\n--{boundary}--\r\n").encode()
        request = urllib.request.Request(
            f"{self.base}/api/plex/webhook?secret={WEBHOOK_SECRET}", data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return post(request)

    def post_to(self, url: str, payload: dict):
        """Like post_webhook, to a webhook URL as the settings page shows it."""
        boundary = "----ShowmatchUITests" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\n"
                f"Content-Type: application/json\r\n\r\n{json.dumps(payload)}\r\n--{boundary}--\r\n").encode()
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return post(request)

    def api(self, path: str, token: str):
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def api_token(self):
        out = subprocess.run([str(BINARY), "admin", "token", "create", "--database", str(self.database)],
                             check=True, env=self.env, capture_output=True, text=True, cwd=ROOT)
        return out.stdout.strip().split()[-1]


def post(request):
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def scrobble(show: str, season: int, episode: int, show_guid: str, rating_key: str, event="media.scrobble",
             drop=()):
    """A new-agent episode scrobble built from a real Plex body (fixture 11), retitled."""
    fixture = ROOT / "fixtures" / "plex-payloads" / "11_unattributed-rust-discordbot_media.resume_episode.json"
    payload = json.loads(fixture.read_text())
    payload["event"] = event
    payload["Account"]["title"] = "owner"
    meta = payload["Metadata"]
    meta.update({
        "grandparentTitle": show, "grandparentGuid": show_guid, "grandparentRatingKey": "gp-" + rating_key,
        "grandparentSlug": show.lower().replace(" ", "-"), "ratingKey": rating_key, "title": f"Episode {episode}",
        "parentIndex": season, "index": episode, "guid": f"plex://episode/{rating_key}", "Guid": [],
        "lastViewedAt": int(time.time()),
    })
    meta.pop("year", None)
    for field in drop:
        meta.pop(field, None)
    return payload
