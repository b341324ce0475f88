"""What the 2-D runner and the network trainer share: a Spec's numbers as traced columns,
specs grouped by structure, the gradient a step uses and the update it makes.

One step, one source: a row's clipping, weight decay, typed rule and catalog optimizer act
the same on a surface's point and on a network's weights (any array or pytree of them).
The schedule's rate comes in from `optimizers.schedules`; what each engine adds on its own
is its clock (steps or epochs) and its bookkeeping.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax


def by_structure(keys) -> dict:
    """{structure: [positions]} in first-seen order: the rows that run as one compiled batch."""
    groups: dict = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    return groups


def columns(specs, repeats: int = 1) -> dict:
    """The specs' number columns end to end (hyperparameters, options, schedule), each value
    repeated `repeats` times (once per seed); one spec passes its own columns (a 100,000-rate
    sweep's copies cost milliseconds)."""
    tables = [spec.columns() for spec in specs]
    if len(tables) == 1 and repeats == 1:
        return tables[0]
    return jax.tree.map(lambda *c: np.concatenate([np.repeat(x, repeats) for x in c]), *tables)


def merged(parts, count: int) -> dict:
    """Per-group results ([(positions, {key: array})]) as one dict of arrays in row order."""
    first = parts[0][1]
    out = {key: np.empty((count, *value.shape[1:]), value.dtype) for key, value in first.items()}
    for rows, part in parts:
        for key, value in part.items():
            out[key][rows] = value
    return out


def gradient(g, options, interventions):
    """The gradient a step uses: clipped by global norm and/or per coordinate where the row
    asks (the norm over all of a network's weights, as Keras's `global_clipnorm`)."""
    if "clip_norm" in interventions:
        norm = optax.tree.norm(g)
        scale = jnp.minimum(1.0, options["clip_norm"] / jnp.maximum(norm, 1e-30))
        g = jax.tree.map(lambda a: a * scale, g)
    if "clip_value" in interventions:
        g = jax.tree.map(lambda a: jnp.clip(a, -options["clip_value"], options["clip_value"]), g)
    return g


def update(entry, tx, row, interventions, g, state, x, lr, *, step, value_fn, loss):
    """(θ_{t+1} − θ_t, new optimizer state) at θ_t = `x` for the rate `lr` after its schedule.

    A catalog entry's direction is scaled by the rate (by rate / η₀ where the entry applies η₀
    inside); a typed rule applies the rate itself and reads the step. Decoupled weight decay
    subtracts η λ θ after either."""
    lr0 = row["hyper"]["learning_rate"]
    if entry.own_step:
        u, state = tx.update(g, state, x, grad=g, value_fn=value_fn, learning_rate=lr, step=step)
    else:
        u, state = tx.update(g, state, x, value=loss, grad=g, value_fn=value_fn)
        scale = jnp.where(lr0 > 0, lr / lr0, 0.0) if entry.lr_inside else lr
        u = jax.tree.map(lambda a: scale * a, u)
    if "weight_decay" in interventions:
        decay = lr * row["options"]["weight_decay"]
        u = jax.tree.map(lambda a, p: a - decay * p, u, x)
    return u, state


def first_order(specs) -> None:
    """Refuse what only a surface's runner can do (second-order entries, line searches), with
    the reason, before anything compiles."""
    names = sorted({spec.name for spec in specs} & {"lbfgs", "newton"})
    if names:
        raise ValueError(
            f"{', '.join(names)} cannot train the network here: use a first-order optimizer"
        )
    if any(spec.line_search for spec in specs):
        raise ValueError("a line search cannot train the network here: it needs the full loss")
