"""Surfaces with many minima: where an optimizer ends depends on where and how it starts."""

import jax.numpy as jnp
import numpy as np

from landscapes.mathx import safe_norm
from landscapes.surface import describe, register

TWO_PI = 2 * np.pi


def _himmelblau(xy, p):
    x, y = xy
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


@register("many_minima")
def himmelblau():
    return describe(
        _himmelblau,
        title="Himmelblau",
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


def _rastrigin(xy, p):
    return 20.0 + jnp.sum(xy**2 - 10.0 * jnp.cos(TWO_PI * xy))


@register("many_minima")
def rastrigin():
    return describe(
        _rastrigin,
        title="Rastrigin",
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


@register("many_minima")
def ackley():
    return describe(
        _ackley,
        title="Ackley",
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


def _six_hump_camel(xy, p):
    x, y = xy
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


@register("many_minima")
def six_hump_camel():
    return describe(
        _six_hump_camel,
        title="Six-hump camel",
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


@register("many_minima")
def three_hump_camel():
    return describe(
        _three_hump_camel,
        title="Three-hump camel",
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


@register("many_minima")
def styblinski_tang():
    corners = [(a, b) for a in (_ST_LOW, _ST_HIGH) for b in (_ST_LOW, _ST_HIGH)]
    return describe(
        _styblinski_tang,
        title="Styblinski–Tang",
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


def _levi_n13(xy, p):
    x, y = xy
    return (
        jnp.sin(3 * np.pi * x) ** 2
        + (x - 1) ** 2 * (1 + jnp.sin(3 * np.pi * y) ** 2)
        + (y - 1) ** 2 * (1 + jnp.sin(TWO_PI * y) ** 2)
    )


@register("many_minima")
def levi_n13():
    return describe(
        _levi_n13,
        title="Lévi N.13",
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


def _mccormick(xy, p):
    x, y = xy
    return jnp.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1


@register("many_minima")
def mccormick():
    return describe(
        _mccormick,
        title="McCormick",
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


@register("many_minima")
def branin():
    return describe(
        _branin,
        title="Branin",
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


def _schaffer_n2(xy, p):
    x, y = xy
    r2 = x**2 + y**2
    return 0.5 + (jnp.sin(x**2 - y**2) ** 2 - 0.5) / (1 + 0.001 * r2) ** 2


@register("many_minima")
def schaffer_n2():
    return describe(
        _schaffer_n2,
        title="Schaffer N.2",
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


@register("many_minima")
def holder_table():
    corners = [(sx * 8.055023, sy * 9.66459) for sx in (1, -1) for sy in (1, -1)]
    return describe(
        _holder_table,
        title="Hölder table",
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


@register("many_minima")
def eggholder():
    return describe(
        _eggholder,
        title="Eggholder (rescaled)",
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


@register("many_minima")
def cross_in_tray():
    corners = [(sx * 1.349406, sy * 1.349406) for sx in (1, -1) for sy in (1, -1)]
    return describe(
        _cross_in_tray,
        title="Cross-in-tray",
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


@register("many_minima")
def noisy_hills():
    return describe(
        _noisy_hills,
        title="Gaussian hills",
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
