"""The picture fits every screen, in Chromium: a phone, a tablet with the sidebar open and
closed, a laptop and a wide screen. No sideways scrolling, the whole plot inside the window,
the player usable by tap; the curves beside the plot only where there is room."""

import re

import pytest

from tests.browser import READY, open_app, step

VIEWPORTS = {
    "phone": (390, 844),
    "tablet": (820, 1180),
    "laptop": (1400, 1000),
    "wide": (1920, 1080),
}
PLOT = ".lll-landscape"


def touch_page(browser, size):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, is_mobile=width < 800
    )
    page = context.new_page()
    page.errors = []
    return context, page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def sidebar_open(page) -> bool:
    return page.evaluate(
        "() => { const s = document.querySelector(\"section[data-testid='stSidebar']\");"
        " return !!s && s.getBoundingClientRect().width > 50 && s.getAttribute('aria-expanded') !== 'false'; }"  # noqa: E501
    )


def set_sidebar(page, wanted: bool) -> None:
    if sidebar_open(page) == wanted:
        return
    toggle = "stExpandSidebarButton" if wanted else "stSidebarCollapseButton"
    if not wanted:
        page.locator("section[data-testid='stSidebar']").hover()  # its button shows on hover
    page.locator(f"[data-testid='{toggle}'] button, button[data-testid='{toggle}']").first.click()
    page.wait_for_function(
        "(wanted) => { const s = document.querySelector(\"section[data-testid='stSidebar']\");"
        " return (s.getAttribute('aria-expanded') === 'true') === wanted; }",
        arg=wanted,
    )
    page.wait_for_timeout(800)  # the sidebar's slide, then the player refits


def assert_fits(page):
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    page.locator(PLOT).first.scroll_into_view_if_needed()
    plot, stage = box(page, PLOT), box(page, ".lll-stage")
    fills = plot["width"] >= 0.55 * stage["width"] or plot["height"] >= 0.75 * height
    assert fills, f"the plot is small: {plot} in {stage}"
    assert plot["x"] >= 0 and plot["x"] + plot["width"] <= width + 1, plot
    assert plot["height"] <= height, f"the plot is taller than the window: {plot}"
    view = box(page, ".lll-view canvas")  # Vega's own canvas: scaled with its box, not cut
    assert abs(view["width"] - plot["width"]) <= 2 and abs(view["height"] - plot["height"]) <= 2


@pytest.mark.parametrize(
    ("name", "sidebar"),
    [("phone", False), ("tablet", True), ("tablet", False), ("laptop", True), ("wide", True)],
)
def test_the_plot_fits_the_screen_and_the_player_answers_a_tap(browser, server, name, sidebar):
    context, page = touch_page(browser, VIEWPORTS[name])
    try:
        open_app(page, server)
        set_sidebar(page, sidebar)
        assert_fits(page)
        pause = page.get_by_role("button", name="Pause", exact=True)
        pause.tap()
        page.wait_for_function("() => window.__lll.players[0].playing === false")
        before = step(page)
        page.get_by_role("button", name="Step forward (→)").tap()
        page.wait_for_function("(k) => window.__lll.players[0].step === k + 1", arg=before)
        beside = page.locator(".lll-stage.lll-wide").count() == 1
        assert beside == (name == "wide")  # curves beside the plot only on a wide screen
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("name", ["phone", "laptop"])
def test_the_network_view_fills_its_column_with_equal_boundary_panels(browser, server, name):
    """The loss curves as wide as the page's column, every decision-boundary panel the same
    size (they differed with their captions), nothing scrolling sideways."""
    context, page = touch_page(browser, VIEWPORTS[name])
    try:
        page.goto(server + "/?view=network")
        page.get_by_text("is at the origin").wait_for(timeout=180_000)
        column = box(page, "[data-testid='stMainBlockContainer']")
        curves = box(page, "[data-testid='stVegaLiteChart']")
        assert curves["width"] >= 0.8 * column["width"], (curves, column)
        panels = page.locator("[data-testid='stImage'] img")
        sizes = {
            (round(b["width"]), round(b["height"]))
            for b in map(lambda i: panels.nth(i).bounding_box(), range(panels.count()))
        }
        assert panels.count() == 4 and len(sizes) == 1, sizes
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0 and page.errors == []
    finally:
        context.close()


def test_the_picture_refits_when_the_window_changes(page, server):
    open_app(page, server)
    wide = box(page, PLOT)["width"]
    page.set_viewport_size({"width": 390, "height": 844})
    for _ in range(50):  # the player refits on its own (a resize observer), no rerun
        if box(page, PLOT)["width"] < 0.6 * wide:
            break
        page.wait_for_timeout(100)
    assert_fits(page)
    assert page.locator(READY).count() == 1


def luminance(color: str) -> float:
    """WCAG 2's relative luminance of a CSS rgb()/rgba() colour: each sRGB channel c in [0, 1]
    is linearised as c / 12.92 when c ≤ 0.04045, else ((c + 0.055) / 1.055) ** 2.4, and
    L = 0.2126 R + 0.7152 G + 0.0722 B."""
    channels = [float(v) / 255 for v in re.findall(r"[\d.]+", color)[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio (L1 + 0.05) / (L2 + 0.05), the lighter over the darker."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_player_is_as_readable_in_the_dark_theme_as_in_the_light_one(browser, server, scheme):
    """Streamlit follows the system's colour scheme; the player's words and Vega's axes
    take the theme's text colour, at WCAG AA contrast (4.5:1) on its background."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    page = context.new_page()
    page.errors = []
    try:
        open_app(page, server)
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector(\"[data-testid='stApp']\")).backgroundColor"  # noqa: E501
        )
        dark = luminance(background) < 0.2
        assert dark == (scheme == "dark")
        counter = page.locator(".lll-counter").evaluate("(el) => getComputedStyle(el).color")
        axis = page.evaluate("() => window.__lll.players[0].theme.axis.labelColor")
        axis = page.evaluate(
            "(c) => { const e = document.createElement('span'); e.style.color = c;"
            " document.body.append(e); const v = getComputedStyle(e).color;"
            " e.remove(); return v; }",
            axis,
        )
        assert contrast(counter, background) >= 4.5 and contrast(axis, background) >= 4.5
        assert page.errors == []
    finally:
        context.close()
