"""The runner: stability thresholds, divergence as data, determinism, batching, no recompiles."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import runner

L = 50.0
BOWL = landscapes.get("quadratic", condition=L, angle=0)  # f = ½(x² + L y²)


@pytest.mark.parametrize(
    "factor, converges", [(0.9, True), (0.99, True), (1.01, False), (1.2, False)]
)
def test_gradient_descent_is_stable_below_two_over_L(factor, converges):
    t = optimizers.run(
        BOWL, optimizers.make("sgd", learning_rate=factor * 2 / L), start=(1.0, 1.0), steps=3000
    )
    assert (t.diverged_at[0] == -1) == converges
    if converges:
        assert t.loss[0, -1] < 1e-6
    assert np.all(np.isfinite(t.xy)) and np.all(np.isfinite(t.loss))


def test_heavy_ball_converges_iff_lr_L_below_two_one_plus_beta():
    beta = 0.6
    lrs = np.linspace(0.5, 1.5, 41) * 2 * (1 + beta) / L
    spec = optimizers.make("momentum", learning_rate=lrs, momentum=beta)
    r = optimizers.sweep(BOWL, spec, start=(1.0, 1.0), steps=4000, tol=1e-8)
    below = lrs * L < 2 * (1 + beta) * 0.995
    above = lrs * L > 2 * (1 + beta) * 1.005
    assert np.all(r.converged_at[below] >= 0) and np.all(r.diverged_at[below] == -1)
    assert np.all(r.diverged_at[above] >= 0)


def test_divergence_freezes_the_point_and_is_reported_not_raised():
    t = optimizers.run(
        BOWL, optimizers.make("sgd", learning_rate=0.05), start=(1.0, 1.0), steps=200
    )
    k = t.diverged_at[0]
    assert 0 < k < 200
    assert np.all(t.xy[0, k + 1 :] == t.xy[0, k])
    assert np.all(t.update[0, k:] == 0) and np.all(t.grad[0, k:] == 0)
    for array in (t.xy, t.loss, t.lr, t.grad, t.update):
        assert np.all(np.isfinite(array))


def test_non_finite_values_count_as_divergence():
    import jax.numpy as jnp

    log_bowl = landscapes.from_function(
        lambda p: jnp.log(p[0]) ** 2 + p[1] ** 2, ((0.1, 3), (-1, 1)), minima=[((1, 0), 0.0)]
    )
    t = optimizers.run(
        log_bowl, optimizers.make("sgd", learning_rate=2.0), start=(0.5, 0.5), steps=50
    )
    assert t.diverged_at[0] >= 0
    assert np.all(np.isfinite(t.xy)) and np.all(np.isfinite(t.loss))


def test_same_inputs_same_arrays_and_seeds_change_noisy_paths():
    spec = optimizers.make("adam", learning_rate=0.05)
    surface = landscapes.get("himmelblau")
    a = optimizers.run(surface, spec, steps=200, batch_noise=2.0, seed=3)
    b = optimizers.run(surface, spec, steps=200, batch_noise=2.0, seed=3)
    c = optimizers.run(surface, spec, steps=200, batch_noise=2.0, seed=4)
    np.testing.assert_array_equal(a.xy, b.xy)
    assert not np.allclose(a.xy, c.xy)
    exact = optimizers.run(surface, spec, steps=200)
    assert not np.allclose(a.xy, exact.xy)


def test_several_seeds_at_once_match_single_seed_runs():
    spec = optimizers.make("sgd", learning_rate=0.01)
    surface = landscapes.get("himmelblau")
    many = optimizers.run(surface, spec, steps=100, batch_noise=1.0, seed=[0, 1, 2])
    assert many.xy.shape == (3, 101, 2) and "seed 2" in many.labels[2]
    single = optimizers.run(surface, spec, steps=100, batch_noise=1.0, seed=1)
    np.testing.assert_allclose(many.xy[1], single.xy[0], atol=1e-6)


def test_batch_size_scales_the_noise():
    surface = landscapes.get("sphere")
    specs = [optimizers.make("sgd", learning_rate=0.01, batch_size=b) for b in (1, 100)]
    t = optimizers.run(surface, specs, start=(0.0, 0.0), steps=1, batch_noise=1.0, seed=0)
    np.testing.assert_allclose(t.grad[1, 0], t.grad[0, 0] / 10, rtol=1e-5)


def test_array_hyperparameters_broadcast_into_one_batch_with_labels():
    spec = optimizers.make("momentum", learning_rate=[1e-3, 1e-2], momentum=[[0.5], [0.9]])
    assert spec.size == 4
    t = optimizers.run(landscapes.get("rosenbrock"), [spec, optimizers.make("adam")], steps=20)
    assert t.xy.shape == (5, 21, 2)
    assert len(set(t.labels)) == 5 and "lr=0.01" in t.labels[1] and "β=0.9" in t.labels[3]
    alone = optimizers.run(
        landscapes.get("rosenbrock"),
        optimizers.make("momentum", learning_rate=1e-2, momentum=0.9),
        steps=20,
    )
    np.testing.assert_allclose(t.xy[3], alone.xy[0], atol=1e-6)


def test_per_run_start_points():
    starts = np.array([[-4.0, -4.0], [4.0, 4.0]])
    t = optimizers.run(
        landscapes.get("himmelblau"),
        optimizers.make("sgd", learning_rate=[0.01, 0.01]),
        start=starts,
        steps=500,
    )
    np.testing.assert_allclose(t.xy[:, 0], starts)
    np.testing.assert_allclose(t.xy[0, -1], (-3.779310, -3.283186), atol=1e-3)
    np.testing.assert_allclose(t.xy[1, -1], (3.0, 2.0), atol=1e-3)


def test_changing_numbers_compiles_nothing_new():
    surface = landscapes.get("quadratic", condition=10)
    sched = optimizers.schedule("step", every=10, factor=0.5)
    optimizers.run(
        surface,
        optimizers.make("nesterov", learning_rate=0.01, schedule=sched),
        steps=50,
        batch_noise=0.1,
    )
    before = optimizers.trace_count()
    for lr, mu, every, start, noise, seed, condition in [
        (0.02, 0.5, 20, (1.0, 1.0), 0.3, 1, 20.0),
        (0.001, 0.99, 5, (-1.0, 0.5), 2.0, 7, 300.0),
    ]:
        spec = optimizers.make(
            "nesterov",
            learning_rate=lr,
            momentum=mu,
            schedule=optimizers.schedule("step", every=every, factor=0.9),
        )
        optimizers.run(
            landscapes.get("quadratic", condition=condition, angle=15),
            spec,
            start=start,
            steps=50,
            batch_noise=noise,
            seed=seed,
        )
    assert optimizers.trace_count() == before
    optimizers.run(surface, optimizers.make("adam"), steps=50)  # a new structure compiles once
    assert optimizers.trace_count() == before + 1


def test_sweep_agrees_with_run_and_reports_convergence():
    lrs = np.logspace(-3, -1, 7)
    surface = landscapes.get("sphere")
    spec = optimizers.make("sgd", learning_rate=lrs)
    r = optimizers.sweep(surface, spec, steps=300, tol=1e-6)
    t = optimizers.run(surface, spec, steps=300)
    np.testing.assert_allclose(r.final_loss, t.loss[:, -1], rtol=1e-6)
    first_below = [int(np.argmax(row < 1e-6)) if np.any(row < 1e-6) else -1 for row in t.loss]
    np.testing.assert_array_equal(r.converged_at, first_below)
    assert r.converged_at[-1] > 0 and r.converged_at[0] == -1


@pytest.mark.parametrize("start", [(-1.5, 2.0), (1e6, 1e6)], ids=["inside", "outside the box"])
def test_a_recorded_run_and_a_sweep_agree_on_where_each_run_diverged(start):
    """Recorded runs find divergence in their record after the loop, sweeps step by step."""
    surface = landscapes.get("rosenbrock")
    specs = [
        optimizers.make(name, learning_rate=np.array([1e-3, 0.03, 1.0, 50.0]))
        for name in optimizers.CATALOG
    ]
    t = optimizers.run(surface, specs, start, 80)
    r = optimizers.sweep(surface, specs, start, 80, tol=0.0)
    np.testing.assert_array_equal(t.diverged_at, r.diverged_at)
    if start[0] > 10:  # a start outside the box has diverged before the first step
        assert (t.diverged_at == 0).all()
    else:  # some configurations diverge on the way, some never
        assert (t.diverged_at >= 1).any() and (t.diverged_at == -1).any()
    for i, k in enumerate(t.diverged_at):
        if k >= 0:  # frozen at the last good point from there on
            assert (t.xy[i, k + 1 :] == t.xy[i, k]).all() and np.isfinite(t.xy[i]).all()


def test_saddle_without_minima_never_converges_and_escapes_as_divergence():
    t = optimizers.sweep(
        landscapes.get("saddle"), optimizers.make("sgd", learning_rate=0.1), steps=500
    )
    assert t.converged_at[0] == -1 and t.diverged_at[0] > 0


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="at least one"):
        optimizers.run(BOWL, [], steps=10)
    with pytest.raises(ValueError, match="steps"):
        optimizers.run(BOWL, optimizers.make("sgd"), steps=0)
    with pytest.raises(ValueError, match="finite"):
        optimizers.run(BOWL, optimizers.make("sgd"), start=(float("nan"), 0.0), steps=10)


def test_lean_points_follow_the_same_paths_as_full_runs():
    surface = landscapes.get("rosenbrock")
    specs = [
        optimizers.make("adam", learning_rate=0.05),
        optimizers.make("sgd", learning_rate=0.01),
    ]
    xy, loss, diverged_at = optimizers.runner.points(surface, specs, (-1.0, 1.5), 200, 0.5, [0, 1])
    t = optimizers.run(surface, specs, (-1.0, 1.5), 200, 0.5, [0, 1])
    np.testing.assert_allclose(xy, t.xy, atol=1e-5)  # the same run; XLA may fuse it differently
    np.testing.assert_allclose(loss, t.loss, rtol=1e-5, atol=1e-6)
    assert (diverged_at == t.diverged_at).all()


def test_gradient_noise_is_standard_normal_and_independent_across_seeds_steps_and_axes():
    draws = np.asarray(
        jax.vmap(lambda s: runner._gaussian(s, 500))(jnp.arange(600, dtype=jnp.uint32))
    )
    z = draws.reshape(-1)  # 600,000 values
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    for k, tail in ((1, 0.3173), (2, 0.0455), (3, 0.0027)):  # two-sided normal tail masses
        assert abs(np.mean(np.abs(z) > k) - tail) < 4 * np.sqrt(tail * (1 - tail) / z.size)
    pairs = {
        "x with y": (draws[..., 0], draws[..., 1]),
        "step with next": (draws[:, :-1], draws[:, 1:]),
        "seed with next": (draws[:-1], draws[1:]),
    }
    for name, (a, b) in pairs.items():
        assert abs(np.corrcoef(a.reshape(-1), b.reshape(-1))[0, 1]) < 0.01, name
