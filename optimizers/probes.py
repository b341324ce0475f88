"""Looking into a trained network beyond its loss curves.

Sharpness (Cohen et al., 2021): the largest eigenvalue of the training loss's Hessian at the
weights after each epoch, beside the curvature above which the run's update would diverge on
a quadratic. Full-batch gradient descent sharpens until it reaches that edge and hovers there.

Linear interpolation (Goodfellow, Vinyals & Saxe, 2015): the train and test loss along the
straight line θ(α) = (1 − α)θ₀ + αθ* from a run's initial weights θ₀ (α = 0) to the weights it
ended with θ* (α = 1), and past both ends. A curve that falls smoothly says the path the
optimizer took was harder than the landscape between its ends; a bump says there is a barrier.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from landscapes import network

ALPHAS = np.linspace(-0.5, 1.5, 81, dtype=np.float32)  # α = 0 and α = 1 fall on the grid
LANCZOS_STEPS = 12  # bench/network.py measures their cost; tests/test_probes.py their error
CHUNK = 256  # weights per compiled call: one shape, so no count of runs or epochs recompiles


def top_eigenvalue(product, start, steps: int = LANCZOS_STEPS):
    """λ_max of a symmetric operator known by its products `product(v)`: the top Ritz value
    of `steps` Lanczos iterations from `start`, reorthogonalized in full (Golub & Van Loan,
    §10.1). It never exceeds λ_max, converges to it first, and is exact once the Krylov space
    holds every eigenvector `start` has a part along."""
    basis = jnp.zeros((steps, start.shape[0]), start.dtype)
    diagonal = jnp.zeros(steps, start.dtype)
    off = jnp.zeros(steps, start.dtype)
    live = jnp.zeros(steps, bool)

    def iterate(i, c):
        basis, diagonal, off, live, v, previous, beta, going = c
        basis = basis.at[i].set(v)
        w = product(v) - beta * previous
        a = w @ v
        w = w - basis.T @ (basis @ w)  # against every earlier vector, not only the last two
        b = jnp.linalg.norm(w)
        scale = jnp.maximum(jnp.max(jnp.abs(diagonal)), jnp.abs(a))
        more = going & (b > 1e-6 * scale)  # an invariant subspace: the rest would be noise
        return (
            basis,
            diagonal.at[i].set(a),
            off.at[i].set(jnp.where(more, b, 0.0)),
            live.at[i].set(going),
            jnp.where(more, w / jnp.where(more, b, 1.0), 0.0),
            v,
            b,
            more,
        )

    first = (basis, diagonal, off, live, start / jnp.linalg.norm(start))
    c = jax.lax.fori_loop(0, steps, iterate, (*first, jnp.zeros_like(start), 0.0, True))
    _, diagonal, off, live = c[:4]
    # unused steps repeat a diagonal entry of the live block, which is ≤ its top eigenvalue
    tridiagonal = jnp.diag(jnp.where(live, diagonal, diagonal[0]))
    tridiagonal += jnp.diag(off[:-1], 1) + jnp.diag(off[:-1], -1)
    return jnp.linalg.eigvalsh(tridiagonal)[-1]


def hessian_top(loss, theta, start, steps: int = LANCZOS_STEPS):
    """The sharpness of `loss` at `theta`: its Hessian's top eigenvalue, through
    Hessian-vector products (forward over reverse), never the Hessian itself."""
    slope = jax.grad(loss)
    return top_eigenvalue(lambda v: jax.jvp(slope, (theta,), (v,))[1], start, steps)


def sharpness(
    training,
    configs,
    dataset: str,
    hidden=8,
    noise: float = 0.0,
    seed=0,
    ratio: int = network.RATIO,
    inputs: tuple = network.INPUTS,
):
    """(runs, epochs + 1) sharpness of each run's training objective (the data's mean loss
    plus its L1/L2) at its weights before training and after each epoch; not a number after
    an early stop, where nothing was trained. Weights out of inputs switched off are not
    parameters of the network, so not of its Hessian."""
    data, hidden = network.data(dataset, noise, seed, ratio, tuple(inputs)), network.widths(hidden)
    live = jnp.asarray(network.live(data.inputs, hidden), jnp.float32)
    runs, points, size = training.weights.shape
    start = jax.random.normal(jax.random.key(seed), (size,))
    out = np.full((runs, points), np.nan, np.float32)
    for activation in dict.fromkeys(c.activation for c in configs):
        members = [i for i, c in enumerate(configs) if c.activation == activation]
        thetas = training.weights[members].reshape(-1, size)
        penalties = np.repeat([[configs[i].l1, configs[i].l2] for i in members], points, 0)
        values = [
            _sharpness_chunk(
                *_padded(thetas[at : at + CHUNK], penalties[at : at + CHUNK]),
                (*data[:2], np.int32(data.output)),
                live,
                start,
                network.ACTIVATIONS.index(activation),
                hidden,
            )
            for at in range(0, len(thetas), CHUNK)
        ]
        flat = np.concatenate(jax.device_get(values))[: len(thetas)]
        out[members] = flat.reshape(len(members), points)
    stopped = np.asarray(training.stopped_at)[:, None]
    trained = (stopped < 0) | (np.arange(points)[None, :] <= stopped + 1)
    return np.where(trained, out, np.nan)


def _padded(thetas, penalties):
    """Rows filled up to CHUNK with copies of the first (their results are dropped)."""
    missing = CHUNK - len(thetas)
    fill = lambda a: np.concatenate([a, np.repeat(a[:1], missing, 0)])  # noqa: E731
    return fill(thetas), fill(np.asarray(penalties, np.float32))


@functools.partial(jax.jit, static_argnums=(5, 6))
def _sharpness_chunk(thetas, penalties, data, live, start, activation, hidden):
    train_x, train_y, output = data

    def one(theta, penalty):
        def objective(t):
            t = t * live
            mean = jnp.mean(network.losses(t, train_x, train_y, activation, hidden, output))
            return mean + network.penalty(t, penalty[0], penalty[1], hidden)

        return hessian_top(objective, theta, start)

    return jax.vmap(one)(thetas, penalties)


def stability_threshold(spec, lr):
    """The largest curvature of a quadratic on which full-batch steps of `spec` at rates `lr`
    do not diverge: 2/η for gradient descent, 2(1 + β)/η for heavy-ball momentum and
    (2 + 2β)/((1 + 2β)η) for Nesterov's (Cohen et al., 2021, appendix); None for Adagrad,
    RMSprop, Adam and the like, whose steps are preconditioned and have no such line."""
    lr = np.asarray(lr, np.float64)
    beta = spec.hyper.get("momentum", 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.name == "sgd":
            return 2.0 / lr
        if spec.name == "momentum":
            return 2.0 * (1.0 + beta) / lr
        if spec.name == "nesterov":
            return (2.0 + 2.0 * beta) / ((1.0 + 2.0 * beta) * lr)
    return None


def interpolation(
    training,
    index: int,
    activation: str,
    dataset: str,
    hidden=8,
    noise: float = 0.0,
    seed: int = 0,
    alphas=ALPHAS,
    ratio: int = network.RATIO,
):
    """(alphas, train loss, test loss) along θ(α) = (1 − α)θ₀ + αθ* for run `index` of
    `training` (an `optimizers.train.Training`), without the penalty: the data's loss."""
    data, hidden = network.data(dataset, noise, seed, ratio), network.widths(hidden)
    start = jnp.asarray(training.weights[index, 0])
    end = jnp.asarray(training.final[index])
    train, test = _along(
        start,
        end,
        jnp.asarray(alphas, jnp.float32),
        (*data[:4], np.int32(data.output)),
        network.ACTIVATIONS.index(activation),
        hidden,
    )
    return np.asarray(alphas), np.asarray(train), np.asarray(test)


@functools.partial(jax.jit, static_argnums=(5,))
def _along(start, end, alphas, data, activation, hidden):
    train_x, train_y, test_x, test_y, output = data

    def losses(alpha):
        theta = (1 - alpha) * start + alpha * end

        def mean(x, y):
            return jnp.mean(network.losses(theta, x, y, activation, hidden, output))

        return mean(train_x, train_y), mean(test_x, test_y)

    return jax.vmap(losses)(alphas)
