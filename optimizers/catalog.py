"""The optimizer catalog: each entry builds an optax transform from traced hyperparameters.

`build(h, flags)` returns the update for a unit learning rate (the runner multiplies by
η_t), except where `lr_inside` says the learning rate is the optimizer's own initial step
(Rprop). Defaults follow Keras 3 where Keras has the optimizer, optax otherwise; each
entry's `defaults` says which. `latex` is the rule that runs, in optax's conventions:
the learning rate multiplies the whole direction, after any momentum.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import optax

from landscapes import Param
from optimizers import extra

KERAS = "Keras 3 defaults"
OPTAX = "optax defaults (Keras has no such optimizer)"


class Entry(NamedTuple):
    """One optimizer: how to build it, its settings, and the rule it runs."""

    name: str
    title: str
    build: Callable
    hyper: dict[str, Param]
    latex: str
    defaults: str
    flags: dict = {}
    lr_inside: bool = False
    own_step: bool = False  # the update is the whole step, the rate applied inside (a typed rule)


def _lr(default):
    return Param(default, 0.0, 1e3, log=True, help="learning rate η (step size)")


def _beta(default, what):
    return Param(default, 0.0, 0.99999, help=f"decay of the moving average of {what}")


def _eps(default):
    return Param(default, 0.0, 1.0, log=True, help="ε added for numerical stability")


_MOMENTUM = Param(0.9, 0.0, 0.99999, help="momentum β: fraction of the velocity kept each step")
_ADAM = {"b1": _beta(0.9, "gradients"), "b2": _beta(0.999, "squared gradients")}
_ADAM_RULE = (
    r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ "
    r"\hat m = \frac{m}{1-\beta_1^t},\ \hat v = \frac{v}{1-\beta_2^t},\ "
)

ENTRIES = [
    Entry(
        "sgd",
        "SGD",
        lambda h, f: optax.sgd(1.0),
        {"learning_rate": _lr(0.01)},
        r"\theta \leftarrow \theta - \eta\, g",
        KERAS,
    ),
    Entry(
        "momentum",
        "Momentum",
        lambda h, f: optax.sgd(1.0, momentum=h["momentum"]),
        {"learning_rate": _lr(0.01), "momentum": _MOMENTUM},
        r"v \leftarrow \beta v + g,\quad \theta \leftarrow \theta - \eta\, v",
        KERAS + " (SGD with momentum=0.9, the CS231n example)",
    ),
    Entry(
        "nesterov",
        "Nesterov",
        lambda h, f: optax.sgd(1.0, momentum=h["momentum"], nesterov=True),
        {"learning_rate": _lr(0.01), "momentum": _MOMENTUM},
        r"v \leftarrow \beta v + g,\quad \theta \leftarrow \theta - \eta\,(g + \beta v)",
        KERAS + " (SGD with momentum=0.9, nesterov=True)",
    ),
    Entry(
        "adagrad",
        "Adagrad",
        lambda h, f: optax.adagrad(1.0, h["initial_accumulator_value"], h["eps"]),
        {
            "learning_rate": _lr(0.001),
            "initial_accumulator_value": Param(0.1, 0.0, 10.0, help="starting value of s"),
            "eps": _eps(1e-7),
        },
        r"s \leftarrow s + g^2,\quad \theta \leftarrow \theta - \eta\, g / \sqrt{s + \epsilon}",
        KERAS,
    ),
    Entry(
        "rmsprop",
        "RMSprop",
        lambda h, f: optax.rmsprop(
            1.0,
            h["rho"],
            h["eps"],
            momentum=h["momentum"],
            eps_in_sqrt=f["eps_in_sqrt"],
            centered=f["centered"],
        ),
        {
            "learning_rate": _lr(0.001),
            "rho": _beta(0.9, "squared gradients"),
            "eps": _eps(1e-7),
            "momentum": Param(0.0, 0.0, 0.99999, help="momentum on the scaled step"),
        },
        r"v \leftarrow \rho v + (1-\rho) g^2,\quad \theta \leftarrow \theta - \eta\, g / \sqrt{v + \epsilon}",  # noqa: E501
        KERAS + " (ε inside the root, as Keras; eps_in_sqrt=False gives CS231n's √v + ε)",
        flags={"eps_in_sqrt": True, "centered": False},
    ),
    Entry(
        "adam",
        "Adam",
        lambda h, f: optax.adam(1.0, h["b1"], h["b2"], h["eps"]),
        {"learning_rate": _lr(0.001), **_ADAM, "eps": _eps(1e-7)},
        _ADAM_RULE + r"\theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)",
        KERAS + " (bias-corrected; ε added to √v̂)",
    ),
    Entry(
        "adam_nobc",
        "Adam (no bias correction)",
        lambda h, f: extra.adam_without_bias_correction(h["b1"], h["b2"], h["eps"]),
        {"learning_rate": _lr(0.001), **_ADAM, "eps": _eps(1e-7)},
        r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ "
        r"\theta \leftarrow \theta - \eta\, m / (\sqrt{v} + \epsilon)",
        KERAS + " values; the simplified rule of the CS231n notes",
    ),
    Entry(
        "adamw",
        "AdamW",
        lambda h, f: optax.adamw(1.0, h["b1"], h["b2"], h["eps"], weight_decay=h["weight_decay"]),
        {
            "learning_rate": _lr(0.001),
            **_ADAM,
            "eps": _eps(1e-7),
            "weight_decay": Param(0.004, 0.0, 1.0, log=True, help="decoupled weight decay λ"),
        },
        _ADAM_RULE
        + r"\theta \leftarrow \theta - \eta\,(\hat m / (\sqrt{\hat v} + \epsilon) + \lambda\theta)",
        KERAS,
    ),
    Entry(
        "adamax",
        "Adamax",
        lambda h, f: optax.adamax(1.0, h["b1"], h["b2"], h["eps"]),
        {"learning_rate": _lr(0.001), **_ADAM, "eps": _eps(1e-7)},
        r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ u \leftarrow \max(\beta_2 u, \lvert g\rvert),\ "
        r"\theta \leftarrow \theta - \eta\, \frac{m}{(1-\beta_1^t)(u + \epsilon)}",
        KERAS,
    ),
    Entry(
        "nadam",
        "NAdam",
        lambda h, f: optax.nadam(1.0, h["b1"], h["b2"], h["eps"]),
        {"learning_rate": _lr(0.001), **_ADAM, "eps": _eps(1e-7)},
        _ADAM_RULE
        + r"\theta \leftarrow \theta - \eta\, \frac{\beta_1 \hat m + (1-\beta_1) g/(1-\beta_1^t)}{\sqrt{\hat v} + \epsilon}",  # noqa: E501
        KERAS + " values; optax's rule (Keras adds a momentum schedule)",
    ),
    Entry(
        "amsgrad",
        "AMSGrad",
        lambda h, f: optax.amsgrad(1.0, h["b1"], h["b2"], h["eps"]),
        {"learning_rate": _lr(0.001), **_ADAM, "eps": _eps(1e-7)},
        _ADAM_RULE + r"\hat v_{\max} \leftarrow \max(\hat v_{\max}, \hat v),\ "
        r"\theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v_{\max}} + \epsilon)",
        KERAS + " (Adam with amsgrad=True)",
    ),
    Entry(
        "radam",
        "RAdam",
        lambda h, f: optax.radam(1.0, h["b1"], h["b2"], h["eps"], threshold=h["threshold"]),
        {
            "learning_rate": _lr(0.001),
            **_ADAM,
            "eps": _eps(1e-8),
            "threshold": Param(5.0, 0.0, 100.0, help="variance-tractability threshold ρ_t"),
        },
        r"\rho_t = \rho_\infty - \tfrac{2t\beta_2^t}{1-\beta_2^t};\ "
        r"\theta \leftarrow \theta - \eta\, \hat m \cdot (r_t / (\sqrt{\hat v} + \epsilon)\ \text{if}\ \rho_t > 5\ \text{else}\ 1)",  # noqa: E501
        OPTAX,
    ),
    Entry(
        "adabelief",
        "AdaBelief",
        lambda h, f: optax.adabelief(1.0, h["b1"], h["b2"], h["eps"]),
        {"learning_rate": _lr(0.001), **_ADAM, "eps": _eps(1e-16)},
        r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ s \leftarrow \beta_2 s + (1-\beta_2)(g - m)^2,\ "
        r"\theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat s} + \epsilon)",
        OPTAX,
    ),
    Entry(
        "yogi",
        "Yogi",
        lambda h, f: optax.yogi(1.0, h["b1"], h["b2"], h["eps"]),
        {"learning_rate": _lr(0.001), **_ADAM, "eps": _eps(1e-3)},
        r"v \leftarrow v - (1-\beta_2)\,\mathrm{sign}(v - g^2)\, g^2,\ "
        r"\theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)",
        OPTAX,
    ),
    Entry(
        "lion",
        "Lion",
        lambda h, f: optax.lion(1.0, h["b1"], h["b2"], weight_decay=h["weight_decay"]),
        {
            "learning_rate": _lr(0.001),
            "b1": _beta(0.9, "the update"),
            "b2": _beta(0.99, "gradients"),
            "weight_decay": Param(0.0, 0.0, 1.0, help="decoupled weight decay λ"),
        },
        r"\theta \leftarrow \theta - \eta\,(\mathrm{sign}(\beta_1 m + (1-\beta_1) g) + \lambda\theta),\ "  # noqa: E501
        r"m \leftarrow \beta_2 m + (1-\beta_2) g",
        KERAS,
    ),
    Entry(
        "adadelta",
        "Adadelta",
        lambda h, f: optax.adadelta(1.0, h["rho"], h["eps"]),
        {
            "learning_rate": _lr(0.001),
            "rho": _beta(0.95, "squared gradients and steps"),
            "eps": _eps(1e-7),
        },
        r"v \leftarrow \rho v + (1-\rho) g^2,\ \Delta = \frac{\sqrt{u + \epsilon}}{\sqrt{v + \epsilon}}\, g,\ "  # noqa: E501
        r"u \leftarrow \rho u + (1-\rho)\Delta^2,\ \theta \leftarrow \theta - \eta\,\Delta",
        KERAS + " (η = 0.001; Zeiler's original has η = 1)",
    ),
    Entry(
        "rprop",
        "Rprop",
        lambda h, f: optax.rprop(
            h["learning_rate"],
            h["eta_minus"],
            h["eta_plus"],
            h["min_step_size"],
            h["max_step_size"],
        ),
        {
            "learning_rate": _lr(0.01),
            "eta_minus": Param(0.5, 0.0, 1.0, help="step shrink factor when g changes sign"),
            "eta_plus": Param(1.2, 1.0, 10.0, help="step growth factor when g keeps its sign"),
            "min_step_size": Param(1e-6, 0.0, 1.0, log=True, help="smallest per-coordinate step"),
            "max_step_size": Param(50.0, 1e-6, 1e3, log=True, help="largest per-coordinate step"),
        },
        r"\delta_i \leftarrow \delta_i\,\eta^{\pm}\ \text{by}\ \mathrm{sign}(g_i g_i^{\text{prev}}),\ "  # noqa: E501
        r"\theta_i \leftarrow \theta_i - \delta_i\,\mathrm{sign}(g_i),\ \delta_i^{(0)} = \eta",
        "PyTorch defaults (Keras has no Rprop); η is the initial step, schedules scale it",
        lr_inside=True,
    ),
    Entry(
        "sign_sgd",
        "signSGD",
        lambda h, f: optax.sign_sgd(1.0),
        {"learning_rate": _lr(0.01)},
        r"\theta \leftarrow \theta - \eta\,\mathrm{sign}(g)",
        OPTAX,
    ),
    Entry(
        "novograd",
        "NovoGrad",
        lambda h, f: optax.novograd(
            1.0, h["b1"], h["b2"], h["eps"], weight_decay=h["weight_decay"]
        ),
        {
            "learning_rate": _lr(0.001),
            "b1": _beta(0.9, "normalized gradients"),
            "b2": _beta(0.25, "gradient norms"),
            "eps": _eps(1e-6),
            "weight_decay": Param(0.0, 0.0, 1.0, help="weight decay λ"),
        },
        r"v \leftarrow \beta_2 v + (1-\beta_2)\lVert g\rVert^2,\ "
        r"m \leftarrow \beta_1 m + \bigl(g / (\sqrt{v} + \epsilon) + \lambda\theta\bigr),\ \theta \leftarrow \theta - \eta\, m",  # noqa: E501
        OPTAX,
    ),
    Entry(
        "lbfgs",
        "L-BFGS",
        lambda h, f: optax.lbfgs(None, memory_size=f["memory_size"]),
        {"learning_rate": _lr(1.0)},
        r"d = -H_k g\ \text{(two-loop recursion over the last } m \text{ steps)},\ "
        r"\theta \leftarrow \theta + \eta\,\alpha\, d,\ \alpha\ \text{from a zoom line search (strong Wolfe)}",  # noqa: E501
        OPTAX + "; η scales the line-searched step",
        flags={"memory_size": 10},
    ),
    Entry(
        "newton",
        "Newton (damped)",
        lambda h, f: extra.newton(h["damping"]),
        {
            "learning_rate": _lr(1.0),
            "damping": Param(1e-3, 0.0, 1e3, log=True, help="λ added to the Hessian"),
        },
        r"\theta \leftarrow \theta - \eta\,(\nabla^2 f + \lambda I)^{-1} g",
        "η = 1 is the pure Newton step (no Keras equivalent)",
    ),
    Entry(
        "qhm",
        "QHM",
        lambda h, f: extra.qhm(h["nu"], h["beta"]),
        {
            "learning_rate": _lr(0.01),
            "nu": Param(0.7, 0.0, 1.0, help="ν: weight of the momentum buffer in the step"),
            "beta": _beta(0.999, "gradients"),
        },
        r"m \leftarrow \beta m + (1-\beta) g,\quad \theta \leftarrow \theta - \eta\,[(1-\nu) g + \nu m]",  # noqa: E501
        "Ma & Yarats (2019) recommended ν = 0.7, β = 0.999",
    ),
    Entry(
        "qhadam",
        "QHAdam",
        lambda h, f: extra.qhadam(h["nu1"], h["nu2"], h["b1"], h["b2"], h["eps"]),
        {
            "learning_rate": _lr(0.001),
            "nu1": Param(0.7, 0.0, 1.0, help="ν₁: weight of m̂ against g"),
            "nu2": Param(1.0, 0.0, 1.0, help="ν₂: weight of v̂ against g²"),
            "b1": _beta(0.995, "gradients"),
            "b2": _beta(0.999, "squared gradients"),
            "eps": _eps(1e-8),
        },
        r"\theta \leftarrow \theta - \eta\,\frac{(1-\nu_1) g + \nu_1 \hat m}{\sqrt{(1-\nu_2) g^2 + \nu_2 \hat v} + \epsilon}",  # noqa: E501
        "Ma & Yarats (2019) recommended (ν₁, ν₂, β₁, β₂) = (0.7, 1.0, 0.995, 0.999)",
    ),
]

CATALOG: dict[str, Entry] = {e.name: e for e in ENTRIES}


def entry(name: str) -> Entry:
    """The catalog entry `name`, or a ValueError listing the names there are."""
    try:
        return CATALOG[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; try one of: {', '.join(CATALOG)}") from None
