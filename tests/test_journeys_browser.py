"""User journeys in Chromium, where round one's state faults showed: a visit to another view
kept the scene in AppTest but lost it in the browser, and a language switch followed by any
click replaced the page by a traceback. After every step: the address bar holds the scene,
nothing on the page is an error, and the words are the chosen language's."""

import random
import re
import urllib.parse

import pytest
from playwright.sync_api import expect

import lll_i18n as i18n
import scenes
from tests.browser import READY, open_app, settle

pytestmark = pytest.mark.browser

KAPPA_50 = "?surface=quadratic&sp.condition=50&o=momentum;learning_rate=0.05"
WORDS = {  # what the sidebar calls things, per language
    "en": {
        "surfaces": "Optimizers on surfaces",
        "insights": "Insights into this scene",
        "network": "A network on data",
        "steps": "steps",
        "preset": "Preset",
    },
    "zh-Hant": {
        "surfaces": "曲面上的優化器",
        "insights": "深入分析這個場景",
        "network": "在資料上訓練的網路",
        "steps": "步數",
        "preset": "預設場景",
    },
    "zh-Hans": {
        "surfaces": "曲面上的优化器",
        "insights": "深入分析这个场景",
        "network": "在数据上训练的网络",
        "steps": "步数",
        "preset": "预设场景",
    },
}
LANGUAGE_MENU = "Language · 語言 · 语言"
LANGUAGE_NAMES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}


def linked_scene(page) -> scenes.Scene:
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    scene, _ = scenes.from_query(query)
    return scene


