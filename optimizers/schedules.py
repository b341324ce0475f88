"""Learning-rate schedules as branch-free `jnp` functions of the step.

optax's schedule factories branch in Python on some numeric arguments, which breaks when
those arguments are traced. Here every parameter is a traced value and only the kind (and a
warmup's inner kind) is structure, so changing any number recompiles nothing.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from landscapes import Param

_RUN = "0 means the whole run"

PARAMS: dict[str, dict[str, Param]] = {
    "constant": {},
    "step": {
        "every": Param(100.0, 1.0, 1e5, log=True, help="steps between drops"),
        "factor": Param(0.5, 0.0, 1.0, help="multiplier applied at each drop"),
    },
    "exponential": {"rate": Param(1e-3, 0.0, 1.0, help="k in η₀·e^(−k·t)")},
    "inverse_time": {"rate": Param(1e-2, 0.0, 10.0, help="k in η₀/(1 + k·t)")},
    "cosine": {
        "period": Param(0.0, 0.0, 1e5, help=f"steps per cosine cycle; {_RUN}"),
        "min_lr": Param(0.0, 0.0, 10.0, help="rate at the bottom of each cycle"),
        "restarts": Param(0.0, 0.0, 1.0, help="1: jump back up after each period (SGDR)"),
    },
    "warmup": {
        "steps": Param(100.0, 1.0, 1e5, log=True, help="steps of linear warmup"),
        "start_factor": Param(0.0, 0.0, 1.0, help="fraction of η₀ at step 0"),
    },
    "cyclic": {
        "half_period": Param(100.0, 1.0, 1e5, log=True, help="steps from bottom to peak"),
        "peak_factor": Param(10.0, 1.0, 1e4, log=True, help="peak rate = η₀ × this"),
    },
    "one_cycle": {
        "period": Param(0.0, 0.0, 1e5, help=f"length of the cycle; {_RUN}"),
        "pct_start": Param(0.3, 0.01, 0.99, help="fraction of the cycle spent rising"),
        "div_factor": Param(25.0, 1.0, 1e4, log=True, help="start rate = η₀ / this"),
        "final_div_factor": Param(1e4, 1.0, 1e6, log=True, help="end rate = start / this"),
    },
    "plateau": {
        "factor": Param(0.1, 0.0, 1.0, help="multiplier when the loss stops improving"),
        "patience": Param(10.0, 0.0, 1e5, help="steps without improvement before a drop"),
        "min_delta": Param(1e-4, 0.0, 1e3, help="smallest decrease that counts as improvement"),
        "cooldown": Param(0.0, 0.0, 1e5, help="steps to wait after a drop before counting"),
        "min_lr": Param(0.0, 0.0, 10.0, help="the rate never drops below this"),
    },
    "range_test": {
        "start_lr": Param(1e-6, 1e-12, 1e3, log=True, help="rate at the first step"),
        "end_lr": Param(1.0, 1e-12, 1e6, log=True, help="rate at the last step"),
        "period": Param(0.0, 0.0, 1e5, help=f"steps to go from start to end; {_RUN}"),
    },
}
KINDS = tuple(PARAMS)


class Schedule(NamedTuple):
    """A schedule kind, its parameters and, for warmup, the schedule that follows it."""

    kind: str
    params: dict
    then: Schedule | None = None

    @property
    def structure(self) -> tuple:
        """The static part: kinds only. Two schedules with equal structure share compiled code."""
        return (self.kind, self.then.structure if self.then else None)

    def values(self) -> dict:
        """Parameter values as a pytree of float32 arrays (the traced part)."""
        out = {k: np.asarray(v, np.float32) for k, v in self.params.items()}
        if self.then is not None:
            out["then"] = self.then.values()
        return out

    def describe(self) -> str:
        """A short label, e.g. 'step(every=100, factor=0.5)'."""
        if self.kind == "constant":
            return "constant"
        args = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params.items())
        tail = f" → {self.then.describe()}" if self.then and self.then.kind != "constant" else ""
        return f"{self.kind}({args}){tail}"


def _fmt(value) -> str:
    arr = np.asarray(value)
    return f"{float(arr):g}" if arr.ndim == 0 else "[…]"


def schedule(kind: str = "constant", then: Schedule | None = None, **params) -> Schedule:
    """A learning-rate schedule: `schedule("step", every=100, factor=0.5)`.

    Kinds: constant, step, exponential, inverse_time, cosine, warmup (followed by `then`,
    default constant), cyclic, one_cycle, plateau (Keras ReduceLROnPlateau), range_test.
    Unknown kinds, unknown parameters and out-of-range values raise ValueError.
    """
    if kind not in PARAMS:
        raise ValueError(f"unknown schedule {kind!r}; try one of: {', '.join(KINDS)}")
    specs = PARAMS[kind]
    unknown = set(params) - set(specs)
    if unknown:
        raise ValueError(
            f"schedule {kind!r} has no parameter {sorted(unknown)}; allowed: {', '.join(specs) or 'none'}"  # noqa: E501
        )
    values = {k: spec.default for k, spec in specs.items()}
    values.update({k: specs[k].check(k, v) for k, v in params.items()})
    if then is not None and kind != "warmup":
        raise ValueError("only a warmup schedule takes `then`")
    if kind == "warmup":
        then = then or Schedule("constant", {})
        if then.kind == "warmup":
            raise ValueError("a warmup cannot be followed by another warmup")
    return Schedule(kind, values, then)


class PlateauState(NamedTuple):
    """Keras ReduceLROnPlateau's bookkeeping, carried from step to step."""

    lr: jnp.ndarray
    best: jnp.ndarray
    wait: jnp.ndarray
    cooldown_left: jnp.ndarray


