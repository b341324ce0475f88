"""Scene files and links of the wrong types: every field is checked against its type, a bad
one is named in a one-line notice (the CLI exits 2 with it), and nothing ends in a traceback."""

import contextlib
import csv
import io
import json
import pathlib
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import landscapes
import scenes
from scenes.__main__ import guarded
from scenes.scene import ROW_FIELDS, SCENE_FIELDS
from tests.browser import ROOT

ANY_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(["sgd", "adam", "step", "overlay", "#ff0000", "1", "no", "1e400", ""]),
        st.text(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def cli(data, fmt: str = "csv") -> tuple[int, str, str]:
    """(exit status, stderr, output file's text) of `python -m scenes render` on `data`."""
    with tempfile.TemporaryDirectory() as folder:
        source = pathlib.Path(folder, "scene.json")
        source.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        out = pathlib.Path(folder, f"out.{fmt}")
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = guarded(["render", str(source), "--format", fmt, "--out", str(out)])
        written = out.read_text(encoding="utf-8") if out.exists() else ""
    return status, err.getvalue(), written


def one_line_error(status: int, err: str) -> bool:
    return status == 2 and err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    "data, words",
    [
        ({"scene": {"rows": [{"name": {"a": 1}}]}}, "optimizer: unknown dict"),
        ({"scene": {"rows": [{"name": "sgd", "schedule": ["step"]}]}}, "schedule: list"),
        ('{"scene": {"steps": 1' + "0" * 400 + "}}", "steps: "),
        ('{"scene": {"noise": 1' + "0" * 400 + "}}", "noise: "),
        ('{"scene": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ({"scene": {"surface": ["rosenbrock"]}}, "surface: unknown list"),
        ({"scene": {"layout": {"side": True}}}, "layout: dict"),
        ({"title": {"en": "x"}, "scene": {}}, "title: dict is not text"),
    ],
    ids=[
        "name-mapping",
        "schedule-list",
        "400-digit-int",
        "400-digit-float",
        "nesting",
        "surface",
        "layout",
        "title",
    ],
)
def test_the_cli_says_what_is_wrong_in_one_line_and_exits_2(data, words):
    status, err, _ = cli(data)
    assert one_line_error(status, err), err
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize(
    "row, field, words",
    [
        ({"line_search": "maybe"}, "line_search", "is neither true nor false"),
        ({"clip_norm": True}, "clip_norm", "True is not a number; using off"),
        ({"label": {"a": 1}}, "label", "dict is not text"),
        ({"color": 255}, "color", "255 is not text"),
        ({"weight_decay": [0.1]}, "weight_decay", "list is not a number"),
        ({"hyper": {"learning_rate": False}}, "sgd.learning_rate", "False is not a number"),
        ({"optimizer": "adam"}, "row", "no parameter 'optimizer'"),
    ],
)
def test_a_row_field_of_the_wrong_type_is_named_and_left_at_its_default(row, field, words):
    notices = []
    scene = scenes.from_dict({"rows": [{"name": "sgd", **row}]}, notices)
    assert scene.rows == (scenes.Row("sgd"),)
    assert len(notices) == 1 and notices[0].startswith(field) and words in notices[0], notices


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"seed": 1.5}, "seed: 1.5 is not a whole number"),
        ({"steps": "12.5"}, "steps: '12.5' is not a whole number"),
        ({"steps": True}, "steps: True is not a number"),
        ({"start": "12"}, "start: expected two finite numbers"),
        ({"start": [True, False]}, "start: expected two finite numbers"),
        ({"domain": "1234", "surface": "formula", "formula": "x^2"}, "domain: expected"),
        ({"formula": "x", "surface": "formula", "domain": [[0, 1], [0, True]]}, "domain: expected"),
        ({"formula": ["x"], "surface": "formula"}, "formula: column 1: a formula must be text"),
        ({"speed": 2}, "scene: no parameter 'speed'"),
    ],
)
def test_a_scene_field_of_the_wrong_type_is_named_and_left_at_its_default(fields, words):
    notices = []
    scene = scenes.from_dict(fields, notices)
    assert scene.steps == 300 and scene.seed == 0 and scene.start is None
    assert len(notices) == 1 and words in notices[0], notices


def test_the_words_for_yes_and_no_mean_what_they_say():
    for value, meant in (("no", False), ("off", False), ("0", False), (False, False), (0, False)):
        assert scenes.from_dict({"rows": [{"line_search": value}]}).rows[0].line_search == meant
    for value in ("yes", "true", "1", True, 1):
        assert scenes.from_dict({"rows": [{"line_search": value}]}).rows[0].line_search


def test_a_link_flag_is_checked_too():
    scene, notices = scenes.from_query({"o": ["sgd;ls=maybe", "adam;ls=1"]})
    assert [r.line_search for r in scene.rows] == [False, True]
    assert len(notices) == 1 and "line_search: 'maybe'" in notices[0]


def test_a_seed_keeps_every_digit():
    """A seed is an identity, not a measurement: six significant digits would change it."""
    assert scenes.from_dict({"seed": 1234567}).seed == 1234567
    assert scenes.from_query({"seed": "2147483647"})[0].seed == 2**31 - 1


def test_an_exported_json_reads_back_as_its_scene():
    scene = scenes.from_dict({"rows": [{"name": "adam", "label": "mine"}], "steps": 5})
    text = scenes.export.to_json(scene, scenes.export.trajectories(scene))
    status, err, _ = cli(text)
    assert status == 0, err


