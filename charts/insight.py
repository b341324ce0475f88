"""Altair charts and pictures of the insight views: learning-rate sweeps with their regions,
the stability map with its analytic boundary, basins of attraction, the LR range test, noise
fans, optimizer internals over time. Every value drawn is finite (diverged runs are drawn as
their own category, never as a number)."""

from __future__ import annotations

import csv
import io

import altair as alt
import numpy as np
from PIL import Image

import landscapes
import lll_i18n as i18n
from charts.background import data_url
from charts.landscape import axes, background_data, domain_image, landscape, placed, word

# too small / good / diverges / escapes
REGION_COLORS = ["#9ecae1", "#a1d99b", "#fcae91", "#c6b3e6"]
REGIONS = ("small", "good", "diverges", "escapes")  # a sweep's regions, in RateSweep's order
ONE_ROW = "#1f77b4"  # a lone sweep's colour (a notebook's, with no scene to colour it)


def region_names(lang: str = "en") -> list[str]:
    """The sweep's region names in `lang`, as its legend shows them."""
    return [i18n.text(f"insight.region.{region}", lang) for region in REGIONS]


BASIN_COLORS = [
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
]
DIVERGED, ELSEWHERE = (200, 30, 30), (235, 235, 235)
ESCAPED_COLOR = "#6baed6"  # escapes: blue, apart from divergence's red


def _finite(values, cap: float = 1e30) -> np.ndarray:
    return np.clip(
        np.nan_to_num(np.asarray(values, np.float64), nan=cap, posinf=cap, neginf=-cap), -cap, cap
    )