def init_state(structure: tuple, lr0) -> PlateauState | tuple:
    """The state a schedule carries through a run (only reduce-on-plateau has any)."""
    kind, then = structure
    if kind == "plateau":
        zero = jnp.zeros_like(lr0)
        return PlateauState(lr0, jnp.full_like(lr0, jnp.inf), zero, zero)
    if kind == "warmup":
        return init_state(then, lr0)
    return ()


def learning_rate(structure: tuple, p: dict, lr0, t, total: int, loss, state, observe=True):
    """(η_t, new state) at step t, given the loss observed at the current point.

    `total` is the run's length, used where a period parameter is 0. Where `observe` is
    false nothing was observed yet (a network's first epoch: Keras watches a loss at each
    epoch's end), so reduce-on-plateau keeps its rate and state.
    """
    kind, then = structure
    t = jnp.asarray(t, jnp.float32)
    if kind == "plateau":
        lr, new = _plateau(p, loss, state)
        if observe is True:
            return lr, new
        return jnp.where(observe, lr, state.lr), jax.tree.map(
            lambda a, b: jnp.where(observe, a, b), new, state
        )
    if kind == "warmup":
        ramp = p["start_factor"] + (1 - p["start_factor"]) * jnp.minimum(t / p["steps"], 1.0)
        after, state = learning_rate(
            then, p["then"], lr0, jnp.maximum(t - p["steps"], 0), total, loss, state, observe
        )
        return jnp.where(t < p["steps"], lr0 * ramp, after), state
    return _CLOSED_FORMS[kind](p, lr0, t, total), state


def _period(p, total):
    return jnp.where(p["period"] > 0, p["period"], total)


def _cosine(p, lr0, t, total):
    period = _period(p, total)
    phase = jnp.where(p["restarts"] > 0.5, jnp.mod(t, period), jnp.minimum(t, period)) / period
    return p["min_lr"] + (lr0 - p["min_lr"]) * 0.5 * (1 + jnp.cos(jnp.pi * phase))


def _cyclic(p, lr0, t, total):
    cycle = jnp.floor(1 + t / (2 * p["half_period"]))
    x = jnp.abs(t / p["half_period"] - 2 * cycle + 1)
    return lr0 + lr0 * (p["peak_factor"] - 1) * jnp.maximum(0.0, 1 - x)


