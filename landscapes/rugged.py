"""Rugged surfaces: many minima from ripples over a trend, the classic benchmark functions.

Their local minima come in lattices (listed globals only; `landscapes.find_minima` finds the
rest), so gradient methods stop in the nearest dimple unless noise or momentum carries them on.
"""

import jax.numpy as jnp
import numpy as np

from landscapes.mathx import safe_norm
from landscapes.surface import describe, register

TWO_PI = 2 * np.pi


def _rastrigin(xy, p):
    return 20.0 + jnp.sum(xy**2 - 10.0 * jnp.cos(TWO_PI * xy))


@register("many_minima", title="Rastrigin")
def rastrigin():
    return describe(
        _rastrigin,
        domain=((-5.12, 5.12), (-5.12, 5.12)),
        start=(3.7, -4.2),
        minima=[((0.0, 0.0), 0.0)],
        latex=r"f = 20 + \sum_{i}\bigl(x_i^2 - 10\cos 2\pi x_i\bigr)",
        note=(
            "A bowl covered in a regular egg-crate of about a hundred local minima. Small "
            "steps stop in the nearest dimple; large steps or gradient noise hop between "
            "them, which is one reason noisy SGD can find better minima than exact descent."
        ),
        lr_range=(1e-4, 2e-2),
        minima_complete=False,
    )


def _ackley(xy, p):
    r = safe_norm(xy) * np.sqrt(0.5)
    waves = 0.5 * jnp.sum(jnp.cos(TWO_PI * xy))
    return -20.0 * jnp.exp(-0.2 * r) - jnp.exp(waves) + np.e + 20.0


@register("many_minima", title="Ackley")
def ackley():
    return describe(
        _ackley,
        domain=((-5, 5), (-5, 5)),
        start=(3.2, -3.8),
        minima=[((0.0, 0.0), 0.0)],
        latex=(
            r"f = -20\,e^{-0.2\sqrt{(x^2+y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2}"
            r" + e + 20"
        ),
        note=(
            "A nearly flat outer region full of ripples around one deep funnel. The "
            "ripples trap small steps; the funnel is only found by runs that get near it. "
            "It shows how little the local gradient says about where the global minimum is."
        ),
        lr_range=(1e-3, 0.1),
        minima_complete=False,
    )


def _levi_n13(xy, p):
    x, y = xy
    return (
        jnp.sin(3 * np.pi * x) ** 2
        + (x - 1) ** 2 * (1 + jnp.sin(3 * np.pi * y) ** 2)
        + (y - 1) ** 2 * (1 + jnp.sin(TWO_PI * y) ** 2)
    )


@register("many_minima", title="Lévi N.13")
def levi_n13():
    return describe(
        _levi_n13,
        domain=((-2, 4), (-2, 4)),
        start=(-1.4, 3.3),
        minima=[((1.0, 1.0), 0.0)],
        latex=(
            r"f = \sin^2 3\pi x + (x-1)^2\bigl(1 + \sin^2 3\pi y\bigr)"
            r" + (y-1)^2\bigl(1 + \sin^2 2\pi y\bigr)"
        ),
        note=(
            "A bowl with parallel ridges: a rippled floor whose local minima line up in "
            "rows. Descent slides along a row before it can cross to the next."
        ),
        lr_range=(1e-4, 1e-2),
        minima_complete=False,
    )


def _schaffer_n2(xy, p):
    x, y = xy
    r2 = x**2 + y**2
    return 0.5 + (jnp.sin(x**2 - y**2) ** 2 - 0.5) / (1 + 0.001 * r2) ** 2


@register("many_minima", title="Schaffer N.2")
def schaffer_n2():
    return describe(
        _schaffer_n2,
        domain=((-4, 4), (-4, 4)),
        start=(2.5, 1.0),
        minima=[((0.0, 0.0), 0.0)],
        latex=r"f = 0.5 + \frac{\sin^2(x^2 - y^2) - 0.5}{\bigl(1 + 0.001(x^2+y^2)\bigr)^2}",
        note=(
            "Hyperbolic troughs whose bottoms are nearly as low as the global minimum. "
            "Every optimizer lands in some trough; the differences lie in how far along "
            "it they then drift."
        ),
        lr_range=(1e-3, 0.1),
        minima_complete=False,
    )


