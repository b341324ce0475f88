"""Optimizers over optax, learning-rate schedules, and the vectorized trajectory runner.

spec = optimizers.make("nesterov", learning_rate=1e-3, momentum=0.9,
                       schedule=optimizers.schedule("step", every=100, factor=0.5))
t = optimizers.run(surface, [spec], start=(-1.5, 2.0), steps=500)
r = optimizers.sweep(surface, optimizers.make("sgd", learning_rate=np.logspace(-4, -1, 500)))
"""

from optimizers import train
from optimizers.catalog import CATALOG, Entry, entry
from optimizers.runner import SweepResult, Trajectories, divergence_box, run, sweep, trace_count
from optimizers.schedules import Schedule, schedule
from optimizers.spec import OPTIONS, Spec, make

__all__ = [
    "CATALOG",
    "OPTIONS",
    "Entry",
    "Schedule",
    "Spec",
    "SweepResult",
    "Trajectories",
    "divergence_box",
    "entry",
    "make",
    "names",
    "run",
    "schedule",
    "sweep",
    "trace_count",
    "train",
]


train.register_slice()


def names() -> list[str]:
    """Catalog names, the course's six first."""
    return list(CATALOG)
