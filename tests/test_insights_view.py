"""The insights view: every tool renders through AppTest, tuning and the range test's
suggestion set rows' rates, and in Chromium a click in the sweep gives a row its rate."""

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

import scenes
from app import lab as labs
from app.lab import TOOLS
from tests.test_app import app, current_scene, shown, worded

SCENE = {
    "view": "insights",
    "surface": "quadratic",
    "sp.condition": "20",
    "steps": "200",
    "o": ["sgd;learning_rate=0.001", "momentum;learning_rate=0.001"],
}


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_renders(tool):
    at = app(SCENE)
    at.radio(key=worded("tool")).set_value(tool).run()
    assert not at.exception
    assert at.caption or at.info or at.dataframe


def test_an_insights_link_opens_its_tool_and_the_link_follows_the_tool():
    at = app({**SCENE, "tool": "stability"})
    assert not at.exception and at.radio(key=worded("tool")).value == "stability"
    assert at.query_params["view"] == "insights" and at.query_params["tool"] == "stability"
    assert scenes.from_query(dict(at.query_params)) == (current_scene(at), [])
    at.radio(key=worded("tool")).set_value("leaderboard").run()
    assert at.query_params["tool"] == "leaderboard"


def test_an_unknown_tool_in_a_link_says_so_and_shows_the_sweep():
    at = app({**SCENE, "tool": "<b>x</b>"})
    assert not at.exception and at.radio(key=worded("tool")).value == "sweep"
    assert any("'<b>x</b>' is not one of" in shown(info.value) for info in at.info)


def test_tuning_gives_every_row_a_rate_that_converges():
    at = app(SCENE)
    at.radio(key=worded("tool")).set_value("tune").run()
    at.button(key="tune").click().run()
    assert not at.exception and "→" in at.success[0].value
    sgd, momentum = (row.hyper["learning_rate"] for row in current_scene(at).rows)
    # fastest stable GD on λ ∈ [1, 20]: near 2/(λ_min + λ_max) ≈ 0.095, below 2/λ_max
    assert 0.05 < sgd < 0.1
    # heavy ball with β = 0.9 converges at its best rate √β for every η in
    # [(1 − √β)²/λ_min, (1 + √β)²/λ_max]; the tuned rate lies there
    assert (1 - 0.9**0.5) ** 2 / 1 <= momentum <= (1 + 0.9**0.5) ** 2 / 20


def test_the_range_tests_suggestion_can_be_applied():
    at = app(SCENE)
    at.radio(key=worded("tool")).set_value("range").run()
    at.button(key="range_apply").click().run()
    assert (
        current_scene(at).rows[0].hyper["learning_rate"] != 0.001 and "→" not in at.success[0].value
    )


def test_a_click_in_the_sweep_sets_that_rows_rate(page, server):
    query = (
        "&".join(f"{k}={v}" for k, v in SCENE.items() if k != "o") + "&o=sgd;learning_rate=0.001"
    )
    page.goto(f"{server}/?{query}")
    chart = page.locator("[data-testid='stVegaLiteChart'] .marks").first
    chart.wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    box = chart.bounding_box()
    chart.click(position={"x": box["width"] * 0.55, "y": box["height"] * 0.5})
    expect(page.get_by_text("Learning rate of SGD")).to_be_visible(timeout=30_000)
    page.get_by_text("Optimizers on surfaces").click()
    page.wait_for_selector(".lll-player[data-ready='true']", timeout=60_000)
    rate = float(page.get_by_label("learning rate", exact=True).first.input_value())
    assert rate != 0.001
    assert page.errors == []


def test_the_address_bar_follows_the_insight_tool_and_a_reload_keeps_it(page, server):
    query = (
        "&".join(f"{k}={v}" for k, v in SCENE.items() if k != "o") + "&o=sgd;learning_rate=0.001"
    )
    page.goto(f"{server}/?{query}")
    page.get_by_text("Stability map").click()
    page.wait_for_url(re.compile(r"[?&]tool=stability(&|$)"), timeout=60_000)
    assert "view=insights" in page.url and "surface=quadratic" in page.url
    page.reload()
    expect(page.get_by_role("radio", name="Stability map")).to_be_checked(timeout=60_000)
    assert page.errors == []


