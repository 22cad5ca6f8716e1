"""Stand-in for the Promtior chat assistant.

GET /health (liveness: 200 while the app serves, Ollama's state as detail: "starting", "ok" or "degraded"),
GET /ready (200 only while Ollama answers, else 503), GET /metrics
(Prometheus), GET /version, GET /ollama/tags (the app's view of Ollama), POST /chat (asks Ollama) and
POST /admin/reingest (guarded by ADMIN_REINGEST_KEY, writes to the data volume). Standard library only.
"""

import contextlib
import hmac
import json
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from app import metrics
from app.ollama import Ollama, OllamaError
from app.settings import SettingsError, load_settings

VERSION = "1"
STARTED = time.time()
ROUTES = {
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
    ("GET", "/version"),
    ("GET", "/ollama/tags"),
    ("POST", "/chat"),
    ("POST", "/admin/reingest"),
}
# Probed every few seconds by Docker, the tasks or Prometheus: logging them would bury everything else.
QUIET = {"/health", "/ready", "/metrics"}
OLLAMA_ENDPOINTS = ("/api/tags", "/api/generate", "/api/embeddings")

REGISTRY = metrics.Registry()
REQUESTS = metrics.Counter(REGISTRY, "assistant_http_requests_total", "HTTP requests answered, by method, route and status code.", ("method", "path", "status"))
LATENCY = metrics.Histogram(REGISTRY, "assistant_http_request_duration_seconds", "Time to answer an HTTP request, by method and route.", ("method", "path"))
OLLAMA_CALLS = metrics.Counter(REGISTRY, "assistant_ollama_requests_total", "Calls to Ollama made to answer requests, by endpoint.", ("endpoint",))
OLLAMA_FAILURES = metrics.Counter(
    REGISTRY,
    "assistant_ollama_request_failures_total",
    "Calls to Ollama that failed, by endpoint and reason (unreachable, timeout, http_error, bad_response).",
    ("endpoint", "reason"),
)
OLLAMA_UP = metrics.Gauge(REGISTRY, "assistant_ollama_up", "1 when Ollama answered the last call or probe, else 0.")
BUILD_INFO = metrics.Gauge(REGISTRY, "assistant_build_info", "The app's version (the value is always 1).", ("version",))
START_TIME = metrics.Gauge(REGISTRY, "process_start_time_seconds", "When the app started, in seconds since the epoch.")
BUILD_INFO.set(1, version=VERSION)
START_TIME.set(round(STARTED, 3))
for _endpoint in OLLAMA_ENDPOINTS:
    OLLAMA_CALLS.touch(endpoint=_endpoint)
    for _reason in ("unreachable", "timeout", "http_error", "bad_response"):
        OLLAMA_FAILURES.touch(endpoint=_endpoint, reason=_reason)

# Set by main(); module globals so the debug console (app.debug) can inspect them.
SETTINGS = None
OLLAMA = None


