"""Optimizers optax lacks, in optax's (init, update) shape.

Each returns the update for a unit learning rate; the runner multiplies by η_t, so these
compose with schedules, clipping and weight decay exactly like the optax ones.
"""

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax


def newton(damping) -> optax.GradientTransformationExtraArgs:
    """Damped Newton: u = −(H + λI)⁻¹ g, with H the exact Hessian of the surface.

    Needs `value_fn` among the update's extra arguments. On a saddle H is indefinite and
    Newton heads for the saddle: that is the lesson, not a bug.
    """

    def update(grads, state, params, *, value_fn, **_):
        hessian = jax.hessian(value_fn)(params)
        return -jnp.linalg.solve(hessian + damping * jnp.eye(params.shape[0]), grads), state

    return optax.GradientTransformationExtraArgs(lambda params: optax.EmptyState(), update)


class MomentumState(NamedTuple):
    """Exponential moving averages of the gradient (m) and its square (v), and the count."""

    count: jnp.ndarray
    m: jnp.ndarray
    v: jnp.ndarray


def _init(params):
    return MomentumState(jnp.zeros([], jnp.int32), jnp.zeros_like(params), jnp.zeros_like(params))


def qhm(nu, beta) -> optax.GradientTransformationExtraArgs:
    """Quasi-hyperbolic momentum (Ma & Yarats 2019): u = −[(1 − ν) g + ν m], m ← β m + (1 − β) g."""

    def update(grads, state, params=None, **_):
        m = beta * state.m + (1 - beta) * grads
        return -((1 - nu) * grads + nu * m), MomentumState(state.count + 1, m, state.v)

    return optax.GradientTransformationExtraArgs(_init, update)


def qhadam(nu1, nu2, beta1, beta2, eps) -> optax.GradientTransformationExtraArgs:
    """QHAdam (Ma & Yarats 2019): bias-corrected m̂, v̂ mixed with the raw g and g².

    u = −[(1 − ν₁) g + ν₁ m̂] / (√[(1 − ν₂) g² + ν₂ v̂] + ε).
    """

    def update(grads, state, params=None, **_):
        count = state.count + 1
        m = beta1 * state.m + (1 - beta1) * grads
        v = beta2 * state.v + (1 - beta2) * grads**2
        m_hat = m / (1 - beta1**count)
        v_hat = v / (1 - beta2**count)
        numerator = (1 - nu1) * grads + nu1 * m_hat
        denominator = jnp.sqrt((1 - nu2) * grads**2 + nu2 * v_hat) + eps
        return -numerator / denominator, MomentumState(count, m, v)

    return optax.GradientTransformationExtraArgs(_init, update)


def adam_without_bias_correction(b1, b2, eps) -> optax.GradientTransformationExtraArgs:
    """Adam as the CS231n notes write it: no bias correction, u = −m / (√v + ε)."""

    def update(grads, state, params=None, **_):
        m = b1 * state.m + (1 - b1) * grads
        v = b2 * state.v + (1 - b2) * grads**2
        return -m / (jnp.sqrt(v) + eps), MomentumState(state.count + 1, m, v)

    return optax.GradientTransformationExtraArgs(_init, update)
