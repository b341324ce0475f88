"""Exports and the command line: every format from a preset, a scene file and a link; files
that open, hold what was asked, reload, and carry no NaN; bad input exits 2 in one line."""

import base64
import csv
import dataclasses
import io
import json
import math
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

import optimizers
import scenes
from charts import frames, landscape
from charts.payload import unpack
from optimizers import insight
from scenes import export
from scenes.__main__ import main
from tests.browser import ROOT

LINK = "http://localhost:8501/?surface=quadratic&sp.condition=20&steps=60&o=sgd;learning_rate=0.08&o=sgd;learning_rate=0.2"


@pytest.fixture(scope="module")
def scene_file(tmp_path_factory):
    _, scene, _ = scenes.presets.load("momentum_vs_nesterov_ravine")
    path = tmp_path_factory.mktemp("scenes") / "mine.json"
    small = scenes.from_dict({**scene.to_dict(), "steps": 80})
    path.write_text(json.dumps({"title": "mine", "note": "a test scene", "scene": small.to_dict()}))
    return str(path)


def check(fmt, path, scene):
    if fmt == "gif":
        with Image.open(path) as image:
            assert image.n_frames == 12 and image.size[0] == 240
    elif fmt == "mp4":
        assert imageio_ffmpeg.count_frames_and_secs(str(path))[0] == 12
        assert next(imageio_ffmpeg.read_frames(str(path)))["size"][0] == 240
    elif fmt == "html":
        text = pathlib.Path(path).read_text()
        header, arrays = unpack(base64.b64decode(re.search(r'data: "([A-Za-z0-9+/=]+)"', text)[1]))
        assert header["n"] == len(scene.rows) and header["steps"] == scene.steps
        assert not re.search(r"(src|href)=[\"']?https?:", text)  # nothing fetched from anywhere
    elif fmt == "png":
        with Image.open(path) as image:
            image.verify()
    elif fmt == "svg":
        assert ElementTree.parse(path).getroot().tag.endswith("svg")
    elif fmt == "csv":
        with open(path) as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == export.CSV_COLUMNS and len(rows) - 1 == len(scene.rows) * (
            scene.steps + 1
        )
        assert all(
            v == "" or math.isfinite(float(v))  # an empty cell: no such value (not a fake one)
            for row in rows[1:]
            for k, v in zip(rows[0], row, strict=True)
            if k not in ("optimizer", "status", "rule")
        )
        status = rows[0].index("status")
        assert {row[status] for row in rows[1:]} <= set(insight.STATUSES)
    else:
        data = json.loads(
            pathlib.Path(path).read_text()
        )  # json.loads takes NaN: check finiteness below
        assert scenes.from_dict(data["scene"]) == scene
        assert all(
            v is None or math.isfinite(v)
            for run in data["runs"]
            for step in run["steps"]
            for v in step.values()
            if not isinstance(v, str)
        )


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.parametrize("source", ["preset", "file", "link"])
def test_every_format_from_every_kind_of_source(fmt, source, scene_file, tmp_path):
    name = {"preset": "lr_too_small_good_too_large", "file": scene_file, "link": LINK}[source]
    out = tmp_path / f"out.{fmt}"
    assert (
        main(
            ["render", name, "--format", fmt, "--out", str(out), "--size", "240", "--frames", "12"]
        )
        == 0
    )
    check(fmt, out, scenes.__main__.load(name)[1])


def test_the_html_export_plays_offline_and_shows_a_title_as_text(scene_file, browser, tmp_path):
    evil = json.loads(pathlib.Path(scene_file).read_text())
    evil["title"] = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    source = tmp_path / "evil.json"
    source.write_text(json.dumps(evil))
    out = tmp_path / "scene.html"
    assert main(["render", str(source), "--format", "html", "--out", str(out)]) == 0
    context = browser.new_context()
    outside, dialogs, errors = [], [], []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(out.as_uri())
    page.wait_for_selector(".lll-player[data-ready=true]", timeout=30_000)
    before = page.evaluate("window.__lll.frames")
    page.wait_for_function(f"window.__lll.frames > {before} + 5", timeout=10_000)
    assert page.locator("h1").inner_text() == evil["title"]
    page.keyboard.press("Tab")
    page.locator(".lll-player").press(" ")  # the app's keyboard: space pauses
    assert page.locator(".lll-player").get_attribute("data-playing") == "false"
    assert not outside and not dialogs and not errors
    assert out.stat().st_size < 2_000_000  # small enough to email
    context.close()


