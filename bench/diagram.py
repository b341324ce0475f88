"""The network diagram's frame rate in Chromium: 9 configurations × 500 epochs (the course's
network, one layer of 8), playing, against the browser's own animation-frame rate measured
in the same page with nothing drawn (the window is shorter than playing every epoch takes);
and the time one frame takes to compute and draw.

    python -m bench.diagram [--epochs 500] [--seconds 4]
"""

import argparse
import statistics

from playwright.sync_api import sync_playwright

from bench.timing import report
from deploy.classroom import app_process
from tests.browser import CHROMIUM_ARGS, chromium_path

ROWS = "&".join(f"net.row=sgd;learning_rate={lr}" for lr in (0.01, 0.03, 0.1) * 3)
COUNT_FRAMES = """(ms) => new Promise((done) => {  // animation frames the browser runs in `ms`
  let frames = 0; const end = performance.now() + ms;
  const tick = () => {
    frames += 1;
    if (performance.now() < end) requestAnimationFrame(tick); else done(frames);
  };
  requestAnimationFrame(tick);
})"""
PLAYED = """(ms) => new Promise((done) => {  // the diagram's frames drawn while it plays for `ms`
  const d = window.__lllDiagrams[0]; d.frame = 0; const start = d.drawn;
  if (!d.playing) d.toggle();
  setTimeout(() => { const n = d.drawn - start; if (d.playing) d.toggle(); done(n); }, ms);
})"""
FRAME_MS = """() => {  // every epoch shown once, back to back: ms per frame
  const d = window.__lllDiagrams[0]; const n = d.data.epochs.length; const t = performance.now();
  for (let i = 0; i < n; i++) d.show(i);
  return (performance.now() - t) / n;
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    ms = args.seconds * 1000
    with app_process() as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(f"{url}/?view=network&net.epochs={args.epochs}&{ROWS}")
        page.locator(".lll-diagram-links path").first.wait_for(state="attached", timeout=300_000)
        page.locator(".lll-diagram").scroll_into_view_if_needed()
        epochs = page.evaluate("() => window.__lllDiagrams[0].data.epochs.length - 1")
        runs = page.evaluate("() => window.__lllDiagrams[0].runs.length")
        baseline = [page.evaluate(COUNT_FRAMES, ms) / args.seconds for _ in range(3)]
        played = [page.evaluate(PLAYED, ms) / args.seconds for _ in range(3)]
        frame_ms = [page.evaluate(FRAME_MS) for _ in range(3)]
        browser.close()
    rate, base = statistics.median(played), statistics.median(baseline)
    report(
        [
            ("configurations × epochs sent", f"{runs} × {epochs}"),
            ("browser's animation frames, nothing drawn", f"median {base:.1f} a second"),
            ("diagram playing", f"median {rate:.1f} frames a second"),
            ("ratio playing ÷ the browser's rate", f"{rate / base:.2f}"),
            ("one frame computed and drawn", f"median {statistics.median(frame_ms):.2f} ms"),
        ]
    )


if __name__ == "__main__":
    main()
