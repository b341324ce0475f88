"""The app through Streamlit's AppTest: widgets ↔ scene ↔ URL, presets, notices, no recompiles."""

import json
import pathlib
import re

import pytest
from streamlit.testing.v1 import AppTest

import lll_i18n as i18n
import optimizers
import scenes
from app import lab as labs
from app import main
from landscapes import network

TIMEOUT = 120
APP = pathlib.Path(__file__).resolve().parent.parent / "streamlit_app.py"


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def open_panels(at: AppTest) -> AppTest:
    """Open the share and formula panels (their content is made only while they are open)."""
    for name in ("share", "formulas"):
        at.session_state[f"panel.{name}"] = True
    return at.run()


def shown(markdown: str) -> str:
    """What a reader sees of an element's Markdown source (the app escapes user text)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def lab(at) -> labs.Lab:
    return at.session_state["lab"]


def current_scene(at) -> scenes.Scene:
    return lab(at).scene


def worded(name: str, at=None) -> str:
    """The key of a widget with worded options, in the session's language."""
    return f"w.{lab(at).lang if at is not None else 'en'}.{name}"


def test_default_app_runs_and_writes_its_scene_to_the_url():
    at = app()
    assert not at.exception
    scene = current_scene(at)
    again, notices = scenes.from_query(dict(at.query_params))
    assert again == scene and not notices


def test_a_link_reproduces_its_scene():
    _, scene, _ = scenes.presets.load("classic_beale")
    at = app(scenes.to_query(scene))
    assert not at.exception and not at.info
    assert current_scene(at) == scene


def test_garbage_link_renders_with_notices_and_defaults():
    at = app(
        {
            "surface": "banana",
            "steps": "-3",
            "o": ["adam;learning_rate=NaN", "<script>alert(1)</script>"],
            "x": "1",
        }
    )
    assert not at.exception
    notices = " ".join(shown(i.value) for i in at.info)
    assert "\\<script\\>" in " ".join(i.value for i in at.info)  # escaped in the Markdown source
    assert "banana" in notices and "learning_rate" in notices and "unknown parameter" in notices
    scene = current_scene(at)
    assert (
        scene.surface == "rosenbrock"
        and scene.steps == 1
        and [r.name for r in scene.rows] == ["adam", "sgd"]
    )


@pytest.mark.parametrize("name", scenes.presets.names())
def test_presets_load_into_the_controls(name):
    at = app()
    at.selectbox(key=worded("preset")).set_value(name).run()
    assert not at.exception
    _, scene, _ = scenes.presets.load(name)
    assert current_scene(at) == scene
    assert scenes.from_query(dict(at.query_params))[0] == scene


def test_divergence_is_reported_as_a_notice():
    at = app()
    at.selectbox(key=worded("preset")).set_value("lr_too_small_good_too_large").run()
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "too large" in warnings[0] and "diverged at step" in warnings[0]


def test_changing_hyperparameters_compiles_nothing():
    at = app()
    at.selectbox(key=worded("preset")).set_value("classic_beale").run()
    row = lab(at).row_ids[0]
    before = optimizers.trace_count()
    for lr in (0.002, 0.004, 0.0005):
        edit = {"id": row, "field": "lr", "value": lr}  # as the row editor sends it
        at.session_state["lab"] = labs.edit_row(lab(at), edit)[0]
        at.run()
        assert not at.exception
    at.number_input(key="w.seed").set_value(5).run()
    assert optimizers.trace_count() == before
    assert current_scene(at).rows[0].hyper["learning_rate"] == 0.0005


def test_changing_a_typed_rules_numbers_compiles_nothing():
    at = app({"preset": "write_momentum_yourself"})
    row = lab(at).row_ids[0]
    at.session_state["lab"] = labs.set_open(lab(at), row, True)
    at.run()
    (mu,) = [n for n in at.number_input if n.label == "mu"]
    before = optimizers.trace_count()
    for value in (0.5, 0.95, 0.7):
        at.number_input(key=mu.key).set_value(value).run()
        edit = {"id": row, "field": "lr", "value": value / 100}
        at.session_state["lab"] = labs.edit_row(lab(at), edit)[0]
        at.run()
    assert not at.exception and optimizers.trace_count() == before
    assert current_scene(at).rows[0].hyper == {"learning_rate": 0.007, "mu": 0.7}