def _one_cycle(p, lr0, t, total):
    period = _period(p, total)
    rise = p["pct_start"] * period
    start = lr0 / p["div_factor"]
    end = start / p["final_div_factor"]
    up = jnp.clip(t / rise, 0, 1)
    down = jnp.clip((t - rise) / jnp.maximum(period - rise, 1), 0, 1)
    rising = start + (lr0 - start) * 0.5 * (1 - jnp.cos(jnp.pi * up))
    falling = end + (lr0 - end) * 0.5 * (1 + jnp.cos(jnp.pi * down))
    return jnp.where(t < rise, rising, falling)


def _range_test(p, lr0, t, total):
    period = _period(p, total)
    fraction = t / jnp.maximum(period - 1, 1)
    return p["start_lr"] * (p["end_lr"] / p["start_lr"]) ** fraction


_CLOSED_FORMS = {
    "constant": lambda p, lr0, t, total: lr0 * jnp.ones_like(t),
    "step": lambda p, lr0, t, total: lr0 * p["factor"] ** jnp.floor(t / p["every"]),
    "exponential": lambda p, lr0, t, total: lr0 * jnp.exp(-p["rate"] * t),
    "inverse_time": lambda p, lr0, t, total: lr0 / (1 + p["rate"] * t),
    "cosine": _cosine,
    "cyclic": _cyclic,
    "one_cycle": _one_cycle,
    "range_test": _range_test,
}


def _plateau(p, loss, s: PlateauState):
    """One step of Keras's ReduceLROnPlateau (mode 'min'), written without branches."""
    cooling = s.cooldown_left > 0
    cooldown_left = jnp.where(cooling, s.cooldown_left - 1, s.cooldown_left)
    wait = jnp.where(cooling, 0.0, s.wait)
    improved = loss < s.best - p["min_delta"]
    best = jnp.where(improved, loss, s.best)
    counting = ~improved & ~(cooldown_left > 0)
    wait = jnp.where(improved, 0.0, jnp.where(counting, wait + 1, wait))
    drop = counting & (wait >= p["patience"]) & (s.lr > p["min_lr"])
    lr = jnp.where(drop, jnp.maximum(s.lr * p["factor"], p["min_lr"]), s.lr)
    cooldown_left = jnp.where(drop, p["cooldown"], cooldown_left)
    wait = jnp.where(drop, 0.0, wait)
    return lr, PlateauState(lr, best, wait, cooldown_left)


LATEX = {
    "constant": r"\eta_t = \eta_0",
    "step": r"\eta_t = \eta_0\,\gamma^{\lfloor t / n \rfloor}",
    "exponential": r"\eta_t = \eta_0\,e^{-k t}",
    "inverse_time": r"\eta_t = \eta_0 / (1 + k t)",
    "cosine": r"\eta_t = \eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})(1 + \cos(\pi\,t/T))",
    "warmup": r"\eta_t = \eta_0\,(s + (1 - s)\,t / W)\ \text{for}\ t < W,\ \text{then the next schedule}",  # noqa: E501
    "cyclic": r"\eta_t = \eta_0 + \eta_0(p - 1)\max(0, 1 - \lvert t/h - 2c + 1\rvert),\ c = \lfloor 1 + t/2h\rfloor",  # noqa: E501
    "one_cycle": r"\eta_t:\ \eta_0/d \nearrow \eta_0\ \text{(cosine, first } p_s T\text{ steps)} \searrow \eta_0/(d\,d_f)",  # noqa: E501
    "plateau": r"\text{if no decrease} > \delta\ \text{for}\ P\ \text{steps:}\ \eta \leftarrow \max(\gamma\eta, \eta_{\min})",  # noqa: E501
    "range_test": r"\eta_t = \eta_{\text{start}}\,(\eta_{\text{end}}/\eta_{\text{start}})^{t/(T-1)}",  # noqa: E501
}
