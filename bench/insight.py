"""Insight views benchmark: each view's computation at the app's default size, against the
same configurations run one at a time through `optimizers.run` in a Python loop.

    python -m bench.insight [--preset momentum_vs_nesterov_ravine] [--sample 12]

The loop is timed on `--sample` configurations (warm: no compilation) and scaled to the
view's count. Views made of one run (range test, leaderboard, step by step) have no loop to
compare with; their time is printed alone. Medians of 9 (the loop: of 3), after one warm-up call.
"""

import argparse

import numpy as np

import optimizers
import scenes
from bench.timing import median_seconds, report
from charts import insight as charts
from optimizers import insight


def loop_seconds(surface, specs, starts, steps, noise, seeds, sample: int) -> float:
    """Seconds for a Python loop calling optimizers.run once per configuration, scaled."""
    total = len(specs)
    picks = np.linspace(0, total - 1, min(sample, total)).astype(int)

    def loop():
        for i in picks:
            optimizers.run(surface, [specs[i]], starts[i], steps, noise, seeds[i])

    return median_seconds(loop, repeats=3) * total / len(picks)


def chart_builders(scene) -> dict:
    """Each insight chart of the scene at the view's default size, as a callable that builds
    its spec: after the computation, this is what the reader waits for."""
    surface, start, steps = scene.surface_object(), scene.start_point(), scene.steps
    specs = [row.spec() for row in scene.rows]
    labels, colors = [s.labels()[0] for s in specs], scene.colors()[: len(specs)]
    sweeps = {
        label: insight.rate_sweep(surface, s, start, steps, insight.rate_grid(surface, 400))
        for label, s in zip(labels, specs, strict=True)
    }
    grid = insight.stability_map(
        surface, specs[1], start, steps, insight.rate_grid(surface, 80), np.linspace(0, 0.99, 40)
    )
    fans = insight.noise_fans(surface, specs, start, steps, 1.0)
    series = insight.internals(surface, specs[1], start, steps)[1]
    return {
        "learning-rate sweep": lambda: charts.rate_sweep(
            sweeps, colors, ["a", "b", "c"], surface.f_min
        ).to_json(),
        "stability map": lambda: charts.stability_map(grid).to_json(),
        "noise fan": lambda: charts.noise_fans(surface, labels, fans, colors).to_json(),
        "step by step": lambda: charts.internals(series).to_json(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="momentum_vs_nesterov_ravine")
    parser.add_argument("--sample", type=int, default=12)
    args = parser.parse_args()
    _, scene, _ = scenes.presets.load(args.preset)
    surface, start, steps = scene.surface_object(), scene.start_point(), scene.steps
    specs = [row.spec() for row in scene.rows]
    spec = specs[1]  # the preset's momentum row
    rates = insight.rate_grid(surface, 400)
    betas = np.linspace(0.0, 0.99, 40)
    grid = insight.rate_grid(surface, 80)
    n = 200
    (x0, x1), (y0, y1) = surface.domain
    corners = np.stack(np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n)), -1).reshape(
        -1, 2
    )
    one = lambda **h: insight.vary(spec, **h)  # noqa: E731
    fan = insight.FAN_SEEDS
    views = {
        "learning-rate sweep (400 rates)": (
            lambda: insight.rate_sweep(surface, spec, start, steps, rates),
            [one(learning_rate=r) for r in rates],
            [start] * len(rates),
            [0] * len(rates),
        ),
        "stability map (80 rates × 40 momenta)": (
            lambda: insight.stability_map(surface, spec, start, steps, grid, betas),
            [one(learning_rate=r, momentum=b) for b in betas for r in grid],
            [start] * 3200,
            [0] * 3200,
        ),
        "basins (200 × 200 starts)": (
            lambda: insight.basins(surface, spec, steps, n),
            [spec] * len(corners),
            list(corners),
            [0] * len(corners),
        ),
        f"noise fan ({insight.FAN_SEEDS} seeds × every row)": (
            lambda: insight.noise_fans(surface, specs, start, steps, 1.0),
            [s for s in specs for _ in range(fan)],
            [start] * (fan * len(specs)),
            list(range(fan)) * len(specs),
        ),
        "(not a default) noise fan, one row, 100 seeds": (
            lambda: insight.noise_fans(surface, [spec], start, steps, 1.0, 100),
            [spec] * 100,
            [start] * 100,
            list(range(100)),
        ),
        "tune (400 rates per row, every row)": (
            lambda: [
                insight.rate_sweep(surface, r.spec(), start, steps, rates) for r in scene.rows
            ],
            [insight.vary(r.spec(), learning_rate=x) for r in scene.rows for x in rates],
            [start] * (400 * len(scene.rows)),
            [0] * (400 * len(scene.rows)),
        ),
    }
    rows, ratios = [], []
    for name, (ours, configs, starts, seeds) in views.items():
        noise = 1.0 if "fan" in name else 0.0
        ours_s = median_seconds(ours, repeats=9)
        loop_s = loop_seconds(surface, configs, starts, steps, noise, seeds, args.sample)
        if not name.startswith("(not a default)"):
            ratios.append(loop_s / ours_s)
        rows.append(
            (
                name,
                f"{ours_s * 1000:8.2f} ms   loop {loop_s * 1000:8.0f} ms   {loop_s / ours_s:6.0f}×",
            )
        )
    singles = {
        "LR range test (one run)": lambda: insight.range_test(surface, spec, start, steps),
        "leaderboard (the scene's runs)": lambda: insight.leaderboard(
            optimizers.run(surface, [r.spec() for r in scene.rows], start, steps), surface, start
        ),
        "step by step (one run with its state)": lambda: insight.internals(
            surface, spec, start, steps
        ),
    }
    rows += [
        (name, f"{median_seconds(fn, repeats=9) * 1000:8.2f} ms") for name, fn in singles.items()
    ]
    print(f"{args.preset}: {surface.title}, {steps} steps, {len(scene.rows)} rows")
    report(rows + [("smallest ratio at default sizes (floor 50×)", f"{min(ratios):.0f}×")])
    print("charts: the Vega-Lite spec each view sends to the browser, built and serialized")
    report(
        [
            (name, f"{median_seconds(fn, repeats=5) * 1000:8.1f} ms")
            for name, fn in chart_builders(scene).items()
        ]
    )


if __name__ == "__main__":
    main()