def test_start_point_widgets_move_the_start():
    at = app()
    at.number_input(key="w.start_x").set_value(0.5).run()
    assert current_scene(at).start_point()[0] == 0.5
    assert at.query_params["start"].startswith("0.5,")


def test_more_shows_every_setting_and_hidden_settings_keep_their_values():
    at = app()
    at.selectbox(key=worded("preset")).set_value("lr_schedules").run()
    row = lab(at).row_ids[1]  # step decay: every=50, factor=0.5
    name = current_scene(at).rows[1].name
    schedule = worded(f"row{row}.{name}.schedule")
    assert not [s for s in at.selectbox if s.key == schedule]
    at.session_state["lab"] = labs.set_open(lab(at), row, True)  # the row editor's "more" box
    at.run()
    assert at.selectbox(key=schedule).value == "step"
    at.number_input(key=f"w.row{row}.{name}.s.step.every").set_value(25.0).run()
    at.session_state["lab"] = labs.set_open(lab(at), row, False)
    at.run()
    at.number_input(key="w.seed").set_value(3).run()  # an unrelated change: the hidden values stay
    kept = current_scene(at).rows[1]
    assert kept.schedule == "step" and kept.schedule_params == {
        "every": 25.0
    }  # factor 0.5 is the default
    assert not at.exception


def test_a_typed_formula_draws_and_a_hostile_one_keeps_the_previous_surface():
    at = app()
    at.selectbox(key=worded("surface")).set_value("formula").run()
    at.text_input(key="w.formula").set_value("x^2 + 10*y^2").run()
    assert not at.exception and current_scene(at).formula == "x^2 + 10*y^2"
    assert at.query_params["formula"] == "x^2 + 10*y^2"
    at.text_input(key="w.formula").set_value("__import__('os').system('id')").run()
    assert not at.exception
    message = shown(at.error[0].value)
    assert "unknown name '__import__'" in message and "previous formula stays" in message
    assert (
        current_scene(at).formula == "x^2 + 10*y^2" and at.query_params["formula"] == "x^2 + 10*y^2"
    )
    at.number_input(key="w.domain.x_from").set_value(5.0).run()  # x from 5 to 3: an empty domain
    assert not at.exception and current_scene(at).surface_object().domain == (
        (-3.0, 3.0),
        (-3.0, 3.0),
    )
    assert any("domain" in info.value for info in at.info)


def test_the_network_view_trains_the_exercise_and_hands_a_slice_to_the_surfaces_view():
    at = app()
    at.radio(key=worded("view")).set_value("network").run()
    assert not at.exception and at.title[0].value == "A network on data"
    at.selectbox(key=worded("exercise")).set_value("ex7").run()
    assert not at.exception and len(at.get("image")) == 3  # one decision boundary per configuration
    activations = [row["activation"] for row in lab(at).network["rows"]]
    assert activations == ["tanh", "relu", "sigmoid"]
    assert at.selectbox(key=worded("exercise")).value == "ex7"
    at.button[0].click().run()  # "Run optimizers on this slice"
    assert not at.exception and lab(at).view == "surfaces"
    scene = current_scene(at)
    assert scene.surface == "network_slice" and scene.surface_params["learning_rate"] == 1.0
    assert at.query_params["surface"] == "network_slice"


