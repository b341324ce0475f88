"""The notebook widget in a real JupyterLab in headless Chromium: how long its first display
takes once the cell's computation is done, and in how many display frames a rate set from
Python is redrawn. Baselines measured in the same page: a widget that draws one word (the
display), and a step set from Python (the same round trip with nothing computed or sent).

    python -m bench.widget [--pages 3] [--shows 4] [--changes 9] [--front-end jupyterlab]
"""

import argparse
import pathlib
import statistics
import tempfile

from playwright.sync_api import sync_playwright

from bench.timing import report
from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.jupyter import FRONT_ENDS, TOKEN, jupyter, open_notebook, run_in_kernel, write_notebook

SETUP = '''import time
import anywidget
import scenes

SCENE = scenes.scene("rosenbrock", ["adam", dict(name="sgd", learning_rate=1e-3)], steps=500)
scenes.Player(SCENE)  # the runs' program compiled before anything is timed


class Plain(anywidget.AnyWidget):
    """The baseline: a widget that draws one word."""

    _esm = "export default { render({ el }) { el.innerHTML = '<b class=plain>plain</b>'; } };"'''
SHOWN = {
    "player": ("w = scenes.show(SCENE)\ndone = time.time()\nw", ".lll-player[data-ready='true']"),
    "plain": ("plain = Plain()\ndone = time.time()\nplain", ".plain"),
}
RUN_CELL = """([i, selector, n]) => new Promise((done) => {  // when the n-th `selector` appeared
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.activeCellIndex = i;
  window.jupyterapp.commands.execute("notebook:run-cell");
  const look = () => document.querySelectorAll(selector).length >= n ? done(Date.now())
    : requestAnimationFrame(look);
  look();
})"""
CLEAR = "() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')"
COUNT_FRAMES = """() => { window.__frames = 0;
  const tick = () => { window.__frames += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""
FRAMES_UNTIL = """([code, step]) => new Promise((done) => {  // frames from `code` sent to redrawn
  const players = window.__lll.players, p = players[players.length - 1];
  const header = p.header, start = window.__frames;
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  kernel.requestExecute({ code });
  const redrawn = () => (step === null ? p.header !== header && !p.busy : p.step === step);
  const look = () => redrawn() ? done(window.__frames - start) : requestAnimationFrame(look);
  look();
})"""


def _displays(page, shows: int) -> dict[str, list[float]]:
    """Each kind's display times in ms after its cell's computation, alternating the kinds;
    the first of each kind on a page is its cold display (its code not yet loaded)."""
    times = {kind: [] for kind in SHOWN}
    for k in range(shows):
        for j, (kind, (_, selector)) in enumerate(SHOWN.items()):
            shown_at = page.evaluate(RUN_CELL, [1 + 2 * k + j, selector, k + 1])
            done = float(run_in_kernel(page, "print(repr(done * 1000))"))
            times[kind].append(shown_at - done)
            if kind == "player":
                run_in_kernel(page, "w.playing = False")  # a playing player costs later ones
    return times


def _frames(page, changes: int) -> dict[str, list[int]]:
    """Display frames from Python's call to the redrawn picture: a rate, and a step."""
    page.evaluate(COUNT_FRAMES)
    counts = {"rate": [], "step": []}
    for i in range(changes):
        rate = f"w.set_row(1, learning_rate={1e-3 * (1.1 + 0.1 * i):.5f})"
        counts["rate"].append(page.evaluate(FRAMES_UNTIL, [rate, None]))
        counts["step"].append(page.evaluate(FRAMES_UNTIL, [f"w.step = {40 + i}", 40 + i]))
    return counts


def _ms(values) -> str:
    return f"median {statistics.median(values):.0f} ms (of {len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--shows", type=int, default=4)
    parser.add_argument("--changes", type=int, default=9)
    parser.add_argument("--front-end", choices=sorted(FRONT_ENDS), default="jupyterlab")
    args = parser.parse_args()
    cells = [SETUP] + [SHOWN[kind][0] for _ in range(args.shows) for kind in SHOWN]
    cold, warm = {kind: [] for kind in SHOWN}, {kind: [] for kind in SHOWN}
    with tempfile.TemporaryDirectory() as work, sync_playwright() as p:
        folder = pathlib.Path(work)
        write_notebook(folder / "widget.ipynb", cells)
        with jupyter(args.front_end, folder) as url:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            for _ in range(args.pages):
                open_notebook(page, f"{url}{FRONT_ENDS[args.front_end][1]}?token={TOKEN}")
                page.evaluate(CLEAR)
                run_in_kernel(page, SETUP)
                for kind, times in _displays(page, args.shows).items():
                    cold[kind].append(times[0])
                    warm[kind].extend(times[1:])
            frames = _frames(page, args.changes)
            browser.close()
    player, plain = statistics.median(warm["player"]), statistics.median(warm["plain"])
    rate, step = statistics.median(frames["rate"]), statistics.median(frames["step"])
    report(
        [
            ("front end", args.front_end),
            ("player, first on a page", _ms(cold["player"])),
            ("one-word widget, first on a page", _ms(cold["plain"])),
            ("player, later displays", _ms(warm["player"])),
            ("one-word widget, later displays", _ms(warm["plain"])),
            ("ratio player ÷ one-word widget (later)", f"{player / plain:.1f}"),
            ("a rate set from Python, redrawn", f"median {rate:.0f} frames"),
            ("a step set from Python, shown", f"median {step:.0f} frames"),
            ("ratio rate ÷ step", f"{rate / step:.1f}"),
        ]
    )


if __name__ == "__main__":
    main()
