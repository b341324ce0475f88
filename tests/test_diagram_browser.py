"""The network diagram in Chromium: it draws the network it was given, plays and scrubs its
epochs, shows L1's dead links dashed, and speaks the page's language."""

import pathlib

import numpy as np
import pytest

import lll_i18n as i18n
import optimizers
from landscapes import network
from optimizers import train
from tests.browser import settle

pytestmark = pytest.mark.browser
LINK = "/?view=network&net.dataset=circle&net.epochs=40&net.hidden=4,2&net.inputs=x,y,sinX"
ROWS = "&net.row=sgd;l1=0.03&net.row=adam;learning_rate=0.01"
DIAGRAM = ".lll-diagram-links path"
ZERO, POSITIVE = (232, 234, 235), (8, 119, 189)  # the Playground's colours of 0 and +1


def blue(value: float) -> list[int]:
    """The colour of a value in [0, 1] on the Playground's ramp (1 and above: its blue)."""
    return [round(c + (p - c) * min(value, 1)) for c, p in zip(ZERO, POSITIVE, strict=True)]


def open_diagram(page, server, lang="en"):
    page.goto(f"{server}{LINK}{ROWS}&lang={lang}")
    page.locator(DIAGRAM).first.wait_for(state="attached", timeout=180_000)


def epoch_shown(page) -> str:
    return page.locator(".lll-diagram-epoch").inner_text()


def test_the_diagram_draws_every_link_of_the_network_and_plays_its_epochs(page, server):
    open_diagram(page, server)
    live = int(network.live_weights(("x", "y", "sinX"), (4, 2)).sum())
    assert page.locator(DIAGRAM).count() == live == 3 * 4 + 4 * 2 + 2  # no link from an input off
    assert page.locator(".lll-diagram-off").count() == 4 and page.locator("canvas").count() >= 7
    assert epoch_shown(page) == "epoch 40"
    drawn = page.evaluate("() => window.__lllDiagrams[0].drawn")
    page.get_by_role("button", name=i18n.text("diagram.play")).click()
    page.wait_for_function(f"() => window.__lllDiagrams[0].drawn > {drawn + 10}", timeout=10_000)
    page.wait_for_function("() => !window.__lllDiagrams[0].playing", timeout=10_000)
    assert epoch_shown(page) == "epoch 40"  # played from 0 to the end, and stopped there
    page.locator(".lll-diagram-controls input[type=range]").fill("5")
    assert epoch_shown(page) == "epoch 5" and page.errors == []


def test_l1s_dead_links_are_dashed_and_say_so(page, server):
    open_diagram(page, server)
    configs = [train.Config(optimizers.make("sgd", learning_rate=0.3), 10, "tanh", 0.03)]
    ours = train.train("circle", configs, epochs=40, hidden=(4, 2), inputs=("x", "y", "sinX"))
    zeros = network.zero_weights(ours.final[0], (4, 2), ("x", "y", "sinX"))
    assert zeros > 0 and page.locator(".lll-diagram-dead").count() == zeros
    title = page.locator(f"{DIAGRAM}.lll-diagram-dead title").first.text_content()
    assert i18n.text("diagram.dead") in title
    page.locator(".lll-diagram-controls select").select_option("1")  # the Adam run: no L1
    assert page.locator(".lll-diagram-dead").count() == 0


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_the_diagrams_words_are_in_the_pages_language(page, server, lang):
    open_diagram(page, server, lang)
    controls = page.locator(".lll-diagram-controls").inner_text()
    for word in ("play", "run", "epoch"):
        assert i18n.text(f"diagram.{word}", lang) in controls
    titles = page.locator(f"{DIAGRAM} title").first.text_content()
    assert i18n.text("diagram.weight", lang) in titles
    assert "epoch" not in controls and "play" not in controls