def test_a_network_link_sets_the_page_which_keeps_its_link_and_settings_across_views():
    at = app(
        {
            "view": "network",
            "net.dataset": "circle",
            "net.hidden": "4",
            "net.epochs": "60",
            "net.row": ["adam;learning_rate=0.01", "sgd;learning_rate=9"],
        }
    )
    assert not at.exception and len(at.get("image")) == 2  # one boundary per linked configuration
    network = lab(at).network
    assert (network["dataset"], network["hidden"], network["epochs"]) == ("circle", [4], 60)
    assert at.query_params["view"] == "network" and at.query_params["net.dataset"] == "circle"
    at.text_input(key="w.net_hidden").set_value("12").run()
    assert at.query_params["net.hidden"] == "12"
    at.radio(key=worded("view")).set_value("surfaces").run()
    assert "view" not in at.query_params and "net.hidden" not in at.query_params
    assert "surface" in at.query_params
    at.radio(key=worded("view")).set_value("network").run()
    assert not at.exception and lab(at).network["hidden"] == [12]
    assert at.query_params["net.hidden"] == "12" and "surface" in at.query_params
    assert [row["optimizer"] for row in lab(at).network["rows"]] == ["adam", "sgd"]


def test_a_regression_link_trains_its_data_and_hands_the_same_data_to_the_surfaces_view():
    at = app(
        {
            "view": "network",
            "net.dataset": "reg-gauss",
            "net.epochs": "30",
            "net.row": "sgd;learning_rate=0.03",
        }
    )
    assert lab(at).network["dataset"] == "reg-gauss" and len(at.get("image")) == 1
    at.button[0].click().run()  # "Run optimizers on this slice"
    scene = current_scene(at)
    assert scene.surface == "network_slice"
    assert scene.surface_params["dataset"] == network.DATASETS.index("reg-gauss")


def test_a_visit_to_another_view_keeps_the_scene_and_the_link_keeps_it_everywhere():
    query = {"surface": "quadratic", "sp.condition": "50", "o": "momentum;learning_rate=0.05"}
    at = app(query)
    scene = current_scene(at)
    for view in ("insights", "surfaces", "network", "surfaces"):
        at.radio(key=worded("view", at)).set_value(view).run()
        assert not at.exception and current_scene(at) == scene
        assert scenes.from_query(dict(at.query_params))[0] == scene
    at.number_input(key="w.steps").set_value(120).run()
    assert at.query_params["sp.condition"] == "50" and at.query_params["steps"] == "120"


def test_a_language_switch_then_any_click_keeps_every_menu_on_its_choice():
    at = app()
    at.selectbox(key=worded("preset")).set_value("classic_beale").run()
    at.selectbox(key="w.lang").set_value("zh-Hant").run()
    assert at.radio(key=worded("view", at)).value == "surfaces"
    assert at.selectbox(key=worded("preset", at)).value == "classic_beale"
    at.number_input(key="w.steps").set_value(120).run()
    assert not at.exception and current_scene(at).steps == 120
    assert at.selectbox(key=worded("surface", at)).value == "beale"


def test_the_saddle_lesson_shows_escapes_not_divergence():
    at = app()
    at.selectbox(key=worded("preset")).set_value("saddle_escape").run()
    assert not at.exception and not any("diverged" in w.value for w in at.warning)
    escapes = [shown(i.value) for i in at.info if "escaped at step" in shown(i.value)]
    assert escapes and all("not a divergence" in text for text in escapes)


def test_an_unforeseen_error_in_a_view_is_one_line_in_the_readers_language(monkeypatch):
    def broken(place):
        raise KeyError("/srv/secret/path.py")

    monkeypatch.setitem(main.VIEWS, "insights", broken)
    at = app({"view": "insights", "lang": "zh-Hant"})
    assert [shown(e.value) for e in at.error] == [
        "發生了程式未預料的錯誤（KeyError）；你的場景保持不變。請回報這個問題。"
    ]
    everything = " ".join(str(e.value) for e in [*at.markdown, *at.error, *at.info, *at.caption])
    assert "secret" not in everything and "Traceback" not in everything
    at.radio(key=worded("view", at)).set_value("surfaces").run()  # the page still works
    assert lab(at).view == "surfaces" and not at.error


