"""The Ollama watcher: degraded until Ollama answers, found within the backoff, failures counted by reason."""

import http.server
import socket
import threading
import time
import unittest

from app import metrics
from app.ollama import Ollama, OllamaError


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Tags(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"models": []}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class WatcherTest(unittest.TestCase):
    def setUp(self):
        self.registry = metrics.Registry()
        self.failures = metrics.Counter(self.registry, "f_total", "F.", ("endpoint", "reason"))
        self.calls = metrics.Counter(self.registry, "c_total", "C.", ("endpoint",))
        self.up = metrics.Gauge(self.registry, "up", "Up.")
        self.lines = []
        self.port = free_port()
        self.ollama = Ollama(f"http://127.0.0.1:{self.port}", self.failures, self.calls, self.up, log=self.lines.append)
        self.addCleanup(self.ollama.stop)

    def serve(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Tags)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        self.addCleanup(server.server_close)

    def wait_ready(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.ollama.ready:
            time.sleep(0.01)
        return self.ollama.ready

    def test_found_at_once_while_starting(self):
        self.ollama.watch()
        time.sleep(1.0)
        self.assertFalse(self.ollama.ready)
        started = time.monotonic()
        self.serve()
        self.assertTrue(self.wait_ready(3))
        # In the first seconds the watcher asks every 50 ms; a backoff doubling from the start would ask next at
        # 1.55 s, over half a second after Ollama began to answer.
        self.assertLess(time.monotonic() - started, 0.3)

    def test_degraded_until_ollama_answers_then_ready_within_the_backoff(self):
        self.ollama.watch()
        time.sleep(0.5)
        self.assertFalse(self.ollama.ready)
        self.assertEqual(self.ollama.state["status"], "unreachable")
        self.assertIn("cannot reach Ollama", self.ollama.state["detail"])
        started = time.monotonic()
        self.serve()
        self.assertTrue(self.wait_ready(3))
        # Backoff is capped at 1 s: Ollama is noticed within about a second of answering.
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertIn("up 1\n", self.registry.render())
        self.assertEqual(len([l for l in self.lines if l.startswith("Ollama not answering yet")]), 1)
        self.assertEqual(len([l for l in self.lines if l.startswith("Ollama ready at")]), 1)
        # The watcher's probes are health checks, not calls the app made: not counted.
        self.assertEqual(self.failures.value(endpoint="/api/tags", reason="unreachable"), 0)

    def test_after_an_outage_it_is_degraded_not_starting_and_the_watcher_is_woken(self):
        self.serve()
        self.ollama.watch()
        self.assertTrue(self.wait_ready(3))
        self.ollama.base_url = f"http://127.0.0.1:{free_port()}"  # as if Ollama went away
        with self.assertRaises(OllamaError):
            self.ollama.call("/api/generate", {"prompt": "hi"}, timeout=1)
        self.assertFalse(self.ollama.ready)
        self.assertTrue(self.ollama.ever_ready)
        self.assertTrue(any(l.startswith("Ollama stopped answering") for l in self.lines))
        self.ollama.base_url = f"http://127.0.0.1:{self.port}"
        # Woken by the failure, the watcher retries within its fast backoff, not after the steady 10 s.
        self.assertTrue(self.wait_ready(3))
        self.assertTrue(any(l == f"Ollama answers again at http://127.0.0.1:{self.port}" for l in self.lines))

    def test_a_failed_call_counts_and_turns_degraded(self):
        with self.assertRaises(OllamaError) as caught:
            self.ollama.call("/api/generate", {"prompt": "hi"}, timeout=1)
        self.assertIn(f"cannot reach Ollama at http://127.0.0.1:{self.port}", str(caught.exception))
        self.assertEqual(self.failures.value(endpoint="/api/generate", reason="unreachable"), 1)
        self.assertEqual(self.calls.value(endpoint="/api/generate"), 1)
        self.assertFalse(self.ollama.ready)

    def test_an_http_error_is_counted_as_such(self):
        self.serve()
        with self.assertRaises(OllamaError):
            self.ollama.call("/api/generate", {"prompt": "hi"}, timeout=1)  # the fake answers POST with 501
        self.assertEqual(self.failures.value(endpoint="/api/generate", reason="http_error"), 1)


if __name__ == "__main__":
    unittest.main()
