"""Helpers for the browser tests and benchmarks: the app on a free localhost port, Chromium."""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def chromium_path() -> str:
    """Debian's Chromium; `make test` installs it. A missing browser is an error, not a skip."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Chromium is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium"
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: str = "streamlit_app.py", timeout: float = 90.0):
    """Run a Streamlit script on a free loopback port; yields its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode(errors="replace"))
            time.sleep(0.3)
        else:
            raise TimeoutError(f"streamlit did not start on {url}")
        yield url
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        if process.poll() is None:
            process.kill()


READY = ".lll-player[data-ready='true']"


def open_app(page, url, query=""):
    """Load the app and wait until the player has drawn a few frames."""
    page.goto(url + query)
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_function("() => window.__lll.frames > 3", timeout=30_000)


def step(page) -> int:
    return int(page.locator(".lll-player").get_attribute("data-step"))


def paths(page, series=0):
    """Run `series`'s drawn path as [[x, y], ...]."""
    return page.evaluate(
        "(i) => window.__lll.players[0].paths.filter(d => d.i === i).map(d => [d.x, d.y])",
        series,
    )
