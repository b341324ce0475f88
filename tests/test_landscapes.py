"""Every surface: minima are real minima with the listed values, inside a domain where f is
finite."""

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers  # noqa: F401  (registers network_slice: every worker collects the same surfaces)

ALL = [landscapes.get(name) for name in landscapes.names()]
CREASED = {"bukin_n6"}  # its minimum sits on the crease |y − 0.01x²| = 0, where f has no gradient


def _span(s):
    (x0, x1), (y0, y1) = s.domain
    return max(x1 - x0, y1 - y0)


def _value_range(s):
    _, _, z = s.grid(64)
    return float(np.ptp(z))


def test_registry_covers_the_issue_list():
    wanted = {
        "rosenbrock",
        "quadratic",
        "long_valley",
        "beale",
        "booth",
        "matyas",
        "saddle",
        "monkey_saddle",
        "double_well",
        "flat_well",
        "easom",
        "goldstein_price",
        "tanh_plateau",
        "himmelblau",
        "rastrigin",
        "ackley",
        "six_hump_camel",
        "three_hump_camel",
        "styblinski_tang",
        "levi_n13",
        "mccormick",
        "cliff",
        "sphere",
        "branin",
        "bukin_n6",
        "zakharov",
        "schaffer_n2",
        "holder_table",
        "eggholder",
        "noisy_hills",
    }
    assert wanted <= set(landscapes.names())
    assert len(landscapes.names()) >= 30
    assert {"valley", "saddle", "plateau", "many_minima", "cliff"} <= set(landscapes.kinds())
    assert all(landscapes.get(n).kind == "saddle" for n in landscapes.names(kind="saddle"))


@pytest.mark.parametrize("s", ALL, ids=lambda s: s.name)
def test_metadata_is_complete(s):
    (x0, x1), (y0, y1) = s.domain
    assert x0 < x1 and y0 < y1
    assert x0 <= s.start[0] <= x1 and y0 <= s.start[1] <= y1
    assert s.title and s.latex and s.kind in landscapes.KINDS
    sentences = len(re.findall(r"[.!?](\s|$)", s.note))
    assert 2 <= sentences <= 4, s.note
    assert 0 < s.lr_range[0] < s.lr_range[1]
    assert len(s.minima) == len(s.minima_values)


@pytest.mark.parametrize("s", ALL, ids=lambda s: s.name)
def test_finite_on_a_grid_over_the_domain(s):
    _, _, z = s.grid(96)
    assert np.all(np.isfinite(z))
    grads = jax.vmap(jax.grad(lambda p: s(p)))(
        jnp.asarray(
            np.random.default_rng(0).uniform(
                [s.domain[0][0], s.domain[1][0]], [s.domain[0][1], s.domain[1][1]], (500, 2)
            ),
            jnp.float32,
        )
    )
    assert np.all(np.isfinite(grads))


@pytest.mark.parametrize("s", [s for s in ALL if s.minima], ids=lambda s: s.name)
def test_listed_minima_are_minima_with_the_listed_values(s):
    grad = jax.grad(lambda p: s(p))
    scale = max(_value_range(s), 1e-12) / _span(s)  # a typical slope over the domain
    for point, value in zip(s.minima, s.minima_values, strict=True):
        p = jnp.asarray(point, jnp.float32)
        assert (
            s.domain[0][0] <= point[0] <= s.domain[0][1]
            and s.domain[1][0] <= point[1] <= s.domain[1][1]
        )
        assert float(s(p)) == pytest.approx(
            value, abs=1e-5 * (1 + abs(value) + _value_range(s) * 1e-3)
        )
        if s.name not in CREASED:
            assert float(jnp.linalg.norm(grad(p))) < 1e-4 * scale * _span(s) + 1e-4
        ring = np.asarray(point) + 1e-3 * _span(s) * np.stack(
            [np.cos(a := np.linspace(0, 6.28, 16)), np.sin(a)], 1
        )
        assert np.all(
            np.asarray(s(jnp.asarray(ring, jnp.float32))) >= value - 1e-6 * (1 + abs(value))
        )


