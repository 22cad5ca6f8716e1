"""Development runner: starts app.main and restarts it when a file under the source tree changes (hot reload).

Polls modification times, because inotify does not see changes made on the host through every kind of mount.
"""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

SOURCE = Path(os.environ.get("SOURCE_DIR", "/app/src"))
APP = os.environ.get("APP_MODULE", "app.main")
INTERVAL = float(os.environ.get("RELOAD_INTERVAL", "0.5"))


def snapshot():
    stamps = {}
    for path in SOURCE.rglob("*.py"):
        try:
            stamps[str(path)] = path.stat().st_mtime_ns
        except FileNotFoundError:
            pass
    return stamps


def start():
    return subprocess.Popen([sys.executable, "-m", APP])


def stop(child):
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main():
    # An Event, not a flag and time.sleep: a stop signal (Ctrl-C, compose down) ends the wait at once instead of
    # after the rest of the interval.
    stopping = threading.Event()

    def on_signal(signum, _frame):
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"hot reload: watching {SOURCE} every {INTERVAL}s", flush=True)
    seen = snapshot()
    child = start()
    while not stopping.is_set():
        if stopping.wait(INTERVAL):
            break
        now = snapshot()
        if now != seen:
            changed = sorted(k for k in set(now) | set(seen) if now.get(k) != seen.get(k))
            print(f"hot reload: {', '.join(os.path.relpath(c, SOURCE) for c in changed)} changed; restarting", flush=True)
            seen = now
            stop(child)
            child = start()
        elif child.poll() is not None:
            print(f"app exited with {child.returncode}; waiting for a change to restart", flush=True)
            seen = snapshot()
            while not stopping.is_set() and snapshot() == seen:
                stopping.wait(INTERVAL)
            if not stopping.is_set():
                seen = snapshot()
                child = start()
    stop(child)


if __name__ == "__main__":
    main()
