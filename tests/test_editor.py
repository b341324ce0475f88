"""The optimizer-row editor in a real Chromium: rows are tripled, copied, added, removed and edited,
and every edit reaches the player and the link."""

import pytest
from playwright.sync_api import expect

import scenes
from tests.browser import open_app

pytestmark = pytest.mark.browser


@pytest.fixture
def beale(page, server):
    _, scene, _ = scenes.presets.load("classic_beale")  # SGD, momentum, Adagrad, RMSprop, Adam
    open_app(page, server, "?" + scenes.query_string(scene))
    expect(page.locator(".lll-row")).to_have_count(5)
    return page


def rates(page) -> list[float]:
    return page.get_by_label("learning rate", exact=True).evaluate_all(
        "els => els.map(e => +e.value)"
    )


def legend(page) -> list[str]:
    return page.locator(".lll-legend li").all_inner_texts()


def row(page, index):
    return page.locator(".lll-row").nth(index)


def test_three_rates_duplicate_add_and_remove(beale):
    page = beale
    base = rates(page)[0]
    row(page, 0).get_by_role("button", name="three learning rates").click()
    expect(page.locator(".lll-row")).to_have_count(7)
    assert rates(page)[:3] == pytest.approx([base / 10, base, base * 10])
    expect(page.locator(".lll-legend li")).to_have_count(7)  # and the player has the new runs
    row(page, 6).get_by_role("button", name="duplicate").click()
    expect(page.locator(".lll-row")).to_have_count(8)
    row(page, 0).get_by_role("button", name="remove").click()
    expect(page.locator(".lll-row")).to_have_count(7)
    page.get_by_role("button", name="+ add optimizer").click()
    expect(page.locator(".lll-legend li")).to_have_count(8)
    assert page.errors == []


def test_optimizer_label_colour_and_log_slider_edits_reach_the_player_and_link(beale):
    page = beale
    row(page, 0).get_by_label("optimizer").select_option("nesterov")
    expect(page.locator(".lll-legend li").first).to_contain_text("Nesterov")
    label = row(page, 1).get_by_label("label")
    label.fill("heavy ball")
    label.press("Enter")
    expect(page.locator(".lll-legend li").nth(1)).to_have_text("heavy ball")
    row(page, 2).get_by_label("colour").evaluate(
        "(el) => { el.value = '#00ff00'; el.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    swatch = page.locator(".lll-legend li").nth(2).locator(".lll-swatch")
    expect(swatch).to_have_css("background-color", "rgb(0, 255, 0)")
    row(page, 4).get_by_label("log₁₀ learning rate").evaluate(
        "(el) => { el.value = '-2.5'; el.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    expect(row(page, 4).get_by_label("learning rate", exact=True)).to_have_value("0.003162")
    page.wait_for_function(
        "() => /learning_rate(%3D|=)0\\.003162/.test(location.search)", timeout=10_000
    )
    assert page.errors == []


def test_more_opens_every_setting_of_that_row(beale):
    page = beale
    row(page, 1).get_by_label("more").check()
    expect(page.get_by_text("every setting")).to_be_visible()
    expect(
        page.get_by_label("momentum", exact=True)
    ).to_be_visible()  # momentum's own hyperparameter


def test_a_label_is_shown_as_text_never_run_as_markup(beale):
    page = beale
    page.on("dialog", lambda dialog: page.errors.append(f"dialog: {dialog.message}"))
    label = row(page, 0).get_by_label("label")
    label.fill("<img src=x onerror=alert(1)><b>bold</b>")
    label.press("Enter")
    expect(page.locator(".lll-legend li").first).to_have_text(
        "<img src=x onerror=alert(1)><b>bold</b>"
    )
    page.wait_for_timeout(500)
    assert page.locator(".lll-legend img").count() == 0 and page.errors == []
