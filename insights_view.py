"""The insight views: the current scene's surface and rows examined in whole sweeps — rates,
rate × momentum, start points, the LR range test, seeded noise, a leaderboard, tuned rates,
and one run's internals step by step. Thin UI: `optimizers.insight` computes, `charts.insight`
draws; each computation is cached and shared across sessions.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

import optimizers
import scenes
from charts import insight as charts
from i18n import Message
from optimizers import insight, rules
from page import hold_scene, keep_link, lang, plain, shown, titles, tr, trajectories
from scenes import state as widget_state

TOOLS = ("sweep", "stability", "basins", "range", "fan", "leaderboard", "tune", "explain")


def _scene(scene_json: str) -> scenes.Scene:
    return scenes.from_dict(json.loads(scene_json))


def _spec(scene_json: str, row: int):
    return _scene(scene_json).rows[row].spec()


@st.cache_data(max_entries=64, show_spinner=False)
def rate_sweep(scene_json: str, row: int, n: int):
    scene = _scene(scene_json)
    surface = scene.surface_object()
    rates = insight.rate_grid(surface, n)
    return insight.rate_sweep(
        surface, _spec(scene_json, row), scene.start_point(), scene.steps, rates, scene.noise, scene.seed
    )


@st.cache_data(max_entries=16, show_spinner=False)
def stability(scene_json: str, row: int, n_rates: int, n_betas: int):
    scene = _scene(scene_json)
    surface = scene.surface_object()
    rates, betas = insight.rate_grid(surface, n_rates), np.linspace(0.0, 0.99, n_betas)
    return insight.stability_map(surface, _spec(scene_json, row), scene.start_point(), scene.steps, rates, betas,
                                 scene.noise, scene.seed)  # fmt: skip


@st.cache_data(max_entries=16, show_spinner=False)
def basins(scene_json: str, row: int, n: int):
    scene = _scene(scene_json)
    return insight.basins(
        scene.surface_object(), _spec(scene_json, row), scene.steps, n, scene.noise, scene.seed
    )


@st.cache_data(max_entries=16, show_spinner=False)
def range_test(scene_json: str, row: int, start_lr: float, end_lr: float):
    scene = _scene(scene_json)
    return insight.range_test(scene.surface_object(), _spec(scene_json, row), scene.start_point(), scene.steps,
                              start_lr, end_lr, scene.noise, scene.seed)  # fmt: skip


@st.cache_data(max_entries=16, show_spinner=False)
def noise_fans(scene_json: str, rows: tuple[int, ...], noise: float, seeds: int):
    scene = _scene(scene_json)
    specs = [_spec(scene_json, row) for row in rows]
    return insight.noise_fans(scene.surface_object(), specs, scene.start_point(), scene.steps, noise, seeds)


@st.cache_data(max_entries=16, show_spinner=False)
def internals(scene_json: str, row: int):
    scene = _scene(scene_json)
    return insight.internals(scene.surface_object(), _spec(scene_json, row), scene.start_point(), scene.steps,
                             scene.noise, scene.seed)  # fmt: skip


def page() -> None:
    scene = hold_scene()
    scene_json = json.dumps(scene.to_dict(), sort_keys=True)
    st.title(tr("view.insights"))
    st.caption(tr("insight.intro"))
    labels = scene.shown_labels([row.spec().labels()[0] for row in scene.rows], lang())
    if "insight" not in st.session_state:
        st.session_state.insight = linked_tool()
    tool = st.radio(
        tr("insight.tool"), TOOLS, horizontal=True, key="insight", format_func=titles("insight.tool.")
    )
    keep_link({**scenes.to_query(scene), "tool": tool})
    if notice := st.session_state.pop("insight_notice", None):
        st.success(notice)
    {"sweep": sweep_view, "stability": stability_view, "basins": basins_view, "range": range_view, "fan": fan_view,
     "leaderboard": leaderboard_view, "tune": tune_view, "explain": explain_view}[tool](scene, scene_json, labels)  # fmt: skip


def linked_tool() -> str:
    """The tool a link names (`?view=insights&tool=stability`); an unknown one gets a notice."""
    asked = st.query_params.get("tool")
    if asked is None or asked in TOOLS:
        return asked or TOOLS[0]
    message = Message("notice.not_one_of", name="tool", value=repr(asked[:30]), choices=", ".join(TOOLS),
                      default=TOOLS[0])  # fmt: skip
    st.info(tr("notice.ignored", notice=shown(message)))
    return TOOLS[0]


def with_progress(items, work):
    """`work(item)` for each item under a progress bar; a changed input stops the run between items."""
    bar = st.progress(0.0, text=tr("insight.working"))
    results = []
    for done, item in enumerate(items, start=1):
        results.append(work(item))
        bar.progress(done / len(items), text=tr("insight.working"))
    bar.empty()
    return results


def set_rate(scene: scenes.Scene, row: int, rate: float, label: str) -> None:
    """Give row `row` the learning rate `rate` (clamped to the optimizer's range)."""
    key = f"{widget_state.row_keys(st.session_state.row_ids[row])}h.learning_rate"
    param = optimizers.entry(scene.rows[row].name).hyper["learning_rate"]
    st.session_state[key] = float(min(max(rate, param.low), param.high))
    st.session_state.insight_notice = tr(
        "insight.rate_set", label=plain(label), rate=f"{st.session_state[key]:.4g}"
    )


def sweep_view(scene, scene_json, labels) -> None:
    n = st.select_slider(tr("insight.rates"), [200, 400, 1000, 2000], value=400, key="sweep_n")
    sweeps = with_progress(range(len(scene.rows)), lambda i: rate_sweep(scene_json, i, n))
    names = [tr(f"insight.region.{r}") for r in ("small", "good", "diverges")]
    chart = charts.rate_sweep(dict(zip(labels, sweeps, strict=True)), scene.colors(), names,
                              scene.surface_object().f_min, lang())  # fmt: skip
    event = st.altair_chart(chart, on_select="rerun", key="sweep_chart", selection_mode="pick")
    st.caption(tr("insight.sweep_note", steps=scene.steps))
    picked = (event.selection.get("pick") or [None])[0] if event else None
    if picked and picked.get("row") in labels and st.session_state.get("sweep_applied") != picked:
        st.session_state.sweep_applied = picked
        set_rate(scene, labels.index(picked["row"]), float(picked["rate"]), picked["row"])
        st.rerun()


def stability_view(scene, scene_json, labels) -> None:
    rows = [i for i, row in enumerate(scene.rows) if "momentum" in optimizers.entry(row.name).hyper]
    if not rows:
        st.info(tr("insight.need_momentum"))
        return
    row = st.selectbox(tr("insight.row"), rows, format_func=lambda i: labels[i], key="stability_row")
    result = with_progress([row], lambda i: stability(scene_json, i, 80, 40))[0]
    st.altair_chart(charts.stability_map(result, lang()))
    if result.lam_max is not None:
        st.caption(tr("insight.stability_quadratic", lam=f"{result.lam_max:.4g}", lr=f"{result.optimum[0]:.4g}",
                      beta=f"{result.optimum[1]:.3f}"))  # fmt: skip
    else:
        st.caption(tr("insight.stability_note"))


def basins_view(scene, scene_json, labels) -> None:
    n = st.select_slider(tr("insight.grid"), [100, 200, 300], value=200, key="basins_n")
    results = with_progress(range(len(scene.rows)), lambda i: basins(scene_json, i, n))
    if results[0].steps < scene.steps:
        st.info(tr("insight.basins_cut", steps=results[0].steps, budget=f"{insight.BASIN_BUDGET:,}"))
    columns = st.columns(min(len(results), 3))
    for i, (result, label) in enumerate(zip(results, labels, strict=True)):
        columns[i % len(columns)].image(charts.basin_picture(result), caption=label)
    swatches = [f"<span style='color:{charts.BASIN_COLORS[k % len(charts.BASIN_COLORS)]}'>■</span> ({x:.3g}, {y:.3g})"
                for k, (x, y) in enumerate(results[0].minima)]  # fmt: skip
    st.markdown(" · ".join(swatches + [tr("insight.basin_other")]), unsafe_allow_html=True)


def range_view(scene, scene_json, labels) -> None:
    left, middle, right = st.columns(3)
    row = left.selectbox(
        tr("insight.row"), range(len(labels)), format_func=labels.__getitem__, key="range_row"
    )
    start_lr = middle.number_input(
        tr("schedule_param.start_lr"), 1e-8, 1.0, 1e-6, format="%g", key="range_lo"
    )
    end_lr = right.number_input(tr("schedule_param.end_lr"), 1e-6, 1e3, 10.0, format="%g", key="range_hi")
    result = with_progress([row], lambda i: range_test(scene_json, i, start_lr, max(end_lr, start_lr * 10)))[
        0
    ]
    st.altair_chart(charts.range_test(result, lang()))
    st.caption(tr("insight.range_note", rate=f"{result.suggestion:.3g}"))
    st.button(tr("insight.apply", rate=f"{result.suggestion:.3g}", label=labels[row]), key="range_apply",
              on_click=set_rate, args=(scene, row, result.suggestion, labels[row]))  # fmt: skip


def fan_view(scene, scene_json, labels) -> None:
    left, middle, right = st.columns(3)
    rows = left.multiselect(tr("insight.rows"), range(len(labels)), default=range(len(labels)),
                            format_func=labels.__getitem__, key="fan_rows")  # fmt: skip
    noise = middle.number_input(
        tr("sidebar.noise"), 0.01, 100.0, scene.noise or 1.0, format="%g", key="fan_noise"
    )
    seeds = right.slider(tr("insight.seeds"), 4, insight.MAX_SEEDS, insight.FAN_SEEDS, key="fan_seeds")
    if not rows:
        st.info(tr("insight.pick_rows"))
        return
    fans = with_progress([tuple(rows)], lambda chosen: noise_fans(scene_json, chosen, noise, seeds))[0]
    shown, colors = [labels[i] for i in rows], [scene.colors()[i] for i in rows]
    st.altair_chart(charts.noise_fans(scene.surface_object(), shown, fans, colors, lang()))
    st.caption(tr("insight.fan_note", seeds=seeds))


def leaderboard_view(scene, scene_json, labels) -> None:
    t = trajectories(scene_json)
    rows = insight.leaderboard(t._replace(labels=labels), scene.surface_object(), scene.start_point())
    table = pd.DataFrame(rows).rename(columns={k: tr(f"insight.column.{k}") for k in rows[0]})
    st.dataframe(table, hide_index=True)
    st.download_button(tr("export.csv"), table.to_csv(index=False).encode("utf-8"), "leaderboard.csv", "text/csv",
                       key="leaderboard_csv", on_click="ignore")  # fmt: skip
    st.caption(tr("insight.leaderboard_note"))


def tune_view(scene, scene_json, labels) -> None:
    st.caption(tr("insight.tune_note", steps=scene.steps))
    if not st.button(tr("insight.tune"), key="tune"):
        return
    sweeps = with_progress(range(len(scene.rows)), lambda i: rate_sweep(scene_json, i, 400))
    for i, (sweep, label) in enumerate(zip(sweeps, labels, strict=True)):
        set_rate(scene, i, sweep.best(), label)
    st.session_state.insight_notice = tr("insight.tuned", rates=", ".join(
        f"{plain(label)} → {sweep.best():.3g}" for label, sweep in zip(labels, sweeps, strict=True)))  # fmt: skip
    st.rerun()


def explain_view(scene, scene_json, labels) -> None:
    left, right = st.columns([1, 2])
    row = left.selectbox(
        tr("insight.row"), range(len(labels)), format_func=labels.__getitem__, key="explain_row"
    )
    t, series = internals(scene_json, row)
    k = right.slider(tr("insight.step"), 0, scene.steps - 1, 0, key="explain_step")
    st.altair_chart(
        charts.internals({tr(f"insight.series.{name}"): values for name, values in series.items()}, lang())
    )
    numbers = insight.explain(t, k)
    spec_row = scene.rows[row]
    st.latex(rules.rule(spec_row.name, spec_row.hyper))
    vector = lambda v: rf"\begin{{pmatrix}}{v[0]:.4g}\\ {v[1]:.4g}\end{{pmatrix}}"  # noqa: E731
    st.latex(rf"\theta_{{{k + 1}}} = \theta_{{{k}}} + u_{{{k}}} = {vector(numbers['theta'])} + {vector(numbers['update'])}"
             rf" = {vector(numbers['next'])}")  # fmt: skip
    facts = {tr("insight.fact.grad"): numbers["grad"], tr("insight.fact.lr"): numbers["lr"],
             tr("insight.fact.loss"): f"{numbers['loss']:.5g} → {numbers['next_loss']:.5g}",
             **{name: value for name, value in numbers["state"].items()}}  # fmt: skip
    st.dataframe(pd.DataFrame({"": list(facts), "=": [np.array2string(np.asarray(v), precision=4) if not isinstance(v, str)
                                                      else v for v in facts.values()]}), hide_index=True)  # fmt: skip
    st.caption(tr("insight.explain_note"))
