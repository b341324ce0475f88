"""Surfaces made by the user: any JAX function of a 2-vector, and L1/L2 regularization."""

from __future__ import annotations

import dataclasses
import functools

import jax.numpy as jnp

from landscapes.evaluate import find_minima
from landscapes.param import Param
from landscapes.surface import Surface, describe


@functools.lru_cache(maxsize=256)
def _adapt(fn):
    """`fn(xy)` as a surface function `(xy, params)`; cached so jit sees one object per fn."""
    return lambda xy, params: fn(xy)


def from_function(
    fn,
    domain,
    name: str = "custom",
    start=None,
    title: str | None = None,
    latex: str = "",
    note: str = "",
    lr_range=(1e-4, 1e-1),
    minima=None,
) -> Surface:
    """A Surface from any JAX function of a 2-vector.

    Minima are found numerically unless given as ((x, y), value) pairs; the start defaults
    to a point near the domain's top-left corner.
    """
    (x0, x1), (y0, y1) = domain
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"domain must be ((x0, x1), (y0, y1)) with x0 < x1, y0 < y1; got {domain}")
    start = start if start is not None else (x0 + 0.15 * (x1 - x0), y1 - 0.15 * (y1 - y0))
    draft = describe(
        _adapt(fn),
        title=title or name,
        domain=domain,
        start=start,
        minima=[],
        latex=latex,
        note=note,
        lr_range=lr_range,
    )
    draft = dataclasses.replace(draft, name=name, kind="custom")
    found = minima if minima is not None else find_minima(draft)
    return _with_minima(draft, found)


def _penalty(xy, params):
    return params["l1"] * jnp.sum(jnp.abs(xy)) + params["l2"] * jnp.sum(xy**2)


@functools.lru_cache(maxsize=256)
def _regularize(fn):
    """`fn` plus λ₁‖θ‖₁ + λ₂‖θ‖², with λ taken from the traced parameters."""
    return lambda xy, params: fn(xy, params) + _penalty(xy, params)


@functools.lru_cache(maxsize=256)
def _regularize_minibatch(minibatch):
    """The same penalty on a model's minibatch loss `(xy, params, key)`."""
    return lambda xy, params, key: minibatch(xy, params, key) + _penalty(xy, params)


REGULARIZATION = {
    "l1": Param(0.0, 0.0, 10.0, help="strength of the L1 penalty λ₁‖θ‖₁"),
    "l2": Param(0.0, 0.0, 10.0, help="strength of the L2 penalty λ₂‖θ‖²"),
}


def regularized(surface: Surface, l1: float = 0.0, l2: float = 0.0) -> Surface:
    """`surface` plus the course's L1/L2 penalty λ₁‖θ‖₁ + λ₂‖θ‖², minima found anew."""
    l1 = float(REGULARIZATION["l1"].check("l1", l1))
    l2 = float(REGULARIZATION["l2"].check("l2", l2))
    if l1 == 0.0 and l2 == 0.0:
        return surface
    penalty = (rf" + {l1:g}\lVert\theta\rVert_1" if l1 else "") + (
        rf" + {l2:g}\lVert\theta\rVert_2^2" if l2 else ""
    )
    draft = dataclasses.replace(
        surface,
        fn=_regularize(surface.fn),
        minibatch=surface.minibatch and _regularize_minibatch(surface.minibatch),
        title=f"{surface.title} + L1/L2",
        latex=surface.latex + penalty,
        params={**surface.params, "l1": l1, "l2": l2},
        param_specs={**surface.param_specs, **REGULARIZATION},
    )
    return _with_minima(draft, find_minima(draft, extra_starts=surface.minima))


def _with_minima(surface: Surface, minima) -> Surface:
    return dataclasses.replace(
        surface,
        minima=tuple(tuple(map(float, p)) for p, _ in minima),
        minima_values=tuple(float(v) for _, v in minima),
    )