def no_error_on(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.inner_text("body")
    assert page.errors == []


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label`."""
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def switch_language(page, lang: str) -> None:
    choose(page, LANGUAGE_MENU, LANGUAGE_NAMES[lang])
    expect(page.get_by_text(WORDS[lang]["surfaces"]).first).to_be_visible(timeout=60_000)


def switch_view(page, lang: str, view: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_text(WORDS[lang][view], exact=True).click()
    settle(page)


def set_steps(page, lang: str, steps: int) -> None:
    field = page.get_by_label(WORDS[lang]["steps"], exact=True)
    field.fill(str(steps))
    field.press("Enter")
    page.wait_for_function(f"() => /[?&]steps={steps}(&|$)/.test(location.search)", timeout=60_000)
    settle(page)


def view_checked(page, lang: str, view: str) -> None:
    radio = page.locator("[data-testid='stSidebar'] [role='radiogroup']").first
    expect(radio.get_by_role("radio", name=WORDS[lang][view], exact=True)).to_be_checked()


def test_a_visit_to_insights_and_back_keeps_the_scene(page, server):
    open_app(page, server, KAPPA_50)
    scene = linked_scene(page)
    switch_view(page, "en", "insights")
    page.wait_for_url(re.compile(r"view=insights"), timeout=60_000)
    assert linked_scene(page) == scene
    switch_view(page, "en", "surfaces")
    page.wait_for_selector(READY, timeout=90_000)
    set_steps(page, "en", 120)
    assert linked_scene(page).surface_params == {"condition": 50.0}
    assert linked_scene(page).surface == "quadratic" and linked_scene(page).steps == 120
    no_error_on(page)


def test_a_visit_to_the_network_view_keeps_the_scene_in_its_link_and_on_return(page, server):
    open_app(page, server, KAPPA_50)
    scene = linked_scene(page)
    switch_view(page, "en", "network")
    page.get_by_text("is at the origin").wait_for(timeout=180_000)
    assert "view=network" in page.url and linked_scene(page) == scene
    switch_view(page, "en", "surfaces")
    page.wait_for_selector(READY, timeout=90_000)
    assert linked_scene(page) == scene
    no_error_on(page)


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_a_language_switch_then_a_click_keeps_the_page_and_every_menu(page, server, lang):
    open_app(page, server)
    choose(page, "Preset", "SGD, momentum, Adagrad, RMSprop, Adam on Beale")
    page.wait_for_url(re.compile(r"surface=beale"), timeout=60_000)
    scene = linked_scene(page)
    switch_language(page, lang)
    view_checked(page, lang, "surfaces")
    preset = page.locator("[data-testid='stSelectbox']").filter(has_text=WORDS[lang]["preset"])
    # the preset's own title, translated
    expect(preset.get_by_role("combobox")).to_have_value(re.compile("^Beale 曲面上的"))
    set_steps(page, lang, 120)
    assert linked_scene(page).surface == scene.surface and linked_scene(page).rows == scene.rows
    no_error_on(page)


def test_a_language_switch_then_making_a_gif_with_a_preset_chosen(page, server):
    open_app(page, server, "?steps=40")
    choose(page, "Preset", "SGD, momentum, Adagrad, RMSprop, Adam on Beale")
    switch_language(page, "zh-Hant")
    page.get_by_role("button", name="匯出").click()
    page.get_by_role("button", name="製作動畫（GIF）").click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="動畫（GIF）", exact=True).click(timeout=120_000)
    assert download.value.suggested_filename.endswith(".gif")
    no_error_on(page)


def test_removing_a_row_keeps_the_colours_of_the_rows_after_it(page, server):
    _, scene, _ = scenes.presets.load("classic_beale")
    open_app(page, server, "?" + scenes.query_string(scene))
    swatches = page.locator(".lll-legend li .lll-swatch")
    expect(swatches).to_have_count(5)
    before = swatches.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    page.locator(".lll-row").nth(1).get_by_role("button", name="remove").click()
    expect(swatches).to_have_count(4)
    after = swatches.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert after == [before[0], *before[2:]]
    page.reload()
    page.wait_for_selector(READY, timeout=90_000)
    expect(swatches).to_have_count(4)
    assert (
        swatches.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)") == after
    )
    no_error_on(page)


def test_a_seeded_random_journey_keeps_the_link_on_the_scene(page, server):
    """Twelve steps drawn from a fixed seed over views, languages and steps."""
    chooser = random.Random(13)
    open_app(page, server, KAPPA_50)
    lang, view = "en", "surfaces"
    for _ in range(12):
        move = chooser.choice(["view", "lang", "steps"] if view == "surfaces" else ["view", "lang"])
        if move == "view":
            view = chooser.choice([v for v in ("surfaces", "insights", "network") if v != view])
            switch_view(page, lang, view)
        elif move == "lang":
            lang = chooser.choice([k for k in WORDS if k != lang])
            switch_language(page, lang)
        else:
            set_steps(page, lang, chooser.randrange(20, 200))
        view_checked(page, lang, view)
        scene = linked_scene(page)
        assert scene.surface == "quadratic" and scene.surface_params == {"condition": 50.0}
        assert ("view=" + view in page.url) == (view != "surfaces")
        no_error_on(page)


@pytest.mark.parametrize(
    "lang, hatch",
    [
        ("en", "hatched: the loss is not finite there"),
        ("zh-Hant", "斜線：此處損失不是有限的數"),
        ("zh-Hans", "斜线：此处损失不是有限的数"),
    ],
)
def test_a_hatched_formula_survives_a_visit_to_insights_a_reload_and_says_what_it_means(
    page, server, lang, hatch
):
    formula = urllib.parse.quote("log(x + 2.5) + y^2")
    open_app(page, server, f"?surface=formula&formula={formula}&lang={lang}")
    expect(page.get_by_text(f"▨ {hatch}")).to_be_visible(timeout=60_000)
    scene = linked_scene(page)
    switch_view(page, lang, "insights")
    page.wait_for_url(re.compile(r"view=insights"), timeout=60_000)
    switch_view(page, lang, "surfaces")
    page.reload()
    page.wait_for_selector(READY, timeout=90_000)
    expect(page.get_by_text(f"▨ {hatch}")).to_be_visible(timeout=60_000)
    assert linked_scene(page) == scene and scene.surface == "formula"
    settle(page)


def test_own_data_survives_another_view_a_language_switch_and_a_reload(page, server):
    points = ";".join(f"{x},{y},{1 if x * y > 0 else -1}" for x in (-4, -2, 2, 4) for y in (-3, 3))
    page.goto(
        f"{server}/?view=network&net.dataset=own&net.epochs=20&net.row=sgd&net.points={points}"
    )
    page.get_by_text("Click the plane to add points (8 now)").wait_for(timeout=60_000)
    page.get_by_text("is at the origin").wait_for(timeout=180_000)
    switch_view(page, "en", "surfaces")
    page.wait_for_selector(READY, timeout=90_000)
    switch_view(page, "en", "network")
    page.get_by_text("Click the plane to add points (8 now)").wait_for(timeout=60_000)
    for lang in ("zh-Hant", "zh-Hans"):
        switch_language(page, lang)
        click = i18n.text("net.own_click", lang, count=8, least=2)
        page.get_by_text(click).wait_for(timeout=60_000)
        page.get_by_text(i18n.text("net.sharpness_title", lang)).wait_for(timeout=180_000)
        no_error_on(page)
    page.wait_for_url(re.compile(r"net\.points=-4%2C-3%2C1"), timeout=30_000)
    page.reload()
    page.get_by_text(i18n.text("net.own_click", "zh-Hans", count=8, least=2)).wait_for(
        timeout=60_000
    )
    no_error_on(page)
