"""Reliability: odd links and scene files never crash the app and end inside the declared
ranges, extreme numbers stay finite everywhere, and the same scene gives bit-identical
trajectories in another process."""

import csv
import hashlib
import io
import math
import re
import subprocess
import sys

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
import scenes
from charts.payload import pack, unpack
from scenes import export, view
from tests.browser import ROOT
from tests.test_app import app, current_scene, lab

ODD_TEXT = st.one_of(
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "1e309",
            "-0",
            "0x10",
            "",
            " ",
            "1e9",
            "-1e9",
            "<script>alert(1)</script>",
            "\\input{/etc/passwd}",
            "%00",
            "😀",
            "sgd;learning_rate=nan",
            "adam;s=plateau;s.factor=9",
        ]
    ),
    st.text(max_size=40),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
KEYS = st.sampled_from(
    [
        "surface",
        "steps",
        "noise",
        "seed",
        "layout",
        "l1",
        "l2",
        "start",
        "domain",
        "formula",
        "sp.condition",
        "sp.angle",
        "sp.a",
        "o",
        "lang",
        "present",
        "lr_hide",
        "view",
        "bogus",
    ]
)


def in_range(scene: scenes.Scene) -> bool:
    """Every value of the scene inside its declared range."""
    surface = scene.base_surface()
    (x0, x1), (y0, y1) = surface.domain
    x, y = scene.start_point()
    rows_ok = all(
        all(
            spec.low <= row.hyper.get(k, spec.default) <= spec.high
            for k, spec in row.entry().hyper.items()
        )
        for row in scene.rows
    )
    return (
        1 <= scene.steps <= scenes.MAX_STEPS
        and 0 <= scene.noise <= 100
        and 1 <= len(scene.rows) <= scenes.MAX_ROWS
        and x0 <= x <= x1
        and y0 <= y <= y1
        and rows_ok
        and 0 <= scene.l1 <= 10
        and 0 <= scene.l2 <= 10
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, st.one_of(ODD_TEXT, st.lists(ODD_TEXT, max_size=3)), max_size=6))
def test_any_link_renders_without_a_traceback_and_ends_in_range(query):
    query = {
        k: v for k, v in query.items() if k != "view" or v in ("surfaces", "insights", "network")
    }
    at = app(query)
    assert not at.exception
    if lab(at).view == "surfaces":
        assert in_range(current_scene(at))


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.floats(), st.text(max_size=12), st.integers()),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_scene_file_loads_in_range_with_notices(data):
    notices = []
    scene = scenes.from_dict(
        data if not isinstance(data, dict) else {"rows": [data], **data}, notices
    )
    assert in_range(scene)
    assert all(isinstance(n, str) and "\n" not in n for n in notices)


def test_extreme_numbers_are_handled_and_nothing_non_finite_leaves():
    rows = [
        "sgd;learning_rate=1e9",
        "momentum;momentum=1;learning_rate=0.1",
        "adam;eps=0;learning_rate=0.1",
        "rmsprop;eps=0",
        "sgd;learning_rate=nan",
        "adagrad;learning_rate=inf",
    ]
    query = {
        "surface": "rosenbrock",
        "steps": str(scenes.MAX_STEPS),
        "start": "1e9,-1e9",
        "o": rows,
    }
    at = app(query)
    assert not at.exception and at.warning  # the 1e9 run diverges, and says so
    scene = current_scene(at)
    assert in_range(scene) and scene.steps == scenes.MAX_STEPS
    t = export.trajectories(scene)
    header, arrays = unpack(
        pack(t, optimizers.divergence_box(scene.surface_object().domain), t.labels, scene.colors())
    )
    assert all(np.isfinite(a.astype(np.float64)).all() for a in arrays.values())
    rows = list(csv.DictReader(io.StringIO(export.to_csv(scene, t))))
    numbers = [k for k in export.COLUMNS if k not in ("step", "optimizer", "status")]
    assert all(
        r[k] == "" or math.isfinite(float(r[k]))  # empty: no such value (after a run diverged)
        for r in rows
        for k in numbers
    )


def test_view_flags_from_any_text_are_safe():
    for value in ["<script>", "../../etc", "zh-Hant;drop", "1" * 1000]:
        flags, _ = view.from_query(
            {"lang": value, "present": value, f"{value}_hide": "true", "lr_hide": value}
        )
        assert flags.lang in ("en", "zh-Hant", "zh-Hans") and flags.hidden <= set(view.CONTROLS)


DIGEST = """
import hashlib, scenes
from scenes import export
_, scene, _ = scenes.presets.load("batch_size_noise")
t = export.trajectories(scene)
arrays = (t.xy, t.loss, t.lr, t.grad, t.update)
print(hashlib.sha256(b"".join(a.tobytes() for a in arrays)).hexdigest())
"""


def test_the_same_scene_gives_bit_identical_trajectories_in_another_process():
    _, scene, _ = scenes.presets.load("batch_size_noise")  # noisy: the seed must carry it all
    t = export.trajectories(scene)
    here = hashlib.sha256(
        b"".join(a.tobytes() for a in (t.xy, t.loss, t.lr, t.grad, t.update))
    ).hexdigest()
    env = {"PYTHONPATH": str(ROOT), "JAX_PLATFORMS": "cpu", "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", DIGEST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == [here, here]


def test_a_formula_cannot_reach_latex_commands_or_python():
    for text in [
        "\\input{/etc/passwd}",
        "__import__('os')",
        "x.__class__",
        "open('f')",
        "lambda: 1",
        "x; y",
    ]:
        try:
            landscapes.formula.parse(text)
        except landscapes.FormulaError:
            continue
        raise AssertionError(f"{text!r} parsed")
    latex = landscapes.formula.to_latex(
        landscapes.formula.parse("sqrt(abs(x)) + exp(-y^2)/2 + atan2(x, y)")
    )
    assert set(re.findall(r"\\([A-Za-z]+)", latex)) <= {
        "sqrt",
        "left",
        "right",
        "frac",
        "operatorname",
    }
