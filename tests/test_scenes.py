"""Scenes: validation of hand-edited input, link round trips, presets, widget state."""

import json
import math
import urllib.parse

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
import scenes
from scenes.scene import row_colors, row_from_dict


def test_every_preset_loads_cleanly_and_round_trips_through_a_link():
    assert len(scenes.presets.names()) >= 8
    for name in scenes.presets.names():
        meta, scene, notices = scenes.presets.load(name)
        assert meta["title"] and meta["note"] and not notices, name
        again, notices = scenes.from_query(scenes.to_query(scene))
        assert again == scene and not notices, name
        for row in scene.rows:
            row.spec()  # builds without error


def test_bad_values_fall_back_with_a_notice_each():
    notices = []
    scene = scenes.from_dict(
        {
            "surface": "banana",
            "steps": "lots",
            "noise": float("nan"),
            "seed": -4,
            "layout": "<script>",
            "start": [1e9, "x"],
            "rows": [
                {"name": "adam", "hyper": {"learning_rate": 1e9, "nope": 1}},
                {"name": "rm -rf"},
                7,
            ],
        },
        notices,
    )
    assert (
        scene.surface == "rosenbrock" and scene.steps == scenes.Scene().steps and scene.noise == 0.0
    )
    assert scene.seed == 0 and scene.layout == "overlay" and scene.start is None
    assert [r.name for r in scene.rows] == ["adam", "sgd", "sgd"]
    assert (
        scene.rows[0].hyper["learning_rate"] == optimizers.entry("adam").hyper["learning_rate"].high
    )
    assert len(notices) >= 8 and all("\n" not in n for n in notices)


def test_start_outside_the_domain_is_moved_to_its_edge():
    notices = []
    scene = scenes.from_dict({"surface": "sphere", "start": [10, -0.5]}, notices)
    assert scene.start == (2.0, -0.5) and notices


def test_too_many_rows_are_cut_with_a_notice():
    notices = []
    scene = scenes.from_dict({"rows": [{"name": "sgd"}] * 40}, notices)
    assert len(scene.rows) == scenes.MAX_ROWS and any("at most" in n for n in notices)


def _in_range(scene):
    assert scene.surface in landscapes.names()
    assert 1 <= scene.steps <= scenes.MAX_STEPS and 0 <= scene.noise <= 100
    assert 1 <= len(scene.rows) <= scenes.MAX_ROWS
    for key, value in scene.surface_params.items():
        spec = landscapes.param_specs(scene.surface)[key]
        assert spec.low <= value <= spec.high
    for row in scene.rows:
        for key, value in row.hyper.items():
            spec = optimizers.entry(row.name).hyper[key]
            assert math.isfinite(value) and spec.low <= value <= spec.high
        row.spec()


TEXT = st.text(max_size=40)
QUERY = st.dictionaries(
    st.sampled_from(
        ["surface", "steps", "noise", "seed", "layout", "start", "l1", "sp.condition", "o", "zz"]
    ),
    st.one_of(
        TEXT,
        st.lists(TEXT, max_size=4),
        st.sampled_from(["adam;learning_rate=1e400", "quadratic", "1,2"]),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(QUERY)
def test_any_query_string_gives_a_valid_scene(query):
    scene, notices = scenes.from_query(query)
    _in_range(scene)
    assert all(isinstance(n, str) for n in notices)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | TEXT,
        lambda c: st.lists(c) | st.dictionaries(TEXT, c),
        max_leaves=20,
    )
)
def test_any_scene_file_content_gives_a_valid_scene(data):
    _in_range(scenes.from_dict(data, []))
    if isinstance(data, dict):
        _in_range(scenes.from_dict({"rows": [data], "surface_params": data}, []))


def test_scene_runs_to_finite_trajectories():
    _, scene, _ = scenes.presets.load("lr_too_small_good_too_large")
    t = optimizers.run(
        scene.surface_object(), [r.spec() for r in scene.rows], scene.start_point(), scene.steps
    )
    assert t.diverged_at[2] >= 0 and t.diverged_at[1] == -1
    assert np.all(np.isfinite(t.xy))


def test_row_buttons_as_pure_functions():
    from scenes import rows

    one = (scenes.Row("sgd", {"learning_rate": 0.02}, label="mine", color="#123456"),)
    assert rows.remove(one, 0) == one  # never empty
    trio = rows.three_rates(one, 0)
    assert [r.hyper["learning_rate"] for r in trio] == pytest.approx([0.002, 0.02, 0.2])
    assert all(r.label == "" for r in trio)  # copies get automatic names
    assert [r.color for r in trio][1] == "#123456"  # the middle one is the row, in its colour
    assert len(set(row_colors(trio))) == 3  # the others get colours of their own
    copied = rows.duplicate(trio, 1)
    assert copied[2].hyper == trio[1].hyper and copied[2].color != copied[1].color
    full = one * scenes.MAX_ROWS
    assert (
        len(rows.add(full))
        == len(rows.duplicate(full, 0))
        == len(rows.three_rates(full, 3))
        == scenes.MAX_ROWS
    )


RULE_ROW = {
    "name": "rule",
    "rule": "params: mu = 0.9  # CS231n's momentum\nv = mu * v - lr * g\nx = x + v",
    "hyper": {"learning_rate": 0.002, "mu": 0.5},
    "label": "my momentum",
}


def test_a_rule_row_round_trips_through_a_link_and_a_scene_file_and_runs():
    scene = scenes.from_dict({"rows": [RULE_ROW, {"name": "momentum"}]})
    assert scene.rows[0].rule == RULE_ROW["rule"] and scene.rows[0].hyper == RULE_ROW["hyper"]
    query = scenes.url.query_string(scene)
    assert "o=rule%3B" in query and "mu%3D0.5" in query
    from_link, notices = scenes.from_query(dict(urllib.parse.parse_qs(query)))
    assert from_link == scene and not notices
    assert scenes.from_dict(json.loads(json.dumps(scene.to_dict()))) == scene
    t = optimizers.run(scene.surface_object(), [r.spec() for r in scene.rows], steps=20)
    assert t.labels[0] == "my momentum" and np.isfinite(t.xy).all()


@pytest.mark.parametrize(
    "change, key",
    [
        ({"rule": "x = x - lr * h"}, "notice.rule"),
        ({"rule": ["x = x"]}, "notice.rule"),
        ({"rule": "x = (" * 300}, "notice.rule"),
        ({"hyper": {"mu": 7.0}}, "notice.outside"),
        ({"hyper": {"b1": 0.5}}, "notice.no_param"),
    ],
)
def test_a_bad_rule_row_falls_back_with_a_notice(change, key):
    notices = []
    row = row_from_dict({**RULE_ROW, **change}, notices)
    assert [n.key for n in notices] == [key]
    assert row.name == ("sgd" if key == "notice.rule" else "rule")
