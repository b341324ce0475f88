"""Lecture tools in Chromium: presentation mode (no sidebar, large type, thick lines, keys
anywhere on the page), Streamlit's embed mode with a lesson link's hidden controls, and the
app in Chinese."""

from playwright.sync_api import expect

from tests.browser import open_app, paths, step

TWO_RUNS = "?surface=beale&steps=300&o=sgd;learning_rate=0.001&o=adam;learning_rate=0.01"


def test_presentation_mode_hides_the_sidebar_and_the_keys_work_anywhere(page, server):
    open_app(page, server, TWO_RUNS + "&present=1")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    player = page.locator(".lll-player")
    expect(player).to_have_class("lll-player lll-present")
    assert (
        float(page.locator(".lll-counter").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")) > 20
    )
    assert page.evaluate("window.__lll.players[0].trails.thick") == 2
    page.locator("h3").first.click()  # focus is on the page, not in the player
    page.keyboard.press("Space")
    expect(player).to_have_attribute("data-playing", "false")
    before = step(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert step(page) == before + 2
    page.keyboard.press("Home")
    assert step(page) == 0
    page.get_by_role("button", name="Leave presentation mode").click()
    expect(page.locator("[data-testid='stSidebar']")).to_be_visible()
    expect(player).not_to_have_class("lll-player lll-present")
    assert page.errors == []


def test_an_embedded_lesson_link_shows_only_what_the_teacher_left(page, server):
    hide = (
        "&sidebar_hide=true&optimizer_hide=true&rows_hide=true&label_hide=true&color_hide=true&more_hide=true"
    )
    open_app(page, server, TWO_RUNS + hide + "&embed=true")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator("[data-testid='stToolbar']")).to_have_count(0)  # Streamlit's embed mode
    for hidden in (
        "[data-field='name']",
        "[data-field='label']",
        "[data-act='three']",
        ".lll-add",
        ".lll-more",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    before = paths(page, 0)
    rate = page.get_by_label("learning rate", exact=True).first
    rate.fill("0.0003")
    rate.press("Enter")
    page.wait_for_function(
        "(b) => { const d = window.__lll.players[0].paths.filter(r => r.i === 0);"
        " return d.length && Math.abs(d[d.length - 1].x - b[b.length - 1][0]) > 1e-4; }",
        arg=before,
        timeout=30_000,
    )  # the one control left still works
    assert page.errors == []


def test_the_app_speaks_traditional_chinese(page, server):
    open_app(page, server, TWO_RUNS + "&lang=zh-Hant")
    expect(page.locator(".lll-counter")).to_contain_text("步")
    expect(page.locator("[data-act='restart']")).to_have_attribute("title", "從頭開始（Home）")
    expect(page.get_by_role("button", name="+ 新增優化器")).to_be_visible()
    expect(page.get_by_text("優化器", exact=True).first).to_be_visible()
    assert page.errors == []