@pytest.mark.parametrize(
    "args, message",
    [
        (["render", "no_such_preset", "--format", "gif"], "neither a preset"),
        (["render", "/etc/hostname", "--format", "csv"], "cannot read"),
        (["render", "http://x/?surface=banana", "--format", "csv"], "surface: unknown 'banana'"),
        (["render", "classic_beale", "--format", "gif", "--size", "99999"], "size must be"),
        (["render", "classic_beale", "--format", "png", "--step", "-3"], "step must be"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, tmp_path, capsys):
    assert main([*args, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and not (tmp_path / "x").exists()


def test_the_module_runs_from_a_shell(tmp_path):
    listed = subprocess.run(
        [sys.executable, "-m", "scenes", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "classic_beale\t" in listed.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "scenes",
            "render",
            "nope",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")


def test_animation_text_falls_back_to_english_without_a_chinese_font(tmp_path):
    assert frames.font_for(12, candidates=[str(tmp_path / "none.ttc")])[1] is False
    surface = scenes.Scene().surface_object()
    painter = frames.Frames(
        surface, [[[0.0, 0.0], [0.1, 0.1]]], [-1], ["SGD"], ["#ff0000"], 120, step="步"
    )
    assert painter.step_word == ("步" if frames.font_for(12)[1] else "step")


@pytest.mark.parametrize("lang, word", [("zh-Hant", "步"), ("en", "step")])
def test_a_chinese_html_export_speaks_chinese(lang, word, tmp_path):
    _, scene, _ = scenes.presets.load("classic_beale")
    page = export.render(
        scenes.from_dict({**scene.to_dict(), "steps": 20}), "html", lang=lang
    ).decode()
    header, _ = unpack(base64.b64decode(re.search(r'data: "([A-Za-z0-9+/=]+)"', page)[1]))
    assert header["text"]["step"] == word and f'lang="{lang}"' in page


def test_a_label_is_text_in_svg_and_png_exports():
    scene = scenes.from_dict(
        {"surface": "sphere", "steps": 20, "rows": [{"name": "sgd", "label": "<script>x</script>"}]}
    )
    svg = export.render(scene, "svg").decode()
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    ElementTree.fromstring(svg)  # still well-formed XML


def test_an_escaped_run_is_exported_as_escaped_not_diverged():
    _, scene, _ = scenes.presets.load("saddle_escape")
    runs = json.loads(export.render(scene, "json"))["runs"]
    escaped = [run for run in runs if run["escaped_at"] >= 0]
    assert escaped and all(run["diverged_at"] == -1 for run in escaped)


def test_the_data_files_say_each_steps_status_and_leave_what_does_not_exist_empty():
    """Converged from the step a run comes within tolerance and stays (counted here, from the
    loss column); a diverged run's rows after its last point in the picture are marked and
    empty; the start has no rate, gradient or update."""
    scene = scenes.from_dict(
        {
            "surface": "quadratic",
            "surface_params": {"condition": 50},
            "steps": 400,
            "rows": [
                {"name": "momentum", "hyper": {"learning_rate": 0.05, "momentum": 0.95}},
                {"name": "sgd", "hyper": {"learning_rate": 0.05}},  # > 2/λmax = 0.04
            ],
        }
    )
    rows = list(csv.DictReader(io.StringIO(export.to_csv(scene, export.trajectories(scene)))))
    tol = insight.tolerance(scene.surface_object(), scene.start_point())
    swinging = [r for r in rows if r["optimizer"].startswith("Momentum")]
    gaps = [float(r["loss"]) for r in swinging]  # f* = 0
    stays = next(n for n in range(401) if all(g < tol for g in gaps[n:]))
    assert [r["status"] for r in swinging] == ["running"] * stays + ["converged"] * (401 - stays)
    assert 0 < stays < 400
    blown = [r for r in rows if r["optimizer"].startswith("SGD")]
    last = max(int(r["step"]) for r in blown if r["x"] != "")
    assert 0 < last < 400 and all(r["status"] == "running" for r in blown[: last + 1])
    for r in blown[last + 1 :]:
        assert r["status"] == "diverged" and float(r["lr"]) == pytest.approx(0.05)
        assert r["x"] == r["y"] == r["loss"] == r["grad_x"] == r["update_y"] == ""
    assert all(rows[0][k] == "" for k in ("lr", "grad_x", "grad_y", "update_x", "update_y"))


def test_nice_ticks_are_one_two_or_five_times_a_power_of_ten():
    """Heckbert's "nice numbers for graph labels" (Graphics Gems, 1990): ticks 1, 2 or 5
    times a power of ten apart, inside the range."""
    from charts.frames import nice_ticks

    assert nice_ticks(-2, 2) == [-2, -1, 0, 1, 2]
    assert nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(-4.5, 4.5) == [-4, -2, 0, 2, 4]
    assert nice_ticks(0.3, 2.7, 3) == [1.0, 2.0]  # a step of 2.4 / 2 = 1.2 rounds to 1


def test_a_presets_labels_speak_the_readers_language_in_every_picture():
    _, scene, _ = scenes.presets.load("lr_too_small_good_too_large")
    t = export.trajectories(scene)
    assert scene.shown_labels(t.labels, "zh-Hant") == [
        "太小 (0.005)",
        "剛好 (0.08)",
        "太大 (0.105)",
    ]
    assert scene.shown_labels(t.labels, "zh-Hans") == [
        "太小 (0.005)",
        "刚好 (0.08)",
        "太大 (0.105)",
    ]
    typed = scenes.from_dict({"rows": [{"name": "sgd", "label": "too small, says me"}]})
    assert typed.shown_labels(["too small, says me"], "zh-Hant") == ["too small, says me"]


def test_a_still_has_a_legend_of_the_runs_in_their_colours():
    _, scene, _ = scenes.presets.load("lr_too_small_good_too_large")
    t = export.trajectories(scene)
    labels = scene.shown_labels(t.labels, "zh-Hant")
    spec = landscape.filled_scene_chart(
        scene.surface_object(), scene.layout, t._replace(labels=labels), scene.colors(), 10
    )
    rows = spec["vconcat"][1]["data"]["values"]  # under the picture, above the curves
    assert [(r["label"], r["c"]) for r in rows] == list(zip(labels, scene.colors(), strict=True))


def test_an_animation_has_axes_and_can_carry_its_loss_curves():
    from charts import frames

    _, scene, _ = scenes.presets.load("lr_too_small_good_too_large")
    t = export.trajectories(scene)
    args = (scene.surface_object(), t.xy, t.diverged_at, t.labels, scene.colors(), 300)
    plain, curved = frames.Frames(*args), frames.Frames(*args, loss=t.loss)
    assert plain.left > 0 and curved.frame(0).height > plain.frame(0).height + 60
    (left, top, right, bottom), _, _ = curved.curve
    early, late = (np.asarray(curved.frame(k))[top:bottom, left:right] for k in (0, scene.steps))
    green = frames.rgb(scene.colors()[1])  # the good rate's curve is drawn as the steps go by
    assert not (early == green).all(axis=-1).any() and (late == green).all(axis=-1).sum() > 50
    axis = np.asarray(plain.frame(0))[plain.top : plain.top + plain.height, : plain.left - 8]
    assert (axis < 100).all(axis=-1).sum() > 30  # tick values written left of the picture


def test_pictures_fall_back_to_english_where_no_font_writes_chinese(monkeypatch):
    from charts import frames

    monkeypatch.setattr(frames, "cjk_font", lambda *a: None)
    assert export.picture_language("png", "zh-Hant") == "en"
    assert export.picture_language("gif", "zh-Hans") == "en"
    assert export.picture_language("svg", "zh-Hant") == "zh-Hant"  # the reader's fonts draw it
    assert not export.falls_back("png", "en")


@pytest.mark.parametrize("size", [export.MIN_SIZE, 300])
def test_the_smallest_animation_still_has_room_for_its_picture(size):
    scene = scenes.from_dict({"surface": "sphere", "steps": 5})
    with Image.open(io.BytesIO(export.render(scene, "gif", size=size, frames=3))) as image:
        assert image.size[0] == size
    with pytest.raises(ValueError, match="size must be"):
        export.render(scene, "gif", size=export.MIN_SIZE - 1)


def test_a_typed_rule_is_written_out_in_the_html_and_reloads_from_the_json():
    _, scene, _ = scenes.presets.load("nesterov_look_ahead")
    scene = scenes.from_dict({**scene.to_dict(), "steps": 20})
    page = export.render(scene, "html", lang="zh-Hans").decode()
    assert (
        "以前瞻写的 Nesterov 动量 运行你的规则：params: mu = 0.9; v = mu * v - lr * grad(" in page
    )
    data = json.loads(export.render(scene, "json"))
    assert scenes.from_dict(data["scene"]) == scene and data["scene"]["rows"][0]["rule"]
    rows = list(csv.DictReader(io.StringIO(export.render(scene, "csv").decode())))
    look_ahead = "params: mu = 0.9; v = mu * v - lr * grad(x + mu * v); x = x + v"
    assert {r["rule"] for r in rows} == {look_ahead, ""} and len(rows) == 3 * 21
    assert all(r["rule"] == look_ahead for r in rows[:21])  # the rule's run, each of its lines


def test_an_animation_writes_a_typed_rule_under_its_runs_label_within_the_picture():
    _, scene, _ = scenes.presets.load("nesterov_look_ahead")
    scene = scenes.from_dict({**scene.to_dict(), "steps": 10})
    same_label = scenes.Row("nesterov", label=scene.rows[0].label)
    built_in = dataclasses.replace(scene, rows=(same_label, *scene.rows[1:]))
    heights = {}
    for name, shown in (("rule", scene), ("built-in", built_in)):
        last, _ = export.animation(shown, export.trajectories(shown), 300, 2)
        assert last.width == 300
        heights[name] = last.height
    font, _ = frames.font_for(max(11, 300 // 40))
    width = 300 - 20 - 2 * font.size
    lines = frames.wrapped(optimizers.own.one_line(scene.rows[0].rule), font, width)
    assert len(lines) >= 2 and all(font.getlength(line) <= width for line in lines)
    assert "".join(lines).replace(";", "").replace(" ", "") == scene.rows[0].rule.replace(
        "\n", ""
    ).replace(" ", "")  # every character of the rule, in order
    assert heights["rule"] - heights["built-in"] == len(lines) * (font.size + 6)
