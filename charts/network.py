"""Altair charts of the network view: training curves, decision boundaries, and a loss slice
with the projected training path."""

from __future__ import annotations

import altair as alt
import numpy as np
from PIL import Image, ImageDraw

import landscapes
from charts.landscape import background_data, landscape, word

BLUE_ORANGE = ["#f59322", "#e8eaeb", "#0877bd"]  # the Playground's colours for −1, 0, +1


def training_curves(
    train_loss, test_loss, labels, colors, lang: str = "en", height: int = 260
) -> alt.Chart:
    """Training (solid) and test (dashed) loss per epoch for every configuration, log scale,
    as wide as its container. A loss that is not a positive finite number has no point (a
    diverged run's line ends where it left), never a stand-in value."""
    sets = [word("train", lang), word("test", lang)]
    rows = [
        {"epoch": e, "loss": float(v), "run": label, "set": name}
        for losses, name in zip((train_loss, test_loss), sets, strict=True)
        for label, curve in zip(labels, np.asarray(losses, np.float64), strict=True)
        for e, v in enumerate(curve)
        if np.isfinite(v) and v > 0
    ]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_line(strokeWidth=1.6)
        .encode(
            x=alt.X("epoch:Q", title=word("epoch", lang)),
            y=alt.Y("loss:Q", scale=alt.Scale(type="log"), title=word("loss_log", lang)),
            color=alt.Color(
                "run:N",
                title=word("run", lang),
                scale=alt.Scale(domain=list(labels), range=list(colors)),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=480),
            ),
            strokeDash=alt.StrokeDash(
                "set:N",
                title=word("set", lang),
                scale=alt.Scale(domain=sets, range=[[1, 0], [4, 3]]),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("run:N", title=word("run", lang)),
                alt.Tooltip("set:N", title=word("set", lang)),
                alt.Tooltip("epoch:Q", title=word("epoch", lang)),
                alt.Tooltip("loss:Q", title=word("loss", lang), format=".4g"),
            ],
        )
        .properties(
            width="container",
            height=height,
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
    )


