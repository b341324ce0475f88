"""Engine benchmark: the vectorized runner against a hand-written scan and a numpy loop.

    python -m bench.engine [--rates 100000] [--steps 1000]

Sweep: momentum on Rosenbrock over many learning rates through `optimizers.sweep`, the
tightest `lax.scan` loop of the same update (no divergence or convergence bookkeeping), and
a plain Python/numpy loop stepping one configuration at a time (timed on a few rates and
scaled per step). Scene: 8 optimizers × 1,000 steps through `optimizers.run`, warm, against
the same updates in numpy. Prints medians and the ratios the README quotes.
"""

import argparse

import jax
import jax.numpy as jnp
import numpy as np

import landscapes
import optimizers
from bench.timing import median_seconds, median_seconds_interleaved, report
from tests import textbook

SURFACE = landscapes.get("rosenbrock")
START = np.array([-1.5, 2.0])
MOMENTUM = 0.9


def rosenbrock_grad(p):
    """Analytic numpy gradient of (1 − x)² + 100 (y − x²)², as a numpy visualizer computes it."""
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def hand_written_sweep(steps):
    """The tightest jitted loop of heavy-ball momentum over a batch of rates: final loss only."""
    value = lambda p: SURFACE.fn(p, {"a": 1.0, "b": 100.0})  # noqa: E731
    grad = jax.grad(value)

    @jax.jit
    def sweep(rates, start):
        def one(lr):
            def body(carry, _):
                x, v = carry
                v = MOMENTUM * v + grad(x)
                return (x - lr * v, v), None

            (x, _), _ = jax.lax.scan(body, (start, jnp.zeros(2)), None, length=steps)
            return value(x)

        return jax.vmap(one)(rates)

    return sweep


def numpy_momentum(lr, steps):
    x, v = START.copy(), np.zeros(2)
    for _ in range(steps):
        v = MOMENTUM * v + rosenbrock_grad(x)
        x = x - lr * v
    return x


def bench_sweep(n_rates, steps, repeats):
    rates = np.logspace(-5, -2, n_rates).astype(np.float32)
    spec = optimizers.make("momentum", learning_rate=rates, momentum=MOMENTUM)
    hand = hand_written_sweep(steps)
    start = jnp.asarray(START, jnp.float32)
    times = median_seconds_interleaved(
        {
            "ours": lambda: optimizers.sweep(SURFACE, spec, START, steps, tol=1e-6),
            "tight": lambda: hand(rates, start).block_until_ready(),
        },
        repeats,
    )
    ours, tight = times["ours"], times["tight"]
    few = rates[:: max(1, n_rates // 5)][:5]
    loop = median_seconds(lambda: [numpy_momentum(lr, steps) for lr in few], 3) / len(few) * n_rates
    total = n_rates * steps
    report(
        [
            (
                f"optimizers.sweep ({n_rates:,} rates × {steps:,} steps)",
                f"{ours:8.3f} s  {total / ours / 1e6:8.1f} M steps/s",
            ),
            ("hand-written lax.scan", f"{tight:8.3f} s  {total / tight / 1e6:8.1f} M steps/s"),
            (
                "Python/numpy loop (scaled per step)",
                f"{loop:8.1f} s  {total / loop / 1e6:8.3f} M steps/s",
            ),
            ("ratio vs hand-written (floor 0.5)", f"{tight / ours:8.2f}×"),
            ("ratio vs numpy loop (floor 1000)", f"{loop / ours:8.0f}×"),
        ]
    )
    return tight / ours, loop / ours


SCENE = [  # (catalog name, settings, textbook function, textbook settings): 8 different rules
    ("sgd", {"learning_rate": 1e-3}, textbook.sgd, {"lr": 1e-3}),
    ("momentum", {"learning_rate": 5e-4}, textbook.momentum, {"lr": 5e-4, "mu": 0.9}),
    ("nesterov", {"learning_rate": 5e-4}, textbook.nesterov, {"lr": 5e-4, "mu": 0.9}),
    ("adagrad", {"learning_rate": 0.05}, textbook.adagrad, {"lr": 0.05}),
    ("rmsprop", {"learning_rate": 0.01}, textbook.rmsprop, {"lr": 0.01}),
    ("adam", {"learning_rate": 0.02}, textbook.adam, {"lr": 0.02}),
    ("adam_nobc", {"learning_rate": 0.02}, textbook.adam_nobc, {"lr": 0.02}),
    ("qhm", {"learning_rate": 1e-3}, textbook.qhm, {"lr": 1e-3}),
]


def bench_scene(steps, repeats):
    specs = [optimizers.make(name, **settings) for name, settings, _, _ in SCENE]
    times = median_seconds_interleaved(
        {
            "ours": lambda: optimizers.run(SURFACE, specs, START, steps),
            "loop": lambda: [rule(rosenbrock_grad, START, steps, **kw) for _, _, rule, kw in SCENE],
        },
        repeats,
    )
    ours, loop = times["ours"], times["loop"]
    report(
        [
            (f"optimizers.run (8 optimizers × {steps:,} steps, warm)", f"{ours * 1e3:8.1f} ms"),
            ("numpy loop, same updates", f"{loop * 1e3:8.1f} ms"),
            ("ratio (floor 10)", f"{loop / ours:8.1f}×"),
        ]
    )
    return loop / ours


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}, float32")
    print("sweep:")
    bench_sweep(args.rates, args.steps, args.repeats)
    print("scene:")
    bench_scene(args.steps, args.repeats)


if __name__ == "__main__":
    main()
