"""Plateaus and cliffs: regions where the gradient is nearly zero, or suddenly enormous."""

import jax
import jax.numpy as jnp
import numpy as np

from landscapes.param import Param
from landscapes.surface import describe, register


def _flat_well(xy, p):
    return 1.0 - jnp.exp(-jnp.sum(xy**2) / p["width"] ** 2)


@register(
    "plateau",
    width=Param(1.0, 0.3, 3.0, help="radius of the well"),
    title="Flat plateau with a well",
)
def flat_well(width):
    return describe(
        _flat_well,
        domain=((-3, 3), (-3, 3)),
        start=(2.2, 1.6),
        minima=[((0.0, 0.0), 0.0)],
        latex=r"f(x,y) = 1 - e^{-(x^2 + y^2)/w^2}",
        note=(
            "Almost flat everywhere except a single well. Far from it the gradient is "
            "exponentially small, so SGD barely moves at any sensible learning rate, while "
            "Adam and RMSprop divide by the gradient's size and cross the plateau."
        ),
        lr_range=(1e-3, 1.0),
    )


def _easom(xy, p):
    x, y = xy
    return -jnp.cos(x) * jnp.cos(y) * jnp.exp(-((x - jnp.pi) ** 2 + (y - jnp.pi) ** 2))


@register("plateau", title="Easom")
def easom():
    return describe(
        _easom,
        domain=((-1, 7), (-1, 7)),
        start=(1.0, 5.0),
        minima=[((np.pi, np.pi), -1.0)],
        latex=r"f = -\cos x\,\cos y\;e^{-\left((x-\pi)^2 + (y-\pi)^2\right)}",
        note=(
            "A needle in a haystack: one narrow hole in a plain whose gradient is "
            "practically zero. It shows why an optimizer's behaviour on plateaus matters as "
            "much as its behaviour near a minimum."
        ),
        lr_range=(1e-3, 1.0),
        minima_complete=False,
    )


def _goldstein_price(xy, p):
    x, y = xy
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    return a * b


@register("plateau", title="Goldstein–Price")
def goldstein_price():
    return describe(
        _goldstein_price,
        domain=((-2, 2), (-2, 2)),
        start=(-1.2, 1.5),
        minima=[
            ((0.0, -1.0), 3.0),
            ((-0.6, -0.4), 30.0),
            ((1.8, 0.2), 84.0),
            ((1.2, 0.8), 840.0),
        ],
        latex=(
            r"f = \bigl[1 + (x+y+1)^2(19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\bigr]"
            r"\bigl[30 + (2x-3y)^2(18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\bigr]"
        ),
        note=(
            "Values from 3 to a million: a broad flat basin ringed by huge walls, with "
            "local minima on the way. A learning rate safe on the walls is useless on the "
            "floor; it is a case for adaptive steps and for log-scaled colours."
        ),
        lr_range=(1e-6, 1e-3),
    )


def _tanh_plateau(xy, p):
    x, y = xy
    return (jnp.tanh(2 * x) - 0.9) ** 2 + 0.5 * (jnp.tanh(2 * y) - 0.9) ** 2


_TANH_TARGET = float(np.arctanh(0.9) / 2)


@register("plateau", title="Saturated tanh plateau")
def tanh_plateau():
    return describe(
        _tanh_plateau,
        domain=((-3, 3), (-3, 3)),
        start=(-2.5, -1.5),
        minima=[((_TANH_TARGET, _TANH_TARGET), 0.0)],
        latex=r"f = (\tanh 2x - 0.9)^2 + \tfrac12(\tanh 2y - 0.9)^2",
        note=(
            "The loss of saturated tanh units: where tanh is flat the gradient vanishes, "
            "though the loss is far from its minimum. This is the vanishing gradient that "
            "slows deep networks with saturating activations; adaptive methods step out "
            "of it, plain SGD waits."
        ),
        lr_range=(1e-3, 1.0),
    )


def _cliff(xy, p):
    x, y = xy
    return 0.05 * ((x - 2.0) ** 2 + y**2) + p["height"] * jax.nn.sigmoid(-p["steepness"] * x)


def _cliff_minimum(height: float, steepness: float) -> float:
    """x of the cliff's minimum on y = 0: Newton on the derivative, from the bowl's centre."""
    x = 2.0
    for _ in range(50):
        s = 1.0 / (1.0 + np.exp(steepness * x))
        d1 = 0.1 * (x - 2.0) - height * steepness * s * (1 - s)
        d2 = 0.1 + height * steepness**2 * s * (1 - s) * (1 - 2 * s)
        x -= d1 / d2
    return x


@register(
    "cliff",
    title="Cliff",
    height=Param(10.0, 0.0, 50.0, help="height of the wall"),
    steepness=Param(20.0, 2.0, 100.0, log=True, help="how abruptly the wall rises"),
)
def cliff(height, steepness):
    x_min = _cliff_minimum(height, steepness)
    value = 0.05 * (x_min - 2.0) ** 2 + height / (1.0 + np.exp(steepness * x_min))
    return describe(
        _cliff,
        domain=((-4, 4), (-3, 3)),
        start=(-3.5, 1.5),
        minima=[((x_min, 0.0), value)],
        latex=r"f = 0.05\bigl((x-2)^2 + y^2\bigr) + h\,\sigma(-s\,x)",
        note=(
            "A high terrace, a near-vertical wall and a low bowl, like the cliffs in the "
            "loss of recurrent networks (Goodfellow et al., ch. 8). On the wall the "
            "gradient is huge and one step can throw the point far away; gradient clipping "
            "bounds that step."
        ),
        lr_range=(1e-3, 1.0),
    )