def _holder_table(xy, p):
    x, y = xy
    return -jnp.abs(jnp.sin(x) * jnp.cos(y) * jnp.exp(jnp.abs(1 - safe_norm(xy) / np.pi)))


@register("many_minima", title="Hölder table")
def holder_table():
    corners = [(sx * 8.055023, sy * 9.66459) for sx in (1, -1) for sy in (1, -1)]
    return describe(
        _holder_table,
        domain=((-10, 10), (-10, 10)),
        start=(1.5, 2.0),
        minima=[(c, -19.208502) for c in corners],
        latex=r"f = -\Bigl\lvert \sin x\cos y\;e^{\lvert 1 - \sqrt{x^2+y^2}/\pi\rvert}\Bigr\rvert",
        note=(
            "Many creased minima that deepen towards the four corners. A start in the "
            "middle finds a nearby shallow minimum; the four deepest lie far out where "
            "only large or lucky steps reach them."
        ),
        lr_range=(1e-3, 0.1),
        minima_complete=False,
    )


_EGG_SCALE = 512.0


def _eggholder(xy, p):
    x, y = xy * _EGG_SCALE
    a = -(y + 47) * jnp.sin(jnp.sqrt(jnp.abs(x / 2 + y + 47) + 1e-12))
    b = -x * jnp.sin(jnp.sqrt(jnp.abs(x - (y + 47)) + 1e-12))
    return (a + b) / 100.0


@register("many_minima", title="Eggholder (rescaled)")
def eggholder():
    return describe(
        _eggholder,
        domain=((-1, 1), (-1, 1)),
        start=(0.3, 0.2),
        minima=[((0.8583613, 0.8866746), -9.35338)],
        latex=r"f = \tfrac{1}{100}\Bigl[-(Y+47)\sin\sqrt{\lvert X/2 + Y + 47\rvert}"
        r" - X\sin\sqrt{\lvert X - Y - 47\rvert}\Bigr],\ (X, Y) = 512\,(x, y)",
        note=(
            "A chaotic landscape of deep, irregular pits (the classic Eggholder, rescaled "
            "to the unit square with values divided by 100). Local search is hopeless "
            "here: it is the honest counterexample to 'a good optimizer finds the minimum'."
        ),
        lr_range=(1e-5, 1e-3),
        minima_complete=False,
    )


def _cross_in_tray(xy, p):
    x, y = xy
    # log(|sin x sin y| e^a + 1) written as a + log(|sin x sin y| + e^-a): e^a overflows float32
    a = jnp.abs(100 - safe_norm(xy) / np.pi)
    log_bump = a + jnp.log(jnp.abs(jnp.sin(x) * jnp.sin(y)) + jnp.exp(-a))
    return -0.0001 * jnp.exp(0.1 * log_bump)


@register("many_minima", title="Cross-in-tray")
def cross_in_tray():
    corners = [(sx * 1.349406, sy * 1.349406) for sx in (1, -1) for sy in (1, -1)]
    return describe(
        _cross_in_tray,
        domain=((-4, 4), (-4, 4)),
        start=(0.2, 3.6),
        minima=[(c, -2.062612) for c in corners],
        latex=r"f = -10^{-4}\Bigl(\bigl\lvert \sin x\sin y\;"
        r"e^{\lvert 100 - \sqrt{x^2+y^2}/\pi\rvert}\bigr\rvert + 1\Bigr)^{0.1}",
        note=(
            "Four equal minima separated by a cross of ridges along the axes where the "
            "function is creased. Near the crosses the gradient jumps, so fixed steps "
            "oscillate; which quadrant wins is set by the start."
        ),
        lr_range=(1e-2, 1.0),
        minima_complete=False,
    )
