"""Saddles: points where the gradient vanishes but the surface still goes down somewhere."""

from landscapes.surface import describe, register


def _saddle(xy, p):
    x, y = xy
    return x**2 - y**2


@register("saddle", title="Saddle x² − y²")
def saddle():
    return describe(
        _saddle,
        domain=((-2, 2), (-2, 2)),
        start=(-1.8, 0.02),
        minima=[],
        latex=r"f(x,y) = x^2 - y^2",
        note=(
            "Downhill along x, uphill along y, and flat at the origin. Started almost on the "
            "x-axis, gradient descent slides to the saddle and lingers, because the escape "
            "direction has a tiny gradient. Momentum and adaptive methods escape sooner; the "
            "surface is unbounded below, so escapers leave the picture."
        ),
        lr_range=(1e-3, 0.5),
    )


def _monkey_saddle(xy, p):
    x, y = xy
    return x**3 - 3 * x * y**2


@register("saddle", title="Monkey saddle")
def monkey_saddle():
    return describe(
        _monkey_saddle,
        domain=((-2, 2), (-2, 2)),
        start=(1.5, 0.1),
        minima=[],
        latex=r"f(x,y) = x^3 - 3xy^2",
        note=(
            "A degenerate saddle with three downhill valleys: its curvature is zero at the "
            "origin, so second-order methods get no help there and gradient descent slows "
            "to a crawl before turning into one of the valleys. Compare it with x² − y², whose "
            "saddle at least has curvature to push a run away."
        ),
        lr_range=(1e-3, 0.2),
    )


def _double_well(xy, p):
    x, y = xy
    return (x**2 - 1) ** 2 + y**2


@register("saddle", title="Double well")
def double_well():
    return describe(
        _double_well,
        domain=((-2, 2), (-1.5, 1.5)),
        start=(0.01, 1.4),
        minima=[((-1.0, 0.0), 0.0), ((1.0, 0.0), 0.0)],
        latex=r"f(x,y) = (x^2 - 1)^2 + y^2",
        note=(
            "Two equal minima separated by a saddle at the origin. A start near the ridge "
            "x = 0 descends to the saddle first and waits there until the small x-gradient "
            "grows; which well it ends in depends on tiny differences, and gradient noise "
            "decides quickly."
        ),
        lr_range=(1e-3, 0.4),
    )
