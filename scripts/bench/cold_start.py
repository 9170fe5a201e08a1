#!/usr/bin/env python3
"""Cold start of the desktop app to an interactive contact table.

Starts Xvfb and tauri-driver (HOME and XDG folders in a temp dir, inside its
own D-Bus session, as the e2e suite does), then RUNS times: opens a WebDriver
session that launches the app on WORKSPACE, waits for the app shell, goes to
the contact list, and waits for its first row. Prints the time from asking
for the session to the shell and to the first contact row, per run and the
median. The session request includes WebKitWebDriver's own start-up, so the
figures are an upper bound of what a person double-clicking the app waits.

    scripts/bench/cold_start.py APP_BINARY WORKSPACE.sqlite3 [RUNS]
"""

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def wait_for(base, session, css, limit=60.0):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        status, _ = call("POST", f"{base}/session/{session}/element", {"using": "css selector", "value": css})
        if status == 200:
            return time.monotonic()
        time.sleep(0.02)
    raise SystemExit(f"{css} did not appear within {limit} s")


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    app, db = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    sandbox = tempfile.mkdtemp(prefix="herald-cold.")
    env = dict(os.environ)
    for d in ("home", "config", "data", "cache", "runtime"):
        os.makedirs(os.path.join(sandbox, d), exist_ok=True)
    os.chmod(os.path.join(sandbox, "runtime"), 0o700)
    display = 130
    while os.path.exists(f"/tmp/.X{display}-lock"):
        display += 1
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port, native = free_port(), free_port()
    env.update(DISPLAY=f":{display}", HOME=f"{sandbox}/home", XDG_CONFIG_HOME=f"{sandbox}/config",
               XDG_DATA_HOME=f"{sandbox}/data", XDG_CACHE_HOME=f"{sandbox}/cache",
               XDG_RUNTIME_DIR=f"{sandbox}/runtime")
    # Its own process group, so tauri-driver and WebKitWebDriver go with it.
    driver = subprocess.Popen(["dbus-run-session", "--", "tauri-driver", "--port", str(port),
                               "--native-port", str(native)], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        shells, tables = [], []
        for run in range(runs):
            caps = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {
                "application": app, "args": ["--db", db]}}}}
            t0 = time.monotonic()
            status, body = call("POST", f"{base}/session", caps)
            if status != 200:
                raise SystemExit(f"no session: {body}")
            session = body["value"]["sessionId"]
            shell = wait_for(base, session, '[data-testid="workspace-name"]')
            call("POST", f"{base}/session/{session}/execute/sync",
                 {"script": "window.location.hash = '#/contacts'", "args": []})
            table = wait_for(base, session, '[data-testid="contact-row"]')
            call("DELETE", f"{base}/session/{session}")
            shells.append(shell - t0)
            tables.append(table - t0)
            print(f"run {run + 1}: shell {shells[-1]:.2f} s, first contact row {tables[-1]:.2f} s", flush=True)
            time.sleep(1)
        print(f"median: shell {statistics.median(shells):.2f} s, "
              f"first contact row {statistics.median(tables):.2f} s ({runs} runs)")
    finally:
        os.killpg(driver.pid, signal.SIGTERM)
        driver.wait(timeout=10)
        xvfb.terminate()
        shutil.rmtree(sandbox, ignore_errors=True)


if __name__ == "__main__":
    main()
