"""Prometheus metrics in the text exposition format (version 0.0.4), with the standard library only.

The app must build where no package index answers, so this is the small subset of prometheus_client it needs:
counters, gauges and histograms with labels, thread-safe, rendered on GET /metrics.
"""

import math
import threading

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Seconds: from a cached answer (a few ms) to a slow model (tens of seconds).
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def format_value(value):
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def escape_label(value):
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def escape_help(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def label_text(names, values, extra=()):
    pairs = [*zip(names, values), *extra]
    if not pairs:
        return ""
    return "{" + ",".join(f'{n}="{escape_label(v)}"' for n, v in pairs) + "}"


class _Metric:
    kind = "untyped"

    def __init__(self, registry, name, help_text, labelnames=()):
        self.name = name
        self.help = help_text
        self.labelnames = tuple(labelnames)
        self._lock = threading.Lock()
        self._children = {}
        registry.register(self)

    def _key(self, labels):
        if set(labels) != set(self.labelnames):
            raise ValueError(f"{self.name} takes labels {self.labelnames}, got {tuple(labels)}")
        return tuple(str(labels[n]) for n in self.labelnames)

    def header(self):
        return [f"# HELP {self.name} {escape_help(self.help)}", f"# TYPE {self.name} {self.kind}"]


class Counter(_Metric):
    """Only goes up; a labelled child appears at 0 once `touch`ed, so rates work from the first scrape."""

    kind = "counter"

    def inc(self, amount=1, **labels):
        if amount < 0:
            raise ValueError("a counter only goes up")
        key = self._key(labels)
        with self._lock:
            self._children[key] = self._children.get(key, 0) + amount

    def touch(self, **labels):
        key = self._key(labels)
        with self._lock:
            self._children.setdefault(key, 0)

    def value(self, **labels):
        with self._lock:
            return self._children.get(self._key(labels), 0)

    def lines(self):
        with self._lock:
            items = sorted(self._children.items())
        return [f"{self.name}{label_text(self.labelnames, k)} {format_value(v)}" for k, v in items]


class Gauge(_Metric):
    kind = "gauge"

    def set(self, value, **labels):
        key = self._key(labels)
        with self._lock:
            self._children[key] = value

    def lines(self):
        with self._lock:
            items = sorted(self._children.items())
        return [f"{self.name}{label_text(self.labelnames, k)} {format_value(v)}" for k, v in items]


class Histogram(_Metric):
    kind = "histogram"

    def __init__(self, registry, name, help_text, labelnames=(), buckets=DEFAULT_BUCKETS):
        super().__init__(registry, name, help_text, labelnames)
        self.buckets = tuple(sorted(float(b) for b in buckets if not math.isinf(b))) + (math.inf,)

    def observe(self, value, **labels):
        key = self._key(labels)
        with self._lock:
            counts, total = self._children.get(key, ([0] * len(self.buckets), 0.0))
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    counts[i] += 1
            self._children[key] = (counts, total + value)

    def lines(self):
        with self._lock:
            items = sorted((k, (list(c), s)) for k, (c, s) in self._children.items())
        out = []
        for key, (counts, total) in items:
            for bound, count in zip(self.buckets, counts):
                out.append(f"{self.name}_bucket{label_text(self.labelnames, key, [('le', format_value(bound))])} {count}")
            out.append(f"{self.name}_sum{label_text(self.labelnames, key)} {format_value(total)}")
            out.append(f"{self.name}_count{label_text(self.labelnames, key)} {counts[-1]}")
        return out


class Registry:
    def __init__(self):
        self._metrics = []

    def register(self, metric):
        if any(m.name == metric.name for m in self._metrics):
            raise ValueError(f"metric {metric.name} is registered twice")
        self._metrics.append(metric)

    def render(self):
        lines = []
        for metric in self._metrics:
            lines += metric.header() + metric.lines()
        return "\n".join(lines) + "\n"
