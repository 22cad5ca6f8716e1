"""Debugger on DEBUG_PORT (9229): debugpy when it is installed, else a remote Python console into the app.

`nc localhost 9229` gives a prompt in the running process (globals of app.main; `import pdb; pdb.pm()` works).
"""

import code
import contextlib
import os
import socket
import sys
import threading


def start_debug_listener():
    port = int(os.environ.get("DEBUG_PORT", "9229"))
    try:
        import debugpy  # type: ignore[import-not-found]

        debugpy.listen(("0.0.0.0", port))
        print(f"debugpy listening on :{port}", flush=True)
        return
    except ImportError:
        pass
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("0.0.0.0", port))
    sock.listen(1)
    threading.Thread(target=_serve, args=(sock,), daemon=True).start()
    print(f"debug console listening on :{port} (install debugpy for a DAP debugger)", flush=True)


def _serve(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=_session, args=(conn,), daemon=True).start()


def _session(conn):
    stream = conn.makefile("rw", buffering=1)
    console = code.InteractiveConsole(vars(sys.modules.get("app.main", sys.modules["__main__"])))

    def write(data):
        stream.write(data)
        stream.flush()

    console.write = write
    write(f"promtior debug console, Python {sys.version.split()[0]}\n>>> ")
    for line in stream:
        # Results of expressions go to sys.stdout; send them to this session for the length of the statement.
        with contextlib.redirect_stdout(stream):
            more = console.push(line.rstrip("\n"))
        write("... " if more else ">>> ")
    conn.close()
