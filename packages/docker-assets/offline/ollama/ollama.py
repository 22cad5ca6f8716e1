#!/usr/bin/env python3
"""Ollama stand-in for machines that reach no image registry (tests, CI, air-gapped users).

Speaks the parts of Ollama's HTTP API the assistant uses, on the same port, with the same CLI entry point as the
ollama/ollama image (`ollama serve` as the default command, `ollama list` for its health check, `ollama pull`).
Models are files under /root/.ollama/models, so the named volume behaves like the real one. Answers are canned:
it checks plumbing, not language.
"""

import hashlib
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

HOST = os.environ.get("OLLAMA_HOST", "0.0.0.0:11434")
MODELS = Path(os.environ.get("OLLAMA_MODELS", "/root/.ollama/models"))
QUIET = {("GET", "/api/tags"), ("GET", "/"), ("HEAD", "/"), ("GET", "/api/version")}


def model_file(name):
    return MODELS / (name.replace("/", "_").replace(":", "@") + ".json")


def ensure_model(name):
    MODELS.mkdir(parents=True, exist_ok=True)
    path = model_file(name)
    if not path.exists():
        path.write_text(json.dumps({"name": name, "modified_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "size": 0}))
    return json.loads(path.read_text())


def embedding(text, dims=16):
    digest = hashlib.sha256(text.encode()).digest()
    return [round((b - 128) / 128, 4) for b in digest[:dims]]


class Handler(BaseHTTPRequestHandler):
    server_version = "ollama-standin/0.1"

    def reply(self, status, payload):
        body = json.dumps(payload).encode() if not isinstance(payload, str) else payload.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(payload, str) else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            return {}

    def do_HEAD(self):
        self.reply(200, "Ollama is running")

    def do_GET(self):
        if self.path in ("/", ""):
            return self.reply(200, "Ollama is running")
        if self.path == "/api/version":
            return self.reply(200, {"version": "0.0.0-standin"})
        if self.path == "/api/tags":
            MODELS.mkdir(parents=True, exist_ok=True)
            models = [json.loads(p.read_text()) for p in sorted(MODELS.glob("*.json"))]
            return self.reply(200, {"models": [dict(m, model=m["name"]) for m in models]})
        return self.reply(404, {"error": "not found"})

    def do_POST(self):
        payload = self.body()
        model = payload.get("model") or payload.get("name") or ""
        if self.path == "/api/pull":
            ensure_model(model)
            return self.reply(200, {"status": "success"})
        if self.path == "/api/generate":
            ensure_model(model)
            prompt = payload.get("prompt", "")
            return self.reply(200, {"model": model, "response": f"[{model} stand-in] you said: {prompt}", "done": True})
        if self.path == "/api/chat":
            ensure_model(model)
            last = (payload.get("messages") or [{}])[-1].get("content", "")
            return self.reply(200, {"model": model, "message": {"role": "assistant", "content": f"[{model} stand-in] you said: {last}"}, "done": True})
        if self.path == "/api/embeddings":
            ensure_model(model)
            return self.reply(200, {"embedding": embedding(payload.get("prompt", ""))})
        if self.path == "/api/embed":
            ensure_model(model)
            inputs = payload.get("input", [])
            inputs = [inputs] if isinstance(inputs, str) else inputs
            return self.reply(200, {"model": model, "embeddings": [embedding(t) for t in inputs]})
        return self.reply(404, {"error": "not found"})

    def log_message(self, fmt, *args):
        # Health probes (`ollama list` asks /api/tags every few seconds) would bury every other line.
        if (self.command, self.path) not in QUIET:
            print(f"[ollama-standin] {self.command} {self.path}", flush=True)


def serve():
    host, _, port = HOST.rpartition(":")
    server = ThreadingHTTPServer((host or "0.0.0.0", int(port)), Handler)
    server.daemon_threads = True
    # As PID 1 in a container, SIGTERM is ignored unless handled: without this, `docker stop` waits its full timeout.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    # The socket listens from here on: this one line says the stand-in is ready.
    print(f"ollama stand-in ready on {HOST} (health probes are not logged)", flush=True)
    # shutdown() waits for the next poll: 0.05 s instead of 0.5 s, so a stop (docker-dev's Ctrl-C, compose down)
    # is not held up by it.
    server.serve_forever(poll_interval=0.05)


def client(method, path, body=None):
    host = HOST.replace("0.0.0.0", "127.0.0.1")
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://{host}{path}", data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as res:
        return json.loads(res.read())


def main(argv):
    command = argv[0] if argv else "serve"
    try:
        if command == "serve":
            serve()
        elif command in ("list", "ls"):
            print("NAME\tSIZE\tMODIFIED")
            for m in client("GET", "/api/tags")["models"]:
                print(f"{m['name']}\t{m['size']}\t{m['modified_at']}")
        elif command == "pull" and len(argv) > 1:
            client("POST", "/api/pull", {"name": argv[1]})
            print("success")
        else:
            print("usage: ollama serve | list | pull MODEL", file=sys.stderr)
            return 2
    except (urllib.error.URLError, OSError) as error:
        print(f"Error: could not connect to ollama app, is it running? ({error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