@pytest.mark.parametrize("s", [s for s in ALL if s.minima], ids=lambda s: s.name)
def test_no_lower_minimum_than_the_listed_global_one(s):
    found = landscapes.find_minima(s, grid=12, steps=600)
    lowest = min(v for _, v in found) if found else np.inf
    tolerance = 1e-4 * (1 + abs(s.f_min)) + 1e-6 * _value_range(s)
    assert lowest >= s.f_min - tolerance
    if s.minima_complete:
        assert len(found) <= len(s.minima), found


def test_unbounded_saddles_list_no_minima():
    for name in ("saddle", "monkey_saddle"):
        assert landscapes.get(name).minima == () and landscapes.get(name).f_min is None


def test_parameters_change_the_surface_and_are_validated():
    a = landscapes.get("quadratic", condition=100, angle=0)
    b = landscapes.get("quadratic", condition=100, angle=90)
    assert float(a(jnp.array([0.0, 1.0]))) == pytest.approx(50.0)
    assert float(b(jnp.array([1.0, 0.0]))) == pytest.approx(50.0, rel=1e-5)
    assert landscapes.get("rosenbrock", a=0.5).minima == ((0.5, 0.25),)
    with pytest.raises(ValueError, match="condition"):
        landscapes.get("quadratic", condition=5000)
    with pytest.raises(ValueError, match="no parameter"):
        landscapes.get("sphere", condition=3)
    with pytest.raises(ValueError, match="unknown surface"):
        landscapes.get("banana")


def test_cliff_minimum_follows_its_parameters():
    s = landscapes.get("cliff", height=50, steepness=2)
    ((x, y),) = s.minima
    assert x > 2.05  # the wall's tail pushes the minimum right
    assert float(jnp.abs(jax.grad(lambda p: s(p))(jnp.array([x, y]))[0])) < 1e-4


def test_surfaces_evaluate_batches():
    s = landscapes.get("himmelblau")
    values = s(jnp.array([[3.0, 2.0], [0.0, 0.0]]))
    assert values.shape == (2,) and float(values[0]) == 0.0 and float(values[1]) == 170.0


def test_from_function_finds_minima_of_any_jax_function():
    s = landscapes.from_function(
        lambda p: (p[0] ** 2 - 1) ** 2 + (p[1] - 0.5) ** 2, ((-2, 2), (-2, 2)), name="w"
    )
    assert s.kind == "custom" and s.name == "w"
    np.testing.assert_allclose(sorted(s.minima), [(-1, 0.5), (1, 0.5)], atol=1e-4)
    assert s.domain[0][0] <= s.start[0] <= s.domain[0][1]
    with pytest.raises(ValueError, match="domain"):
        landscapes.from_function(lambda p: p[0], ((1, -1), (0, 1)))


def test_regularized_adds_the_penalty_and_recomputes_minima():
    base = landscapes.get("double_well")
    s = landscapes.regularized(base, l2=0.4)
    p = jnp.array([0.7, -0.3])
    assert float(s(p)) == pytest.approx(float(base(p)) + 0.4 * (0.49 + 0.09), rel=1e-6)
    # (x² − 1)² + y² + λx² + λy²  has minima at x² = 1 − λ/2, y = 0
    np.testing.assert_allclose(sorted(s.minima), [(-np.sqrt(0.8), 0), (np.sqrt(0.8), 0)], atol=1e-4)
    l1 = landscapes.regularized(landscapes.get("sphere"), l1=0.3)
    np.testing.assert_allclose(l1.minima, [(0, 0)], atol=1e-4)
    assert landscapes.regularized(base) is base
    assert "0.4" in s.latex
    with pytest.raises(ValueError, match="l2"):
        landscapes.regularized(base, l2=-1)
