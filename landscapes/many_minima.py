"""Surfaces with many minima: where an optimizer ends depends on where and how it starts."""

import jax.numpy as jnp
import numpy as np

from landscapes.surface import describe, register


def _himmelblau(xy, p):
    x, y = xy
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


@register("many_minima", title="Himmelblau")
def himmelblau():
    return describe(
        _himmelblau,
        domain=((-5, 5), (-5, 5)),
        start=(0.0, 0.0),
        minima=[
            ((3.0, 2.0), 0.0),
            ((-2.805118, 3.131312), 0.0),
            ((-3.779310, -3.283186), 0.0),
            ((3.584428, -1.848126), 0.0),
        ],
        latex=r"f(x,y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        note=(
            "Four minima of equal depth. Which one an optimizer finds depends on the start "
            "point and on the optimizer: momentum can carry a run past the nearest basin "
            "into another."
        ),
        lr_range=(1e-4, 2e-2),
    )


def _six_hump_camel(xy, p):
    x, y = xy
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


@register("many_minima", title="Six-hump camel")
def six_hump_camel():
    return describe(
        _six_hump_camel,
        domain=((-2.5, 2.5), (-1.5, 1.5)),
        start=(-1.5, -1.2),
        minima=[
            ((0.089842, -0.712656), -1.031628),
            ((-0.089842, 0.712656), -1.031628),
            ((-1.703607, 0.796084), -0.215464),
            ((1.703607, -0.796084), -0.215464),
            ((-1.607105, -0.568651), 2.104251),
            ((1.607105, 0.568651), 2.104251),
        ],
        latex=r"f = \bigl(4 - 2.1x^2 + \tfrac{x^4}{3}\bigr)x^2 + xy + (4y^2 - 4)\,y^2",
        note=(
            "Six minima of three different depths, two of them global. A compact picture "
            "of local versus global minima: each optimizer settles in the basin its path "
            "enters, not necessarily the deepest."
        ),
        lr_range=(1e-3, 5e-2),
    )


def _three_hump_camel(xy, p):
    x, y = xy
    return 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2


@register("many_minima", title="Three-hump camel")
def three_hump_camel():
    return describe(
        _three_hump_camel,
        domain=((-2.5, 2.5), (-2.5, 2.5)),
        start=(-2.2, 2.0),
        minima=[
            ((0.0, 0.0), 0.0),
            ((-1.747552, 0.873776), 0.298638),
            ((1.747552, -0.873776), 0.298638),
        ],
        latex=r"f = 2x^2 - 1.05x^4 + \tfrac{x^6}{6} + xy + y^2",
        note=(
            "One global minimum between two shallow local ones. Runs started on the flanks "
            "stop in the side humps unless they bring enough momentum to roll over the "
            "barrier."
        ),
        lr_range=(1e-3, 0.1),
    )


def _styblinski_tang(xy, p):
    return 0.5 * jnp.sum(xy**4 - 16 * xy**2 + 5 * xy)


_ST_LOW, _ST_HIGH = -2.903534, 2.746803
_ST_V = {_ST_LOW: -39.166166, _ST_HIGH: -25.029447}


@register("many_minima", title="Styblinski–Tang")
def styblinski_tang():
    corners = [(a, b) for a in (_ST_LOW, _ST_HIGH) for b in (_ST_LOW, _ST_HIGH)]
    return describe(
        _styblinski_tang,
        domain=((-5, 5), (-5, 5)),
        start=(0.4, 0.6),
        minima=[((a, b), _ST_V[a] + _ST_V[b]) for a, b in corners],
        latex=r"f = \tfrac12\sum_i \bigl(x_i^4 - 16x_i^2 + 5x_i\bigr)",
        note=(
            "Four minima in the four quadrants, one clearly deepest. From a start near the "
            "central hill the first steps decide the quadrant, so small changes of "
            "learning rate or momentum change the outcome."
        ),
        lr_range=(1e-3, 3e-2),
    )


def _mccormick(xy, p):
    x, y = xy
    return jnp.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1


@register("many_minima", title="McCormick")
def mccormick():
    return describe(
        _mccormick,
        domain=((-1.5, 4), (-3, 4)),
        start=(3.5, 3.5),
        minima=[((-0.547198, -1.547198), -1.913223), ((2.594395, 1.594395), 1.228370)],
        latex=r"f = \sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1",
        note=(
            "A tilted valley with a wave along its floor, giving a shallow local minimum "
            "upstream of the global one. Runs from the upper end stop there unless momentum "
            "or a large step carries them over."
        ),
        lr_range=(1e-3, 0.3),
    )


def _branin(xy, p):
    x, y = xy
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return (y - b * x**2 + c * x - 6) ** 2 + 10 * (1 - t) * jnp.cos(x) + 10


@register("many_minima", title="Branin")
def branin():
    return describe(
        _branin,
        domain=((-5, 10), (0, 15)),
        start=(0.0, 14.0),
        minima=[
            ((-np.pi, 12.275), 0.397887),
            ((np.pi, 2.275), 0.397887),
            ((3 * np.pi, 2.475), 0.397887),
        ],
        latex=r"f = \bigl(y - \tfrac{5.1}{4\pi^2}x^2 + \tfrac{5}{\pi}x - 6\bigr)^2"
        r" + 10\bigl(1 - \tfrac{1}{8\pi}\bigr)\cos x + 10",
        note=(
            "Three global minima of exactly equal depth along a curved valley. The "
            "minimum a run finds is decided by its start and its path, never by depth."
        ),
        lr_range=(1e-3, 0.1),
    )


_HILLS = np.array(
    [  # centre x, centre y, depth, width
        [-1.5, 1.2, 1.0, 0.6],
        [1.4, 1.0, 0.8, 0.5],
        [0.3, -1.4, 1.2, 0.7],
        [-1.3, -1.1, 0.6, 0.4],
        [1.7, -0.9, 0.5, 0.35],
    ],
    dtype=np.float32,
)


def _noisy_hills(xy, p):
    d2 = jnp.sum((xy - _HILLS[:, :2]) ** 2, axis=1)
    wells = _HILLS[:, 2] * jnp.exp(-d2 / (2 * _HILLS[:, 3] ** 2))
    return 0.05 * jnp.sum(xy**2) - jnp.sum(wells) + 1.0


@register("many_minima", title="Gaussian hills")
def noisy_hills():
    return describe(
        _noisy_hills,
        domain=((-3, 3), (-3, 3)),
        start=(0.0, 2.6),
        minima=[
            ((0.287751, -1.344688), -0.101783),
            ((-1.447475, 1.157925), 0.178002),
            ((1.356479, 0.96767), 0.342239),
            ((-1.164212, -1.089964), 0.438319),
            ((1.499217, -0.933142), 0.511782),
        ],
        latex=r"f = 1 + 0.05\,(x^2+y^2) - \sum_{k=1}^{5} a_k\,e^{-\lVert p - c_k\rVert^2/2s_k^2}",
        note=(
            "Five Gaussian wells of different depths and widths on a gentle bowl, like the "
            "basins of a real loss. Basin size, not depth, decides where most starts end; "
            "noise and momentum move runs between neighbouring basins."
        ),
        lr_range=(1e-3, 0.5),
    )
