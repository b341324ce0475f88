"""Chart specs build, carry the `step` parameter and no NaN/Inf; the payload round-trips."""

import base64
import csv
import io
import json
import math
from types import SimpleNamespace

import numpy as np
import pytest
import vl_convert as vlc
from PIL import Image

import landscapes
import optimizers
import optimizers.insight
from charts import background, landscape, payload
from charts import insight as insight_charts
from charts import network as network_charts


def _params(spec):
    return {p["name"] for p in spec.get("params", [])}


@pytest.mark.parametrize(
    "name", ["rosenbrock", "saddle", "goldstein_price", "eggholder", "long_valley"]
)
@pytest.mark.parametrize("layout, n", [("overlay", 3), ("side", 4)])
def test_scene_chart_builds_with_step_param_and_finite_numbers(name, layout, n):
    specs = landscape.scene_specs(landscapes.get(name), layout, n)
    assert {"last_step", "loss_lo", "loss_hi", "lr_lo", "lr_hi"} <= _params(specs["curves"])
    text = json.dumps(specs, allow_nan=False)  # raises on NaN or Inf
    assert "data:image/webp;base64," in text and '"paths"' not in text  # the player draws the data
    assert len(text) < 120_000  # sent once per surface: keep it light
    static = landscape.scene_chart(
        landscapes.get(name), layout, n
    ).to_dict()  # files, static pictures
    assert "step" in _params(static) and "datum.s <= step" in json.dumps(static, allow_nan=False)


def test_side_by_side_has_one_panel_per_optimizer():
    surface = landscapes.get("sphere")
    assert len(landscape.scene_specs(surface, "side", 5)["landscape"]["concat"]) == 5
    panels = landscape.scene_chart(surface, "side", 5).to_dict()["vconcat"][0]["concat"]
    assert len(panels) == 5 and "datum.i == 4" in json.dumps(panels[4])


def test_loss_axis_is_the_gap_to_the_minimum_or_symlog_without_one():
    with_min = json.dumps(landscape.curves(landscapes.get("styblinski_tang")).to_dict())
    assert "datum.loss - (-78.33" in with_min and '"type": "log"' in with_min
    assert '"symlog"' in json.dumps(landscape.curves(landscapes.get("monkey_saddle")).to_dict())
    frame = landscape.curve_frame(landscapes.get("styblinski_tang")).to_dict()["usermeta"]["loss"]
    assert frame["scale"] == "log" and frame["f_min"] == pytest.approx(-78.33, abs=0.01)
    assert (
        landscape.curve_frame(landscapes.get("monkey_saddle")).to_dict()["usermeta"]["loss"][
            "f_min"
        ]
        is None
    )


def test_log_field_is_finite_and_normalized_even_with_infinities():
    z = np.array([[1.0, np.inf], [np.nan, 1e6]])
    field = background.log_field(z)
    assert np.all(np.isfinite(field)) and field.min() == 0 and field.max() == 1


def test_payload_round_trips_within_quantization_and_has_no_nan():
    surface = landscapes.get("quadratic", condition=50)
    specs = [optimizers.make("sgd", learning_rate=lr) for lr in (0.01, 0.039, 0.05)]
    t = optimizers.run(surface, specs, steps=300)
    assert t.diverged_at[2] >= 0
    box = optimizers.divergence_box(surface.domain)
    data = payload.pack(
        t, box, t.labels, ["#ff0000", "#00ff00", "#0000ff"], extra={"spec_key": "k"}
    )
    header, arrays = payload.unpack(data)
    assert header["spec_key"] == "k" and header["diverged"] == [int(d) for d in t.diverged_at]
    xy = box[0] + arrays["xy"] / 65535 * (box[1] - box[0])
    assert np.abs(xy - t.xy).max() <= (box[1] - box[0]).max() / 65535
    np.testing.assert_array_equal(arrays["loss"], t.loss)
    lr = 10 ** (arrays["lr"] / header["log_scale"])
    np.testing.assert_allclose(lr, t.lr, rtol=2.4e-3)
    assert len(data) < 12 * 3 * 301 + 2000


def test_payload_of_eight_runs_of_a_thousand_steps_is_under_100_kb():
    surface = landscapes.get("rosenbrock")
    t = optimizers.run(
        surface, [optimizers.make("adam", learning_rate=10.0**-k) for k in range(1, 9)], steps=1000
    )
    data = payload.pack(t, optimizers.divergence_box(surface.domain), t.labels, ["#000000"] * 8)
    assert len(data) < 100_000