def test_an_unforeseen_error_in_a_change_keeps_the_scene(monkeypatch):
    at = app({"steps": "80"})
    before = current_scene(at)

    def broken(lab, name, value):
        raise ZeroDivisionError("bad")

    monkeypatch.setattr(labs, "set_field", broken)
    at.number_input(key="w.steps").set_value(120).run()
    assert current_scene(at) == before
    assert [shown(e.value) for e in at.error] == [
        "Something went wrong that the Lab did not foresee (ZeroDivisionError); your scene is"
        " kept. Please report it."
    ]


def test_a_formula_with_a_region_where_the_loss_is_not_finite_says_what_the_hatch_means():
    at = app({"surface": "formula", "formula": "log(x + 2.5) + y^2", "lang": "zh-Hans"})
    assert "▨ 斜线：此处损失不是有限的数" in [c.value for c in at.caption]
    assert "▨" not in " ".join(c.value for c in app({"lang": "zh-Hans"}).caption)


def test_a_typed_rule_runs_and_a_broken_one_keeps_the_previous_rule_with_its_place():
    at = app()
    row = lab(at).row_ids[0]
    at.session_state["lab"] = labs.edit_row(lab(at), {"id": row, "field": "name", "value": "rule"})[
        0
    ]
    at.run()
    assert current_scene(at).rows[0].rule == labs.FIRST_RULE  # momentum as CS231n writes it
    box = at.text_area(key=f"w.row{row}.rule")  # opened with the row's settings
    assert box.value == labs.FIRST_RULE and not at.exception
    adam = "params: b1 = 0.9, b2 = 0.999, eps = 1e-7\nm = b1*m + (1-b1)*g\n"
    adam += "v = b2*v + (1-b2)*g^2\nx = x - lr * m / (sqrt(v) + eps)"
    box.set_value(adam).run()
    assert current_scene(at).rows[0].rule == adam and "rule=params" in at.query_params["o"][0]
    names = {n.label for n in at.number_input}
    assert {"b1", "b2", "eps"} <= names and "mu" not in names  # the new rule's own numbers
    at.text_area(key=f"w.row{row}.rule").set_value("x = x - lr * __import__('os')").run()
    assert not at.exception and current_scene(at).rows[0].rule == adam
    message = shown(at.error[0].value)
    assert "previous rule stays: line 1, column 14" in message
    assert "'__import__' is not a function here" in message
    assert at.text_area(key=f"w.row{row}.rule").value.endswith("__import__('os')")  # text kept
    again, notices = scenes.from_query(dict(at.query_params))
    assert again.rows[0].rule == adam and not notices  # the link holds the good rule


def test_a_broken_rule_in_a_link_is_a_notice_in_the_readers_language():
    at = app({"o": ["rule;rule=x%20%3D%20x%20-%20lr%20*%20h", "adam"], "lang": "zh-Hant"})
    assert not at.exception and current_scene(at).rows[0].name == "sgd"
    assert any("規則：第 1 行第 14 欄：h 被讀取卻從未賦值" in shown(n.value) for n in at.info)


def test_a_built_in_beside_a_typed_rule_says_whether_their_paths_part_and_where():
    at = app({"preset": "write_momentum_yourself"})
    row = lab(at).row_ids[0]
    at.session_state["lab"] = labs.set_open(lab(at), row, True)
    at.run()
    (same,) = [shown(s.value) for s in at.success]  # the preset's built-in momentum is its twin
    assert same.startswith("Beside built-in momentum: the two paths lie on each other")
    at.selectbox(key=worded(f"row{row}.twin", at)).set_value("adam").run()
    rows = current_scene(at).rows
    assert [r.name for r in rows] == ["rule", "adam", "momentum", "sgd"]
    assert rows[1].hyper == {"learning_rate": 0.009}  # the rule's rate; Adam has no momentum
    parted = [shown(i.value) for i in at.info if "part at step" in i.value]
    assert parted[0].startswith("Beside Adam (lr=0.009): the two paths part at step 1 ")
    assert parted[1].startswith("Beside SGD (lr=0.009): the two paths part at step 2 ")  # a twin
    assert not at.exception
    assert at.selectbox(key=worded(f"row{row}.twin", at)).value is None  # ready for another


