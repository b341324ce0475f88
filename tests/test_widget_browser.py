"""The notebook widget in a real JupyterLab and Jupyter Notebook 7, in headless Chromium: the
notebook runs, the player animates, a click on the plot sets the start in Python, a rate set
in Python redraws the path, step and play state go both ways, nothing comes from afar."""

from __future__ import annotations

import json
import pathlib
import tempfile

import pytest

from charts import code
from tests.jupyter import FRONT_ENDS, TOKEN, jupyter, open_notebook, run_in_kernel, write_notebook

pytestmark = pytest.mark.browser

CELL = """import scenes
player = scenes.show(
    scenes.scene("rosenbrock", ["adam", dict(name="sgd", learning_rate=1e-3)], steps=200)
)
player"""


@pytest.fixture(scope="module", params=sorted(FRONT_ENDS))
def notebook_url(request):
    with tempfile.TemporaryDirectory() as work:
        folder = pathlib.Path(work)
        write_notebook(folder / "widget.ipynb", [CELL])
        with jupyter(request.param, folder) as url:
            yield f"{url}{FRONT_ENDS[request.param][1]}?token={TOKEN}"


def _started(page, notebook_url):
    page.thrown = []  # each uncaught error's stack
    page.on("pageerror", lambda error: page.thrown.append(error.stack or str(error)))
    open_notebook(page, notebook_url)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector(".lll-player[data-ready='true']", timeout=180_000)
    page.wait_for_function("() => window.__lll.frames > 3", timeout=30_000)


def _point(page, series: int, at: str):
    """Run `series`'s first or last drawn point (`at` = "first" or "last") as [x, y]."""
    return page.evaluate(
        "([i, at]) => { const d = window.__lll.players[0].paths.filter(p => p.i === i);"
        " const p = at === 'first' ? d[0] : d[d.length - 1]; return [p.x, p.y]; }",
        [series, at],
    )


def _moved_from(page, series: int, at: str, before) -> None:
    """Wait until that point is drawn elsewhere."""
    page.wait_for_function(
        "([i, at, b]) => { const d = window.__lll.players[0].paths.filter(p => p.i === i);"
        " const p = at === 'first' ? d[0] : d[d.length - 1];"
        " return p && Math.abs(p.x - b[0]) + Math.abs(p.y - b[1]) > 1e-3; }",
        arg=[series, at, before],
        timeout=60_000,
    )


def test_the_widget_plays_and_answers_python(page, notebook_url):
    _started(page, notebook_url)
    player = page.locator(".lll-player")
    first = player.screenshot()
    page.wait_for_timeout(1200)
    assert player.screenshot() != first  # it animates
    assert player.get_attribute("data-playing") == "true"

    before = _point(page, 0, "first")
    box = page.locator(".lll-trails").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    _moved_from(page, 0, "first", before)
    start = json.loads(run_in_kernel(page, "import json; print(json.dumps(player.start))"))
    assert start == pytest.approx(_point(page, 0, "first"), abs=1e-3)  # paths: 16-bit fixed point
    assert run_in_kernel(page, "print(player.scene.start_point())").strip() == str(tuple(start))

    before = _point(page, 1, "last")
    run_in_kernel(page, "player.set_row(1, learning_rate=3e-3)")
    _moved_from(page, 1, "last", before)
    assert page.locator(".lll-player").count() == 1  # redrawn in place, not a second picture

    run_in_kernel(page, "player.playing = False; player.step = 40")
    page.wait_for_function(
        "() => { const p = document.querySelector('.lll-player');"
        " return p.dataset.playing === 'false' && p.dataset.step === '40'; }",
        timeout=30_000,
    )
    player.focus()
    page.keyboard.press("ArrowRight")  # the player's own key: one step on
    page.wait_for_function("() => document.querySelector('.lll-player').dataset.step === '41'")
    page.wait_for_timeout(500)
    assert run_in_kernel(page, "print(player.step, player.playing)").split() == ["41", "False"]

    for lang in ("zh-Hant", "zh-Hans", "en"):  # every word of the player in the language set
        run_in_kernel(page, f"player.lang = {lang!r}")
        page.wait_for_function(WORDS_SHOWN, arg=code.player_words(lang), timeout=30_000)

    assert [stack for stack in page.thrown if not _jupyters_own(stack)] == []
    far = [url for url in page.requests if not url.startswith(LOCAL)]
    assert far == []


WORDS_SHOWN = """(words) => {
  const root = document.querySelector(".lll-player").parentElement;
  const texts = [...root.querySelectorAll("[data-text]")];
  const titled = [...root.querySelectorAll("[data-word]")];
  return texts.length > 0 && texts.every((e) => e.textContent === words[e.dataset.text])
    && titled.every((e) => e.title === words[e.dataset.word]);
}"""


def _jupyters_own(stack: str) -> bool:
    """An error thrown inside Jupyter's own bundles (Notebook 7.6 throws one of its own as a
    notebook opens, without our widget: "Cannot read properties of undefined (reading
    'schema')"), not in the widget's code, which anywidget loads from a blob: URL."""
    frames = [line.strip() for line in stack.splitlines() if line.strip().startswith("at ")]
    return bool(frames) and "/static/" in frames[0] and "blob:" not in stack


LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:")
