"""Stand-in for the Promtior chat assistant.

GET /health, GET /version, GET /ollama/tags (the app's view of Ollama), POST /chat (asks Ollama) and
POST /admin/reingest (guarded by ADMIN_REINGEST_KEY, writes to the data volume). Standard library only.
"""

import hmac
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

VERSION = "1"
PORT = int(os.environ.get("APP_PORT", "8000"))
OLLAMA = os.environ.get("OLLAMA_BASE_URL", "http://ollama:11434").rstrip("/")
MODEL = os.environ.get("OLLAMA_MODEL", "tinyllama")
EMBEDDING_MODEL = os.environ.get("OLLAMA_EMBEDDING_MODEL", "nomic-embed-text")
DATA = Path(os.environ.get("DATA_DIR", "/app/data"))
STARTED = time.time()


def ollama(path, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(OLLAMA + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as res:
        return json.loads(res.read() or b"{}")


class Handler(BaseHTTPRequestHandler):
    server_version = "promtior-assistant/" + VERSION

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            return None

    def do_GET(self):
        if self.path == "/health":
            return self.reply(200, {"status": "ok", "uptime_s": round(time.time() - STARTED, 3)})
        if self.path == "/version":
            return self.reply(200, {"version": VERSION})
        if self.path == "/ollama/tags":
            try:
                return self.reply(200, ollama("/api/tags", timeout=5))
            except (urllib.error.URLError, OSError) as error:
                return self.reply(502, {"error": f"cannot reach Ollama at {OLLAMA}: {error}"})
        return self.reply(404, {"error": "not found"})

    def do_POST(self):
        if self.path == "/chat":
            payload = self.body()
            if not payload or not isinstance(payload.get("message"), str):
                return self.reply(400, {"error": 'send JSON {"message": "..."}'})
            try:
                answer = ollama("/api/generate", {"model": MODEL, "prompt": payload["message"], "stream": False})
            except (urllib.error.URLError, OSError) as error:
                return self.reply(502, {"error": f"cannot reach Ollama at {OLLAMA}: {error}"})
            return self.reply(200, {"answer": answer.get("response", ""), "model": MODEL})
        if self.path == "/admin/reingest":
            expected = os.environ.get("ADMIN_REINGEST_KEY", "")
            given = self.headers.get("X-Admin-Key", "")
            if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
                return self.reply(401, {"error": "missing or wrong X-Admin-Key"})
            try:
                vector = ollama("/api/embeddings", {"model": EMBEDDING_MODEL, "prompt": "Promtior"}).get("embedding", [])
            except (urllib.error.URLError, OSError) as error:
                return self.reply(502, {"error": f"cannot reach Ollama at {OLLAMA}: {error}"})
            DATA.mkdir(parents=True, exist_ok=True)
            marker = DATA / "ingested.json"
            count = json.loads(marker.read_text())["count"] + 1 if marker.exists() else 1
            marker.write_text(json.dumps({"count": count, "dimensions": len(vector), "at": time.time()}))
            return self.reply(200, {"reingested": True, "count": count})
        return self.reply(404, {"error": "not found"})

    def log_message(self, fmt, *args):
        if self.path != "/health":
            print(f"{self.command} {self.path} -> {args[1] if len(args) > 1 else '?'}", flush=True)


def main():
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    server.daemon_threads = True

    def stop(signum, _frame):
        print(f"signal {signum}: shutting down", flush=True)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if os.environ.get("ENVIRONMENT") == "development":
        from app.debug import start_debug_listener

        start_debug_listener()
    print(f"promtior assistant {VERSION} listening on :{PORT} (Ollama at {OLLAMA})", flush=True)
    server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