def test_choosing_a_preset_again_after_an_edit_brings_it_back():
    at = app()
    menu = worded("preset")
    at.selectbox(key=menu).set_value("feature_scaling").run()
    surface = current_scene(at).surface
    at.number_input(key=f"w.sp.{surface}.batch").set_value(1.9).run()
    assert current_scene(at) != scenes.presets.load("feature_scaling")[1]
    assert at.selectbox(key=menu).value is None  # the scene is no longer the preset
    assert any("standardize" in c.value or "scal" in c.value for c in at.caption)  # its note
    at.selectbox(key=menu).set_value("feature_scaling").run()
    assert current_scene(at) == scenes.presets.load("feature_scaling")[1]
    assert at.selectbox(key=menu).value == "feature_scaling" and not at.exception


def test_the_day_87_exercise_trains_the_course_callback_and_shows_each_runs_rate():
    at = app({"view": "network", "net.epochs": "120"})
    at.selectbox(key=worded("exercise")).set_value("day87").run()
    assert not at.exception and len(at.get("image")) == 3
    rows = lab(at).network["rows"]
    assert rows[2]["callbacks"] == scenes.playground.DAY_87_CALLBACK
    charts = [c.proto.spec for c in at.get("vega_lite_chart")]
    rates = [json.loads(c) for c in charts if '"field": "lr"' in c]
    assert len(rates) == 1  # the rates chart under the loss curves
    runs = {row["run"]: row["lr"] for row in rates[0]["layer"][0]["data"]["values"]}
    callback = [lrs for run, lrs in runs.items() if "ReduceLROnPlateau" in run]
    assert len(callback) == 1 and 0.15 in callback[0]  # halved by the callback
    assert "Day 87" in " ".join(c.value for c in at.caption)
    lines = [c for c in charts if '"field": "alpha"' in c]  # start-to-end interpolation
    assert len(lines) == 1 and at.subheader[-1].value.startswith("From the start")
    link = at.query_params["net.row"]
    assert any("ReduceLROnPlateau" in row for row in link)  # the callback is in the link


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_the_edge_of_stability_exercise_draws_sharpness_against_each_rates_limit(lang):
    at = app({"view": "network", "net.epochs": "100", "lang": lang})
    at.selectbox(key=worded("exercise", at)).set_value("edge").run()
    assert not at.exception
    rows = lab(at).network["rows"]
    assert [(r["learning_rate"], r["batch_size"]) for r in rows] == [
        (0.1, 250),
        (0.2, 250),
        (0.3, 250),
    ]
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    sharp = [c for c in charts if c.get("layer") and c["layer"][0]["mark"].get("clip")]
    assert len(sharp) == 1
    curves, limits = (layer["data"]["values"] for layer in sharp[0]["layer"])
    assert len(curves) == 3 and all(len(c["value"]) == 101 for c in curves)  # epochs 0 … 100
    assert sorted(round(s["value"][0], 2) for s in limits) == [6.67, 10.0, 20.0]  # 2/η
    assert i18n.text("net.sharpness_title", lang) in [s.value for s in at.subheader]
    assert i18n.text("net.sharpness_note", lang) in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_a_linked_row_with_a_bad_callback_trains_without_it_and_says_why(lang):
    bad = "sgd;callbacks=EarlyStopping(paitence=3)"
    good = "sgd;callbacks=EarlyStopping(patience=3, monitor='loss')"
    at = app({"view": "network", "net.epochs": "30", "net.row": [bad, good], "lang": lang})
    assert not at.exception
    rows = lab(at).network["rows"]
    assert rows[0]["callbacks"] == "" and rows[1]["callbacks"].startswith("EarlyStopping(")
    notices = " ".join(str(w.value) for w in [*at.warning, *at.info, *at.toast])
    assert ("paitence" in notices) and (("Row 1" in notices) == (lang == "en"))


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_an_l1_rows_boundary_says_how_many_weights_l1_set_to_exactly_zero(lang):
    rows = ["sgd;batch_size=250;l1=0.03", "sgd;batch_size=250;l2=0.01"]
    at = app(
        {
            "lang": lang,
            "view": "network",
            "net.dataset": "xor",
            "net.hidden": "4",
            "net.epochs": "25",
            "net.row": rows,
        }
    )
    l1_caption, l2_caption = (image.proto.imgs[0].caption for image in at.get("image"))
    said = i18n.text(
        "net.zero_weights", lang, zeros="(\\d+)", weights="32"
    )  # 7 × 4 into the hidden layer, 4 out
    zeros = re.search(said, l1_caption)
    assert zeros and int(zeros.group(1)) > 0  # tests/test_playground_replay.py checks the count
    assert not re.search(said, l2_caption)


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_a_course_exercise_on_screen_says_what_runs_of_it_show(lang):
    at = app({"lang": lang, "view": "network", "net.epochs": "20"})
    at.selectbox(key=worded("exercise", at)).set_value("ex7").run()
    captions = [c.value for c in at.caption]
    assert i18n.text("net.ex7_note", lang) in captions
    assert i18n.text("net.ex8_note", lang) not in captions  # only the exercise shown


