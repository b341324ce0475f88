"""`Spec`: one row of an experiment (optimizer, hyperparameters, schedule, options), and `make`.

A spec's numbers may be arrays: they broadcast together into a batch of configurations
that the runner vectorizes. What changes compiled code (optimizer name, flags, schedule
kinds, which options are on) is its `structure`; everything else is traced.
"""

from __future__ import annotations

import dataclasses

import jax
import numpy as np

from landscapes import Param
from optimizers.catalog import Entry
from optimizers.own import RULE, entry_of
from optimizers.schedules import Schedule
from optimizers.schedules import schedule as make_schedule

OPTIONS = {
    "clip_norm": Param(1.0, 1e-6, 1e6, log=True, help="rescale g so that ‖g‖ ≤ c (labelled)"),
    "clip_value": Param(1.0, 1e-6, 1e6, log=True, help="clip each coordinate of g to [−c, c]"),
    "weight_decay": Param(0.0, 0.0, 1.0, help="decoupled weight decay: θ ← θ − η λ θ"),
    "batch_size": Param(1.0, 1.0, 1e6, log=True, help="gradient-noise scale is σ/√batch"),
}


@dataclasses.dataclass(frozen=True)
class Spec:
    """An optimizer configuration, possibly a batch of them (array-valued numbers)."""

    name: str
    hyper: dict
    flags: dict
    schedule: Schedule
    options: dict
    line_search: bool = False
    label: str | None = None

    @property
    def structure(self) -> tuple:
        """Everything that shapes compiled code; specs with equal structure run together."""
        return (
            self.name,
            tuple(sorted(self.flags.items())),
            self.schedule.structure,
            self.interventions,
            self.line_search,
        )

    @property
    def entry(self) -> Entry:
        """The catalog entry this spec runs: a catalog optimizer or a typed rule."""
        return entry_of(self.name, self.flags)

    @property
    def interventions(self) -> tuple:
        """The options that change the update rule here: clipping, and weight decay when > 0."""
        active = [k for k in ("clip_norm", "clip_value") if k in self.options]
        if np.any(np.asarray(self.options.get("weight_decay", 0.0)) > 0):
            active.append("weight_decay")
        return tuple(active)

    @property
    def size(self) -> int:
        """How many configurations the array-valued numbers broadcast to."""
        return int(np.prod(self._shape(), dtype=int))

    def _shape(self) -> tuple:
        leaves = [
            *self.hyper.values(),
            *self.options.values(),
            *jax.tree.leaves(self.schedule.values()),
        ]
        return np.broadcast_shapes(*(np.shape(v) for v in leaves)) if leaves else ()

    def columns(self) -> dict:
        """Every number broadcast to a flat (size,) float32 array, as a pytree."""
        shape = self._shape()

        def flat(v):
            return np.broadcast_to(np.asarray(v, np.float32), shape).reshape(-1)

        return {
            "hyper": {k: flat(v) for k, v in self.hyper.items()},
            "options": {k: flat(v) for k, v in self.options.items()},
            "schedule": jax.tree.map(flat, self.schedule.values()),
        }

    def part(self, index) -> Spec:
        """The configurations at flat positions `index` of this batch, as a batch of their own:
        a long sweep runs in parts, with a chance to stop between them."""
        shape = self._shape()

        def take(v):
            if np.ndim(v) == 0:
                return v
            return np.broadcast_to(np.asarray(v), shape).reshape(-1)[index]

        return dataclasses.replace(
            self,
            hyper={k: take(v) for k, v in self.hyper.items()},
            options={k: take(v) for k, v in self.options.items()},
            schedule=_part_of_schedule(self.schedule, take),
            label=None,
        )

    def labels(self) -> list[str]:
        """One label per configuration; batch members are told apart by their varying values."""
        base = self.label or self.describe()
        if self.size == 1:
            return [base]
        varying = {
            k: np.broadcast_to(np.asarray(v), self._shape()).reshape(-1)
            for k, v in {**self.hyper, **self.options}.items()
            if np.ndim(v) > 0
        }
        return [
            base + " " + ", ".join(f"{_short(k)}={v[i]:.3g}" for k, v in varying.items())
            for i in range(self.size)
        ]

    def describe(self) -> str:
        """The default label: title, then every visible intervention (clipping, decay, ...)."""
        parts = [self.entry.title]
        extras = [
            f"{_short(k)}={_scalar(self.hyper[k])}" for k in ("learning_rate",) if k in self.hyper
        ]
        if self.schedule.kind != "constant":
            extras.append(self.schedule.describe())
        if "clip_norm" in self.options:
            extras.append(f"clip ‖g‖≤{_scalar(self.options['clip_norm'])}")
        if "clip_value" in self.options:
            extras.append(f"clip |gᵢ|≤{_scalar(self.options['clip_value'])}")
        if np.any(np.asarray(self.options.get("weight_decay", 0.0)) > 0):
            extras.append(f"wd={_scalar(self.options['weight_decay'])}")
        if np.any(np.asarray(self.options.get("batch_size", 1.0)) != 1):
            extras.append(f"batch={_scalar(self.options['batch_size'])}")
        if self.line_search:
            extras.append("Armijo line search")
        return parts[0] + (f" ({', '.join(extras)})" if extras else "")


