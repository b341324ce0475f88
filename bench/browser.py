"""Browser benchmark: hyperparameter change → redraw latency, playback fps, bytes per rerun.

    python -m bench.browser [--changes 15]

Runs the app and a naive baseline (bench/naive_app.py: the chart re-sent with
st.vega_lite_chart on each change) in headless Chromium on this machine, and prints medians.
"""

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

import scenes
from bench.timing import report
from tests.browser import CHROMIUM_ARGS, chromium_path, serve

FRAME_MS = 1000 / 60
RATES = [
    0.0011,
    0.0009,
    0.0012,
    0.0008,
    0.0013,
    0.0007,
    0.0014,
    0.0006,
    0.0015,
    0.0005,
    0.0016,
    0.0004,
    0.0017,
    0.0018,
    0.0019,
]


def _query(name):
    _, scene, _ = scenes.presets.load(name)
    return "?" + scenes.query_string(scene)


def _received_bytes(page):
    counter = {"bytes": 0}

    def on_socket(ws):
        ws.on(
            "framereceived",
            lambda payload: counter.__setitem__("bytes", counter["bytes"] + len(payload)),
        )

    page.on("websocket", on_socket)
    return counter


def _commit(page, field, value):
    """Type a value and press Enter; the page records when its keydown event fired."""
    field.fill(f"{value:g}")
    field.evaluate(
        "(el) => { window.__keyAt = null; el.addEventListener('keydown', (e) => { window.__keyAt = performance.now(); },"  # noqa: E501
        " {once: true, capture: true}); }"
    )
    field.press("Enter")


def _latency(page, condition: str, arg=None) -> float:
    """Milliseconds from the keydown to the first animation frame at which `condition` holds,
    both read from the page's own clock (no test-driver round trip in the figure)."""
    page.wait_for_function(
        f"(arg) => {{ if (window.__keyAt === null || !({condition})(arg)) return false;"
        " window.__doneAt = performance.now(); return true; }",
        arg=arg,
        polling="raf",
        timeout=30_000,
    )
    return page.evaluate("() => window.__doneAt - window.__keyAt")


def ours(browser, url, changes):
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    counter = _received_bytes(page)
    page.goto(url + _query("classic_beale"))
    page.wait_for_selector(".lll-player[data-ready='true']", timeout=120_000)
    page.get_by_role("button", name="pause").click()
    field = page.get_by_label("learning rate", exact=True).first
    for warm in RATES[-2:]:
        _commit(page, field, warm)
        page.wait_for_timeout(1500)
    latencies, sizes = [], []
    for rate in RATES[:changes]:
        page.evaluate("() => { window.__lll.mark = window.__lll.players[0].header; }")
        counter["bytes"] = 0
        _commit(page, field, rate)
        latencies.append(
            _latency(
                page,
                "() => { const p = window.__lll.players[0]; return p.header !== window.__lll.mark && !p.busy; }",  # noqa: E501
            )
        )
        page.wait_for_timeout(600)
        sizes.append(counter["bytes"])
    page.close()
    return latencies, sizes


def naive(browser, url, changes):
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    counter = _received_bytes(page)
    page.goto(url)
    page.wait_for_selector("[data-testid='stVegaLiteChart'] svg", timeout=120_000)
    page.wait_for_timeout(2000)
    field = page.get_by_label("learning rate", exact=True)
    latencies, sizes = [], []
    signature = (  # Streamlit draws Vega charts as SVG: the trail paths change when the data does
        "() => Array.from(document.querySelectorAll(\"[data-testid='stVegaLiteChart'] path\"))"
        ".map(p => p.getAttribute('d') || '').join('|').length"
    )
    for rate in RATES[:changes]:
        before = page.evaluate(signature)
        counter["bytes"] = 0
        _commit(page, field, rate)
        latencies.append(_latency(page, f"(b) => ({signature})() !== b", before))
        page.wait_for_timeout(600)
        sizes.append(counter["bytes"])
    page.close()
    return latencies, sizes


def playback(browser, url, seconds=5.0):
    """Frames per second while playing 8 trajectories × 1,000 steps."""
    query = "?surface=rosenbrock&steps=1000" + "".join(
        f"&o=adam;learning_rate={10 ** -(k / 2):.3g}" for k in range(2, 10)
    )
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(url + query)
    page.wait_for_selector(".lll-player[data-ready='true']", timeout=120_000)
    page.wait_for_timeout(1000)
    n = page.evaluate(
        "() => window.__lll.players[0].header.n * (window.__lll.players[0].header.steps + 1)"
    )
    start_frames = page.evaluate("() => window.__lll.frames")
    t0 = time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    fps = (page.evaluate("() => window.__lll.frames") - start_frames) / (time.perf_counter() - t0)
    page.close()
    return fps, n


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=15)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        with serve() as url:
            our_latency, our_bytes = ours(browser, url, args.changes)
            fps, points = playback(browser, url)
        with serve("bench/naive_app.py") as url:
            naive_latency, naive_bytes = naive(browser, url, args.changes)
        browser.close()
    ours_ms, naive_ms = statistics.median(our_latency), statistics.median(naive_latency)
    report(
        [
            (
                "hyperparameter change → redrawn (ours)",
                f"{ours_ms:7.0f} ms  ({ours_ms / FRAME_MS:.1f} frames; floor ≤ 10)",
            ),
            (
                "same, naive st.vega_lite_chart re-sent",
                f"{naive_ms:7.0f} ms  ({naive_ms / FRAME_MS:.1f} frames)",
            ),
            ("speed-up (floor 2×)", f"{naive_ms / ours_ms:7.1f}×"),
            (
                "bytes received per change (ours)",
                f"{statistics.median(our_bytes) / 1024:7.1f} KB  (floor ≤ 150 KB)",
            ),
            (
                "bytes received per change (naive)",
                f"{statistics.median(naive_bytes) / 1024:7.1f} KB",
            ),
            (
                f"playback, 8 runs × 1,000 steps ({points:,} points)",
                f"{fps:7.1f} fps  (floor ≥ 55)",
            ),
        ]
    )


if __name__ == "__main__":
    main()
