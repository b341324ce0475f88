"""Lecture tools in Chromium: presentation mode (no sidebar, large type, thick lines, keys
anywhere on the page), Streamlit's embed mode with a lesson link's hidden controls, and the
app in Chinese."""

import urllib.parse

from playwright.sync_api import expect

from tests.browser import open_app, paths, step

TWO_RUNS = "?surface=beale&steps=300&o=sgd;learning_rate=0.001&o=adam;learning_rate=0.01"


def test_presentation_mode_hides_the_sidebar_and_the_keys_work_anywhere(page, server):
    open_app(page, server, TWO_RUNS + "&present=1")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    player = page.locator(".lll-player")
    expect(player).to_have_class("lll-player lll-present")
    assert (
        float(
            page.locator(".lll-counter").evaluate(
                "(el) => parseFloat(getComputedStyle(el).fontSize)"
            )
        )
        > 20
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
    hide = "&sidebar_hide=true&optimizer_hide=true&rows_hide=true&label_hide=true&color_hide=true&more_hide=true"  # noqa: E501
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


SCRIPT = "<img src=x onerror=window.__pwned=1>"  # labels are at most 60 characters
LATEX = "\\input{/etc/passwd}$\\href{javascript:alert(1)}{x}$"
TAG = "<script>window.__pwned=1</script>"


def test_script_and_latex_payloads_are_shown_as_text_everywhere(page, server):
    labels = [
        urllib.parse.quote(urllib.parse.quote(text, safe=""), safe="") for text in (SCRIPT, LATEX)
    ]
    tag = urllib.parse.quote(TAG)
    query = f"?surface=formula&formula=x%5E2&steps={tag}&lang={tag}&o=sgd;label={labels[0]}&o=adam;label={labels[1]}"  # noqa: E501
    page.on("dialog", lambda dialog: page.errors.append(f"dialog: {dialog.message}"))
    open_app(page, server, query)
    expect(page.locator(".lll-legend li").first).to_contain_text(SCRIPT)
    expect(page.locator(".lll-legend li").nth(1)).to_contain_text(LATEX)
    expect(
        page.get_by_text(TAG).first
    ).to_be_visible()  # the notice quotes the link's value as text
    page.get_by_text("Formulas: the surface and the rules that run").click()
    panel = page.locator("[data-testid='stExpander']").filter(has_text="Formulas")
    expect(panel.get_by_text(LATEX)).to_be_visible()  # the formula panel names the run literally
    page.get_by_text("Share, embed, make a lesson link").click()
    page.get_by_text("Embed in a page or slide").wait_for()
    box = page.get_by_label("f(x, y) =", exact=True)
    box.fill(TAG)
    box.press("Enter")
    expect(page.get_by_text("Not used, the previous formula stays").first).to_be_visible()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x'], a[href^='javascript']").count() == 0
    assert page.errors == []


def test_a_lesson_link_can_hide_the_players_speed_and_loop_and_the_switches(page, server):
    open_app(page, server, TWO_RUNS + "&speed_hide=true&loop_hide=true&view3d_hide=true")
    expect(page.locator(".lll-speed-control")).to_be_hidden()
    expect(page.locator(".lll-loop-control")).to_be_hidden()
    expect(page.get_by_text("3-D view")).to_have_count(0)
    expect(page.get_by_text("Show the parts of each step")).to_be_visible()
    expect(page.locator(".lll-counter")).to_be_visible()  # the rest of the player stays
    assert page.errors == []
