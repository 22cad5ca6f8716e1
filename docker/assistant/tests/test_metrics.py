"""The Prometheus text format as app.metrics writes it (the engine test parses real /metrics output too)."""

import math
import threading
import unittest

from app import metrics


class RenderTest(unittest.TestCase):
    def setUp(self):
        self.registry = metrics.Registry()

    def test_counter_with_labels_is_sorted_and_escaped(self):
        c = metrics.Counter(self.registry, "x_total", "Things.\nSecond line \\ done.", ("path", "status"))
        c.inc(path="/b", status="200")
        c.inc(2, path='/a"q\\\n', status="500")
        self.assertEqual(
            self.registry.render(),
            "# HELP x_total Things.\\nSecond line \\\\ done.\n"
            "# TYPE x_total counter\n"
            'x_total{path="/a\\"q\\\\\\n",status="500"} 2\n'
            'x_total{path="/b",status="200"} 1\n',
        )

    def test_touched_counter_shows_zero(self):
        c = metrics.Counter(self.registry, "f_total", "Failures.", ("endpoint",))
        c.touch(endpoint="/api/tags")
        self.assertIn('f_total{endpoint="/api/tags"} 0\n', self.registry.render())

    def test_histogram_buckets_are_cumulative_with_inf_sum_and_count(self):
        h = metrics.Histogram(self.registry, "d_seconds", "Durations.", ("path",), buckets=(0.1, 1))
        for v in (0.05, 0.5, 5):
            h.observe(v, path="/chat")
        self.assertEqual(
            self.registry.render().splitlines()[2:],
            [
                'd_seconds_bucket{path="/chat",le="0.1"} 1',
                'd_seconds_bucket{path="/chat",le="1"} 2',
                'd_seconds_bucket{path="/chat",le="+Inf"} 3',
                'd_seconds_sum{path="/chat"} 5.55',
                'd_seconds_count{path="/chat"} 3',
            ],
        )

    def test_gauge_without_labels(self):
        metrics.Gauge(self.registry, "up", "Up.").set(1)
        self.assertTrue(self.registry.render().endswith("# TYPE up gauge\nup 1\n"))

    def test_values(self):
        self.assertEqual([metrics.format_value(v) for v in (3, 2.0, 0.25, math.inf, -math.inf, math.nan, 1e-7)], ["3", "2", "0.25", "+Inf", "-Inf", "NaN", "1e-07"])

    def test_misuse_is_an_error(self):
        c = metrics.Counter(self.registry, "c_total", "C.", ("a",))
        with self.assertRaises(ValueError):
            c.inc(b="1")
        with self.assertRaises(ValueError):
            c.inc(-1, a="1")
        with self.assertRaises(ValueError):
            metrics.Counter(self.registry, "c_total", "again")

    def test_concurrent_increments_are_not_lost(self):
        c = metrics.Counter(self.registry, "n_total", "N.", ())
        threads = [threading.Thread(target=lambda: [c.inc() for _ in range(1000)]) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(c.value(), 8000)


if __name__ == "__main__":
    unittest.main()
