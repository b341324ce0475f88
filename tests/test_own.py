"""Your own optimizer: the CS231n update rules typed as text run as the catalog's optimizers do,
compile once per text, turn NaN into a diverged run, and hostile text is refused fast with a
line and a column."""

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
import scenes
from optimizers.own import MAX_LINES, MAX_STATE, RuleError, parse
from scenes import rows as scene_rows
from tests.test_formula import HOSTILE, cpu_clock

# The rules as the CS231n notes ("Neural networks, part 3") write them, with the catalog's
# names for the numbers: each must give the catalog optimizer's path.
MOMENTUM = "params: mu = 0.9\nv = mu * v - lr * g\nx = x + v"
NESTEROV = """params: mu = 0.9
v_prev = v
v = mu * v - lr * g
x = x - mu * v_prev + (1 + mu) * v"""
ADAGRAD = """params: eps = 1e-7
init: cache = 0.1   # Keras starts the sum at 0.1, and adds eps inside the root
cache = cache + g^2
x = x - lr * g / sqrt(cache + eps)"""
RMSPROP = """params: decay = 0.9, eps = 1e-7
cache = decay * cache + (1 - decay) * g^2
x = x - lr * g / (sqrt(cache) + eps)"""
ADAM_NOBC = """params: b1 = 0.9, b2 = 0.999, eps = 1e-7
m = b1*m + (1-b1)*g
v = b2*v + (1-b2)*g^2
x = x - lr * m / (sqrt(v) + eps)"""
ADAM = ADAM_NOBC.replace("x = x - lr * m / (sqrt(v) + eps)", "")
ADAM += "mt = m / (1 - b1^t)\nvt = v / (1 - b2^t)\nx = x - lr * mt / (sqrt(vt) + eps)"
LOOK_AHEAD = "params: mu = 0.9\nv = mu * v - lr * grad(x + mu * v)\nx = x + v"

CS231N = [  # (rule, built-in, its settings, learning rate)
    (MOMENTUM, "momentum", {"momentum": 0.9}, 1e-3),
    (NESTEROV, "nesterov", {"momentum": 0.9}, 1e-3),
    (ADAGRAD, "adagrad", {}, 0.05),
    (RMSPROP, "rmsprop", {"eps_in_sqrt": False}, 3e-3),
    (ADAM_NOBC, "adam_nobc", {}, 0.01),
    (ADAM, "adam", {}, 0.01),
]
SURFACES = ["rosenbrock", "himmelblau", "beale", "saddle"]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("rule, name, settings, lr", CS231N, ids=[c[1] for c in CS231N])
def test_the_cs231n_rules_typed_as_text_give_the_catalog_paths(rule, name, settings, lr, surface):
    s = landscapes.get(surface)
    builtin = optimizers.make(name, learning_rate=lr, **settings)
    typed = optimizers.from_rule(rule, learning_rate=lr)
    t = optimizers.run(s, [builtin, typed], steps=300)
    scale = np.abs(t.xy[0]).max()
    assert np.abs(t.xy[0] - t.xy[1]).max() <= 1e-5 * scale  # float32 rounding, not a rule apart
    assert t.diverged_at[0] == t.diverged_at[1]


def test_nesterov_by_look_ahead_tracks_x_where_keras_tracks_x_plus_mu_v():
    """Sutskever et al. (2013) evaluate the gradient at x + μv; Keras and optax keep that
    look-ahead point as their variable θ = x + μv (Bengio et al., 2013). So the built-in's
    path is the look-ahead rule's path plus μ times its velocity, step by step."""
    s = landscapes.get("rosenbrock")
    builtin = optimizers.run(s, optimizers.make("nesterov", learning_rate=1e-3), steps=200)
    typed = optimizers.run(
        s, optimizers.from_rule(LOOK_AHEAD, learning_rate=1e-3), steps=200, keep_state=True
    )
    (velocity,) = typed.state.values()
    assert np.allclose(builtin.xy[0, 1:], typed.xy[0, 1:] + 0.9 * velocity[0], atol=1e-5)


def test_a_rules_numbers_are_traced_its_text_compiled_once():
    s = landscapes.get("himmelblau")
    optimizers.run(s, optimizers.from_rule(MOMENTUM, learning_rate=1e-3), steps=100)
    before = optimizers.trace_count()
    for lr, mu in [(1e-2, 0.5), (3e-3, 0.95)]:
        optimizers.run(s, optimizers.from_rule(MOMENTUM, learning_rate=lr, mu=mu), steps=100)
    assert optimizers.trace_count() == before
    optimizers.run(s, optimizers.from_rule(MOMENTUM + "  # a comment", mu=0.5), steps=100)
    assert optimizers.trace_count() == before + 1  # another text is another program


