"""Altair specs of a scene: the landscape, the trails, and the loss and learning-rate curves.

The trajectories live in a named dataset `paths` (rows {i, s, x, y, loss, lr, g, c, label})
and every animated mark filters on the parameter `step`. The player uses `scene_specs`: the
landscape without trails and the curves' axes without lines (it draws trails, lines and
cursors on its own canvases, frame by frame). `scene_chart` is the whole picture as one
static chart. The specs only depend on the surface and the layout, so they are built and
sent once per surface.
"""

from __future__ import annotations

import altair as alt
import numpy as np

import landscapes
import lll_i18n as i18n
from charts.background import raster

STEP = alt.param(name="step", value=0)
LAST_STEP = alt.param(name="last_step", value=1)  # set with the data, so no axis depends on `step`
PATHS = alt.Data(name="paths")
ENDS = alt.Data(name="ends")
BACKGROUND = alt.Data(name="background")  # one copy at the top level, shared by every panel


def word(key: str, lang: str) -> str:
    return i18n.text(f"chart.{key}", lang)


def _tooltip(lang: str) -> list:
    return [
        alt.Tooltip("label:N", title=word("optimizer", lang)),
        alt.Tooltip("s:Q", title=word("step", lang)),
        alt.Tooltip("x:Q", format=".4g"),
        alt.Tooltip("y:Q", format=".4g"),
        alt.Tooltip("loss:Q", title=word("loss", lang), format=".4g"),
        alt.Tooltip("lr:Q", title=word("learning_rate", lang), format=".3g"),
        alt.Tooltip("g:Q", title=word("gradient_norm", lang), format=".3g"),
    ]


def axes(surface: landscapes.Surface):
    (x0, x1), (y0, y1) = surface.domain
    x = alt.X(
        "x:Q", scale=alt.Scale(domain=[x0, x1], nice=False, zero=False), title=surface.axes[0]
    )
    y = alt.Y(
        "y:Q", scale=alt.Scale(domain=[y0, y1], nice=False, zero=False), title=surface.axes[1]
    )
    return x, y


def landscape(
    surface: landscapes.Surface,
    width: int,
    height: int,
    series: int | None = None,
    trails: bool = True,
    lang: str = "en",
) -> alt.LayerChart:
    """One panel: raster (isolines baked in), minima, and the trails (all, or series `series`).

    `trails=False` leaves the trails, heads and crosses out: the player draws those itself on a
    canvas over the view, since redrawing them through Vega on every frame is too slow.
    """
    (x0, x1), (y0, y1) = surface.domain
    x, y = axes(surface)
    image = domain_image(BACKGROUND, x, y)
    minima = (
        alt.Chart(
            alt.Data(
                values=[{"x": px, "y": py} for px, py in surface.minima] or [{"x": None, "y": None}]
            )
        )
        .mark_point(
            shape="diamond",
            size=130,
            filled=True,
            color="white",
            stroke="black",
            strokeWidth=1.2,
            opacity=1,
        )
        .encode(x=x, y=y)
    )
    if not trails:
        return alt.layer(image, minima).properties(width=width, height=height)
    keep = "true" if series is None else f"datum.i == {series}"
    trail = (
        alt.Chart(PATHS)
        .transform_filter(f"{keep} && datum.s <= step")
        .mark_line(strokeWidth=2.2, clip=True)
        .encode(x=x, y=y, detail="i:N", order="s:Q", color=alt.Color("c:N", scale=None))
    )
    head = (
        alt.Chart(PATHS)
        .transform_filter(f"{keep} && datum.s == step")
        .mark_point(size=110, filled=True, stroke="white", strokeWidth=1.5, opacity=1, clip=True)
        .encode(x=x, y=y, color=alt.Color("c:N", scale=None), tooltip=_tooltip(lang))
    )
    start = (
        alt.Chart(PATHS)
        .transform_filter(f"{keep} && datum.s == 0")
        .mark_point(shape="circle", size=70, filled=False, color="white", strokeWidth=2)
        .encode(x=x, y=y)
    )
    crashed = (
        alt.Chart(ENDS)
        .transform_filter(f"{keep} && datum.d >= 0 && step > datum.d")
        .mark_point(
            shape="cross",
            size=220,
            filled=True,
            color="#ff2d2d",
            stroke="white",
            strokeWidth=0.8,
            clip=True,
        )
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("label:N", title=word("optimizer", lang)),
                alt.Tooltip("d:Q", title=word("diverged_at", lang)),
            ],
        )
    )
    layers = [image, minima, trail, start, head, crashed]
    return alt.layer(*layers).properties(width=width, height=height)