def _part_of_schedule(schedule: Schedule, take) -> Schedule:
    then = None if schedule.then is None else _part_of_schedule(schedule.then, take)
    return schedule._replace(params={k: take(v) for k, v in schedule.params.items()}, then=then)


def make(
    name: str,
    *,
    schedule: Schedule | None = None,
    clip_norm=None,
    clip_value=None,
    weight_decay=0.0,
    batch_size=1.0,
    line_search: bool = False,
    label: str | None = None,
    **settings,
) -> Spec:
    """A Spec for catalog optimizer `name`: `make("nesterov", learning_rate=1e-3, momentum=0.9)`.

    `settings` are the entry's numeric hyperparameters (arrays broadcast into a batch) and
    its static flags (e.g. RMSprop's `centered`). Options that change the rule are explicit
    and appear in the label: `clip_norm`, `clip_value`, `weight_decay` (decoupled),
    `line_search` (backtracking Armijo on the final step), `batch_size` (noise scale).
    """
    e = entry_of(name, settings)
    unknown = set(settings) - set(e.hyper) - set(e.flags)
    if unknown:
        allowed = ", ".join([*e.hyper, *e.flags])
        raise ValueError(f"{name} has no setting {sorted(unknown)}; allowed: {allowed}")
    hyper = {k: spec.default for k, spec in e.hyper.items()}
    hyper.update({k: e.hyper[k].check(k, v) for k, v in settings.items() if k in e.hyper})
    flags = {k: type(default)(settings.get(k, default)) for k, default in e.flags.items()}
    options = {
        "weight_decay": weight_decay,
        "batch_size": batch_size,
        "clip_norm": clip_norm,
        "clip_value": clip_value,
    }
    options = {k: OPTIONS[k].check(k, v) for k, v in options.items() if v is not None}
    spec = Spec(
        name,
        hyper,
        flags,
        schedule or make_schedule("constant"),
        options,
        bool(line_search),
        label,
    )
    spec._shape()  # raises ValueError now if the arrays cannot broadcast
    return spec


def from_rule(text: str, **settings) -> Spec:
    """A Spec for an update rule typed as text (see optimizers.own), with `make`'s options and
    the rule's numbers: `from_rule("params: mu = 0.9\nv = mu*v - lr*g\nx = x + v", mu=0.5)`.
    Raises a RuleError (a ValueError) naming line and column if the rule does not parse."""
    return make(RULE, rule=text, **settings)


_SHORT = {
    "learning_rate": "lr",
    "momentum": "β",
    "weight_decay": "wd",
    "batch_size": "batch",
}


def _short(key: str) -> str:
    return _SHORT.get(key, key)


def _scalar(value) -> str:
    arr = np.asarray(value)
    return f"{float(arr):.3g}" if arr.ndim == 0 else "…"


def vary(spec: Spec, **values) -> Spec:
    """`spec` with some hyperparameters replaced by (array) values: one batch of configurations."""
    return dataclasses.replace(spec, hyper={**spec.hyper, **values}, label=None)