def test_a_rules_hyperparameters_broadcast_into_a_batch_like_a_built_ins():
    s = landscapes.get("himmelblau")
    rates = np.array([1e-3, 3e-3, 1e-2], np.float32)
    typed = optimizers.sweep(s, optimizers.from_rule(MOMENTUM, learning_rate=rates), steps=200)
    builtin = optimizers.sweep(s, optimizers.make("momentum", learning_rate=rates), steps=200)
    assert np.allclose(typed.final_loss, builtin.final_loss, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    "rule",
    [
        "x = x + sqrt(-1) * g",
        "x = x - lr * g / 0",
        "x = x - lr * g * exp(1e6)",
        "x = (x + 1) * 1e12",
    ],
)
def test_a_rule_that_makes_nan_or_inf_is_a_diverged_run_with_finite_numbers(rule):
    t = optimizers.run(landscapes.get("himmelblau"), optimizers.from_rule(rule), steps=50)
    assert t.diverged_at[0] == 0 and t.diverged()[0]
    assert np.isfinite(t.xy).all() and np.isfinite(t.loss).all() and np.isfinite(t.update).all()


def test_schedules_clipping_and_noise_reach_a_rule_as_they_reach_a_built_in():
    """With the rate changing, the CS231n (and Keras 3) velocity v ← μv − η_t g sums each step's
    rate, u_t = −Σ_k μ^(t−k) η_k g_k, while optax's v ← μv + g, u = −η_t v rescales the whole
    history by today's rate, u_t = −η_t Σ_k μ^(t−k) g_k: both written out here from each run's
    recorded rates and gradients (clipped, noisy)."""
    s = landscapes.get("rosenbrock")
    schedule = optimizers.schedule("step", every=50, factor=0.5)
    common = dict(learning_rate=1e-3, schedule=schedule, clip_norm=5.0, batch_size=4.0)
    builtin = optimizers.make("momentum", **common)
    typed = optimizers.from_rule(MOMENTUM, **common)
    t = optimizers.run(s, [builtin, typed], steps=200, batch_noise=2.0, seed=3)
    assert np.allclose(t.lr[0], t.lr[1]) and t.lr[0, -1] == pytest.approx(1e-3 / 8)
    assert np.linalg.norm(t.grad, axis=-1).max() <= 5.0 * (1 + 1e-6)  # clipped
    sums = {"optax": np.zeros(2), "keras": np.zeros(2)}
    for step in range(200):
        sums["optax"] = 0.9 * sums["optax"] + t.grad[0, step]
        sums["keras"] = 0.9 * sums["keras"] + t.lr[1, step] * t.grad[1, step]
        assert np.allclose(t.update[0, step], -t.lr[0, step] * sums["optax"], atol=1e-6)
        assert np.allclose(t.update[1, step], -sums["keras"], atol=1e-6)
    assert np.abs(t.xy[0] - t.xy[1]).max() > 1e-2  # the two conventions part after the drop


WRONG = [  # (rule, line, column (0-based), message key)
    ("x = x - lr *", 1, 12, "formula.operand"),
    ("params: mu = 0.9\nv = mu * v - lr * h\nx = x + v", 2, 18, "rule.undeclared"),
    ("v = v + g\ng = 0\nx = x - v", 2, 0, "rule.given"),
    ("x = x - lr * g\n\n  3 + x", 3, 2, "rule.assignment"),
    ("params: mu = 0.9, mu = 0.5\nx = x - mu * g", 1, 18, "rule.declared_twice"),
    ("params: mu = x\nx = x - mu * g", 1, 8, "rule.declaration_number"),
    ("params: s = 0.5\nx = x - s * g", 1, 8, "rule.param_name"),
    ("params: mu = 0.9\nmu = 0.5\nx = x - mu * g", 2, 0, "rule.param_assigned"),
    ("v = v + g", 1, 0, "rule.no_step"),
    ("sin = 1\nx = x - sin", 1, 0, "rule.reserved"),
    ("init: w = 1\nx = x - lr * g", 1, 6, "rule.init_not_state"),
    ("# only a comment\n   \n", 1, 0, "rule.empty"),
    ("x = x - lr * g\nx = x.real", 2, 5, "formula.character"),
    ("x = x - lr * norm(g, g)", 1, 13, "formula.arity"),
]


