"""Convergence and stability against textbook results written out here, not against the
project's own functions.

Definitions and results used (f = ½(u² + κv²) with (u, v) the rotated coordinates: the
Hessian's eigenvalues are λmin = 1 and λmax = κ):

- A run converges to tolerance τ at step N when its error stays below τ for every step from
  N to the end (the numerical analyst's "within tolerance from N on"); a first dip is not it.
- Gradient descent x ← x − η∇f contracts each eigendirection by |1 − ηλ|: it diverges for
  η > 2/λmax, and the rate is fastest at η* = 2/(λmin + λmax) (contraction (κ−1)/(κ+1)).
- Heavy ball x ← x − η∇f + β(x − x_prev) is stable iff 0 ≤ β < 1 and ηλ < 2(1 + β) for every
  λ; its fastest setting is Polyak's: η* = 4/(√λmax + √λmin)², β* = ((√κ − 1)/(√κ + 1))².
"""

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import insight

KAPPAS = (10, 50, 200)
ANGLES = (0, 30, 60)
RATES, BETAS = 80, 40  # the insight view's stability grid


def bowl(kappa: float, angle: float = 0.0):
    return landscapes.get("quadratic", condition=kappa, angle=angle)


def test_converged_means_within_tolerance_to_the_end_not_a_first_dip():
    surface = bowl(50)
    spec = optimizers.make("momentum", learning_rate=0.05, momentum=0.95)  # swings through
    steps, tol = 400, insight.tolerance(surface, surface.start)
    gap = optimizers.run(surface, [spec], surface.start, steps).loss[0]  # f* = 0
    first_dip = int(np.argmax(gap < tol))
    stays = next(n for n in range(steps + 1) if all(gap[m] < tol for m in range(n, steps + 1)))
    assert first_dip < stays - 20  # the example matters: it dips long before it stays
    swept = optimizers.sweep(surface, spec, surface.start, steps, tol)
    assert int(swept.converged_at[0]) == stays
    board = insight.leaderboard(
        optimizers.run(surface, [spec], surface.start, steps), surface, surface.start
    )
    assert board[0]["steps_to_tol"] == stays


def test_a_run_that_leaves_tolerance_at_the_end_has_not_converged():
    surface = bowl(10)
    spec = optimizers.make("sgd", learning_rate=0.21)  # just above 2/λmax = 0.2: grows slowly
    tol = 1e30  # within at first, certainly
    swept = optimizers.sweep(surface, spec, surface.start, 20, 0.5)
    assert int(swept.converged_at[0]) == -1
    assert int(optimizers.sweep(surface, spec, surface.start, 20, tol).converged_at[0]) == 0


@pytest.mark.parametrize("kappa", KAPPAS)
@pytest.mark.parametrize("angle", ANGLES)
def test_gradient_descent_diverges_above_two_over_lambda_max_and_is_fastest_at_its_optimum(
    kappa, angle
):
    surface = bowl(kappa, angle)
    lam_min, lam_max = 1.0, float(kappa)
    rates = np.logspace(np.log10(0.3 / lam_max), np.log10(3 / lam_max), 400)
    steps = 40 * kappa  # the optimum contracts by (κ−1)/(κ+1) per step: ample for 1e-8
    sweep = insight.rate_sweep(surface, optimizers.make("sgd"), surface.start, steps, rates)
    above = rates > 2 / lam_max * 1.01
    assert (sweep.converged_at[above] < 0).all()  # unstable: never within tolerance to the end
    assert (sweep.diverged_at[rates > 2 / lam_max * 1.2] >= 0).all()
    # η* gives the fastest rate in the worst direction. From a given start the loss weighs the
    # steep direction by κ, so for a finite tolerance the fastest rate lies a little below η*
    # and approaches it as κ grows: within 12 % at κ = 10, 4 % at 50, 2 % at 200.
    optimum = 2 / (lam_min + lam_max)
    assert 1 - {10: 0.12, 50: 0.04, 200: 0.02}[kappa] <= sweep.best() / optimum <= 1.005


def heavy_ball_radius(rate: float, beta: float, eigenvalues) -> float:
    """Spectral radius of heavy ball's iteration: the largest |z| over the roots of
    z² − (1 + β − ηλ) z + β = 0, for each eigenvalue λ."""
    return max(max(abs(np.roots([1.0, -(1 + beta - rate * lam), beta]))) for lam in eigenvalues)


