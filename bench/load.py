"""Load test: many concurrent browser sessions changing settings on one app process.

    python -m bench.load [--sessions 30] [--seconds 60]

Each session (its own Chromium context) opens a scene, pauses its player and keeps changing
its first row's learning rate to values no other session uses. After every change it checks
that it sees its own runs (the legend and the link carry its rate), never another's. Reports
errors, isolation, median and p95 latency from key press to the new runs drawn (each page's
own clock), the server's peak RSS and CPU time per change, and from those the sessions one
core can serve at a given pace of interaction.
"""

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

from bench.timing import report
from deploy.classroom import app_process
from tests.browser import CHROMIUM_ARGS, READY, chromium_path, process_stats

SCENE = "?surface=rosenbrock&steps=300&o=sgd;learning_rate=0.001&o=momentum;learning_rate=0.001&o=adam;learning_rate=0.05"  # noqa: E501
WATCH = """() => {  // from the key press to the first frame that shows the new runs
  const mark = window.__lll.players[0].header;
  window.__doneAt = null;
  const wait = () => { const p = window.__lll.players[0];
    if (window.__keyAt !== null && p.header !== mark && !p.busy)
      window.__doneAt = performance.now();
    else requestAnimationFrame(wait); };
  requestAnimationFrame(wait);
}"""


def rate(session: int, change: int) -> float:
    """A learning rate no other session ever uses: the session is in the 4th–5th digits."""
    return round(0.001 + session * 1e-5 + (change % 50) * 1e-7 + 1e-7, 10)


def open_session(browser, url, i):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url + SCENE.replace("learning_rate=0.001", f"learning_rate={rate(i, 0):g}", 1))
    page.wait_for_selector(READY, timeout=180_000)
    page.get_by_role("button", name="pause").click()
    return page


def change(page, value):
    field = page.get_by_label("learning rate", exact=True).first
    field.fill(f"{value:g}")
    field.evaluate(
        "(el) => { window.__keyAt = null; el.addEventListener('keydown', () => "
        "{ window.__keyAt = performance.now(); }, {once: true, capture: true}); }"
    )
    page.evaluate(WATCH)
    field.press("Enter")


def shows_rate(legend: str, value: float) -> bool:
    """Whether a legend entry names the learning rate `value` (the session's own)."""
    return f"lr={value:.3g}" in legend.replace(" ", "") or f"lr={value:g}" in legend


def settle(page, value, timeout=60.0) -> float | None:
    """The change's latency in ms once drawn; checks the session sees its own rate."""
    page.wait_for_function("() => window.__doneAt !== null", timeout=timeout * 1000, polling=50)
    legend = page.locator(".lll-legend li").first.inner_text()
    if not shows_rate(legend, value):
        raise AssertionError(f"a session shows {legend!r}, expected its own rate {value:g}")
    return page.evaluate("() => window.__doneAt - window.__keyAt")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with app_process() as (url, server), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pages = [open_session(browser, url, i) for i in range(args.sessions)]
        _, cpu_before = process_stats(server.pid)
        latencies, mixups, rounds, t0 = [], 0, 0, time.perf_counter()
        while time.perf_counter() - t0 < args.seconds:
            rounds += 1
            values = [rate(i, rounds) for i in range(len(pages))]
            for page, value in zip(pages, values, strict=True):
                change(page, value)
            for page, value in zip(pages, values, strict=True):
                try:
                    latencies.append(settle(page, value))
                except AssertionError:
                    mixups += 1
        elapsed = time.perf_counter() - t0
        peak_mb, cpu_after = process_stats(server.pid)
        errors = sum(len(page.errors) for page in pages)
        browser.close()
    cpu_per_change = (cpu_after - cpu_before) / max(len(latencies), 1)
    ordered = sorted(latencies)
    report(
        [
            ("sessions, seconds", f"{args.sessions}, {elapsed:.0f}"),
            ("changes drawn", f"{len(latencies)} ({len(latencies) / elapsed:.1f} a second)"),
            ("page errors / sessions showing another's runs", f"{errors} / {mixups}"),
            (
                "latency median / p95",
                f"{statistics.median(ordered):.0f} ms / {ordered[int(0.95 * (len(ordered) - 1))]:.0f} ms",  # noqa: E501
            ),
            ("server peak RSS", f"{peak_mb:.0f} MB"),
            ("server CPU per change", f"{cpu_per_change * 1000:.0f} ms"),
            ("sessions per core, one change every 5 s each", f"{5 / cpu_per_change:.0f}"),
        ]
    )


if __name__ == "__main__":
    main()