def test_the_noise_slider_reads_in_percent_as_the_playgrounds_and_the_link_keeps_the_fraction():
    at = app({"view": "network", "net.noise": "0.15", "net.epochs": "20"})
    assert at.slider(key="w.net_noise").value == 15
    at.slider(key="w.net_noise").set_value(30).run()
    assert lab(at).network["noise"] == pytest.approx(0.3) and at.query_params["net.noise"] == "0.3"


def test_the_ratio_slider_splits_the_points_and_is_in_the_link():
    at = app({"view": "network", "net.ratio": "80", "net.epochs": "20"})
    assert at.slider(key="w.net_ratio").value == 80
    at.slider(key="w.net_ratio").set_value(30).run()
    assert lab(at).network["ratio"] == 30 and at.query_params["net.ratio"] == "30"
    assert not at.exception


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_inputs_switched_off_in_the_sidebar_go_in_the_link_and_the_last_one_stays(lang):
    at = app({"lang": lang, "view": "network", "net.epochs": "20", "net.row": "sgd"})
    at.multiselect(key="w.net_inputs").set_value(["x", "y"]).run()
    assert lab(at).network["inputs"] == ["x", "y"] and at.query_params["net.inputs"] == "x,y"
    at.multiselect(key="w.net_inputs").set_value([]).run()
    assert lab(at).network["inputs"] == ["x", "y"]
    said = i18n.text("error.last_input", lang)
    assert [e.value.replace("\\", "") for e in at.error] == [said]


def test_hidden_layers_typed_in_the_sidebar_train_and_go_in_the_link():
    at = app({"view": "network", "net.hidden": "4,2", "net.epochs": "20", "net.row": "sgd"})
    assert at.text_input(key="w.net_hidden").value == "4, 2" and not at.exception
    at.text_input(key="w.net_hidden").set_value("3, 3, 3").run()
    assert lab(at).network["hidden"] == [3, 3, 3] and at.query_params["net.hidden"] == "3,3,3"
    assert len(at.get("image")) == 1 and not at.exception  # its decision boundary drawn
    at.text_input(key="w.net_hidden").set_value("0").run()
    assert lab(at).network["hidden"] == [] and len(at.get("image")) == 1 and not at.exception


def test_a_slice_goes_to_the_surfaces_view_only_when_it_would_be_retrained_the_same():
    one = app({"view": "network", "net.hidden": "4", "net.epochs": "20", "net.row": "sgd"})
    one.button[0].click().run()  # "Run optimizers on this slice"
    assert not one.exception and current_scene(one).surface_params["hidden"] == 4.0
    two = app({"view": "network", "net.hidden": "4,2", "net.epochs": "20", "net.row": "sgd"})
    assert i18n.text("net.slice_defaults_only") in [c.value for c in two.caption]
    assert not [b for b in two.button if b.label == i18n.text("net.open_slice")]
