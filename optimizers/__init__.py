"""Optimizers over optax, learning-rate schedules, and the vectorized trajectory runner.

spec = optimizers.make("nesterov", learning_rate=1e-3, momentum=0.9,
                       schedule=optimizers.schedule("step", every=100, factor=0.5))
t = optimizers.run(surface, [spec], start=(-1.5, 2.0), steps=500)
r = optimizers.sweep(surface, optimizers.make("sgd", learning_rate=np.logspace(-4, -1, 500)))
mine = optimizers.from_rule("params: mu = 0.9\nv = mu * v - lr * g\nx = x + v", learning_rate=1e-3)
"""

from optimizers import own, slices, train
from optimizers.catalog import CATALOG, Entry, entry
from optimizers.own import RULE, RuleError, entry_of
from optimizers.runner import SweepResult, Trajectories, divergence_box, run, sweep, trace_count
from optimizers.schedules import Schedule, schedule
from optimizers.spec import OPTIONS, Spec, from_rule, make

__all__ = [
    "CATALOG",
    "OPTIONS",
    "RULE",
    "RuleError",
    "Entry",
    "Schedule",
    "Spec",
    "SweepResult",
    "Trajectories",
    "divergence_box",
    "entry",
    "entry_of",
    "from_rule",
    "make",
    "names",
    "own",
    "run",
    "schedule",
    "slices",
    "sweep",
    "trace_count",
    "train",
]


slices.register_slice()


def names() -> list[str]:
    """Catalog names, the course's six first."""
    return list(CATALOG)