@pytest.mark.parametrize("kappa", KAPPAS)
def test_heavy_ball_converges_only_inside_its_stable_region(kappa):
    surface = bowl(kappa, 30)
    spec = optimizers.make("momentum", learning_rate=0.01, momentum=0.5)
    rates, betas = insight.rate_grid(surface, RATES), np.linspace(0.0, 0.99, BETAS)
    cells = insight.stability_map(surface, spec, surface.start, 400, rates, betas).steps_to_tol
    for b, beta in enumerate(betas):
        for r, rate in enumerate(rates):
            if rate * kappa > 2 * (1 + beta) * 1.02:
                assert cells[b, r] < 0, (rate, beta)  # outside: diverged or never settled
            elif heavy_ball_radius(rate, beta, (1.0, kappa)) < 0.9:
                assert cells[b, r] >= 0, (rate, beta)  # well inside: settles within 400 steps


@pytest.mark.parametrize("kappa", KAPPAS)
@pytest.mark.parametrize("angle", ANGLES)
def test_the_stability_maps_fastest_cell_is_polyaks_optimum(kappa, angle):
    surface = bowl(kappa, angle)
    spec = optimizers.make("momentum", learning_rate=0.01, momentum=0.5)
    rates, betas = insight.rate_grid(surface, RATES), np.linspace(0.0, 0.99, BETAS)
    cells = insight.stability_map(surface, spec, surface.start, 400, rates, betas).steps_to_tol
    done = np.where(cells >= 0, cells, np.iinfo(np.int32).max)
    b, r = np.unravel_index(np.argmin(done), done.shape)
    rate = 4 / (np.sqrt(kappa) + 1) ** 2
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    rate_cell = np.argmin(abs(np.log(rates) - np.log(rate)))
    beta_cell = np.argmin(abs(betas - beta))
    # stated tolerance: one cell of rate (0.09 decades), two of momentum (0.05)
    assert abs(r - rate_cell) <= 1 and abs(b - beta_cell) <= 2, (rates[r], betas[b], rate, beta)


def test_on_a_saddle_runs_that_leave_with_falling_loss_escape_and_a_blow_up_diverges():
    saddle = landscapes.get("saddle")
    specs = [
        optimizers.make("sgd", learning_rate=0.01),  # slides off along the falling direction
        optimizers.make("momentum", learning_rate=0.01),
    ]
    t = optimizers.run(saddle, specs, (-1.5, 1e-3), 2000)
    assert (t.diverged_at >= 0).all() and t.escapes().all() and not t.diverged().any()
    bowl_run = optimizers.run(bowl(10), [optimizers.make("sgd", learning_rate=0.5)], None, 200)
    assert bowl_run.diverged().all() and not bowl_run.escapes().any()  # ηλmax = 5 > 2
    board = insight.leaderboard(t, saddle, (-1.5, 1e-3))
    assert [row["escaped_at"] for row in board] == [int(s) for s in t.diverged_at]
    assert all(row["diverged_at"] is None for row in board)


def test_the_loss_floor_is_float32s_resolution_at_the_minimum():
    # f = ½(x² + κy²) at 0, four float32 steps of 1 (2⁻²³ each) in x and y: the largest gap is
    # at a corner, ½(1 + κ)(4·2⁻²³)² = 8(1 + κ)·2⁻⁴⁶
    for kappa in (10.0, 200.0):
        expected = 8 * (1 + kappa) * 2.0**-46
        assert landscapes.loss_resolution(bowl(kappa)) == pytest.approx(expected, rel=1e-3)
    assert landscapes.loss_resolution(landscapes.get("saddle")) == 0.0  # no minimum to resolve


def test_the_insight_views_tell_escapes_from_divergence_on_a_saddle():
    saddle, start = landscapes.get("saddle"), (-1.5, 1e-3)
    rates = np.array([0.01, 0.1, 3.0])  # the last makes |1 − 2η| = 5 along x: a blow-up
    sweep = insight.rate_sweep(saddle, optimizers.make("sgd"), start, 2000, rates)
    assert list(sweep.region) == [3, 3, 2]  # escapes, escapes, diverges
    heavy = optimizers.make("momentum", learning_rate=0.01, momentum=0.5)
    cells = insight.stability_map(saddle, heavy, start, 2000, rates, np.array([0.0, 0.5]))
    assert set(cells.steps_to_tol[:, :2].ravel()) == {-3} and (cells.steps_to_tol[:, 2] == -2).all()
    basins = insight.basins(saddle, optimizers.make("sgd", learning_rate=0.05), 300, n=16)
    assert (basins.minimum == -3).mean() > 0.9  # nearly every start slides off downhill