def test_axes_are_named_after_what_the_coordinates_are():
    def titles(name):
        spec = landscape.scene_specs(landscapes.get(name), "overlay", 1)["landscape"]
        layer = spec["layer"][0]["encoding"]
        return layer["x"]["title"], layer["y"]["title"]

    assert titles("rosenbrock") == ("x", "y")
    assert titles("linear_regression") == ("w (slope)", "b (intercept)")


def test_inline_tables_keep_every_value_and_declare_their_number_columns():
    rows = [
        {"row": 'sgd, "fast"', "rate": 0.001, "steps": None, "diverged": True, "k": 3},
        {"row": "<b>adam</b>\nβ=0.9", "rate": 1e-7, "steps": 12, "diverged": False, "k": 4},
    ]
    data = insight_charts.table(rows).to_dict()
    assert data["format"] == {
        "type": "csv",
        "parse": dict.fromkeys(["rate", "steps", "diverged", "k"], "number"),
    }
    back = list(csv.DictReader(io.StringIO(data["values"])))
    assert [r["row"] for r in back] == [r["row"] for r in rows]
    assert [float(r["rate"]) for r in back] == [0.001, 1e-7] and back[0]["steps"] == ""
    assert [r["diverged"] for r in back] == ["1", "0"]


def test_the_fan_density_is_each_rows_colour_where_its_runs_went_and_clear_elsewhere():
    surface = landscapes.get("sphere")
    (x0, x1), (y0, y1) = surface.domain
    left, right = np.zeros((5, 3, 2)), np.zeros((5, 3, 2))
    left[...] = x0 + 0.13 * (x1 - x0), y0 + 0.63 * (y1 - y0)  # every run of a row sits at one point
    right[...] = x0 + 0.93 * (x1 - x0), y0 + 0.27 * (y1 - y0)
    fans = [
        SimpleNamespace(xy=left),
        SimpleNamespace(xy=np.concatenate([right, np.full((1, 3, 2), np.nan)])),
    ]
    url = insight_charts.fan_density(surface, fans, ["#ff0000", "#0000ff"], 40, 40)
    picture = np.asarray(
        Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA")
    )
    assert np.count_nonzero(picture[..., 3]) == 2  # nothing anywhere else, the NaN run dropped
    red, blue = (255, 0, 0, 230), (0, 0, 255, 230)
    assert tuple(picture[14, 5]) == red and tuple(picture[29, 37]) == blue  # row 0 is the top


def test_a_noise_fan_chart_carries_each_rows_label_and_only_finite_numbers():
    surface = landscapes.get("himmelblau")
    specs = [
        optimizers.make("sgd", learning_rate=0.01),
        optimizers.make("sgd", learning_rate=5.0),
    ]  # one diverges
    fans = optimizers.insight.noise_fans(surface, specs, (0.0, 0.0), 60, 1.0, seeds=8)
    spec = insight_charts.noise_fans(
        surface, ["calm", "wild"], fans, ["#e6194b", "#3cb44b"]
    ).to_json()
    assert '"calm"' in spec and '"wild"' in spec and "NaN" not in spec and "Infinity" not in spec


def test_where_the_loss_is_not_finite_the_picture_is_hatched_not_painted_as_a_loss():
    """log(x + 2.5) is not finite left of x = −2.5 (the domain starts at −3): that strip holds
    only the hatch's two greys, the rest only colours of the loss map."""
    surface = landscapes.from_formula("log(x + 2.5) + y^2")
    pixels = np.asarray(background.picture(surface, 240), np.int16)
    (dark, _, _), (light, _, _) = background.NOT_FINITE

    def near_hatch(block):  # a grey between the hatch's two (its stripes blur into each other)
        grey = block.max(axis=-1) - block.min(axis=-1) <= 6
        return grey & (block[..., 0] >= dark - 10) & (block[..., 0] <= light + 10)  # Lanczos rings

    strip = pixels[:, : int(240 * 0.4 / 6) - 2]  # x from −3 to −2.6
    assert near_hatch(strip).mean() > 0.95
    assert len({tuple(p) for p in strip.reshape(-1, 3)}) > 2  # stripes, not a flat grey
    assert near_hatch(pixels[:, 40:]).mean() < 0.01
    assert background.not_finite_anywhere(surface)
    assert not background.not_finite_anywhere(landscapes.get("rosenbrock"))


def test_the_animations_legend_says_what_the_hatch_means():
    from charts.frames import Frames

    surface = landscapes.from_formula("log(x + 2.5) + y^2")
    xy = np.zeros((1, 3, 2))
    hatched = Frames(surface, xy, [-1], ["run"], ["#ff0000"], 200)
    plain = Frames(landscapes.get("rosenbrock"), xy, [-1], ["run"], ["#ff0000"], 200)
    assert hatched.base.height == plain.base.height + hatched.font.size + 6


