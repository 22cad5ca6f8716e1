"""The app's link to Ollama: calls that count their failures, and a watcher that knows whether Ollama answers.

The app starts beside Ollama (the compose files have no `depends_on` between them): Docker's first health probe
comes one interval after start on engines without `start_interval`, which made the stack wait seconds for nothing.
Instead the watcher asks Ollama every 50 ms for the first FAST_FOR seconds (both containers start within a second,
and Ollama boots in about 0.25 s: a doubling backoff from the start would notice it up to half a second late), then
with a backoff doubling to at most 1 s, until it answers; then every STEADY_INTERVAL. A failed call from a request
re-arms the fast phase. Until Ollama first answers, /health says
"starting", after an outage "degraded" (both still 200: liveness), and /ready answers 503, so whoever waits for
/ready waits for Ollama too, and no longer than it takes to boot.
"""

import json
import threading
import time
import urllib.error
import urllib.request

FIRST_DELAY = 0.05
FAST_FOR = 3.0
MAX_DELAY = 1.0
STEADY_INTERVAL = 10.0


class OllamaError(Exception):
    """Ollama did not answer, or answered with an error; the message says which, with its URL."""


class Ollama:
    def __init__(self, base_url, failures, calls, up, log=print):
        self.base_url = base_url
        self._failures = failures
        self._calls = calls
        self._up = up
        self._log = log
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._ready = False
        self._ever_ready = False
        self._detail = "not asked yet"
        self._started = time.monotonic()
        self._up.set(0)

    def call(self, path, body=None, timeout=30, counted=True):
        """POST (with a body) or GET `path`; raises OllamaError. The watcher's probes are not counted as calls."""
        if counted:
            self._calls.inc(endpoint=path)
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                payload = json.loads(res.read() or b"{}")
        except urllib.error.HTTPError as error:
            self._failed(path, "http_error", f"HTTP {error.code} from {self.base_url}{path}", counted)
        except TimeoutError:
            self._failed(path, "timeout", f"no answer from {self.base_url}{path} within {timeout} s", counted)
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            kind = "timeout" if isinstance(reason, TimeoutError) else "unreachable"
            self._failed(path, kind, f"cannot reach Ollama at {self.base_url}: {reason}", counted)
        except json.JSONDecodeError:
            self._failed(path, "bad_response", f"Ollama at {self.base_url}{path} answered something that is not JSON", counted)
        self._mark(True, "answered")
        return payload

    def _failed(self, path, reason, message, counted):
        if counted:
            self._failures.inc(endpoint=path, reason=reason)
        self._mark(False, message)
        raise OllamaError(message)

    def _mark(self, ready, detail):
        """Records the outcome of a call; logs each change of state once, so a down Ollama does not flood the log."""
        with self._lock:
            was, self._ready, self._detail = self._ready, ready, detail
            first = ready and not self._ever_ready
            self._ever_ready = self._ever_ready or ready
        self._up.set(1 if ready else 0)
        if first:
            self._log(f"Ollama ready at {self.base_url} ({time.monotonic() - self._started:.2f} s after the app started)")
        elif ready and not was:
            self._log(f"Ollama answers again at {self.base_url}")
        elif was and not ready:
            self._log(f"Ollama stopped answering ({detail}); retrying with backoff; /health reports degraded, /ready 503")
            self._wake.set()

    @property
    def state(self):
        with self._lock:
            return {"status": "ok" if self._ready else "unreachable", "url": self.base_url, "detail": self._detail}

    @property
    def ever_ready(self):
        with self._lock:
            return self._ever_ready

    @property
    def ready(self):
        with self._lock:
            return self._ready

    def watch(self):
        threading.Thread(target=self._watch, name="ollama-watch", daemon=True).start()

    def stop(self):
        self._stop.set()
        self._wake.set()

    def _watch(self):
        delay = FIRST_DELAY
        told = False
        failing_since = None
        while not self._stop.is_set():
            try:
                self.call("/api/tags", timeout=2, counted=False)
            except OllamaError as error:
                if not told and not self._ever_ready:
                    self._log(f"Ollama not answering yet ({error}); retrying with backoff; /ready answers 503 until it does")
                told = True
                failing_since = failing_since or time.monotonic()
                self._sleep(delay)
                if time.monotonic() - failing_since >= FAST_FOR:
                    delay = min(delay * 2, MAX_DELAY)
                continue
            delay, told, failing_since = FIRST_DELAY, False, None
            self._sleep(STEADY_INTERVAL)

    def _sleep(self, seconds):
        self._wake.wait(seconds)
        self._wake.clear()