@pytest.mark.parametrize("rule, line, column, key", WRONG, ids=[w[3] for w in WRONG])
def test_a_wrong_rule_is_an_error_at_its_line_and_column(rule, line, column, key):
    with pytest.raises(RuleError) as error:
        parse(rule)
    assert (error.value.line, error.value.column, error.value.message.key) == (line, column, key)


def test_lines_state_and_the_surfaces_evaluations_are_capped():
    many_lines = "\n".join(["x = x - lr * g"] * (MAX_LINES + 1))
    many_states = "\n".join(f"s{i} = s{i} + g" for i in range(MAX_STATE + 1)) + "\nx = x - s0"
    many_calls = "x = x - lr * " + "grad(" * 9 + "x" + ")" * 9  # nine passes a step
    cases = [(many_lines, "rule.lines"), (many_states, "rule.state"), (many_calls, "rule.calls")]
    for rule, key in cases:
        with pytest.raises(RuleError) as error:
            parse(rule)
        assert error.value.message.key == key


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_the_formula_parsers_hostile_table_is_refused_in_a_rule_too(text):
    with cpu_clock() as clock, pytest.raises(RuleError) as error:
        parse("params: mu = 0.9\nv = mu * v - lr * g\nx = " + text)
    assert clock["seconds"] < 0.05
    assert error.value.line >= 1 and error.value.column >= 0


RULE_CHARACTERS = "xgtlrvmu0123456789.e+-*/^(),= \n#:paramsinitqrtnormgradloss"


@given(st.one_of(st.text(max_size=1200), st.text(alphabet=RULE_CHARACTERS, max_size=400)))
@settings(max_examples=400, deadline=None)
def test_random_text_is_a_rule_or_a_rule_error_quickly(text):
    with cpu_clock() as clock:
        try:
            parse(text)
        except RuleError as error:
            assert error.line >= 1 and error.column >= 0
    assert clock["seconds"] < 0.05


NAMES = ["x", "g", "lr", "t", "mu", "v", "m"]
CALLS = ["sqrt", "abs", "norm", "sign", "tanh", "grad", "loss", "sum"]


def expressions(depth: int = 3):
    """Random expressions of the rule language over a few names."""
    leaf = st.one_of(st.sampled_from(NAMES), st.floats(0.001, 10).map(lambda v: f"{v:.3g}"))
    if depth == 0:
        return leaf
    inner = expressions(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
        st.tuples(st.sampled_from(CALLS), inner).map(lambda p: f"{p[0]}({p[1]})"),
        st.tuples(inner, inner, inner).map(lambda p: f"where({p[0]}, {p[1]}, {p[2]})"),
    )


@given(expressions(), expressions(), expressions())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_valid_rules_run_to_finite_numbers_or_a_marked_divergence(v, m, step):
    rule = f"params: mu = 0.9\nv = {v}\nm = {m}\nx = x - {step}"
    t = optimizers.run(landscapes.get("himmelblau"), optimizers.from_rule(rule), steps=20)
    assert np.isfinite(t.xy).all() and np.isfinite(t.loss).all() and np.isfinite(t.update).all()
    assert t.diverged_at[0] >= -1


def test_a_rules_twin_takes_its_numbers_under_the_catalogs_names():
    rule = scenes.Row("rule", {"learning_rate": 0.003, "decay": 0.8}, rule=RMSPROP, clip_norm=2.0)
    twin = scene_rows.twin(rule, "rmsprop")
    assert twin.hyper == {"learning_rate": 0.003, "rho": 0.8} and twin.clip_norm == 2.0
    assert scene_rows.is_twin(rule, dataclasses.replace(twin, label="mine", color="#000000"))
    assert not scene_rows.is_twin(rule, dataclasses.replace(twin, hyper={"rho": 0.8}))


def test_two_paths_part_at_the_first_step_farther_apart_than_the_tolerance():
    domain = ((0.0, 3.0), (0.0, 4.0))  # diagonal 5: tolerance 5e-5
    path = np.zeros((6, 2))
    assert optimizers.own.compare(path, path + [4e-5, 0.0], domain).parted_at is None
    apart = path.copy()
    apart[3:, 0] = [1e-4, 0.0, 0.2]
    found = optimizers.own.compare(path, apart, domain)
    assert found == (0.2, 3, 5e-5)