def _loss_axis(surface: landscapes.Surface, lang: str) -> dict:
    """How loss is plotted: its gap to the lowest known minimum on a log axis, else symlog."""
    f_min = surface.f_min
    if f_min is None:
        return {
            "field": "loss",
            "scale": "symlog",
            "title": word("loss_symlog", lang),
            "f_min": None,
        }
    return {
        "field": "gap",
        "scale": "log",
        "title": word("loss_gap", lang),
        "f_min": float(f_min),
        # float32 can't tell a smaller gap from the minimum: curves stop there, on a dashed line
        "floor": max(landscapes.loss_resolution(surface), 1e-12),
    }


def _step_x(lang: str):
    # A fixed domain: were the cursor part of it, every frame would rescale and redraw both curves.
    return alt.X(
        "s:Q",
        title=word("step", lang),
        scale=alt.Scale(domain=[0, {"expr": "last_step"}], nice=False),
    )


def _log_axis(kind: str) -> alt.Axis:
    return alt.Axis(format="~e") if kind == "log" else alt.Axis()


def curves(
    surface: landscapes.Surface, width: int = 300, height: int = 170, lang: str = "en"
) -> alt.HConcatChart:
    """Loss and learning rate against step, drawn by Vega from `paths` (static pictures)."""
    axis = _loss_axis(surface, lang)
    loss_base = alt.Chart(PATHS)
    if axis["f_min"] is not None:
        loss_base = loss_base.transform_calculate(
            gap=f"max(datum.loss - ({axis['f_min']!r}), {axis['floor']!r})"
        )
    loss_y = alt.Y(
        f"{axis['field']}:Q",
        scale=alt.Scale(type=axis["scale"]),
        title=axis["title"],
        axis=_log_axis(axis["scale"]),
    )
    lr_y = alt.Y(
        "lr:Q",
        scale=alt.Scale(type="log"),
        title=word("learning_rate_log", lang),
        axis=_log_axis("log"),
    )
    line = {
        "x": _step_x(lang),
        "detail": "i:N",
        "color": alt.Color("c:N", scale=None),
        "tooltip": _tooltip(lang),
    }
    rule = (
        alt.Chart(alt.Data(values=[{}]))
        .transform_calculate(s="step")
        .mark_rule(color="gray", strokeDash=[4, 3])
        .encode(x="s:Q")
    )
    loss = alt.layer(loss_base.mark_line(strokeWidth=1.6).encode(y=loss_y, **line), rule)
    rate = alt.layer(
        alt.Chart(PATHS)
        .transform_filter("datum.s > 0")
        .mark_line(strokeWidth=1.6)
        .encode(y=lr_y, **line),
        rule,
    )
    return alt.hconcat(
        loss.properties(width=width, height=height, title=word("loss", lang)),
        rate.properties(width=width, height=height, title=word("learning_rate", lang)),
    )


def curve_frame(
    surface: landscapes.Surface, width: int = 300, height: int = 170, lang: str = "en"
) -> alt.HConcatChart:
    """The curves' axes for the player, with no data: their y domains are the signals
    loss_lo/loss_hi and lr_lo/lr_hi. The player draws the lines and cursor on a canvas over
    them, so new trajectories cost Vega one axis update instead of a dataflow over every point.
    `usermeta.loss` tells the player how to plot loss (field, scale, f_min)."""
    axis = _loss_axis(surface, lang)
    frame = alt.Chart(alt.Data(values=[{"s": 0, "v": 1}])).mark_point(opacity=0, clip=True)

    def panel(kind, name, title, y_title):
        domain = [{"expr": f"{name}_lo"}, {"expr": f"{name}_hi"}]
        y = alt.Y(
            "v:Q",
            scale=alt.Scale(type=kind, domain=domain, nice=False),
            title=y_title,
            axis=_log_axis(kind),
        )
        return frame.encode(x=_step_x(lang), y=y).properties(
            width=width, height=height, title=title
        )

    domains = [
        alt.param(name=f"{n}_{end}", value=v)
        for n in ("loss", "lr")
        for end, v in (("lo", 0.1), ("hi", 10))
    ]
    chart = alt.hconcat(
        panel(axis["scale"], "loss", word("loss", lang), axis["title"]),
        panel("log", "lr", word("learning_rate", lang), word("learning_rate_log", lang)),
    )
    return chart.add_params(LAST_STEP, *domains).properties(usermeta={"loss": axis})


