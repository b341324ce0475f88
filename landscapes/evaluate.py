"""Numerical minima of surfaces (their loss grids are `Surface.grid`).

Jitted functions take the surface function as a static argument and its parameters as
traced values, so each surface compiles once whatever its parameters.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import optax

from landscapes.surface import Surface, values_at


@functools.partial(jax.jit, static_argnums=(0, 4))
def _descend(fn, params, starts, span, steps):
    """Adam with cosine-decayed steps from every start, then a few safeguarded Newton steps."""
    value = lambda p: fn(p, params)  # noqa: E731
    tx = optax.adam(optax.cosine_decay_schedule(0.02 * span, steps))

    def adam_step(carry, _):
        point, state = carry
        update, state = tx.update(jax.grad(value)(point), state)
        return (point + update, state), None

    def newton_step(point, _):
        g = jax.grad(value)(point)
        h = jax.hessian(value)(point)
        trial = point - jnp.linalg.solve(h + 1e-9 * jnp.eye(2), g)
        better = (value(trial) < value(point)) | (
            jnp.linalg.norm(jax.grad(value)(trial)) < jnp.linalg.norm(g)
        )
        near = jnp.linalg.norm(trial - point) < 0.05 * span
        return jnp.where(jnp.all(jnp.isfinite(trial)) & better & near, trial, point), None

    def one(start):
        (point, _), _ = jax.lax.scan(adam_step, (start, tx.init(start)), None, length=steps)
        point, _ = jax.lax.scan(newton_step, point, None, length=20)
        return point

    return jax.vmap(one)(starts)


def find_minima(
    surface: Surface, extra_starts=(), grid: int = 16, steps: int = 1500
) -> list[tuple[tuple[float, float], float]]:
    """Local minima inside the domain, found numerically, as ((x, y), value), lowest first.

    Starts from a grid over the domain (plus `extra_starts`), descends, and keeps points no
    neighbour on a small ring around them undercuts, so creased minima count too.
    """
    (x0, x1), (y0, y1) = surface.domain
    span = max(x1 - x0, y1 - y0)
    gx, gy = np.meshgrid(np.linspace(x0, x1, grid), np.linspace(y0, y1, grid))
    starts = np.concatenate(
        [np.stack([gx.ravel(), gy.ravel()], 1), np.reshape(extra_starts, (-1, 2))]
    )
    params = surface.param_arrays()
    ends = np.asarray(
        _descend(surface.fn, params, starts.astype(np.float32), span, steps), np.float64
    )
    inside = np.all(np.isfinite(ends), 1) & _in_domain(ends, surface.domain, 1e-6 * span)
    ends = ends[inside]
    if len(ends) == 0:
        return []
    values = np.asarray(values_at(surface.fn, params, ends.astype(np.float32)), np.float64)
    near = _neighbour_values(surface, ends, span, radii=(1e-5, 1e-4, 1e-3))
    with np.errstate(invalid="ignore"):  # inf − inf where the loss is not finite: dropped below
        noise = np.abs(_neighbour_values(surface, ends, span, radii=(1e-7,)) - values[:, None])
    tolerance = 4 * noise.max(axis=1) + 5e-7 * (1 + np.abs(values))
    curvature = np.asarray(_hessian_eigenvalues(surface.fn, params, ends.astype(np.float32)))
    convex = curvature[:, 0] >= -1e-3 * np.abs(curvature[:, 1])
    keep = np.isfinite(values) & (near.min(axis=1) >= values - tolerance) & convex
    return _distinct(ends[keep], values[keep], 1e-2 * span)


def _in_domain(points, domain, tol):
    (x0, x1), (y0, y1) = domain
    x, y = points[:, 0], points[:, 1]
    return (x >= x0 - tol) & (x <= x1 + tol) & (y >= y0 - tol) & (y <= y1 + tol)


@functools.partial(jax.jit, static_argnums=0)
def _descent_directions(fn, params, points):
    g = jax.vmap(jax.grad(lambda p: fn(p, params)))(points)
    return -g / jnp.maximum(jnp.linalg.norm(g, axis=1, keepdims=True), 1e-30)


@functools.partial(jax.jit, static_argnums=0)
def _hessian_eigenvalues(fn, params, points):
    """Eigenvalues of the Hessian at each point, ascending: a saddle has a negative one."""
    return jax.vmap(lambda p: jnp.linalg.eigvalsh(jax.hessian(lambda q: fn(q, params))(p)))(points)


def _neighbour_values(surface, points, span, radii):
    """Loss at nearby points: a ring of 8 and the downhill direction, at each radius."""
    angles = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], 1)
    params = surface.param_arrays()
    downhill = np.asarray(_descent_directions(surface.fn, params, points.astype(np.float32)))
    directions = np.concatenate([np.broadcast_to(ring, (len(points), 8, 2)), downhill[:, None]], 1)
    offsets = np.concatenate([r * span * directions for r in radii], 1)
    near = (points[:, None, :] + offsets).reshape(-1, 2).astype(np.float32)
    values = np.asarray(values_at(surface.fn, params, near), np.float64)
    return values.reshape(len(points), -1)


def _distinct(points, values, radius):
    kept: list[tuple[tuple[float, float], float]] = []
    for i in np.argsort(values, kind="stable"):
        if all(np.hypot(*(points[i] - np.array(p))) > radius for p, _ in kept):
            kept.append(((float(points[i, 0]), float(points[i, 1])), float(values[i])))
    return kept


RESOLUTION_ULPS = 4  # "at the minimum" to float32: within this many float32 steps of it


def loss_resolution(surface: Surface) -> float:
    """The smallest loss − f* float32 can tell from the minimum's: the largest gap that float32
    evaluation gives within RESOLUTION_ULPS float32 steps of the lowest listed minimum (at
    least one step of 1's size per coordinate). Below it a curve of loss − f* is rounding,
    not progress. 0 for surfaces with no listed minimum."""
    if not surface.minima:
        return 0.0
    best = int(np.argmin(surface.minima_values))
    x = np.asarray(surface.minima[best], np.float32)
    ulp = np.maximum(np.spacing(np.abs(x)), np.spacing(np.float32(1)))
    k = np.arange(-RESOLUTION_ULPS, RESOLUTION_ULPS + 1, dtype=np.float32)
    grid = np.stack(np.meshgrid(x[0] + k * ulp[0], x[1] + k * ulp[1]), -1).reshape(-1, 2)
    values = np.asarray(values_at(surface.fn, surface.param_arrays(), grid), np.float64)
    gap = np.abs(values - surface.minima_values[best])
    return float(np.max(gap[np.isfinite(gap)], initial=0.0))
