"""The catalog against textbook update rules, and the options every optimizer takes."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from tests import textbook

SURFACES = [
    landscapes.get("quadratic", condition=10, angle=30),
    landscapes.get("rosenbrock"),
    landscapes.get("himmelblau"),
]
# (catalog name, its settings, the textbook function, the textbook's settings)
RULES = [
    ("sgd", {"learning_rate": 1e-3}, textbook.sgd, {"lr": 1e-3}),
    (
        "momentum",
        {"learning_rate": 5e-4, "momentum": 0.9},
        textbook.momentum,
        {"lr": 5e-4, "mu": 0.9},
    ),
    (
        "nesterov",
        {"learning_rate": 5e-4, "momentum": 0.9},
        textbook.nesterov,
        {"lr": 5e-4, "mu": 0.9},
    ),
    ("adagrad", {"learning_rate": 0.05}, textbook.adagrad, {"lr": 0.05}),
    ("rmsprop", {"learning_rate": 0.01}, textbook.rmsprop, {"lr": 0.01}),
    ("adam", {"learning_rate": 0.02}, textbook.adam, {"lr": 0.02}),
    ("adam_nobc", {"learning_rate": 0.02}, textbook.adam_nobc, {"lr": 0.02}),
    ("qhm", {"learning_rate": 1e-3}, textbook.qhm, {"lr": 1e-3}),
    ("qhadam", {"learning_rate": 0.02}, textbook.qhadam, {"lr": 0.02}),
]


def _grad(surface):
    g = jax.jit(jax.grad(lambda p: surface(p)))
    return lambda x: np.asarray(g(jnp.asarray(x, jnp.float32)), np.float64)


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
@pytest.mark.parametrize(
    "name, settings, rule, textbook_settings", RULES, ids=[r[0] for r in RULES]
)
def test_matches_textbook_rule(surface, name, settings, rule, textbook_settings):
    start = np.array(surface.start) * 0.5 + np.array(surface.minima[0]) * 0.5
    expected = rule(_grad(surface), start, 100, **textbook_settings)
    got = optimizers.run(surface, optimizers.make(name, **settings), start=start, steps=100)
    assert got.diverged_at[0] == -1
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(got.xy[0], expected, atol=2e-5 * scale, rtol=1e-4)


def test_newton_matches_damped_newton_step():
    surface = landscapes.get("rosenbrock")
    hessian = jax.jit(jax.hessian(lambda p: surface(p)))
    expected = textbook.newton(
        _grad(surface),
        lambda x: np.asarray(hessian(jnp.asarray(x, jnp.float32)), np.float64),
        np.array([-1.2, 1.0]),
        6,
        lr=0.8,
        damping=0.01,
    )
    got = optimizers.run(
        surface,
        optimizers.make("newton", learning_rate=0.8, damping=0.01),
        start=(-1.2, 1.0),
        steps=6,
    )
    np.testing.assert_allclose(got.xy[0], expected, atol=1e-3)


def test_catalog_has_every_optimizer_the_course_and_issue_name():
    wanted = {
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "adamax",
        "nadam",
        "amsgrad",
        "radam",
        "adabelief",
        "yogi",
        "lion",
        "adadelta",
        "rprop",
        "sign_sgd",
        "novograd",
        "lbfgs",
        "newton",
        "qhm",
        "qhadam",
    }
    assert wanted <= set(optimizers.names())
    assert optimizers.names()[:6] == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


@pytest.mark.parametrize("name", list(optimizers.CATALOG))
def test_every_entry_descends_a_bowl_and_documents_itself(name):
    entry = optimizers.entry(name)
    assert entry.latex and entry.defaults and "learning_rate" in entry.hyper
    for key, param in entry.hyper.items():
        assert param.low <= param.default <= param.high, key
        assert param.help, key
    surface = landscapes.get("quadratic", condition=4)
    lr = {"lbfgs": 1.0, "newton": 1.0, "adadelta": 50.0}.get(
        name, 0.05
    )  # Adadelta starts at √ε-sized steps
    t = optimizers.run(surface, optimizers.make(name, learning_rate=lr), steps=300)
    assert t.diverged_at[0] == -1
    assert t.loss[0, -1] < 0.05 * t.loss[0, 0]


def test_keras_defaults_where_keras_has_the_optimizer():
    keras = {  # Keras 3 constructor defaults
        "sgd": {"learning_rate": 0.01},
        "adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "eps": 1e-7},
        "rmsprop": {"learning_rate": 0.001, "rho": 0.9, "eps": 1e-7, "momentum": 0.0},
        "adam": {"learning_rate": 0.001, "b1": 0.9, "b2": 0.999, "eps": 1e-7},
        "adamw": {"learning_rate": 0.001, "weight_decay": 0.004},
        "adadelta": {"learning_rate": 0.001, "rho": 0.95, "eps": 1e-7},
        "lion": {"learning_rate": 0.001, "b1": 0.9, "b2": 0.99},
    }
    for name, defaults in keras.items():
        entry = optimizers.entry(name)
        assert "Keras" in entry.defaults
        for key, value in defaults.items():
            assert entry.hyper[key].default == pytest.approx(value), (name, key)


def test_make_rejects_unknown_names_settings_and_values():
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizers.make("adamm")
    with pytest.raises(ValueError, match="no setting"):
        optimizers.make("sgd", momentum=0.9)
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.make("sgd", learning_rate=float("nan"))
    with pytest.raises(ValueError, match="momentum"):
        optimizers.make("momentum", momentum=1.5)


def test_every_numeric_optax_hyperparameter_is_settable():
    spec = optimizers.make("adagrad", initial_accumulator_value=0.5, eps=1e-3)
    assert float(spec.hyper["initial_accumulator_value"]) == 0.5
    spec = optimizers.make("rmsprop", eps_in_sqrt=False, centered=True)
    assert spec.flags == {"eps_in_sqrt": False, "centered": True}


def test_rmsprop_eps_placement_flag_changes_the_rule():
    surface = landscapes.get("sphere")
    inside, outside = (
        optimizers.run(
            surface,
            optimizers.make("rmsprop", learning_rate=0.01, eps=0.5, eps_in_sqrt=f),
            steps=20,
        )
        for f in (True, False)
    )
    expected = textbook.rmsprop(_grad(surface), np.array(surface.start), 20, 0.01, eps=0.5)
    np.testing.assert_allclose(inside.xy[0], expected, atol=1e-5)
    assert not np.allclose(inside.xy[0], outside.xy[0], atol=1e-4)


def test_clip_norm_bounds_every_step_and_is_labelled():
    surface = landscapes.get("cliff")
    t = optimizers.run(surface, optimizers.make("sgd", learning_rate=0.1, clip_norm=0.2), steps=300)
    assert np.all(np.linalg.norm(t.grad[0], axis=1) <= 0.2 + 1e-6)
    assert np.all(np.linalg.norm(t.update[0], axis=1) <= 0.1 * 0.2 + 1e-6)
    assert "clip" in t.labels[0]
    unclipped = optimizers.run(surface, optimizers.make("sgd", learning_rate=0.1), steps=300)
    assert np.linalg.norm(unclipped.update[0], axis=1).max() > 1.0


def test_clip_value_bounds_each_coordinate():
    t = optimizers.run(
        landscapes.get("rosenbrock"),
        optimizers.make("sgd", learning_rate=1e-3, clip_value=0.3),
        steps=50,
    )
    assert np.abs(t.grad[0]).max() <= 0.3 + 1e-6 and "clip" in t.labels[0]


def test_decoupled_weight_decay_pulls_towards_the_origin_and_is_labelled():
    surface = landscapes.get("quadratic", condition=1)
    shifted = landscapes.from_function(
        lambda p: jnp.sum((p - 1.0) ** 2), ((-2, 2), (-2, 2)), minima=[((1, 1), 0.0)]
    )
    t = optimizers.run(
        shifted,
        optimizers.make("sgd", learning_rate=0.1, weight_decay=0.5),
        start=(1.0, 1.0),
        steps=200,
    )
    # fixed point of x ← x − η(2(x − 1) + λx): x = 2 / (2 + λ)
    np.testing.assert_allclose(t.xy[0, -1], [2 / 2.5, 2 / 2.5], atol=1e-4)
    assert "wd=0.5" in t.labels[0]
    assert surface  # the plain surface is unchanged by the option


def test_armijo_line_search_descends_where_a_fixed_step_diverges():
    surface = landscapes.get("rosenbrock")
    fixed = optimizers.run(surface, optimizers.make("sgd", learning_rate=0.05), steps=200)
    searched = optimizers.run(
        surface, optimizers.make("sgd", learning_rate=0.05, line_search=True), steps=200
    )
    assert fixed.diverged_at[0] >= 0
    assert searched.diverged_at[0] == -1
    assert np.all(np.diff(searched.loss[0]) <= 1e-6)
    assert "Armijo" in searched.labels[0]