def panels(
    surface: landscapes.Surface,
    layout: str = "overlay",
    n_series: int = 1,
    size: int = 520,
    trails: bool = True,
    lang: str = "en",
):
    """The landscape: one panel with every trail, or one small panel per run on shared scales."""
    (x0, x1), (y0, y1) = surface.domain
    aspect = min(max((y1 - y0) / (x1 - x0), 0.45), 1.3)
    if layout == "side" and n_series > 1:
        columns = min(n_series, 3)
        width = max(180, size // columns + 40)
        return alt.concat(
            *[
                landscape(surface, width, int(width * aspect), k, trails, lang)
                for k in range(n_series)
            ],
            columns=columns,
        )
    return landscape(surface, size, int(size * aspect), trails=trails, lang=lang)


def background_data(surface: landscapes.Surface) -> dict:
    """The top-level `background` dataset: the raster and where it sits."""
    return {"background": [placed(surface, raster(surface))]}


def placed(surface: landscapes.Surface, url: str) -> dict:
    """A picture's data row: its URL and the corners of the domain it covers (row 0 on top)."""
    (x0, x1), (y0, y1) = surface.domain
    return {"url": url, "x": x0, "x2": x1, "y": y1, "y2": y0}


def domain_image(data, x, y) -> alt.Chart:
    """A layer drawing the picture rows of `data` (see `placed`) stretched over their domain."""
    return (
        alt.Chart(data)
        .mark_image(aspect=False, align="left", baseline="top")
        .encode(x=x, x2="x2:Q", y=y, y2="y2:Q", url="url:N")
    )


def _configure(chart, resize: bool = False):
    """Shared view settings. `resize`: the layout follows the data (the curves' axis labels grow
    once the trajectories arrive); the landscape's axes are fixed, so it skips that work per
    frame."""
    autosize = alt.AutoSizeParams(type="pad", resize=resize)
    return (
        chart.properties(autosize=autosize).configure_view(stroke=None).configure_axis(grid=False)
    )


def scene_specs(
    surface: landscapes.Surface,
    layout: str = "overlay",
    n_series: int = 1,
    size: int = 520,
    lang: str = "en",
) -> dict:
    """Two Vega-Lite specs for the player: the landscape (background and minima) and the
    curves' frame; the player draws the trajectories over both."""
    top = panels(surface, layout, n_series, size, trails=False, lang=lang)
    top = top.properties(datasets=background_data(surface))
    bottom = curve_frame(surface, width=max(240, size // 2 - 30), lang=lang)
    return {
        "landscape": _configure(top).to_dict(),
        "curves": _configure(bottom, resize=True).to_dict(),
    }


def legend(labels, colors) -> alt.LayerChart:
    """The runs' colours and labels, one row each (static pictures; the player has its own)."""
    runs = enumerate(zip(labels, colors, strict=True))
    rows = alt.Data(values=[{"k": k, "label": str(t), "c": c} for k, (t, c) in runs])
    y = alt.Y("k:O", axis=None)
    swatch = alt.Chart(rows).mark_point(filled=True, size=120, opacity=1)
    text = alt.Chart(rows).mark_text(align="left", dx=12, fontSize=12)
    return alt.layer(
        swatch.encode(x=alt.value(6), y=y, color=alt.Color("c:N", scale=None)),
        text.encode(x=alt.value(6), y=y, text="label:N"),
    ).properties(width=300, height=20 * len(labels))


def scene_chart(
    surface: landscapes.Surface,
    layout: str = "overlay",
    n_series: int = 1,
    size: int = 520,
    lang: str = "en",
    runs: tuple[list, list] | None = None,
):
    """The whole picture as one static chart (for files and the naive benchmark baseline);
    `runs` = (labels, colours) adds their legend."""
    parts = [
        panels(surface, layout, n_series, size, lang=lang),
        curves(surface, width=max(240, size // 2 - 30), lang=lang),
    ]
    if runs is not None:
        parts.insert(1, legend(*runs))
    chart = alt.vconcat(*parts)
    return _configure(
        chart.add_params(STEP, LAST_STEP).properties(datasets=background_data(surface)), resize=True
    )


def filled_scene_chart(
    surface: landscapes.Surface, layout: str, trajectories, colors, step: int, lang: str = "en"
) -> dict:
    """`scene_chart` with the runs' data in and the clock at `step`: a complete static picture
    (PNG/SVG export, and the naive benchmark's re-sent chart)."""
    t = trajectories
    n, points = t.loss.shape
    grad = np.linalg.norm(np.asarray(t.grad), axis=-1)
    values = [
        {
            "i": i,
            "s": s,
            "x": float(t.xy[i, s, 0]),
            "y": float(t.xy[i, s, 1]),
            "loss": float(t.loss[i, s]),
            "lr": float(t.lr[i, max(s - 1, 0)]),
            "g": float(grad[i, max(s - 1, 0)]),
            "c": colors[i],
            "label": t.labels[i],
        }
        for i in range(n)
        for s in range(points)
    ]
    ends = [
        {
            "i": i,
            "d": int(d),
            "x": float(t.xy[i, -1, 0]),
            "y": float(t.xy[i, -1, 1]),
            "label": t.labels[i],
        }
        for i, d in enumerate(t.diverged_at)
    ]
    spec = scene_chart(surface, layout, n, lang=lang, runs=(t.labels, colors)).to_dict()
    spec["datasets"].update(paths=values, ends=ends)
    for param in spec["params"]:
        param["value"] = {"step": int(step), "last_step": max(points - 1, 1)}.get(
            param["name"], param.get("value")
        )
    return spec