class Handler(BaseHTTPRequestHandler):
    server_version = "promtior-assistant/" + VERSION

    def reply(self, status, payload, content_type="application/json"):
        body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        self.status, self.replied = status, True
        # Counted before the client can read the answer: a scrape right after a request always includes it.
        self.record()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
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
        self.measured("GET")

    def do_POST(self):
        self.measured("POST")

    def record(self):
        if self.recorded:
            return
        self.recorded = True
        label = self.path_label if (self.method, self.path_label) in ROUTES else "other"
        REQUESTS.inc(method=self.method, path=label, status=str(self.status))
        LATENCY.observe(time.perf_counter() - self.started, method=self.method, path=label)

    def measured(self, method):
        self.started = time.perf_counter()
        path = urlsplit(self.path).path
        self.method, self.path_label, self.recorded = method, path, False
        self.status, self.replied = 500, False
        try:
            self.route(method, path)
        except Exception:  # noqa: BLE001 - one broken request must not take the server down
            traceback.print_exc()
            if not self.replied:
                with contextlib.suppress(OSError):
                    self.reply(500, {"error": "internal error (see the app's log)"})
        finally:
            # A request that ended without a reply (the client went away) is counted here, once.
            self.record()

    def route(self, method, path):
        if method == "GET" and path == "/health":
            # Liveness: 200 whenever the app serves, so the image alone passes its health check (the seed's runtime
            # test) and an Ollama outage never gets the app restarted. Ollama's state is the detail; /ready gates on it.
            status = "ok" if OLLAMA.ready else "degraded" if OLLAMA.ever_ready else "starting"
            return self.reply(200, {"status": status, "version": VERSION, "uptime_s": round(time.time() - STARTED, 3), "checks": {"ollama": OLLAMA.state}})
        if method == "GET" and path == "/ready":
            return self.reply(200 if OLLAMA.ready else 503, {"ready": OLLAMA.ready, "checks": {"ollama": OLLAMA.state}})
        if method == "GET" and path == "/metrics":
            return self.reply(200, REGISTRY.render(), metrics.CONTENT_TYPE)
        if method == "GET" and path == "/version":
            # Whether each secret reached the app (from its file or variable), never its value.
            configured = {"openai_api_key": bool(SETTINGS.openai_api_key), "admin_reingest_key": bool(SETTINGS.admin_reingest_key)}
            return self.reply(200, {"version": VERSION, "configured": configured})
        if method == "GET" and path == "/ollama/tags":
            try:
                return self.reply(200, OLLAMA.call("/api/tags", timeout=5))
            except OllamaError as error:
                return self.reply(502, {"error": str(error)})
        if method == "POST" and path == "/chat":
            return self.chat()
        if method == "POST" and path == "/admin/reingest":
            return self.reingest()
        return self.reply(404, {"error": "not found"})

    def chat(self):
        payload = self.body()
        if not payload or not isinstance(payload.get("message"), str):
            return self.reply(400, {"error": 'send JSON {"message": "..."}'})
        try:
            answer = OLLAMA.call("/api/generate", {"model": SETTINGS.model, "prompt": payload["message"], "stream": False})
        except OllamaError as error:
            return self.reply(502, {"error": str(error)})
        return self.reply(200, {"answer": answer.get("response", ""), "model": SETTINGS.model})

    def reingest(self):
        expected = SETTINGS.admin_reingest_key
        given = self.headers.get("X-Admin-Key", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return self.reply(401, {"error": "missing or wrong X-Admin-Key"})
        try:
            vector = OLLAMA.call("/api/embeddings", {"model": SETTINGS.embedding_model, "prompt": "Promtior"}).get("embedding", [])
        except OllamaError as error:
            return self.reply(502, {"error": str(error)})
        SETTINGS.data_dir.mkdir(parents=True, exist_ok=True)
        marker = SETTINGS.data_dir / "ingested.json"
        count = json.loads(marker.read_text())["count"] + 1 if marker.exists() else 1
        marker.write_text(json.dumps({"count": count, "dimensions": len(vector), "at": time.time()}))
        return self.reply(200, {"reingested": True, "count": count})

    def log_message(self, fmt, *args):
        if urlsplit(self.path).path not in QUIET:
            print(f"{self.command} {self.path} -> {args[1] if len(args) > 1 else '?'}", flush=True)


def main():
    global SETTINGS, OLLAMA
    try:
        SETTINGS = load_settings()
    except SettingsError as error:
        print(f"promtior assistant cannot start: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
    OLLAMA = Ollama(SETTINGS.ollama_url, OLLAMA_FAILURES, OLLAMA_CALLS, OLLAMA_UP, log=lambda line: print(line, flush=True))
    try:
        server = ThreadingHTTPServer(("0.0.0.0", SETTINGS.port), Handler)
    except OSError as error:
        print(f"promtior assistant cannot start: port {SETTINGS.port} is not free ({error.strerror}). Fix: set APP_PORT to a free port.", file=sys.stderr, flush=True)
        sys.exit(2)
    server.daemon_threads = True

    def stop(signum, _frame):
        print(f"signal {signum}: shutting down", flush=True)
        OLLAMA.stop()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if SETTINGS.environment == "development":
        from app.debug import start_debug_listener

        start_debug_listener()
    OLLAMA.watch()
    print(f"promtior assistant {VERSION} up at {SETTINGS.public_url} (GET /health, /ready, /metrics; Ollama at {SETTINGS.ollama_url})", flush=True)
    # shutdown() waits for serve_forever's next poll: every 0.05 s instead of 0.5 s makes a hot reload and a stop
    # (Ctrl-C, compose down) that much quicker, for an idle wake-up that costs nothing measurable.
    server.serve_forever(poll_interval=0.05)
    sys.exit(0)


if __name__ == "__main__":
    main()
