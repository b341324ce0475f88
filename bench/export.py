"""Export benchmark: a 300-frame 600 × 600 GIF of a scene, ours against matplotlib.

    python -m bench.export [--frames 300] [--size 600] [--repeats 3]

Ours: the background (loss colours and isolines) drawn once, each frame a copy with the trails
drawn by Pillow, one shared palette (`scenes.export.gif`). Baseline: what most optimizer
animations do — matplotlib's FuncAnimation redrawing a figure with the filled contour, the
isolines, the minima and the trails, saved by its Pillow writer. Same scene, same trajectories
(computed once, outside both timings), same frame count and pixel size. Medians, interleaved.
"""

import argparse
import pathlib
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402

import scenes  # noqa: E402
from bench.timing import median_seconds_interleaved, report  # noqa: E402
from charts import frames as frame_charts  # noqa: E402
from charts.background import log_field  # noqa: E402
from scenes import export  # noqa: E402


def matplotlib_gif(scene, t, path, frames: int, size: int) -> None:
    surface = scene.surface_object()
    xs, ys, z = surface.grid(240)
    field = log_field(z)
    dpi = 100
    figure, axes = plt.subplots(figsize=(size / dpi, size / dpi), dpi=dpi)
    axes.contourf(xs, ys, field, levels=40, cmap="viridis")
    axes.contour(xs, ys, field, levels=14, colors="white", linewidths=0.6, alpha=0.5)
    if surface.minima:
        axes.scatter(
            *np.asarray(surface.minima).T, marker="D", color="white", edgecolor="black", zorder=3
        )
    lines = [
        axes.plot([], [], color=c, lw=2, label=label)[0]
        for c, label in zip(scene.colors(), t.labels, strict=True)
    ]
    heads = [axes.plot([], [], "o", color=c, mec="white")[0] for c in scene.colors()]
    axes.legend(loc="lower left", fontsize=7)
    steps = frame_charts.frame_steps(scene.steps, frames)

    def draw(k):
        for i, (line, head) in enumerate(zip(lines, heads, strict=True)):
            line.set_data(t.xy[i, : k + 1, 0], t.xy[i, : k + 1, 1])
            head.set_data([t.xy[i, k, 0]], [t.xy[i, k, 1]])
        return [*lines, *heads]

    FuncAnimation(figure, draw, frames=steps).save(path, writer=PillowWriter(fps=25), dpi=dpi)
    plt.close(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--size", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    _, scene, _ = scenes.presets.load("classic_beale")
    t = export.trajectories(scene)
    out = pathlib.Path(tempfile.mkdtemp())
    times = median_seconds_interleaved(
        {
            "ours": lambda: (out / "ours.gif").write_bytes(
                export.gif(scene, export.animation(scene, t, args.size, args.frames))
            ),
            "matplotlib": lambda: matplotlib_gif(
                scene, t, out / "matplotlib.gif", args.frames, args.size
            ),
        },
        repeats=args.repeats,
    )
    label = f"{args.frames}-frame {args.size}×{args.size} GIF, classic Beale scene"
    report(
        [
            (f"{label}, ours", f"{times['ours']:7.2f} s"),
            (f"{label}, matplotlib FuncAnimation + PillowWriter", f"{times['matplotlib']:7.2f} s"),
            ("speed-up (floor 5×)", f"{times['matplotlib'] / times['ours']:7.1f}×"),
            ("GIF size, ours", f"{(out / 'ours.gif').stat().st_size / 1e6:7.2f} MB"),
        ]
    )


if __name__ == "__main__":
    main()