def learning_rates(
    lr, stopped_at, labels, colors, lang: str = "en", height: int = 160
) -> alt.Chart:
    """The rate each run trained with per epoch (log scale), on the loss curves' epoch axis
    (Keras's epoch e runs from e to e + 1, at one rate); a run's line ends where EarlyStopping
    stopped it, with a point there."""
    rows = [
        _series(_changes(np.where(curve > 0, curve, np.nan)), "lr", run=label)
        for label, curve in zip(labels, np.asarray(lr, np.float64), strict=True)
    ]
    stops = [
        {"epoch": int(s) + 1, "lr": float(np.asarray(lr)[i, int(s)]), "run": labels[i]}
        for i, s in enumerate(np.asarray(stopped_at))
        if s >= 0 and np.isfinite(np.asarray(lr)[i, int(s)]) and np.asarray(lr)[i, int(s)] > 0
    ]
    color = alt.Color(
        "run:N", scale=alt.Scale(domain=list(labels), range=list(colors)), legend=None
    )
    tooltip = [
        alt.Tooltip("run:N", title=word("run", lang)),
        alt.Tooltip("epoch:Q", title=word("epoch", lang)),
        alt.Tooltip("lr:Q", title=word("learning_rate", lang), format=".3g"),
    ]
    x = alt.X("epoch:Q", title=word("epoch", lang))
    y = alt.Y("lr:Q", scale=alt.Scale(type="log"), title=word("learning_rate_log", lang))
    lines = _flat(rows, "lr").mark_line(strokeWidth=1.6, interpolate="step-after")
    points = alt.Chart(alt.Data(values=stops)).mark_point(shape="cross", size=90, filled=True)
    return alt.layer(
        lines.encode(x=x, y=y, color=color, tooltip=tooltip),
        points.encode(x=x, y=y, color=color, tooltip=tooltip),
    ).properties(
        width="container",
        height=height,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def sharpness(values, limits, labels, colors, lang: str = "en", height: int = 200) -> alt.Chart:
    """Each run's sharpness at the weights after each epoch (solid) and the stability limit
    of the rate its next epoch steps with (dashed, where its optimizer has one), on the loss
    curves' epoch axis. The scale is symlog (a top eigenvalue can be negative) and ends a
    little above the highest sharpness or the lowest limit, so a limit far above stays off the
    picture; values that are not real numbers have no point."""
    kinds = [word("sharpness", lang), word("stability_limit", lang)]
    curves = [
        _series(enumerate(curve), run=label, kind=kinds[0])
        for label, curve in zip(labels, np.asarray(values, np.float64), strict=True)
    ]
    steps = [
        _series(_changes(np.asarray(limit, np.float64)), run=label, kind=kinds[1])
        for label, limit in zip(labels, limits, strict=True)
        if limit is not None
    ]
    sharp = [v for c in curves for v in c["value"]] or [1.0]
    top = 1.25 * max(max(sharp), min((v for c in steps for v in c["value"]), default=0.0))
    encoding = {
        "x": alt.X("epoch:Q", title=word("epoch", lang)),
        "y": alt.Y(
            "value:Q",
            scale=alt.Scale(type="symlog", domain=[min(0.0, min(sharp)), top]),
            title=word("sharpness_axis", lang),
        ),
        "color": alt.Color(
            "run:N", scale=alt.Scale(domain=list(labels), range=list(colors)), legend=None
        ),
        "strokeDash": alt.StrokeDash(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=kinds, range=[[1, 0], [5, 3]]),
            legend=alt.Legend(orient="bottom"),
        ),
        "tooltip": [
            alt.Tooltip("run:N", title=word("run", lang)),
            alt.Tooltip("kind:N", title=" "),
            alt.Tooltip("epoch:Q", title=word("epoch", lang)),
            alt.Tooltip("value:Q", title=word("value", lang), format=".4g"),
        ],
    }
    line = _flat(curves).mark_line(strokeWidth=1.6, clip=True)
    limit = _flat(steps).mark_line(strokeWidth=1.2, clip=True, interpolate="step-after")
    return alt.layer(line.encode(**encoding), limit.encode(**encoding)).properties(
        width="container",
        height=height,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def _series(points, field: str = "value", **same) -> dict:
    """One line as a row of arrays (the chart flattens them): a few kilobytes for thousands
    of epochs, where a row per point repeats the run's label each time. Real values only."""
    real = [(e, float(f"{v:.4g}")) for e, v in points if np.isfinite(v)]
    return {**same, "epoch": [e for e, _ in real], field: [v for _, v in real]}


def _flat(series, field: str = "value") -> alt.Chart:
    """A chart of `_series` rows, one row per point again."""
    return alt.Chart(alt.Data(values=series)).transform_flatten(["epoch", field])


def _changes(series):
    """The points of a step line through per-epoch values (epoch e's from e to e + 1): where
    a real value differs from the one before, and the end of the last real epoch (a run's rate
    and limit stay the same for hundreds of epochs)."""
    real = [(e, v) for e, v in enumerate(series) if np.isfinite(v)]
    kept = [(e, v) for k, (e, v) in enumerate(real) if k == 0 or v != real[k - 1][1]]
    return kept + [(real[-1][0] + 1, real[-1][1])] if real else []


def interpolation(alphas, train_loss, test_loss, lang: str = "en", height: int = 200) -> alt.Chart:
    """Train (solid) and test (dashed) loss along θ(α) = (1 − α)θ₀ + αθ*, with rules at α = 0
    (the start) and α = 1 (the trained weights); only real, positive losses are drawn."""
    sets = [word("train", lang), word("test", lang)]
    rows = [
        {"alpha": float(a), "loss": float(v), "set": name}
        for losses, name in zip((train_loss, test_loss), sets, strict=True)
        for a, v in zip(alphas, np.asarray(losses, np.float64), strict=True)
        if np.isfinite(v) and v > 0
    ]
    line = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(strokeWidth=1.8, color="#4c78a8")
        .encode(
            x=alt.X("alpha:Q", title="α"),
            y=alt.Y("loss:Q", scale=alt.Scale(type="log"), title=word("loss_log", lang)),
            strokeDash=alt.StrokeDash(
                "set:N",
                title=word("set", lang),
                scale=alt.Scale(domain=sets, range=[[1, 0], [4, 3]]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("set:N", title=word("set", lang)),
                alt.Tooltip("alpha:Q", title="α", format=".2f"),
                alt.Tooltip("loss:Q", title=word("loss", lang), format=".4g"),
            ],
        )
    )
    ends = alt.Chart(alt.Data(values=[{"alpha": 0.0}, {"alpha": 1.0}])).mark_rule(
        color="#888", strokeDash=[2, 2]
    )
    return alt.layer(line, ends.encode(x="alpha:Q")).properties(
        width="container",
        height=height,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def _ramp(values) -> np.ndarray:
    """RGB of values on the Playground's ramp, orange −1 … white 0 … blue +1 (clamped), and
    grey where a value is not a number (a diverged network's output is no colour of it)."""
    palette = np.array(
        [[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in BLUE_ORANGE], np.float64
    )
    values = np.asarray(values, np.float64)[..., None]
    v = np.clip(np.where(np.isfinite(values), values, 0.0), -1, 1)
    rgb = np.where(
        v < 0,
        palette[1] + (palette[0] - palette[1]) * -v,
        palette[1] + (palette[2] - palette[1]) * v,
    )
    return np.where(np.isfinite(values), rgb, 153.0).astype(np.uint8)


def decision_boundary(
    output: np.ndarray, extent: float, xy: np.ndarray, labels: np.ndarray, size: int = 360
) -> Image.Image:
    """The network's output over [-extent, extent]² as a picture with the data points on top,
    each in its label's colour on the same ramp (±1 for classes, a shade for a regression
    target). A picture, not a chart: nine of these as Vega rects were slow."""
    picture = Image.fromarray(_ramp(output)).resize((size, size), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(picture)
    for (x, y), colour in zip(xy, _ramp(labels), strict=True):
        px, py = (x + extent) / (2 * extent) * size, (extent - y) / (2 * extent) * size
        r = size / 90
        draw.ellipse(
            (px - r, py - r, px + r, py + r), fill=tuple(map(int, colour)), outline="white"
        )
    return picture


def loss_slice(
    surface: landscapes.Surface, path: np.ndarray | None = None, lang: str = "en", size: int = 420
) -> alt.LayerChart:
    """The slice's loss picture with θ* at the origin and, for PCA slices, the training path."""
    (x0, x1), (y0, y1) = surface.domain
    aspect = min(max((y1 - y0) / (x1 - x0), 0.45), 1.3)
    chart = landscape(surface, size, int(size * aspect), trails=False, lang=lang)
    if path is not None:
        line = (
            alt.Chart(
                alt.Data(
                    values=[{"x": float(a), "y": float(b), "s": s} for s, (a, b) in enumerate(path)]
                )
            )
            .mark_line(
                color="white", strokeWidth=2, point=alt.OverlayMarkDef(size=8, color="white")
            )
            .encode(
                x="x:Q",
                y="y:Q",
                order="s:Q",
                tooltip=[alt.Tooltip("s:Q", title=word("epoch", lang))],
            )
        )
        chart = alt.layer(chart, line)
    return chart.properties(datasets=background_data(surface))
