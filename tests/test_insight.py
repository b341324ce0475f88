"""The insight computations against what is known: the divergence threshold of gradient
descent, heavy-ball momentum's stability region, basins that end where they start, the range
test's suggestion, and step decompositions that add up to the update that ran."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from charts import insight as charts
from optimizers import insight

QUADRATIC = landscapes.get("quadratic", condition=20.0, angle=30.0)  # λ = 1 and 20


def test_the_sweep_finds_gradient_descents_threshold_within_one_grid_step():
    lam_max = insight.curvature(QUADRATIC)[0].max()
    rates = np.logspace(-5, 0, 800)
    result = insight.rate_sweep(QUADRATIC, optimizers.make("sgd"), None, 2000, rates)
    first_diverging = rates[np.argmax(result.region == 2)]
    step = rates[1] / rates[0]
    assert 2 / lam_max / step <= first_diverging <= 2 / lam_max * step
    assert (
        result.region[0] == 0 and (result.region == 1).any()
    )  # too small, then good, then diverges


def test_the_stability_map_matches_the_analytic_region_away_from_its_boundary():
    spec = optimizers.make("momentum")
    result = insight.stability_map(
        QUADRATIC, spec, None, 3000, np.logspace(-3, 0.5, 40), np.linspace(0, 0.95, 12)
    )
    assert result.lam_max == pytest.approx(20.0, rel=1e-3)
    edge = 2 * (1 + result.betas[:, None]) / result.lam_max
    stable, unstable = result.rates[None, :] < edge / 1.3, result.rates[None, :] > edge * 1.3
    assert (result.steps_to_tol[unstable] == -2).all()
    assert (result.steps_to_tol[stable] != -2).all()
    lr, beta = result.optimum
    assert lr == pytest.approx(4 / (np.sqrt(20) + 1) ** 2) and 0 < beta < 1


def test_basins_on_himmelblau_end_at_the_minimum_they_start_next_to():
    surface = landscapes.get("himmelblau")
    result = insight.basins(surface, optimizers.make("sgd", learning_rate=0.01), 400, n=120)
    for k, (x, y) in enumerate(result.minima):
        i, j = np.abs(result.ys - y).argmin(), np.abs(result.xs - x).argmin()
        assert result.minimum[i, j] == k


def test_symmetric_starts_give_symmetric_basins():
    surface = landscapes.get("double_well")  # symmetric under x → −x
    result = insight.basins(surface, optimizers.make("momentum", learning_rate=0.02), 300, n=60)
    mirrored = result.minimum[:, ::-1]
    order = [
        int(np.argmin(np.linalg.norm(result.minima - m * [-1, 1], axis=1))) for m in result.minima
    ]
    swapped = np.where(mirrored >= 0, np.take(order, np.maximum(mirrored, 0)), mirrored)
    assert (swapped == result.minimum).mean() > 0.98  # all but the ridge's own column


def test_the_range_tests_suggestion_lies_where_the_loss_falls_fastest():
    surface = landscapes.get("rosenbrock")
    result = insight.range_test(surface, optimizers.make("sgd"), (-1.5, 2.0), 600, 1e-6, 1.0)
    lowest = int(np.argmin(result.loss[: result.stop]))
    rates, loss = result.rates[: lowest + 1], result.loss[: lowest + 1]
    drop = np.convolve(
        -np.gradient(loss, np.log(rates)), np.ones(9) / 9, mode="same"
    )  # raw, lightly windowed
    fastest = np.nonzero(drop >= 0.5 * drop.max())[0]
    suggested = int(np.argmin(np.abs(result.rates - result.suggestion)))
    assert (
        fastest.min() - 1 <= suggested <= fastest.max() + 1
    )  # within one grid step (smoothing's central difference)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(optimizers.CATALOG)), st.floats(1e-4, 0.05), st.floats(-1.5, 1.5))
def test_the_parts_of_a_step_add_up_to_the_step_that_ran(name, lr, x):
    t = optimizers.run(
        landscapes.get("rosenbrock"), [optimizers.make(name, learning_rate=lr)], (x, 1.0), 30
    )
    gradient_step, rest = insight.decomposition(t)
    ran = np.diff(t.xy, axis=1)
    healthy = slice(None, t.diverged_at[0] if t.diverged_at[0] >= 0 else None)
    # float32 sums: when a huge gradient step is mostly cancelled (Adam-family far up a wall),
    # the parts' own rounding (a few ulps of their size) is the tolerance, not the step's
    rounding = 4 * np.finfo(np.float32).eps * (np.abs(gradient_step) + np.abs(rest))[0, healthy]
    error = np.abs((gradient_step + rest)[0, healthy] - ran[0, healthy])
    assert np.all(error <= 1e-5 + 1e-4 * np.abs(ran[0, healthy]) + rounding)
    np.testing.assert_allclose(gradient_step, -t.lr[..., None] * t.grad, rtol=1e-6)


def test_the_rest_is_the_momentum_step_for_momentum_and_nothing_for_sgd():
    surface, start = landscapes.get("rosenbrock"), (-1.0, 1.5)
    sgd = optimizers.run(surface, [optimizers.make("sgd", learning_rate=1e-3)], start, 20)
    assert np.abs(insight.decomposition(sgd)[1]).max() < 1e-6
    spec = optimizers.make("momentum", learning_rate=1e-3, momentum=0.9)
    t = optimizers.run(surface, [spec], start, 20, keep_state=True)
    trace = t.state["[0].trace"][0]  # v_k = βv_{k−1} + g_k after step k
    expected = -1e-3 * 0.9 * np.vstack([np.zeros(2), trace[:-1]])
    np.testing.assert_allclose(insight.decomposition(t)[1][0], expected, rtol=1e-4, atol=1e-7)


def test_internals_name_adams_effective_step_and_bias_corrections():
    t, series = insight.internals(
        landscapes.get("beale"), optimizers.make("adam", learning_rate=0.01), None, 50
    )
    assert {"grad_norm", "momentum_norm", "effective_x", "effective_y", "bias_1", "bias_2"} <= set(
        series
    )
    assert series["bias_1"][0] == pytest.approx(0.1) and series["bias_2"][-1] == pytest.approx(
        1 - 0.999**50
    )
    nu = t.state["[0].nu"][0, -1] / (1 - 0.999**50)
    assert series["effective_x"][-1] == pytest.approx(0.01 / (np.sqrt(nu[0]) + 1e-7), rel=1e-4)
    numbers = insight.explain(t, 10)
    np.testing.assert_allclose(numbers["theta"] + numbers["update"], numbers["next"], atol=1e-6)


def test_the_leaderboard_reports_every_run():
    surface = QUADRATIC
    specs = [optimizers.make("sgd", learning_rate=0.05), optimizers.make("sgd", learning_rate=0.2)]
    rows = insight.leaderboard(optimizers.run(surface, specs, None, 300), surface, surface.start)
    assert (
        rows[0]["steps_to_tol"] > 0
        and rows[0]["diverged_at"] is None
        and rows[0]["distance"] < 1e-2
    )
    assert rows[1]["diverged_at"] is not None and rows[1]["steps_to_tol"] is None
    assert [r["status"] for r in rows] == ["converged", "diverged"]
    assert rows[1]["final_loss"] is None and rows[1]["distance"] is None  # it has none


def test_basins_stay_within_their_step_budget():
    result = insight.basins(
        landscapes.get("sphere"), optimizers.make("sgd", learning_rate=0.1), 5000, n=300
    )
    assert result.steps * 300 * 300 <= insight.BASIN_BUDGET and result.steps >= 50
    assert (result.minimum == 0).mean() > 0.99


def test_a_fan_is_the_runs_its_seeds_would_give_and_its_band_their_quantiles():
    surface = landscapes.get("himmelblau")
    specs = [
        optimizers.make("sgd", learning_rate=0.01),
        optimizers.make("adam", learning_rate=0.05),
    ]
    fans = insight.noise_fans(surface, specs, (0.0, 0.0), 80, 2.0, seeds=40)
    assert len(fans) == 2 and fans[1].xy.shape == (40, 81, 2)
    for spec, fan in zip(specs, fans, strict=True):
        seven = optimizers.run(surface, spec, (0.0, 0.0), 80, 2.0, seed=7)
        np.testing.assert_allclose(fan.xy[7], seven.xy[0], atol=1e-5)
        losses = optimizers.run(surface, spec, (0.0, 0.0), 80, 2.0, seed=list(range(40))).loss
        for q, band in ((0.1, fan.low), (0.5, fan.median), (0.9, fan.high)):
            np.testing.assert_allclose(
                band, np.quantile(losses, q, axis=0, method="nearest"), rtol=1e-4, atol=1e-6
            )
        assert np.all(fan.low <= fan.median) and np.all(fan.median <= fan.high)
        assert np.any(fan.low < fan.high)  # the seeds differ


def test_each_result_charts_itself_as_the_app_draws_it_for_a_notebook():
    """`.chart()` is the app's chart of the result, in the language asked for: an Altair chart
    (a notebook displays it), or the basins' picture."""
    sgd = optimizers.make("sgd")
    sweep = insight.rate_sweep(QUADRATIC, sgd, None, 200, np.logspace(-3, 0, 12))
    stability = insight.stability_map(
        QUADRATIC,
        optimizers.make("momentum"),
        None,
        100,
        np.logspace(-3, 0, 6),
        np.linspace(0, 0.9, 4),
    )
    test = insight.range_test(QUADRATIC, sgd, (1.0, 1.0), 200, 1e-5, 1.0)
    basins = insight.basins(QUADRATIC, optimizers.make("sgd", learning_rate=0.02), 100, n=16)
    drawn = {
        "sweep": sweep.chart("SGD", 0.0, "zh-Hant"),
        "stability": stability.chart("zh-Hant"),
        "range": test.chart("zh-Hant"),
    }
    names = charts.region_names("zh-Hant")
    app_drawn = {
        "sweep": charts.rate_sweep({"SGD": sweep}, [charts.ONE_ROW], names, 0.0, "zh-Hant"),
        "stability": charts.stability_map(stability, "zh-Hant"),
        "range": charts.range_test(test, "zh-Hant"),
    }
    for name, chart in drawn.items():
        assert hasattr(chart, "_repr_mimebundle_")
        assert chart.to_dict() == app_drawn[name].to_dict(), name
    assert "收斂" in str(drawn["sweep"].to_dict())  # the regions' legend in zh-Hant
    picture = basins.chart(size=64)
    assert (
        picture.size == (64, 64) and picture.tobytes() == charts.basin_picture(basins, 64).tobytes()
    )
