"""Helpers for the browser tests and benchmarks: the app on a free localhost port, Chromium."""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil

from deploy.classroom import ROOT, app_process  # noqa: F401 (ROOT: the tests read files under it)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    """Debian's Chromium; `make test` installs it. A missing browser is an error, not a skip."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Chromium is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium"  # noqa: E501
        )
    return path


def process_stats(pid: int) -> tuple[float, float]:
    """(peak RSS in MB, CPU seconds used) of a process, from /proc."""
    proc = pathlib.Path(f"/proc/{pid}")
    status = dict(
        line.split(":", 1) for line in (proc / "status").read_text().splitlines() if ":" in line
    )
    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return int(status["VmHWM"].split()[0]) / 1024, cpu


@contextlib.contextmanager
def serve(script: str = "streamlit_app.py", timeout: float = 90.0):
    """Run a Streamlit script on a free loopback port; yields its base URL."""
    with app_process(script=script, timeout=timeout) as (url, _):
        yield url


READY = ".lll-player[data-ready='true']"
SHOWN_EXCEPTION = "[data-testid='stException']"  # Streamlit's exception box


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


def settle(page) -> None:
    """Wait until Streamlit has finished the run an action started."""
    page.wait_for_timeout(400)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=120_000)
    page.wait_for_timeout(200)
