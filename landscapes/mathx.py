"""Numerical helpers for surfaces whose textbook form has a kink or a singular gradient."""

import jax.numpy as jnp


def safe_sqrt(s):
    """sqrt(s) for s >= 0 whose gradient is 0 (not NaN or Inf) at s = 0."""
    positive = s > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, s, 1.0)), 0.0)


def safe_norm(xy):
    """Euclidean norm of a 2-vector with a zero (not NaN) gradient at the origin."""
    return safe_sqrt(jnp.sum(xy**2))


def rotate(xy, degrees):
    """`xy` expressed in axes rotated by `degrees` (so a bowl's axes turn by that angle)."""
    t = jnp.deg2rad(degrees)
    c, s = jnp.cos(t), jnp.sin(t)
    return jnp.array([c * xy[0] + s * xy[1], -s * xy[0] + c * xy[1]])