def test_the_3d_view_turns_under_a_drag_and_follows_the_players_clock(page, server):
    page.goto(
        f"{server}/?surface=himmelblau&steps=200&o=sgd;learning_rate=0.01&o=adam;learning_rate=0.1"
    )
    page.wait_for_selector(".lll-player[data-ready='true']", timeout=90_000)
    page.get_by_text("3-D view").click()
    canvas = page.locator(".lll-3d-canvas")
    canvas.wait_for(timeout=30_000)
    page.get_by_role("button", name="pause").click()
    page.locator(".lll-player").press("Home")
    for _ in range(5):
        page.locator(".lll-player").press("ArrowRight")
    assert page.evaluate("window.__lll.players[0].surface3d.step") == 5
    yaw = page.evaluate("window.__lll.players[0].surface3d.yaw")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.mouse.down()
    page.mouse.move(box["x"] + 320, box["y"] + 230, steps=6)
    page.mouse.up()
    assert abs(page.evaluate("window.__lll.players[0].surface3d.yaw") - yaw) > 0.5
    pixels = canvas.evaluate(
        "(c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)"  # noqa: E501
    )
    assert pixels and page.errors == []


def test_the_noise_fan_shows_every_row_until_rows_are_unpicked():
    at = app(SCENE)
    at.radio(key=worded("tool")).set_value("fan").run()
    assert (
        at.multiselect(key=worded("fan_rows")).value == [0, 1]
        and at.slider(key="w.fan_seeds").value == 256
    )
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "SGD" in spec and "Momentum" in spec
    at.multiselect(key=worded("fan_rows")).set_value([]).run()
    assert not at.exception and at.info and not at.get("vega_lite_chart")


def test_the_noise_fan_draws_every_rows_density_runs_and_legend_in_chromium(page, server):
    page.goto(
        f"{server}/?view=insights&surface=himmelblau&steps=150&noise=3&o=sgd;learning_rate=0.01&o=adam;learning_rate=0.1"
    )
    page.get_by_text("Noise fan").click()
    page.get_by_text("runs per row").wait_for(timeout=90_000)
    chart = page.locator("[data-testid='stVegaLiteChart'] svg.marks").first
    chart.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    drawn = chart.evaluate(
        """(svg) => ({
            density: [...svg.querySelectorAll('image')]
                .filter(i => (i.getAttribute('href') || '').startsWith('data:image/png')).length,
            red: svg.querySelectorAll('path[stroke="#e6194b"]').length,
            green: svg.querySelectorAll('path[stroke="#3cb44b"]').length,
            text: svg.textContent })"""
    )
    assert drawn["density"] == 1 and drawn["red"] >= 1 and drawn["green"] >= 1, drawn
    assert "SGD" in drawn["text"] and "Adam" in drawn["text"]  # the legend names both rows
    assert page.errors == []


@pytest.mark.parametrize(
    "scene",
    [{}, {"surface": "flat_well", "steps": "5"}, {"surface": "himmelblau", "steps": "1"}],
    ids=["default", "plateau", "one-step"],
)
@pytest.mark.parametrize("tool", ["stability", "explain"])
def test_tools_render_on_any_surface_and_any_number_of_steps(scene, tool):
    at = app({**scene, "view": "insights", "tool": tool})
    assert not at.exception


def test_the_stability_caption_states_tolerance_curvatures_and_the_fastest_cell():
    at = app({**SCENE, "tool": "stability", "o": "momentum;learning_rate=0.01"})
    caption = " ".join(shown(c.value) for c in at.caption)
    assert "Converged: the loss stays within" in caption and "κ = 20" in caption
    assert "λ_min = 1" in caption and "λ_max = 20" in caption
    assert re.search(
        r"(\d+) learning-rate cells and (\d+) momentum cells from the optimum", caption
    )


def test_a_click_on_a_stability_cell_gives_the_row_its_rate_and_momentum():
    at = app({**SCENE, "tool": "stability", "o": "momentum;learning_rate=0.001"})
    at.session_state["stability_chart"] = {"selection": {"cell": [{"rate": 0.0612, "beta": 0.4}]}}
    at.run()  # what a click on that cell sends
    assert not at.exception and "momentum 0.400" in at.success[0].value
    assert current_scene(at).rows[0].hyper == {"learning_rate": 0.0612, "momentum": 0.4}


RULE_SCENE = {
    **SCENE,
    "o": ["rule;rule=" + urllib.parse.quote(labs.FIRST_RULE) + ";learning_rate=0.001", "adam"],
}


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_takes_a_typed_rule_like_a_built_in(tool):
    at = app({**RULE_SCENE, "tool": tool})
    assert not at.exception and not at.error
    assert at.caption or at.info or at.dataframe


def test_the_stability_map_varies_a_typed_rules_momentum_and_a_click_sets_it():
    at = app({**RULE_SCENE, "tool": "stability"})
    caption = " ".join(shown(c.value) for c in at.caption)
    assert "κ = 20" in caption and "momentum cells from the optimum" in caption
    at.session_state["stability_chart"] = {"selection": {"cell": [{"rate": 0.0612, "beta": 0.4}]}}
    at.run()
    assert not at.exception and current_scene(at).rows[0].hyper == {
        "learning_rate": 0.0612,
        "mu": 0.4,
    }
