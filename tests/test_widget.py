"""The notebook widget's Python side: what it sends the picture, and what Python can change."""

import json

import pytest

import optimizers
import scenes
from charts import landscape, payload
from scenes.widget import Player

SCENE = scenes.scene("rosenbrock", ["adam", dict(name="sgd", learning_rate=1e-3)], steps=120)


def header(player: Player) -> dict:
    return payload.unpack(player.data)[0]


def test_the_picture_gets_the_apps_specs_and_runs_in_the_readers_language():
    player = Player(SCENE, lang="zh-Hans")
    spec = json.loads(player.spec)
    assert set(spec["spec"]) >= {"landscape", "curves"}
    sent = header(player)
    assert sent["spec_key"] == spec["key"] and sent["steps"] == 120
    assert sent["text"]["play"] == "播放"
    assert player.scene == SCENE and player.start == list(SCENE.start_point())
    assert player.step == 0 and player.playing


def test_a_rate_set_from_python_sends_new_runs_to_the_same_picture_and_compiles_nothing(
    monkeypatch,
):
    player = Player(SCENE)
    spec, data = player.spec, player.data
    player.set_row(1, learning_rate=3e-3)  # compiles the runs' program once, if it is new
    before = optimizers.trace_count()
    monkeypatch.setattr(landscape, "scene_specs", None)  # the picture is not made again
    player.set_row(1, learning_rate=2e-3)
    assert optimizers.trace_count() == before
    assert player.scene.rows[1].hyper["learning_rate"] == 2e-3
    assert player.scene.rows[0] == SCENE.rows[0]
    assert player.spec == spec and player.data != data  # the picture stays, its runs change


def test_a_start_set_by_a_click_runs_the_scene_from_there():
    player = Player(SCENE)
    data = player.data
    player.start = [0.5, -0.25]  # what the picture sends when the landscape is clicked
    assert player.scene.start_point() == (0.5, -0.25)
    assert player.data != data


@pytest.mark.parametrize(
    "row, fields, said",
    [
        (5, {"learning_rate": 0.1}, "no row 5"),
        (0, {"learnin_rate": 0.1}, "learnin_rate"),
        (1, {"learning_rate": "fast"}, "learning_rate"),
        (0, {"name": "adamm"}, "adamm"),
    ],
)
def test_a_row_change_it_cannot_take_is_one_line_and_keeps_the_scene(row, fields, said):
    player = Player(SCENE)
    with pytest.raises(scenes.SceneError) as error:
        player.set_row(row, **fields)
    assert said in str(error.value) and "\n" not in str(error.value)
    assert player.scene == SCENE


def test_the_3d_view_and_step_parts_travel_when_asked_for():
    player = Player(SCENE)
    assert "mesh" not in header(player)
    player.view3d = True
    player.parts = True
    sent, arrays = payload.unpack(player.data)
    assert "mesh" in sent and {"gs", "rest"} <= set(arrays)


def test_another_optimizer_in_a_row_starts_from_its_own_defaults():
    player = Player(SCENE)
    player.set_row(0, name="momentum")
    assert player.scene.rows[0].name == "momentum"
    assert player.scene.rows[0].hyper == scenes.Row(name="momentum").hyper


def test_the_pictures_report_is_taken_unless_python_changed_the_step_since():
    player = Player(SCENE)
    player._handle_custom_msg({"step": 30, "playing": True, "told": player.told}, [])
    assert (player.step, player.playing) == (30, True)  # the picture played on to step 30
    crossing = {"step": 83, "playing": False, "told": player.told}  # sent as Python wrote:
    player.playing = False
    player.step = 40
    player._handle_custom_msg(crossing, [])
    assert (player.step, player.playing) == (40, False)  # Python's own change stands
    player._handle_custom_msg({"step": 41, "playing": False, "told": player.told}, [])
    assert player.step == 41  # the ArrowRight that came after it
