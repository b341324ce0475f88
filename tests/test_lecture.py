"""Lecture tools through AppTest and in plain Python: the formula panel shows the values that
run, lesson links hide controls (and the server refuses edits to them), view flags live in the
link, the iframe snippet, and the rules' substitution."""

import html
import re

import pytest

import optimizers
import scenes
from optimizers import rules
from scenes import view
from tests.test_app import app, current_scene, lab, open_panels, worded

LESSON = {
    "surface": "quadratic",
    "o": ["sgd;learning_rate=0.05", "momentum;learning_rate=0.02;momentum=0.8"],
}


def test_the_formula_panel_shows_each_rule_with_the_values_that_run():
    at = app(
        {**LESSON, "o": [*LESSON["o"], "adam;learning_rate=0.003;s=step;s.every=25;s.factor=0.3"]}
    )
    assert not any(r"\theta -" in e.value for e in at.latex)  # a closed panel makes no rules
    latex = [e.value.strip("$\n") for e in open_panels(at).latex]
    assert not at.exception
    assert any(r"\theta - {\color{#d62728}0.05}\, g" in t for t in latex)  # SGD at 0.05
    assert any(
        "{\\color{#d62728}0.8} v" in t and "{\\color{#d62728}0.02}" in t for t in latex
    )  # momentum
    step = [t for t in latex if t.startswith(r"\eta_t")]
    assert (
        step
        and "{\\color{#d62728}0.003}" in step[0]
        and "{\\color{#d62728}0.3}^" in step[0]
        and "25" in step[0]
    )


def test_a_lesson_link_hides_controls_and_keeps_their_values():
    hidden = {
        "steps_hide": "true",
        "surface_hide": "true",
        "optimizer_hide": "1",
        "rows_hide": "true",
    }
    at = app({**LESSON, "steps": "120", **hidden})
    assert not at.exception and not at.info
    assert "w.steps" not in [w.key for w in at.number_input]
    assert worded("surface") not in [w.key for w in at.selectbox]
    assert current_scene(at).steps == 120 and current_scene(at).surface == "quadratic"
    assert view.from_query(dict(at.query_params))[0].hidden == {
        "steps",
        "surface",
        "optimizer",
        "rows",
    }
    at.run()  # a second run: hidden values are still there
    assert current_scene(at).steps == 120 and current_scene(at).surface == "quadratic"


def test_view_flags_round_trip_and_bad_ones_are_reported():
    flags, notices = view.from_query(
        {
            "lang": "zh-TW",
            "present": "1",
            "lr_hide": "true",
            "foo_hide": "true",
            "seed_hide": "false",
        }
    )
    assert (
        flags == view.View("zh-Hant", True, frozenset({"lr"}))
        and len(notices) == 1
        and "foo_hide" in notices[0]
    )
    assert view.from_query(view.to_query(flags))[0] == flags
    assert "lang" in view.from_query({"lang": "klingon"})[1][0]
    assert (
        scenes.from_query({"lr_hide": "true", "lang": "en", "present": "1", "embed": "true"})[1]
        == []
    )


def test_the_share_panel_offers_a_lesson_link_and_an_iframe_snippet():
    at = app(LESSON)
    assert not at.code  # a closed panel makes no links
    open_panels(at).multiselect(key=worded("share_hide")).set_value(["lr", "sidebar"]).run()
    codes = [c.value for c in at.code]
    lesson = next(c for c in codes if "lr_hide=true" in c)
    assert "sidebar_hide=true" in lesson and "&o=" in lesson
    iframe = next(c for c in codes if c.startswith("<iframe"))
    src = html.unescape(re.search(r'src="([^"]+)"', iframe)[1])
    assert src == lesson + "&embed=true"
    assert "lr_hide" not in "".join(
        at.query_params.keys()
    )  # the teacher's own page keeps its controls


def test_the_language_and_presentation_mode_follow_the_link_and_the_menu():
    at = app({**LESSON, "lang": "zh-Hans", "present": "1"})
    assert not at.exception and lab(at).flags.present and lab(at).lang == "zh-Hans"
    assert at.subheader[0].value == "优化器"
    at.selectbox(key="w.lang").set_value("en").run()
    assert at.subheader[0].value == "Optimizers" and "lang" not in at.query_params
    at.button(key="present.exit").click().run()
    assert not lab(at).flags.present and "present" not in at.query_params


def test_substitution_replaces_whole_symbols_only():
    latex = r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ \beta v,\ \eta\,g,\ \eta^{\pm},\ 2h"
    out = rules.substitute(latex, {r"\beta_1": 0.9, r"\beta": 0.5, r"\eta": 1e-5, "h": 100})
    assert out.count("0.9}") == 2 and out.count("0.5}") == 1 and r"\eta^{\pm}" in out
    assert r"10^{-5}" in out and r"2\cdot {\color" in out


@pytest.mark.parametrize("name", list(optimizers.CATALOG))
def test_every_rule_shows_its_learning_rate(name):
    hyper = {"learning_rate": 0.0123}
    shown = rules.rule(optimizers.entry(name), hyper)
    assert "0.0123" in shown or name == "rprop" and r"\delta_i^{(0)} = {\color" in shown


@pytest.mark.parametrize("kind", [k for k in optimizers.schedules.KINDS if k != "warmup"])
def test_every_schedule_formula_shows_its_values(kind):
    params = {k: p.default for k, p in optimizers.schedules.PARAMS[kind].items()}
    shown = rules.schedule(kind, params, 0.0123, steps=400)
    assert "0.0123" in shown or kind in ("range_test", "plateau")  # these two do not start from η₀
    assert "{\\color" in shown


@pytest.mark.parametrize(
    ("query", "gone"),
    [
        ({"parts_hide": "true", "view3d_hide": "true"}, ("parts", "view3d")),
        ({"view": "insights", "tool_hide": "true"}, ("tool",)),
        ({"view": "insights", "insight_hide": "true"}, ("sweep_n",)),
        ({"view": "network", "network_hide": "true"}, ("net_dataset", "net_epochs", "exercise")),
    ],
)
def test_every_control_has_a_flag_that_hides_it_and_keeps_its_value(query, gone):
    shown = app({k: v for k, v in query.items() if k == "view"})
    hidden = app(query)

    def keys(at):
        kinds = ("toggle", "radio", "selectbox", "select_slider", "number_input", "slider")
        return {str(w.key) for kind in kinds for w in getattr(at, kind)}

    for name in gone:
        assert any(name in key for key in keys(shown)), name  # there without the flag
        assert not any(name in key for key in keys(hidden)), name
    assert current_scene(hidden) == current_scene(shown)


def test_a_typed_rule_is_shown_in_latex_with_its_values_in_place():
    entry = optimizers.from_rule(
        "params: mu = 0.9\nv = mu * v - lr * grad(x + mu * v)\nx = x + v"
    ).entry
    shown = rules.rule(entry, {"learning_rate": 0.0123, "mu": 0.5})
    value = r"{\color{" + rules.VALUE_COLOR + "}"
    assert shown.count(value + "0.5}") == 2 and shown.count(value + "0.0123}") == 1
    assert r"v &\leftarrow" in shown and r"\theta &\leftarrow \theta + v" in shown
    assert r"\nabla f\left(\theta + " in shown  # grad(p) as ∇f(p)