SCENE_VALUES = {"surface": st.sampled_from(["rosenbrock", "quadratic", "formula"]) | ANY_JSON}
ROW_VALUES = {"name": st.sampled_from(["sgd", "momentum", "adam"]) | ANY_JSON}


def fields_of(names, special):
    """Some of `names`, each a value of any JSON type (or a plausible one)."""
    return st.dictionaries(
        st.sampled_from(names),
        st.one_of(ANY_JSON, st.integers(0, 50), st.floats(0, 1)),
        max_size=4,
    ).flatmap(
        lambda fields: st.fixed_dictionaries(
            {k: special.get(k, st.just(v)) for k, v in fields.items()}
        )
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scene=fields_of([n for n in SCENE_FIELDS if n != "rows"], SCENE_VALUES),
    rows=st.lists(fields_of(list(ROW_FIELDS), ROW_VALUES), min_size=1, max_size=3),
    steps=st.integers(1, 40),
)
def test_any_field_of_any_type_through_the_cli_is_a_picture_or_one_line(scene, rows, steps):
    data = {"title": "fuzz", "scene": {"steps": steps, **scene, "rows": rows}}
    status, err, written = cli(data)
    event(f"exit {status}")
    assert "Traceback" not in err
    if status == 0:
        assert err == "" and written
        table = list(csv.reader(io.StringIO(written)))
        assert all(cell.lower() not in ("nan", "inf", "-inf") for line in table for cell in line)
        notices = []
        scenes.from_dict(data["scene"], notices)
        assert notices == []
    else:
        assert one_line_error(status, err), err


@pytest.mark.parametrize("formula", ["0/0", "1/0", "sqrt(-x^2-1)", "log(x)", "log(-x^2)"])
def test_a_formula_whose_loss_is_not_finite_at_the_start_is_refused(formula):
    """Not a run that "diverges at step 0" with a loss of 0.0: no run at all, and why."""
    notices = []
    scene = scenes.from_dict({"surface": "formula", "formula": formula}, notices)
    assert scene.surface == "rosenbrock" and scene.formula == ""
    assert notices == [
        "formula: the loss is not finite at the start (-2.1, 2.1), so no run can begin there;"
        " using rosenbrock"
    ]


def test_a_start_where_the_loss_is_not_finite_falls_back_to_the_surfaces_own():
    notices = []
    fields = {"surface": "formula", "formula": "log(x + 2.5)", "start": [-2.4, 1]}
    assert scenes.from_dict(fields, notices).start is not None and notices == []
    scene = scenes.from_dict({**fields, "start": [-2.8, 1]}, notices)
    assert scene.formula == "log(x + 2.5)" and scene.start is None
    assert notices == ["start: the loss is not finite at (-2.8, 1); using the surface's start"]


@pytest.mark.parametrize("name", landscapes.names())
def test_every_built_in_surface_is_finite_over_its_domain(name):
    """Why only a formula's start is checked: the built-in surfaces are finite everywhere in
    their domains, at their default parameters and at each parameter's ends (the network's
    slice at its defaults: each other setting trains a network; its loss, a mean of squared
    errors of bounded outputs, is finite by construction)."""
    entry = landscapes.param_specs(name) if name != "network_slice" else {}
    ends = [{k: getattr(spec, end)} for k, spec in entry.items() for end in ("low", "high")]
    for params in [{}, *ends]:
        *_, z = landscapes.grid_values(landscapes.get(name, **params), 41)
        assert np.isfinite(z).all(), params


def test_a_link_parameter_too_long_to_read_whole_is_said():
    scene, notices = scenes.from_query({"o": "sgd;label=" + "a" * 9000, "steps": "70"})
    assert scene.steps == 70 and scene.rows[0].label == "a" * 60
    assert (
        notices[0] == "link: parameter 'o' is longer than 4000 characters; only its start was read"
    )


def test_the_longest_link_the_app_writes_fits_every_server_on_the_way():
    """Twelve rows with every option and a 60-character Chinese label, a formula of the
    parser's longest: the query stays under LINK_LIMIT, the header buffer deploy/nginx.conf
    sets (nginx's default 8 K would refuse it; Tornado refuses a request line past about
    64 K with HTTP 400, before the app can say anything)."""
    row = {
        "name": "adam",
        "hyper": {"learning_rate": 0.0123457, "b1": 0.912345, "b2": 0.998765, "eps": 1.23457e-7},
        "schedule": "one_cycle",
        "schedule_params": {"warmup": 0.123457, "peak": 9.87654},
        "clip_norm": 1.23457,
        "clip_value": 2.34568,
        "weight_decay": 0.0123457,
        "batch_size": 12.3457,
        "line_search": True,
        "label": "標籤" * 30,
        "color": "#123456",
    }
    formula = "0.123456789*x*y+" * 31 + "x"  # 497 characters
    data = {"surface": "formula", "formula": formula, "start": [0.123457, -1.23457]}
    notices = []
    scene = scenes.from_dict({**data, "rows": [row] * scenes.MAX_ROWS}, notices)
    assert len(scene.rows) == scenes.MAX_ROWS and scene.formula == formula
    assert 8192 < len(scenes.url.query_string(scene)) < scenes.url.LINK_LIMIT
    assert "large_client_header_buffers 4 32k;" in (ROOT / "deploy" / "nginx.conf").read_text()