def test_a_diverged_network_run_ends_its_curve_and_no_stand_in_loss_is_drawn():
    """A loss that is NaN, infinite or not positive has no point on the log-scale curves:
    the run's line ends where it left (it was drawn at a made-up 1000 before)."""
    train = np.array([[0.5, 0.2, np.nan, np.inf], [0.4, 0.3, 0.2, 0.1]])
    test = np.array([[0.6, 0.3, np.inf, np.nan], [0.5, 0.0, 0.3, 0.2]])
    chart = network_charts.training_curves(train, test, ["a", "b"], ["#f00", "#00f"]).to_dict()
    points = {(p["run"], p["set"], p["epoch"]): p["loss"] for p in chart["data"]["values"]}
    assert sorted(k for k in points if k[0] == "a") == [
        ("a", "test", 0),
        ("a", "test", 1),
        ("a", "train", 0),
        ("a", "train", 1),
    ]
    assert ("b", "test", 1) not in points and len(points) == 4 + 7
    assert all(math.isfinite(v) and v > 0 for v in points.values())


def _flattened(layer) -> list[dict]:
    """A layer's rows as the chart's flatten transform makes them: one per point."""
    fields = layer["transform"][0]["flatten"]
    return [
        {**row, **dict(zip(fields, values, strict=True))}
        for row in layer["data"]["values"]
        for values in zip(*(row[f] for f in fields), strict=True)
    ]


def _step_value(points: list[dict], field: str, epoch: int):
    """What a step-after line through `points` shows at `epoch`."""
    before = [p for p in points if p["epoch"] <= epoch]
    return before[-1][field] if before else None


def test_the_rates_chart_draws_each_epochs_rate_as_a_step_and_ends_at_a_stop():
    lr = np.array([[0.3, 0.3, 0.15, 0.15, 0.075], [0.1, 0.1, np.nan, np.nan, np.nan]])
    chart = network_charts.learning_rates(lr, np.array([-1, 1]), ["a", "b"], ["#f00", "#00f"])
    spec = chart.to_dict()
    lines = _flattened(spec["layer"][0])
    assert spec["layer"][0]["mark"]["interpolate"] == "step-after"
    for run, curve in (("a", lr[0]), ("b", lr[1])):
        points = [p for p in lines if p["run"] == run]
        for e, v in enumerate(curve):  # epoch e trains from e to e + 1 at lr[e]
            if np.isfinite(v):
                assert _step_value(points, "lr", e) == pytest.approx(v)
                assert _step_value(points, "lr", e + 0.5) == pytest.approx(v)
        assert points[-1]["epoch"] == np.isfinite(curve).sum()  # the last epoch's end
    assert len(lines) < lr.size  # a repeated rate adds no point
    assert spec["layer"][1]["data"]["values"] == [{"epoch": 2, "lr": 0.1, "run": "b"}]
    vlc.vegalite_to_svg(chart.to_json())  # the spec renders


def test_the_sharpness_chart_draws_real_values_and_a_limit_only_where_one_exists():
    values = np.array([[3.0, 5.0, 6.5, np.nan], [2.0, -0.5, 1.0, 1.5]])
    limits = [np.array([6.67, 6.67, 13.3]), None]
    chart = network_charts.sharpness(values, limits, ["sgd", "adam"], ["#f00", "#00f"])
    spec = chart.to_dict()
    curves, steps = (_flattened(layer) for layer in spec["layer"])
    assert {(p["run"], p["epoch"]): p["value"] for p in curves} == {
        ("sgd", 0): 3.0,
        ("sgd", 1): 5.0,
        ("sgd", 2): 6.5,
        ("adam", 0): 2.0,
        ("adam", 1): -0.5,
        ("adam", 2): 1.0,
        ("adam", 3): 1.5,
    }  # the early stop's NaN has no point; a negative eigenvalue is drawn as it is
    assert {p["run"] for p in steps} == {"sgd"}  # Adam has no stability line
    assert [_step_value(steps, "value", e) for e in range(4)] == [6.67, 6.67, 13.3, 13.3]
    scale = spec["layer"][0]["encoding"]["y"]["scale"]
    assert scale["type"] == "symlog" and scale["domain"] == [-0.5, pytest.approx(1.25 * 6.67)]
    assert all(layer["mark"]["clip"] for layer in spec["layer"])  # higher limits leave the plot
    vlc.vegalite_to_svg(chart.to_json())
