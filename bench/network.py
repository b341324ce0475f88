"""Network-training benchmark: 9 configurations × 500 epochs on the spiral with schedules and
the course's plateau callback: cold (compiling a structure this process has not seen) and warm
after a number changes, against the same nine at a fixed rate in the same run; then the
sharpness of every run at every epoch, against the warm training it probes; then the
request budget's predicted seconds (optimizers.cost) against the measured ones over a few
shapes of request (predicted ÷ measured: above 1 cuts more than needed, below 1 less); and
the Playground's largest network, 6 layers of 8, training alone, against one layer of 8.

    python -m bench.network [--epochs 500] [--repeats 5]
"""

import argparse
import statistics
import time

import optimizers
from landscapes import network
from optimizers import callbacks, cost, probes, train
from scenes.playground import DAY_87_CALLBACK

TEXTS = ("", "step(every=100, factor=0.5)", DAY_87_CALLBACK)


def configs(lr: float, texts=TEXTS, weight_decay: float = 0.0) -> list[train.Config]:
    """Three callbacks × batch 10, 20, 30, SGD at `lr`."""
    out = []
    for text in texts:
        cbs = callbacks.parse(text)
        for batch in (10, 20, 30):
            spec = optimizers.make(
                "sgd", learning_rate=lr, schedule=cbs.schedule, weight_decay=weight_decay
            )
            out.append(train.Config(spec, batch, "tanh", 0.0, 0.0, cbs))
    return out


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


SHAPES = (  # optimizers, batch, hidden, epochs: the heaviest corner and ordinary pages
    (["sgd", "momentum", "adam"] * 3, 1, 16, 300),
    (["adam"] * 9, 10, 16, 1000),
    (["sgd"] * 9, 1, 2, 300),
    (["sgd"] * 4, 30, 8, 500),
    (["sgd"] * 3, 10, (8,) * 6, 500),  # the Playground's largest network
)


def predicted_against_measured(shape) -> tuple[float, float]:
    """(predicted, measured) seconds of a page's training and sharpness, compiled first."""
    names, batch, hidden, epochs = shape
    runs = [train.Config(optimizers.make(o, learning_rate=0.03), batch) for o in names]

    def request():
        result = train.train("spiral", runs, epochs, hidden)
        probes.sharpness(result, runs, "spiral", hidden)

    request()
    points = len(network.data("spiral").train_y)
    per_epoch = cost.network_seconds_per_epoch(len(runs), points, [batch], hidden)
    return per_epoch * epochs, statistics.median(seconds(request) for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    # a weight decay seen nowhere else makes a structure this process never compiled
    # (JAX's persistent cache is not on here: bench processes do not set it)
    cold = seconds(lambda: train.train("spiral", configs(0.3, weight_decay=1e-7), args.epochs))
    probes.sharpness(train.train("spiral", configs(0.3), 2), configs(0.3), "spiral")  # compiles
    warm, fixed, sharp = [], [], []
    for i in range(args.repeats):  # interleaved: the machine's noise falls on all three
        lr = 0.3 + 0.001 * (i + 1)  # a number changes: nothing compiles
        changed, plain = configs(lr), configs(lr, ("",) * 3)
        warm.append(seconds(lambda: train.train("spiral", changed, args.epochs)))  # noqa: B023
        fixed.append(seconds(lambda: train.train("spiral", plain, args.epochs)))  # noqa: B023
        runs = train.train("spiral", changed, args.epochs)
        sharp.append(seconds(lambda: probes.sharpness(runs, changed, "spiral")))  # noqa: B023
    print(f"cold (compile + train, 9 × {args.epochs} epochs): {cold:.2f} s")
    print(f"warm with callbacks: median {statistics.median(warm):.3f} s of {args.repeats}")
    print(f"warm, fixed rate:    median {statistics.median(fixed):.3f} s")
    print(f"ratio callbacks ÷ fixed: {statistics.median(warm) / statistics.median(fixed):.2f}")
    print(f"sharpness, every run at every epoch: median {statistics.median(sharp):.3f} s")
    print(
        f"ratio sharpness ÷ warm training: {statistics.median(sharp) / statistics.median(warm):.2f}"
    )
    print(f"compilations of the trainer: {train._train_group._cache_size()}")
    print(f"compilations of the sharpness probe: {probes._sharpness_chunk._cache_size()}")
    deep = [train.Config(optimizers.make("sgd", learning_rate=0.03), 10)]
    train.train("spiral", deep, args.epochs, (8,) * 6)  # compiles
    six = statistics.median(
        seconds(lambda: train.train("spiral", deep, args.epochs, (8,) * 6)) for _ in range(3)
    )
    one = statistics.median(
        seconds(lambda: train.train("spiral", deep, args.epochs, 8)) for _ in range(3)
    )
    print(f"one network of 6 × 8 neurons, batch 10, {args.epochs} epochs: median {six:.2f} s")
    print(f"ratio 6 × 8 ÷ one layer of 8: {six / one:.2f}")
    for shape in SHAPES:
        guess, took = predicted_against_measured(shape)
        names, batch, hidden, epochs = shape
        print(
            f"budget model, {len(names)} runs, batch {batch}, {hidden} neurons, {epochs} epochs: "
            f"predicted {guess:.2f} s, measured {took:.2f} s, ratio {guess / took:.2f}"
        )


if __name__ == "__main__":
    main()
