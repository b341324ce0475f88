"""The insight views: the current scene's surface and rows examined in whole sweeps — rates,
rate × momentum, start points, the LR range test, seeded noise, a leaderboard, tuned rates,
and one run's internals step by step. Thin UI: `optimizers.insight` computes, `charts.insight`
draws; each computation is cached and shared across sessions.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd
import streamlit as st

import scenes
from app import admission, computed
from app import lab as labs
from app.session import act, control, keep_link, knob, lab, lang, plain, titles, tr
from charts import insight as charts
from optimizers import cost, insight, rules

TOOLS = labs.TOOLS
BUDGET = cost.BUDGET_SECONDS  # of computing per request, whatever its sizes
setting = functools.partial(knob, hide="insight")  # a tool's setting: `insight_hide` hides them all


def _scene(scene_json: str) -> scenes.Scene:
    return scenes.from_dict(json.loads(scene_json))


def _spec(scene_json: str, row: int):
    return _scene(scene_json).rows[row].spec()


@st.cache_data(max_entries=64, show_spinner=False)
def rate_sweep(scene_json: str, row: int, n: int, budget: float):
    scene = _scene(scene_json)
    surface = scene.surface_object()
    rates = insight.rate_grid(surface, n)
    with admission.heavy():
        return insight.rate_sweep(
            surface,
            _spec(scene_json, row),
            scene.start_point(),
            scene.steps,
            rates,
            scene.noise,
            scene.seed,
            budget,
        )


@st.cache_data(max_entries=16, show_spinner=False)
def stability(scene_json: str, row: int, n_rates: int, n_betas: int):
    scene = _scene(scene_json)
    surface = scene.surface_object()
    rates, betas = insight.rate_grid(surface, n_rates), np.linspace(0.0, 0.99, n_betas)
    spec = _spec(scene_json, row)
    start = scene.start_point()
    with admission.heavy():
        return insight.stability_map(
            surface, spec, start, scene.steps, rates, betas, scene.noise, scene.seed, BUDGET
        )


@st.cache_data(max_entries=16, show_spinner=False)
def basins(scene_json: str, row: int, n: int, budget: float):
    scene = _scene(scene_json)
    spec = _spec(scene_json, row)
    surface = scene.surface_object()
    with admission.heavy():
        return insight.basins(surface, spec, scene.steps, n, scene.noise, scene.seed, budget)


@st.cache_data(max_entries=16, show_spinner=False)
def range_test(scene_json: str, row: int, start_lr: float, end_lr: float):
    scene = _scene(scene_json)
    spec, start = _spec(scene_json, row), scene.start_point()
    return insight.range_test(
        scene.surface_object(), spec, start, scene.steps, start_lr, end_lr, scene.noise, scene.seed
    )


@st.cache_data(max_entries=16, show_spinner=False)
def noise_fans(scene_json: str, rows: tuple[int, ...], noise: float, seeds: int):
    scene = _scene(scene_json)
    specs = [_spec(scene_json, row) for row in rows]
    with admission.heavy():
        return insight.noise_fans(
            scene.surface_object(), specs, scene.start_point(), scene.steps, noise, seeds, BUDGET
        )


@st.cache_data(max_entries=16, show_spinner=False)
def internals(scene_json: str, row: int):
    scene = _scene(scene_json)
    spec, start = _spec(scene_json, row), scene.start_point()
    return insight.internals(
        scene.surface_object(), spec, start, scene.steps, scene.noise, scene.seed
    )


TOOL_VIEWS = {}  # filled below: tool name -> its view


def draw(place) -> None:
    """The insights view (no settings of its own: `place`, its sidebar slot, stays empty)."""
    del place
    scene = lab().scene
    scene_json = computed.scene_json(scene)
    st.title(tr("view.insights"))
    st.caption(tr("insight.intro"))
    labels = scene.shown_labels([row.spec().labels()[0] for row in scene.rows], lang())
    control(
        st.radio,
        tr("insight.tool"),
        "tool",
        lab().tool,
        labs.set_tool,
        by_language=True,
        hide="tool",
        options=TOOLS,
        horizontal=True,
        format_func=titles("insight.tool."),
    )
    keep_link()
    if notice := st.session_state.pop("insight_notice", None):
        st.success(notice)
    TOOL_VIEWS[lab().tool](scene, scene_json, labels)


def say_cut(used: int, asked: int) -> None:
    """Say so when a view's runs took fewer steps than the scene asks for (to stay within the
    request's time budget, or the basins' step count): never a silent reduction."""
    if used < asked:
        st.info(tr("insight.cut", used=used, asked=asked, seconds=f"{BUDGET:g}"))


def with_progress(items, work):
    """`work(item)` for each item under a progress bar; a changed input stops the run between
    items."""
    queue = admission.ahead()
    bar = st.progress(
        0.0, text=tr("insight.waiting", ahead=queue) if queue else tr("insight.working")
    )
    results = []
    for done, item in enumerate(items, start=1):
        results.append(work(item))
        bar.progress(done / len(items), text=tr("insight.working"))
    bar.empty()
    return results


def set_rate(row: int, rate: float, label: str) -> None:
    """Give row number `row` the learning rate `rate` (clamped to the optimizer's range)."""
    act(labs.set_rate, row, rate)
    given = lab().scene.rows[row].spec().hyper["learning_rate"]
    st.session_state.insight_notice = tr(
        "insight.rate_set", label=plain(label), rate=f"{given:.4g}"
    )


def sweep_view(scene, scene_json, labels) -> None:
    n = setting(st.select_slider, tr("insight.rates"), "sweep_n", options=[200, 400, 1000, 2000])
    share = BUDGET / len(scene.rows)  # the request's budget, shared by its rows
    sweeps = with_progress(range(len(scene.rows)), lambda i: rate_sweep(scene_json, i, n, share))
    say_cut(min(s.steps for s in sweeps), scene.steps)
    names = charts.region_names(lang())
    chart = charts.rate_sweep(
        dict(zip(labels, sweeps, strict=True)),
        scene.colors(),
        names,
        scene.surface_object().f_min,
        lang(),
    )
    event = st.altair_chart(chart, on_select="rerun", key="sweep_chart", selection_mode="pick")
    st.caption(tr("insight.sweep_note", steps=scene.steps))
    picked = picked_point(event, "pick")
    if picked and picked.get("row") in labels and st.session_state.get("sweep_applied") != picked:
        st.session_state.sweep_applied = picked
        set_rate(labels.index(picked["row"]), float(picked["rate"]), picked["row"])
        st.rerun()


def picked_point(event, name: str) -> dict | None:
    """The point a click picked in selection `name` of a chart's event, if any."""
    selection = event.get("selection", {}) if isinstance(event, dict) else {}
    points = selection.get(name) if isinstance(selection, dict) else None
    if isinstance(points, list) and points and isinstance(points[0], dict):
        return points[0]
    return None


def stability_view(scene, scene_json, labels) -> None:
    rows = [i for i, row in enumerate(scene.rows) if insight.momentum_name(row.entry())]
    if not rows:
        st.info(tr("insight.need_momentum"))
        return
    row = chosen_row("stability_row", rows, labels)
    result = with_progress([row], lambda i: stability(scene_json, i, 80, 40))[0]
    say_cut(result.steps, scene.steps)
    chart = charts.stability_map(result, lang())
    event = st.altair_chart(chart, on_select="rerun", key="stability_chart", selection_mode="cell")
    picked = picked_point(event, "cell")
    if picked and st.session_state.get("stability_applied") != picked:
        st.session_state.stability_applied = picked
        set_cell(row, picked, labels[row])
        st.rerun()
    st.caption(tr("insight.stability_note"))
    st.caption(stability_caption(result, scene.steps))


def stability_caption(result, steps: int) -> str:
    """The tolerance, and on quadratics λ's, κ, Polyak's optimum and the map's fastest cell."""
    text = tr("insight.stability_tolerance", tol=f"{result.tol:.3g}", steps=steps)
    fastest = result.fastest()
    if fastest is None:
        return text
    cell = {
        "fast_lr": f"{result.rates[fastest[1]]:.4g}",
        "fast_beta": f"{result.betas[fastest[0]]:.3f}",
        "steps": int(result.steps_to_tol[fastest]),
    }
    if result.lam_max is None:
        return f"{text} {tr('insight.stability_fastest', **cell)}"
    lr, beta = result.optimum
    rate_cells, beta_cells = result.cells_from_optimum()
    quadratic = tr(
        "insight.stability_quadratic",
        lam_min=f"{result.lam_min:.4g}",
        lam_max=f"{result.lam_max:.4g}",
        kappa=f"{result.lam_max / result.lam_min:.4g}",
        lr=f"{lr:.4g}",
        beta=f"{beta:.3f}",
        rate_cells=rate_cells,
        beta_cells=beta_cells,
        **cell,
    )
    return f"{text} {quadratic}"


def set_cell(row: int, picked: dict, label: str) -> None:
    """A clicked cell of the stability map: its learning rate and momentum go to the row."""
    rate, beta = picked.get("rate"), picked.get("beta")
    if not all(isinstance(v, int | float) for v in (rate, beta)):
        return
    act(labs.set_rate, row, float(rate))
    momentum = insight.momentum_name(lab().scene.rows[row].entry())
    act(labs.set_hyper, lab().row_ids[row], momentum, float(beta))
    given = lab().scene.rows[row].spec().hyper
    st.session_state.insight_notice = tr(
        "insight.cell_set",
        label=plain(label),
        rate=f"{float(given['learning_rate']):.4g}",
        beta=f"{float(given[momentum]):.3f}",
    )


def basins_view(scene, scene_json, labels) -> None:
    n = setting(st.select_slider, tr("insight.grid"), "basins_n", options=[100, 200, 300])
    share = BUDGET / len(scene.rows)
    results = with_progress(range(len(scene.rows)), lambda i: basins(scene_json, i, n, share))
    say_cut(min(r.steps for r in results), scene.steps)
    columns = st.columns(min(len(results), 3))
    for i, (result, label) in enumerate(zip(results, labels, strict=True)):
        columns[i % len(columns)].image(charts.basin_picture(result), caption=label)
    colors = charts.BASIN_COLORS
    swatches = [
        f"<span style='color:{colors[k % len(colors)]}'>■</span> ({x:.3g}, {y:.3g})"
        for k, (x, y) in enumerate(results[0].minima)
    ]
    st.markdown(" · ".join(swatches + [tr("insight.basin_other")]), unsafe_allow_html=True)


def chosen_row(name: str, rows, labels) -> int:
    """A row menu kept in the Lab (a row index; the first row when the kept one is gone)."""
    rows = list(rows)
    kept = lab().knob(name)
    if kept not in rows:
        act(labs.set_knob, name, rows[0])
    return setting(
        st.selectbox,
        tr("insight.row"),
        name,
        by_language=True,
        options=rows,
        format_func=labels.__getitem__,
    )


def range_view(scene, scene_json, labels) -> None:
    left, middle, right = st.columns(3)
    with left:
        row = chosen_row("range_row", range(len(labels)), labels)
    with middle:
        start_lr = setting(
            st.number_input,
            tr("schedule_param.start_lr"),
            "range_lo",
            min_value=1e-8,
            max_value=1.0,
            format="%g",
        )
    with right:
        end_lr = setting(
            st.number_input,
            tr("schedule_param.end_lr"),
            "range_hi",
            min_value=1e-6,
            max_value=1e3,
            format="%g",
        )
    end_lr = max(end_lr, start_lr * 10)
    result = with_progress([row], lambda i: range_test(scene_json, i, start_lr, end_lr))[0]
    st.altair_chart(charts.range_test(result, lang()))
    rate = f"{result.suggestion:.3g}"
    st.caption(tr("insight.range_note", rate=rate))
    st.button(
        tr("insight.apply", rate=rate, label=labels[row]),
        key="range_apply",
        on_click=set_rate,
        args=(row, result.suggestion, labels[row]),
    )


def fan_view(scene, scene_json, labels) -> None:
    left, middle, right = st.columns(3)
    everyone = list(range(len(labels)))
    kept = lab().knob("fan_rows")
    if kept is not None and not set(kept) <= set(everyone):
        act(labs.set_knob, "fan_rows", tuple(i for i in kept if i in everyone))
    if lab().knob("fan_rows") is None:
        act(labs.set_knob, "fan_rows", tuple(everyone))
    if lab().knob("fan_noise") is None:
        act(labs.set_knob, "fan_noise", float(scene.noise or 1.0))
    with left:
        rows = setting(
            st.multiselect,
            tr("insight.rows"),
            "fan_rows",
            by_language=True,
            options=everyone,
            format_func=labels.__getitem__,
        )
    with middle:
        noise = setting(
            st.number_input,
            tr("sidebar.noise"),
            "fan_noise",
            min_value=0.01,
            max_value=100.0,
            format="%g",
        )
    with right:
        seeds = setting(
            st.slider, tr("insight.seeds"), "fan_seeds", min_value=4, max_value=insight.MAX_SEEDS
        )
    if not rows:
        st.info(tr("insight.pick_rows"))
        return
    chosen = tuple(rows)
    fans = with_progress([chosen], lambda rows: noise_fans(scene_json, rows, noise, seeds))[0]
    say_cut(fans[0].xy.shape[1] - 1, scene.steps)
    names, colors = [labels[i] for i in rows], [scene.colors()[i] for i in rows]
    st.altair_chart(charts.noise_fans(scene.surface_object(), names, fans, colors, lang()))
    st.caption(tr("insight.fan_note", seeds=seeds))


def leaderboard_view(scene, scene_json, labels) -> None:
    t = computed.trajectories(scene_json)
    rows = insight.leaderboard(
        t._replace(labels=labels), scene.surface_object(), scene.start_point()
    )
    rows = [{**row, "status": tr(f"status.{row['status']}")} for row in rows]
    table = pd.DataFrame(rows).rename(columns={k: tr(f"insight.column.{k}") for k in rows[0]})
    st.dataframe(table, hide_index=True)
    st.download_button(
        tr("export.csv"),
        table.to_csv(index=False).encode("utf-8"),
        "leaderboard.csv",
        "text/csv",
        key="leaderboard_csv",
        on_click="ignore",
    )
    st.caption(tr("insight.leaderboard_note"))


def tune_view(scene, scene_json, labels) -> None:
    st.caption(tr("insight.tune_note", steps=scene.steps))
    if not st.button(tr("insight.tune"), key="tune"):
        return
    share = BUDGET / len(scene.rows)
    sweeps = with_progress(range(len(scene.rows)), lambda i: rate_sweep(scene_json, i, 400, share))
    for i, sweep in enumerate(sweeps):
        act(labs.set_rate, i, sweep.best())
    rates = ", ".join(
        f"{plain(label)} → {sweep.best():.3g}" for label, sweep in zip(labels, sweeps, strict=True)
    )
    st.session_state.insight_notice = tr("insight.tuned", rates=rates)
    st.rerun()


def explain_view(scene, scene_json, labels) -> None:
    left, right = st.columns([1, 2])
    with left:
        row = chosen_row("explain_row", range(len(labels)), labels)
    t, series = internals(scene_json, row)
    with right:
        last = max(scene.steps - 1, 0)
        if lab().knob("explain_step") > last:
            act(labs.set_knob, "explain_step", last)
        if last > 0:
            k = setting(st.slider, tr("insight.step"), "explain_step", min_value=0, max_value=last)
        else:  # a one-step scene: nothing to slide over
            k = 0
    named_series = {tr(f"insight.series.{name}"): values for name, values in series.items()}
    st.altair_chart(charts.internals(named_series, lang()))
    numbers = insight.explain(t, k)
    spec_row = scene.rows[row]
    st.latex(rules.rule(spec_row.entry(), spec_row.hyper))
    theta, update, after = (vector(numbers[name]) for name in ("theta", "update", "next"))
    st.latex(rf"\theta_{{{k + 1}}} = \theta_{{{k}}} + u_{{{k}}} = {theta} + {update} = {after}")
    facts = {
        tr("insight.fact.grad"): numbers["grad"],
        tr("insight.fact.lr"): numbers["lr"],
        tr("insight.fact.loss"): f"{numbers['loss']:.5g} → {numbers['next_loss']:.5g}",
        **numbers["state"],
    }
    values = [
        v if isinstance(v, str) else np.array2string(np.asarray(v), precision=4)
        for v in facts.values()
    ]
    st.dataframe(pd.DataFrame({"": list(facts), "=": values}), hide_index=True)
    st.caption(tr("insight.explain_note"))


def vector(v) -> str:
    """A 2-vector as a LaTeX column."""
    return rf"\begin{{pmatrix}}{v[0]:.4g}\\ {v[1]:.4g}\end{{pmatrix}}"


TOOL_VIEWS.update(
    sweep=sweep_view,
    stability=stability_view,
    basins=basins_view,
    range=range_view,
    fan=fan_view,
    leaderboard=leaderboard_view,
    tune=tune_view,
    explain=explain_view,
)