def table(rows: list[dict]) -> alt.Data:
    """Rows as inline CSV with their number columns declared. Altair validates and deep-copies a
    list of dicts item by item (seconds for 10⁴ rows, far longer than computing them); a string
    it checks at once, and CSV is a third of the JSON's size. Booleans become 1/0, None empty."""
    names = list(rows[0]) if rows else []
    numeric = [
        n for n in names if all(isinstance(r[n], (int, float, np.number, type(None))) for r in rows)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([_cell(row[n]) for n in names] for row in rows)
    return alt.Data(
        values=buffer.getvalue(), format={"type": "csv", "parse": dict.fromkeys(numeric, "number")}
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return f"{value:.7g}" if isinstance(value, (float, np.floating)) else str(value)


def regions(rates: np.ndarray, region: np.ndarray) -> list[dict]:
    """Contiguous runs of one region as bands [rate from, rate to) for shading."""
    bands, begin = [], 0
    for i in range(1, len(rates) + 1):
        if i == len(rates) or region[i] != region[begin]:
            bands.append(
                {
                    "from": float(rates[begin]),
                    "to": float(rates[min(i, len(rates) - 1)]),
                    "region": int(region[begin]),
                }
            )
            begin = i
    return bands


def rate_sweep(
    sweeps: dict[str, object],
    colors: list[str],
    names: list[str],
    f_min: float | None,
    lang: str = "en",
) -> alt.LayerChart:
    """Final loss − f* (log–log; f* the surface's lowest minimum, or the lowest final loss when
    unknown) against learning rate per optimizer row, regions shaded from the first row's
    data; a click picks a rate (selection `pick`: `rate`, `row`)."""
    first = next(iter(sweeps.values()))
    bands = (
        alt.Chart(table(regions(first.rates, first.region)))
        .mark_rect(opacity=0.35)
        .encode(
            x=alt.X("from:Q", scale=alt.Scale(type="log")),
            x2="to:Q",
            color=alt.Color(
                "region:N",
                scale=alt.Scale(domain=list(range(len(names))), range=REGION_COLORS),
                legend=alt.Legend(
                    title=None, labelExpr=f"[{', '.join(repr(n) for n in names)}][datum.value]"
                ),
            ),
        )
    )
    rows = [
        {
            "row": label,
            "rate": float(r),
            "loss": None if d >= 0 else float(max(loss, 1e-12)),  # a diverged run has none
            "diverged": bool(d >= 0),
            "c": color,
            "steps": int(c) if c >= 0 else None,
        }
        for (label, sweep), color in zip(sweeps.items(), colors, strict=True)
        for r, loss, d, c in zip(
            sweep.rates,
            _finite(sweep.final_loss - _floor(sweep, f_min)),
            sweep.diverged_at,
            sweep.converged_at,
            strict=True,
        )
    ]
    pick = alt.selection_point(name="pick", fields=["rate", "row"], on="click", nearest=True)
    base = alt.Chart(table(rows)).encode(
        x=alt.X("rate:Q", scale=alt.Scale(type="log"), title=word("learning_rate", lang)),
        color=alt.Color("c:N", scale=None),
        tooltip=[
            alt.Tooltip("row:N", title=word("optimizer", lang)),
            alt.Tooltip("rate:Q", format=".3g"),
            alt.Tooltip("loss:Q", format=".3g", title=word("loss", lang)),
            alt.Tooltip("steps:Q", title=word("step", lang)),
        ],
    )
    lines = (
        base.transform_filter("!datum.diverged")
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            y=alt.Y("loss:Q", scale=alt.Scale(type="log"), title=word("final_loss", lang)),
            detail="row:N",
        )
    )
    hits = (
        base.transform_filter("!datum.diverged")
        .mark_point(size=60, opacity=0)
        .encode(y=alt.Y("loss:Q", scale=alt.Scale(type="log")))
        .add_params(pick)
    )  # a click picks the nearest point of the nearest curve
    return alt.layer(bands, lines, hits).properties(width=620, height=300)


def _floor(sweep, f_min: float | None) -> float:
    """What the final loss is measured from: f*, or the lowest final loss if f* is unknown."""
    finite = sweep.final_loss[sweep.diverged_at < 0]
    base = f_min if f_min is not None else (float(finite.min()) if len(finite) else 0.0)
    return base - 1e-12


OUTCOMES = ("converged", "never", "diverged", "escaped")


def stability_map(result, lang: str = "en") -> alt.LayerChart:
    """Steps to tolerance over (learning rate, β): grey never, red diverged; every cell tells
    its lr, β, steps and outcome, and a click picks it (selection "cell"). On quadratics the
    analytic boundary lr·λ_max = 2(1 + β) and Polyak's optimum (diamond); everywhere the map's
    own fastest cell (circle)."""
    rates, betas = result.rates, result.betas
    edges = np.sqrt(rates[:-1] * rates[1:])
    lo = np.concatenate([[rates[0] ** 2 / edges[0]], edges])
    hi = np.concatenate([edges, [rates[-1] ** 2 / edges[-1]]])
    step = (betas[1] - betas[0]) / 2 if len(betas) > 1 else 0.01
    outcome = {name: i18n.text(f"chart.outcome.{name}", lang) for name in OUTCOMES}
    cells = []
    for i, b in enumerate(betas):
        for j, rate in enumerate(rates):
            value = int(result.steps_to_tol[i, j])
            state = {-3: "escaped", -2: "diverged", -1: "never"}.get(value, "converged")
            cells.append(
                {
                    "lo": float(lo[j]),
                    "hi": float(hi[j]),
                    "b0": float(b - step),
                    "b1": float(b + step),
                    "rate": float(rate),
                    "beta": float(b),
                    "steps": value if value >= 0 else None,
                    "state": state,
                    "outcome": outcome[state],
                }
            )
    x = alt.X(
        "lo:Q",
        scale=alt.Scale(type="log", domain=[float(lo[0]), float(hi[-1])], nice=False),
        title=word("learning_rate", lang),
    )
    y = alt.Y(
        "b0:Q",
        scale=alt.Scale(domain=[float(betas[0] - step), float(betas[-1] + step)], nice=False),
        title=word("momentum", lang),
    )
    tooltip = [
        alt.Tooltip("rate:Q", title=word("learning_rate", lang), format=".4g"),
        alt.Tooltip("beta:Q", title=word("momentum", lang), format=".3f"),
        alt.Tooltip("steps:Q", title=word("steps_to_tol", lang)),
        alt.Tooltip("outcome:N", title=i18n.text("chart.outcome", lang)),
    ]
    pick = alt.selection_point(name="cell", fields=["rate", "beta"], on="click")
    # Each layer gets its own rows: layers sharing one dataset have it hoisted to the chart's
    # top level, which Streamlit cannot read as inline CSV.
    converged_cells = [c for c in cells if c["state"] == "converged"]
    other_cells = [c for c in cells if c["state"] != "converged"]
    layers = []
    if converged_cells:
        color = alt.Color(
            "steps:Q",
            scale=alt.Scale(type="log", scheme="viridis", reverse=True),
            title=word("steps_to_tol", lang),
        )
        rects = alt.Chart(table(converged_cells)).mark_rect()
        layers.append(rects.encode(x=x, x2="hi:Q", y=y, y2="b1:Q", color=color, tooltip=tooltip))
    if other_cells:
        fill = alt.Fill(
            "outcome:N",
            scale=alt.Scale(
                domain=[outcome[k] for k in ("never", "diverged", "escaped")],
                range=["#d9d9d9", "#e34a33", ESCAPED_COLOR],
            ),
            title=None,
        )
        rects = alt.Chart(table(other_cells)).mark_rect()
        layers.append(rects.encode(x=x, x2="hi:Q", y=y, y2="b1:Q", fill=fill, tooltip=tooltip))
    if len(layers) == 1:  # one dataset alone would be hoisted too: an invisible second layer
        corner = alt.Data(values=[{"lo": float(lo[0]), "b0": float(betas[0])}])
        layers.append(alt.Chart(corner).mark_point(opacity=0).encode(x=x, y=y))
    layers[0] = layers[0].add_params(pick)
    if result.lam_max is not None:
        boundary = [{"lo": float(2 * (1 + b) / result.lam_max), "b0": float(b)} for b in betas]
        layers.append(
            alt.Chart(table(boundary)).mark_line(color="black", strokeDash=[6, 3]).encode(x=x, y=y)
        )
        best = [{"lo": result.optimum[0], "b0": result.optimum[1]}]
        layers.append(
            alt.Chart(alt.Data(values=best))
            .mark_point(shape="diamond", size=160, filled=True, color="white", stroke="black")
            .encode(x=x, y=y)
        )
    fastest = result.fastest()
    if fastest is not None:
        spot = [{"lo": float(rates[fastest[1]]), "b0": float(betas[fastest[0]])}]
        layers.append(
            alt.Chart(alt.Data(values=spot))
            .mark_point(shape="circle", size=110, strokeWidth=2, color="white")
            .encode(x=x, y=y)
        )
    return alt.layer(*layers).properties(width=560, height=320)


def basin_picture(result, size: int = 240) -> Image.Image:
    """Each start coloured by the minimum it reached; red diverged, blue escaped, light grey
    elsewhere."""
    minima_colors = [_rgb(c) for c in BASIN_COLORS] * 4
    palette = np.array([*minima_colors, ELSEWHERE, DIVERGED, _rgb(ESCAPED_COLOR)], np.uint8)
    n = len(minima_colors)
    index = np.where(result.minimum >= 0, result.minimum % n, 0)
    for code, place in {-2: n, -1: n + 1, -3: n + 2}.items():
        index = np.where(result.minimum == code, place, index)
    image = Image.fromarray(palette[index[::-1]], "RGB")  # row 0 of the grid is the bottom
    return image.resize((size, size), Image.Resampling.NEAREST)


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def range_test(result, lang: str = "en") -> alt.LayerChart:
    """Loss and its smoothed curve against the growing rate; the suggestion as a rule."""
    stop = max(result.stop, 2)
    rows = [
        {"rate": float(r), "loss": float(v), "smoothed": float(s)}
        for r, v, s in zip(
            result.rates[:stop],
            _finite(result.loss[:stop]),
            _finite(result.smoothed[:stop]),
            strict=True,
        )
    ]
    base = alt.Chart(table(rows)).encode(
        x=alt.X("rate:Q", scale=alt.Scale(type="log"), title=word("learning_rate", lang))
    )
    raw = base.mark_line(color="#bbbbbb").encode(y=alt.Y("loss:Q", title=word("loss", lang)))
    smooth = base.mark_line(color="#1f77b4", strokeWidth=2).encode(y="smoothed:Q")
    rule = (
        alt.Chart(alt.Data(values=[{"rate": result.suggestion}]))
        .mark_rule(color="#d62728", strokeWidth=2)
        .encode(x="rate:Q", tooltip=[alt.Tooltip("rate:Q", format=".3g")])
    )
    return alt.layer(raw, smooth, rule).properties(width=560, height=280)


FAN_SAMPLES = 6  # runs per row drawn as lines over the density, at every step: the zigzag shows


def noise_fans(
    surface: landscapes.Surface, labels: list[str], fans: list, colors: list[str], lang: str = "en"
) -> alt.HConcatChart:
    """Where each row's seeded runs went (a density in the row's colour) with a few of its runs
    drawn over it; right, each row's median loss with its 10–90 % band."""
    (x0, x1), (y0, y1) = surface.domain
    aspect = min(max((y1 - y0) / (x1 - x0), 0.45), 1.3)
    x, y = axes(surface)
    url = fan_density(surface, fans, colors, 190, round(190 * aspect))
    density = domain_image(alt.Data(values=[placed(surface, url)]), x, y)
    paths = [
        {"r": r, "k": k, "s": s, "x": float(px), "y": float(py)}
        for r, fan in enumerate(fans)
        for k, run in enumerate(_finite(fan.xy[:FAN_SAMPLES]))
        for s, (px, py) in enumerate(run)
    ]
    color = alt.Color(
        "r:N", scale=alt.Scale(domain=list(range(len(fans))), range=colors), legend=None
    )
    lines = (
        alt.Chart(table(paths))
        .mark_line(opacity=0.8, strokeWidth=1, clip=True)
        .encode(x=x, y=y, color=color, detail="k:N", order="s:Q")
    )
    picture = alt.layer(
        landscape(surface, 380, int(380 * aspect), trails=False, lang=lang), density, lines
    )
    band = [
        {"row": label, "r": r, "s": s, "lo": float(a), "mid": float(b), "hi": float(c)}
        for r, (label, fan) in enumerate(zip(labels, fans, strict=True))
        for s, (a, b, c) in enumerate(
            zip(*(_finite(v) for v in (fan.low, fan.median, fan.high)), strict=True)
        )
    ]
    key = alt.Color(
        "row:N",
        scale=alt.Scale(domain=labels, range=colors),
        legend=alt.Legend(title=None, orient="top"),
    )
    curve = alt.Chart(table(band)).encode(
        x=alt.X("s:Q", title=word("step", lang)), color=key, detail="r:N"
    )
    loss = alt.layer(
        curve.mark_area(opacity=0.2).encode(y=alt.Y("lo:Q", title=word("loss", lang)), y2="hi:Q"),
        curve.mark_line(strokeWidth=2).encode(y="mid:Q"),
    ).properties(width=320, height=220)
    return (
        alt.hconcat(picture, loss)
        .resolve_scale(color="independent")
        .properties(datasets=background_data(surface))
    )


def fan_density(
    surface: landscapes.Surface, fans: list, colors: list[str], width: int, height: int
) -> str:
    """Every position of every seeded run, binned over the domain, one layer per row in its
    colour (more opaque where more runs passed, on a log scale), as a PNG data URL."""
    (x0, x1), (y0, y1) = surface.domain
    canvas = Image.new("RGBA", (width, height))
    for fan, color in zip(fans, colors, strict=True):
        xy = fan.xy.reshape(-1, 2)
        xy = xy[np.isfinite(xy).all(axis=1)]
        counts = np.histogram2d(
            xy[:, 1], xy[:, 0], bins=(height, width), range=((y0, y1), (x0, x1))
        )[0][::-1]
        share = np.log1p(counts) / max(
            np.log1p(counts.max()), 1e-12
        )  # row 0 of the picture is the top
        layer = np.empty((height, width, 4), np.uint8)
        layer[..., :3], layer[..., 3] = _rgb(color), (230 * share**0.6).astype(np.uint8)
        canvas = Image.alpha_composite(canvas, Image.fromarray(layer, "RGBA"))
    return data_url(canvas, "PNG", optimize=True)


def internals(series: dict[str, np.ndarray], lang: str = "en") -> alt.Chart:
    """Optimizer internals against step, one small panel per quantity (log scale)."""
    rows = [
        {"quantity": name, "s": s + 1, "v": float(max(abs(v), 1e-30))}
        for name, values in series.items()
        for s, v in enumerate(_finite(values))
    ]
    return (
        alt.Chart(alt.Data(values=rows))  # small; Streamlit converts a facet's data itself
        .mark_line()
        .encode(
            x=alt.X("s:Q", title=word("step", lang)),
            y=alt.Y("v:Q", scale=alt.Scale(type="log"), title=None),
            color=alt.Color("quantity:N", legend=None),
            tooltip=["quantity:N", "s:Q", alt.Tooltip("v:Q", format=".4g")],
        )
        .properties(width=230, height=150)
        .facet(facet=alt.Facet("quantity:N", title=None), columns=3)
        .resolve_scale(y="independent")
    )
