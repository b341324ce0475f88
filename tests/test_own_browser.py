"""A student's own optimizer in a real Chromium: the rule box, its run beside the built-in, a
broken rule said at its line and column while the last good rule keeps drawing, the link."""

import urllib.parse

import pytest
from playwright.sync_api import expect

from app.lab import FIRST_RULE
from tests.browser import open_app, paths
from tests.test_own import NESTEROV

pytestmark = pytest.mark.browser


def commit(box, text: str) -> None:
    """Type into the rule box and commit it as a person does (Ctrl+Enter)."""
    box.fill(text)
    box.press("Control+Enter")


def test_a_student_types_rules_sees_them_beside_the_built_in_and_shares_the_link(page, server):
    open_app(page, server, "?preset=write_momentum_yourself")
    page.locator(".lll-row").first.get_by_label("more").check()
    box = page.get_by_role("textbox", name="Update rule (one assignment a line)")
    expect(box).to_have_value(FIRST_RULE)
    expect(page.get_by_text("the two paths lie on each other")).to_be_visible()
    momentum = paths(page, 0)
    commit(box, NESTEROV)
    expect(page.get_by_text("Beside built-in momentum: the two paths part at step")).to_be_visible()
    page.wait_for_function("() => location.search.includes('v_prev')", timeout=20_000)
    page.wait_for_function(
        "(before) => JSON.stringify(window.__lll.players[0].paths.filter(d => d.i === 0)"
        ".map(d => [d.x, d.y])) !== before",
        arg=str(momentum).replace(" ", "").replace("(", "[").replace(")", "]"),
        timeout=20_000,
    )
    nesterov = paths(page, 0)
    assert nesterov != momentum
    commit(box, "params: mu = 0.9\nv = mu * v - lr * h\nx = x + v")
    expect(page.get_by_text("previous rule stays: line 2, column 19")).to_be_visible()
    expect(box).to_have_value("params: mu = 0.9\nv = mu * v - lr * h\nx = x + v")
    assert paths(page, 0) == nesterov  # the last good rule keeps drawing
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert NESTEROV in urllib.parse.unquote(query["o"][0])
    assert page.errors == []
