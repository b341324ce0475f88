"""Cold start: seconds from a fresh server process answering its health check to the first
picture in the browser, for the app (started warmed by `app.serve`) and for the naive
baseline (bench/naive_app.py, plain `streamlit run`), with Streamlit's own one-line page
(bench/hello_app.py) as the floor.

    python -m bench.cold_start [--repeats 3]

Each repeat starts new processes. The app is measured twice: with an empty compilation cache
(a machine's very first visitor) and with the one the first run left on disk (every later
restart). Prints medians.
"""

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import time

from playwright.sync_api import sync_playwright

from bench.timing import report
from tests.browser import CHROMIUM_ARGS, chromium_path, serve

NAIVE_READY = "[data-testid='stVegaLiteChart'] svg"
HELLO_READY = "[data-testid='stMarkdown']"


@contextlib.contextmanager
def compile_cache(directory: str):
    """The app's compilation cache at `directory` for the processes started inside."""
    before = os.environ.get("LLL_COMPILE_CACHE")
    os.environ["LLL_COMPILE_CACHE"] = directory
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("LLL_COMPILE_CACHE")
        else:
            os.environ["LLL_COMPILE_CACHE"] = before


# the page's own clock at its first picture (polled every 10 ms from the page's start): the
# player's first frame, or the baseline's chart (`ready`)
MARK = """
(ready) => {
  const poll = setInterval(() => {
    const drawn = ready ? document.querySelector(ready) : window.__lll && window.__lll.frames > 0;
    if (!drawn) return;
    window.__shownAt = performance.timeOrigin + performance.now();
    clearInterval(poll);
  }, 10);
}
"""


def first_picture(browser, script: str, ready: str) -> tuple[float, float, float]:
    """(seconds from a new process's start to its health check passing, seconds from then to
    the first picture in a new page: the player's first frame, or `ready` for the baseline,
    and seconds from the page's own start to it), read from the machine's wall clock."""
    started = time.time()
    with serve(script) as url:
        up = time.time()
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(f"({MARK})({json.dumps(ready)})")
        page.goto(url)
        page.wait_for_function("() => window.__shownAt", timeout=120_000)
        shown = page.evaluate("() => window.__shownAt") / 1000
        opened = page.evaluate("() => performance.timeOrigin") / 1000
        page.close()
    return up - started, shown - up, shown - opened


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times = {"empty": [], "kept": [], "naive": [], "hello": []}
    starts = {name: [] for name in times}
    waits = {name: [] for name in times}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as directory, compile_cache(directory):
                for name in ("empty", "kept"):
                    start, picture, wait = first_picture(browser, "streamlit_app.py", "")
                    starts[name].append(start)
                    times[name].append(picture)
                    waits[name].append(wait)
            for name, script, ready in (
                ("naive", "bench/naive_app.py", NAIVE_READY),
                ("hello", "bench/hello_app.py", HELLO_READY),
            ):
                start, picture, wait = first_picture(browser, script, ready)
                starts[name].append(start)
                times[name].append(picture)
                waits[name].append(wait)
        browser.close()
    median = {name: statistics.median(values) for name, values in times.items()}
    start = {name: statistics.median(values) for name, values in starts.items()}
    wait = {name: statistics.median(values) for name, values in waits.items()}
    report(
        [
            (
                "first picture, compiled programs on disk",
                f"{median['kept']:6.2f} s  (floor ≤ 2 s)",
            ),
            ("first picture, empty compilation cache", f"{median['empty']:6.2f} s"),
            ("first picture, naive app (baseline)", f"{median['naive']:6.2f} s"),
            ("ratio, ours on disk / naive", f"{median['kept'] / median['naive']:6.2f}"),
            ("first text, Streamlit's hello page (the floor)", f"{median['hello']:6.2f} s"),
            (
                "from the page's own start (no test driver): ours on disk / naive / hello",
                f"{wait['kept']:6.2f} / {wait['naive']:.2f} / {wait['hello']:.2f} s",
            ),
            ("server start to healthy, warmed (ours on disk)", f"{start['kept']:6.2f} s"),
            ("server start to healthy, warmed (empty cache)", f"{start['empty']:6.2f} s"),
            ("server start to healthy, naive app", f"{start['naive']:6.2f} s"),
        ]
    )


if __name__ == "__main__":
    main()