def test_on_a_phone_the_diagram_fits_the_column_and_refits_when_it_widens(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        open_diagram(page, server)
        links = page.locator(".lll-diagram-links").bounding_box()
        column = page.locator(".lll-diagram").evaluate("(el) => el.clientWidth")
        assert links["width"] <= column <= 390
        overflow = (
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert page.evaluate(overflow) <= 0
        page.set_viewport_size({"width": 1200, "height": 900})
        page.wait_for_function("() => window.__lllDiagrams[0].width > 600", timeout=10_000)
        assert page.locator(".lll-diagram-links").bounding_box()["width"] > 600
    finally:
        context.close()


def test_a_regression_networks_output_is_drawn_linear_as_our_trainer_computes_it(page, server):
    """On the plane (a regression set) the output neuron is linear, as in the Playground: its
    picture at a point shows the value our trained weights give there, not its tanh."""
    link = "/?view=network&net.dataset=reg-plane&net.epochs=40&net.hidden=0&net.inputs=x,y"
    page.goto(f"{server}{link}&net.row=sgd;learning_rate=0.01")
    output = page.locator(".lll-diagram canvas").last
    output.wait_for(state="attached", timeout=180_000)
    config = train.Config(optimizers.make("sgd", learning_rate=0.01), 10)
    ours = train.train("reg-plane", [config], epochs=40, hidden=(), inputs=("x", "y"))
    at = 6 - 12 * 3.5 / 16  # the picture's column 12 and row 3 of 16: (3.375, 3.375)
    features = network.features(np.array([[at, at]], np.float32))
    z = float(network.predict(ours.final[0], features, 0, (), network.OUTPUTS.index("linear"))[0])
    pixel = output.evaluate("(c) => Array.from(c.getContext('2d').getImageData(12, 3, 1, 1).data)")
    assert 0.5 < z < 0.9 and blue(np.tanh(z)) != blue(z)
    assert np.abs(np.subtract(pixel[:3], blue(z))).max() <= 1


def test_the_network_page_it_downloads_plays_offline_as_the_app_does(page, server, browser):
    open_diagram(page, server)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=i18n.text("net.diagram_file")).click()
    document = pathlib.Path(download.value.path()).read_text("utf-8")
    context = browser.new_context(offline=True)
    try:
        offline, asked, errors = context.new_page(), [], []
        offline.on("request", lambda request: asked.append(request.url))
        offline.on("pageerror", lambda error: errors.append(str(error)))
        offline.set_content(document)
        offline.locator(DIAGRAM).first.wait_for(state="attached", timeout=10_000)
        assert offline.locator(DIAGRAM).count() == 3 * 4 + 4 * 2 + 2
        assert "circle" in offline.locator("h1 + p").inner_text()
        offline.get_by_role("button", name=i18n.text("diagram.play")).click()
        offline.wait_for_function("() => window.__lllDiagrams[0].drawn > 10", timeout=10_000)
        offline.wait_for_function("() => !window.__lllDiagrams[0].playing", timeout=10_000)
        assert epoch_shown(offline) == "epoch 40" and offline.locator(".lll-diagram-dead").count()
        assert errors == [] and [url for url in asked if not url.startswith("data:")] == []
    finally:
        context.close()


def test_a_rerun_for_another_part_of_the_page_leaves_the_diagram_where_it_was(page, server):
    """Choosing the slice's directions reruns the page; the diagram keeps its run and epoch
    (Streamlit does not call a component again whose data did not change)."""
    open_diagram(page, server)
    page.locator(".lll-diagram-controls select").select_option("1")
    page.locator(".lll-diagram-controls input[type=range]").fill("7")
    page.get_by_text(i18n.text("net.directions.pca"), exact=True).click()
    settle(page)
    assert page.get_by_role("radio", name=i18n.text("net.directions.pca")).is_checked()
    assert epoch_shown(page) == "epoch 7"
    assert page.locator(".lll-diagram-controls select").input_value() == "1"
