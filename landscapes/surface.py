"""The `Surface` type, its parameter specs and the registry of named surfaces.

A surface is a pure JAX function `fn(xy, params) -> scalar` plus the metadata a picture
and a lesson need. `fn` is a module-level function, so jitted code keyed on it compiles
once per surface, whatever the parameter values (they are traced).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from landscapes.param import Param

KINDS = ("bowl", "valley", "saddle", "plateau", "cliff", "many_minima", "model", "custom")


@dataclasses.dataclass(frozen=True)
class Surface:
    """A 2-D loss surface: `fn(xy, params)` and what a picture and a lesson need to know.

    `minima` lists the known local and global minima inside `domain` with their values in
    `minima_values`; `minima_complete` is False where the surface has more local minima than
    are worth listing (lattices of ripples), so callers don't mistake the list for all of them.
    """

    name: str
    title: str
    kind: str
    fn: Callable
    domain: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    minima_values: tuple[float, ...]
    latex: str
    note: str
    lr_range: tuple[float, float]
    params: Mapping[str, float] = dataclasses.field(default_factory=dict)
    param_specs: Mapping[str, Param] = dataclasses.field(default_factory=dict)
    minima_complete: bool = True
    # `(xy, params, key) -> loss` on a random minibatch (model surfaces)
    minibatch: Callable | None = None
    # what the two coordinates are called (a model's weights: w and b)
    axes: tuple[str, str] = ("x", "y")

    def __call__(self, xy) -> jnp.ndarray:
        """Loss at `xy` (shape (2,) or (..., 2)); traceable and differentiable."""
        xy = jnp.asarray(xy, dtype=jnp.float32)
        params = self.param_arrays()
        values = jax.vmap(lambda point: self.fn(point, params))(xy.reshape(-1, 2))
        return values.reshape(xy.shape[:-1])

    def param_arrays(self) -> dict[str, np.ndarray]:
        """Parameter values as float32 scalars, the form jitted code takes them in."""
        return {k: np.float32(v) for k, v in self.params.items()}

    @property
    def f_min(self) -> float | None:
        """The lowest listed minimum value, or None for surfaces unbounded below."""
        return min(self.minima_values) if self.minima_values else None

    def grid(self, n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Loss on an n×n grid over the domain: (xs, ys, z) with z[i, j] = f(xs[j], ys[i])."""
        return grid_values(self, n)


@functools.partial(jax.jit, static_argnums=0)
def values_at(fn, params, points):
    """`fn` at each of `points` (m, 2); compiled once per surface function, whatever its
    parameters (traced)."""
    return jax.vmap(lambda p: fn(p, params))(points)


def finite_at(surface: Surface, point) -> bool:
    """Whether the loss is a finite number at `point`: a run can only start where it is."""
    value = values_at(surface.fn, surface.param_arrays(), np.asarray([point], np.float32))
    return bool(np.isfinite(value).all())


def grid_values(surface: Surface, n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss on an n×n grid over the domain: (xs, ys, z), z[i, j] = f(xs[j], ys[i])."""
    (x0, x1), (y0, y1) = surface.domain
    xs = np.linspace(x0, x1, n, dtype=np.float32)
    ys = np.linspace(y0, y1, n, dtype=np.float32)
    points = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    z = np.asarray(values_at(surface.fn, surface.param_arrays(), points)).reshape(n, n)
    return xs, ys, z


class _Entry(NamedTuple):
    factory: Callable[..., Surface]
    kind: str
    title: str
    param_specs: Mapping[str, Param]


_REGISTRY: dict[str, _Entry] = {}


def register(kind: str, *, title: str, **param_specs: Param):
    """Decorator: add a surface factory `f(**params) -> Surface` under its function name. Kind
    and title live here, not in the factory, so a menu can list surfaces without building any
    (some train a network to define themselves)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")

    def add(factory):
        _REGISTRY[factory.__name__] = _Entry(factory, kind, title, dict(param_specs))
        return factory

    return add


def names(kind: str | None = None) -> list[str]:
    """Registered surface names, in registration order, optionally of one kind."""
    return [n for n, e in _REGISTRY.items() if kind is None or e.kind == kind]


def kinds() -> list[str]:
    """The kinds that have at least one registered surface, in teaching order."""
    present = {e.kind for e in _REGISTRY.values()}
    return [k for k in KINDS if k in present]


def kind(name: str) -> str:
    """What surface `name` teaches (one of KINDS), without building it."""
    return _entry(name).kind


def title(name: str) -> str:
    """Surface `name`'s English title, without building it."""
    return _entry(name).title


def param_specs(name: str) -> Mapping[str, Param]:
    """The adjustable parameters of surface `name` (empty for fixed surfaces)."""
    return _entry(name).param_specs


def get(name: str, **params) -> Surface:
    """The surface `name` with `params` (validated against their ranges) over the defaults.
    Built once per name and values (surfaces are immutable; some build data to define)."""
    key = tuple(sorted(params.items()))
    try:
        hash(key)
    except TypeError:  # a value no range check accepts: let the check say so
        return _built.__wrapped__(name, key)
    return _built(name, key)


@functools.lru_cache(maxsize=512)
def _built(name: str, params: tuple) -> Surface:
    params = dict(params)
    entry = _entry(name)
    unknown = set(params) - set(entry.param_specs)
    if unknown:
        allowed = ", ".join(entry.param_specs) or "none"
        raise ValueError(f"{name} has no parameter {sorted(unknown)}; allowed: {allowed}")
    values = {k: float(spec.default) for k, spec in entry.param_specs.items()}
    values.update({k: float(entry.param_specs[k].check(k, v)) for k, v in params.items()})
    surface = entry.factory(**values)
    return dataclasses.replace(
        surface,
        name=name,
        title=surface.title or entry.title,
        kind=entry.kind,
        params=values,
        param_specs=entry.param_specs,
    )


def describe(
    fn,
    *,
    domain,
    start,
    minima,
    latex,
    note,
    lr_range,
    minima_complete=True,
    minibatch=None,
    axes=("x", "y"),
    title="",
):
    """A Surface from a factory's facts; `get` fills in name, kind, parameters and (unless given
    here) the registered title.

    `minima` is a list of ((x, y), value) pairs: each known minimum inside the domain.
    """
    return Surface(
        name="",
        title=title,
        kind="",
        fn=fn,
        domain=tuple(tuple(float(v) for v in axis) for axis in domain),
        start=tuple(float(v) for v in start),
        minima=tuple((float(x), float(y)) for (x, y), _ in minima),
        minima_values=tuple(float(v) for _, v in minima),
        latex=latex,
        note=note,
        lr_range=tuple(float(v) for v in lr_range),
        minima_complete=minima_complete,
        minibatch=minibatch,
        axes=axes,
    )


def _entry(name: str) -> _Entry:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown surface {name!r}; try one of: {', '.join(_REGISTRY)}") from None
