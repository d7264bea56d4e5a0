#!/usr/bin/env bash
# Fuzzes the running daemon against its own OpenAPI document with Schemathesis:
# no 5xx, and every response must match the schema. Run from the project folder.
set -euo pipefail

BIN=${BIN:-.build/debug/showmatch}
WORK=$(mktemp -d)
DB="$WORK/showmatch.sqlite"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PLEX_PORT=$(free_port)
PID=""
PLEX_PID=""
trap 'kill $PID $PLEX_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

# A fake plex.tv that refuses every token, so saving one is a clean 422, not an upstream error,
# and refuses sign-in PINs (424).
python3 - "$PLEX_PORT" <<'PY' &
import http.server, sys
class Refuse(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errors": [{"code": 1001}]}')
    do_POST = do_GET  # a sign-in PIN is refused too: the route answers 424, never a 5xx
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Refuse).serve_forever()
PY
PLEX_PID=$!

cat > "$WORK/catalog.jsonl" <<'JSON'
{"id": "magicians-2015", "title": "The Magicians", "year": 2015, "tmdb_id": 64432, "seasons": [{"number": 1, "episodes": [{"number": 1, "title": "Unauthorized Magic", "runtime": 44}]}]}
{"id": "magicians-2016", "title": "The Magicians", "year": 2016, "tmdb_id": 66732}
{"id": "bluey", "title": "Bluey", "year": 2018, "tmdb_id": 82728, "tvdb_id": 353546}
JSON
"$BIN" library import "$WORK/catalog.jsonl" --database "$DB" > /dev/null
# The daemon runs on a copy of the chain: a fuzzed reload or rule must never touch the repository's.
cp plugins.json "$WORK/plugins.json"
TOKEN=$("$BIN" admin token create --database "$DB")

SHOWMATCH_ADMIN_PASSWORD=fuzz-admin-password SHOWMATCH_WEBHOOK_SECRET=fuzz-secret-0123456789abcdef \
ENCRYPTION_KEY=$(printf '%064d' 0) PLEX_TV_BASE="http://127.0.0.1:$PLEX_PORT" TMDB_API_BASE="http://127.0.0.1:9" \
SHOWMATCH_HTTP_TIMEOUT=1 SHOWMATCH_NOTIFY_HOSTS=127.0.0.1 SHOWMATCH_WEEKLY_REPORT=off \
  "$BIN" serve --port "$PORT" --database "$DB" --chain "$WORK/plugins.json" > "$WORK/daemon.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null && break
  sleep 0.1
done

# Notification channels the fuzzer adds may only reach 127.0.0.1 (SHOWMATCH_NOTIFY_HOSTS): nothing
# leaves the machine. The token and the secret are not fuzzed as inputs: they stay fixed so every
# request gets in.
# `st` sits beside the Python that installed it, on PATH or not.
ST=$(command -v st || python3 -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "st"))')
"$ST" run docs/openapi.yaml --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${MAX_EXAMPLES:-25}" --seed 1 --workers 1 \
  --exclude-path-regex '^/api/(plex/webhook|tokens/)' \
  --warnings off

# Whatever the fuzzer sent, the daemon's chain file is still valid.
"$BIN" chain validate "$WORK/plugins.json" > /dev/null
