"""Bowls and valleys: convex or nearly convex surfaces whose difficulty is curvature."""

import jax.numpy as jnp

from landscapes.mathx import rotate, safe_sqrt
from landscapes.param import Param
from landscapes.surface import describe, register


def _sphere(xy, p):
    return jnp.sum(xy**2)


@register("bowl", title="Sphere")
def sphere():
    return describe(
        _sphere,
        domain=((-2, 2), (-2, 2)),
        start=(-1.6, 1.2),
        minima=[((0, 0), 0.0)],
        latex=r"f(x,y) = x^2 + y^2",
        note=(
            "The easiest surface there is: every gradient points straight at the minimum. "
            "Gradient descent converges for any learning rate below 1 and oscillates or "
            "diverges above it, so it is the place to see what 'too large' means."
        ),
        lr_range=(1e-3, 1.0),
    )


def _quadratic(xy, p):
    u, v = rotate(xy, p["angle"])
    return 0.5 * (u**2 + p["condition"] * v**2)


@register(
    "valley",
    title="Ill-conditioned quadratic",
    condition=Param(10.0, 1.0, 1000.0, log=True, help="ratio of largest to smallest curvature"),
    angle=Param(0.0, -90.0, 90.0, help="rotation of the valley's axes, in degrees"),
)
def quadratic(condition, angle):
    return describe(
        _quadratic,
        domain=((-2, 2), (-2, 2)),
        start=(-1.8, 1.2),
        minima=[((0, 0), 0.0)],
        latex=(
            r"f = \tfrac12\,(u^2 + \kappa v^2),\ (u, v) = R(-\theta)\,(x, y),\ "
            rf"\kappa = {condition:g},\ \theta = {angle:g}^\circ"
        ),
        note=(
            "A bowl stretched by the condition number κ. Gradient descent is stable only "
            "for learning rates below 2/κ, so the steep direction sets the step while the "
            "flat direction needs many steps: the zig-zag of an ill-conditioned problem. "
            "Momentum and adaptive methods are the standard cures."
        ),
        lr_range=(1e-4, 2.0),
    )


def _rosenbrock(xy, p):
    x, y = xy
    return (p["a"] - x) ** 2 + p["b"] * (y - x**2) ** 2


@register(
    "valley",
    title="Rosenbrock's banana",
    a=Param(1.0, -1.5, 1.5, help="the minimum sits at (a, a²)"),
    b=Param(100.0, 1.0, 1000.0, log=True, help="steepness of the valley walls"),
)
def rosenbrock(a, b):
    return describe(
        _rosenbrock,
        domain=((-2, 2), (-1, 3)),
        start=(-1.5, 2.0),
        minima=[((a, a * a), 0.0)],
        latex=r"f(x,y) = (a - x)^2 + b\,(y - x^2)^2",
        note=(
            "A curved, narrow, flat-bottomed valley. Finding the valley is easy; following "
            "its gently sloping floor to the minimum is slow for plain gradient descent, "
            "which bounces between the walls. Momentum and Adam travel along the floor."
        ),
        lr_range=(1e-5, 5e-3),
    )


def _long_valley(xy, p):
    x, y = xy
    return 0.01 * (x - 4.0) ** 2 + 5.0 * (y - 0.3 * jnp.sin(x)) ** 2


@register("valley", title="Long winding valley")
def long_valley():
    return describe(
        _long_valley,
        domain=((-5, 5), (-1.5, 1.5)),
        start=(-4.5, 1.2),
        minima=[((4.0, 0.3 * float(jnp.sin(4.0))), 0.0)],
        latex=r"f(x,y) = 0.01\,(x-4)^2 + 5\,\bigl(y - 0.3\sin x\bigr)^2",
        note=(
            "Steep walls and a floor that falls only gently along a winding path, the "
            "situation of the classic 'long valley' lecture animation. Plain SGD reaches the "
            "floor at once and then crawls; momentum builds up speed along the floor; "
            "adaptive methods rescale the flat direction."
        ),
        lr_range=(1e-3, 0.19),
    )


def _beale(xy, p):
    x, y = xy
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


@register("valley", title="Beale")
def beale():
    return describe(
        _beale,
        domain=((-4.5, 4.5), (-4.5, 4.5)),
        start=(1.0, 1.5),
        minima=[((3.0, 0.5), 0.0)],
        latex=(r"f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"),
        note=(
            "Sharp ridges, flat valleys and values spanning many orders of magnitude: the "
            "surface of the classic optimizer animation. The minimum lies at the end of a "
            "long flat arm, so methods that rescale small gradients (Adagrad, RMSprop, "
            "Adam) get there first while SGD dawdles."
        ),
        lr_range=(1e-4, 1e-1),
    )


def _booth(xy, p):
    x, y = xy
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


@register("bowl", title="Booth")
def booth():
    return describe(
        _booth,
        domain=((-10, 10), (-10, 10)),
        start=(-8.0, -8.0),
        minima=[((1.0, 3.0), 0.0)],
        latex=r"f(x,y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
        note=(
            "A tilted quadratic bowl with condition number 9. Every method converges; it "
            "shows how the direction of steepest descent differs from the direction to the "
            "minimum when curvatures differ."
        ),
        lr_range=(1e-3, 0.11),
    )


def _matyas(xy, p):
    x, y = xy
    return 0.26 * (x**2 + y**2) - 0.48 * x * y


@register("valley", title="Matyas")
def matyas():
    return describe(
        _matyas,
        domain=((-10, 10), (-10, 10)),
        start=(-8.0, 6.0),
        minima=[((0.0, 0.0), 0.0)],
        latex=r"f(x,y) = 0.26\,(x^2 + y^2) - 0.48\,xy",
        note=(
            "A bowl with a shallow diagonal trough (condition number 25). Gradient descent "
            "drops into the trough quickly and then creeps along it; that creep is "
            "ill-conditioning, not a plateau."
        ),
        lr_range=(1e-2, 1.9),
    )


def _zakharov(xy, p):
    x, y = xy
    s = 0.5 * x + y
    return x**2 + y**2 + s**2 + s**4


@register("bowl", title="Zakharov")
def zakharov():
    return describe(
        _zakharov,
        domain=((-5, 5), (-5, 5)),
        start=(-4.0, 4.0),
        minima=[((0.0, 0.0), 0.0)],
        latex=r"f = x^2 + y^2 + s^2 + s^4,\quad s = \tfrac12 x + y",
        note=(
            "Convex, with a quartic term that makes the walls very steep far from the "
            "minimum and gentle near it. A learning rate that is fine near the minimum "
            "blows up from a far start: curvature changes across the surface."
        ),
        lr_range=(1e-4, 1e-2),
    )


def _bukin_n6(xy, p):
    x, y = xy
    return 100.0 * safe_sqrt(jnp.abs(y - 0.01 * x**2)) + 0.01 * jnp.abs(x + 10.0)


@register("valley", title="Bukin N.6")
def bukin_n6():
    return describe(
        _bukin_n6,
        domain=((-15, -5), (-3, 3)),
        start=(-6.0, 2.0),
        minima=[((-10.0, 1.0), 0.0)],
        latex=r"f = 100\sqrt{\lvert y - 0.01x^2\rvert} + 0.01\,\lvert x + 10\rvert",
        note=(
            "A curved ridge-shaped valley whose floor is a crease: the gradient never "
            "becomes small near the floor, it just flips sign. Fixed-step methods rattle "
            "across the crease forever; only shrinking steps settle."
        ),
        lr_range=(1e-6, 1e-3),
    )
