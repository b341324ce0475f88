"""Loss Landscape Lab: watch optimizers descend 2-D loss surfaces, side by side.

Thin UI: widgets and the URL hold a Scene; the engine runs it; charts draw it; the player
animates it in the browser. No maths and no jitted functions here.
"""

from __future__ import annotations

import functools
import json
import math
import re

import numpy as np
import streamlit as st

import landscapes
import network_view
import optimizers
import scenes
from charts import editor, landscape, player
from scenes import state as widget_state

st.set_page_config(page_title="Loss Landscape Lab", page_icon="⛰️", layout="wide")
KIND_TITLES = {"bowl": "Bowls", "valley": "Ravines and valleys", "saddle": "Saddles", "plateau": "Plateaus",
               "cliff": "Cliffs", "many_minima": "Many minima", "model": "Models on data", "custom": "Custom"}  # fmt: skip


@st.cache_data(max_entries=64, show_spinner=False)
def scene_spec(scene_json: str, n_series: int) -> player.PreparedSpec:
    """The player's Vega-Lite specs for a scene's surface and layout (cached: the key holds only
    what the picture depends on, not the optimizers, so hyperparameter changes hit the cache)."""
    scene = scenes.from_dict(json.loads(scene_json))
    return player.prepare(landscape.scene_specs(scene.surface_object(), scene.layout, n_series))


@st.cache_data(max_entries=256, show_spinner=False)
def trajectories(scene_json: str):
    """Runs a scene (cached and shared across sessions: equal scenes give equal arrays)."""
    scene = scenes.from_dict(json.loads(scene_json))
    specs = [row.spec() for row in scene.rows]
    return optimizers.run(
        scene.surface_object(), specs, scene.start_point(), scene.steps, scene.noise, scene.seed
    )


@st.cache_data(show_spinner=False)
def preset_titles() -> dict[str, str]:
    return {name: scenes.presets.load(name)[0]["title"] for name in scenes.presets.names()}


@st.cache_data(show_spinner=False)
def surface_titles() -> dict[str, str]:
    """'Kind · Title' for every surface, in teaching order of kinds."""
    kind_of = {n: landscapes.get(n).kind for n in landscapes.names()}
    order = sorted(landscapes.names(), key=lambda n: (landscapes.KINDS.index(kind_of[n]), n))
    titles = {n: f"{KIND_TITLES[kind_of[n]]} · {landscapes.get(n).title}" for n in order}
    return {**titles, scenes.FORMULA: f"{KIND_TITLES['custom']} · your own formula f(x, y)"}


def load_scene(scene: scenes.Scene) -> None:
    """Put a scene into the widgets (new row ids, so no widget keeps a stale value)."""
    first = st.session_state.get("next_row_id", 0)
    ids = list(range(first, first + len(scene.rows)))
    st.session_state.next_row_id = first + len(ids)
    st.session_state.update(widget_state.to_state(scene, ids))


def plain(text: str) -> str:
    """`text` shown literally by Streamlit's Markdown elements: a label or a value from a link
    can't become a link (bare URLs included), an image (a request to another site) or formatting."""
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))
    return re.sub(r"(?i)(://|www)", "\\1\u2060", escaped)  # a word joiner: no bare-URL autolinks either


def first_visit() -> None:
    """On a session's first run, read the link; bad values fall back with a notice. A scene
    handed over by the network page (its loss slice) replaces the current one."""
    if pending := st.session_state.pop("pending_scene", None):
        load_scene(scenes.from_dict(pending))
        return
    if "row_ids" in st.session_state:
        return
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    scene, notices = scenes.from_query(query) if query else (scenes.Scene(), [])
    st.session_state.link_notices = notices
    load_scene(scene)


def apply_preset() -> None:
    name = st.session_state.get("preset")
    if name:
        _, scene, notices = scenes.presets.load(name)
        st.session_state.link_notices = notices
        load_scene(scene)


def number(label, key, param, **kwargs):
    """A number field bounded by a Param's range."""
    return st.number_input(label, min_value=float(param.low), max_value=float(param.high), key=key,
                           format="%g", help=param.help or None, **kwargs)  # fmt: skip


def sidebar() -> None:
    with st.sidebar:
        st.title("Loss Landscape Lab")
        titles = preset_titles()
        st.selectbox("Preset", [None, *titles], format_func=lambda n: titles.get(n, "— choose a preset —"),
                     key="preset", on_change=apply_preset)  # fmt: skip
        surfaces = surface_titles()
        st.selectbox("Surface", list(surfaces), key="surface", format_func=surfaces.get)
        if st.session_state.surface == scenes.FORMULA:
            formula_inputs()
        surface = widget_state.from_state(st.session_state)[0].base_surface()
        st.latex(surface.latex)
        st.caption(surface.note)
        for name, param in surface.param_specs.items():
            key = f"sp.{name}"
            st.session_state.setdefault(key, float(param.default))
            if param.toggle:  # a switch, kept as 0.0 / 1.0 like every surface parameter
                st.session_state[key] = float(
                    st.toggle(name, value=bool(st.session_state[key]), help=param.help)
                )
            else:
                number(name, key, param)
        with st.expander("Regularization (L1 / L2)"):
            st.number_input("L1 strength λ₁", 0.0, 10.0, key="l1", format="%g", step=1e-3)
            st.number_input("L2 strength λ₂", 0.0, 10.0, key="l2", format="%g", step=1e-3)
        (x0, x1), (y0, y1) = surface.domain
        for axis, low, high in (("x", x0, x1), ("y", y0, y1)):
            key = f"start_{axis}"
            st.session_state[key] = float(np.clip(st.session_state.get(key, 0.0), low, high))
            st.number_input(f"start {axis}", float(low), float(high), key=key, format="%g",
                            help="or click the plot")  # fmt: skip
        st.number_input("steps", 1, scenes.MAX_STEPS, key="steps", step=50)
        st.number_input("gradient noise σ (batch noise)", 0.0, 100.0, key="noise", format="%g",
                        help="Gaussian noise of scale σ/√batch added to every gradient")  # fmt: skip
        st.number_input("seed", 0, 2**31 - 1, key="seed")
        st.radio("layout", scenes.scene.LAYOUTS, key="layout", horizontal=True,
                 format_func={"overlay": "overlay", "side": "side by side"}.get)  # fmt: skip


FIRST_FORMULA = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"


def formula_inputs() -> None:
    """The formula box and its domain. A formula that does not parse is shown with where it
    went wrong, and the last good one keeps drawing."""
    if not st.session_state.get("formula"):
        st.session_state.formula = st.session_state.formula_text = FIRST_FORMULA
    st.text_input("f(x, y) =", key="formula_text", max_chars=landscapes.formula.MAX_LENGTH, on_change=take_formula,
                  help="numbers, x, y, pi, e, + - * / ^ ( ) and " + ", ".join(sorted(landscapes.formula.FUNCTIONS)))  # fmt: skip
    if error := st.session_state.get("formula_error"):
        text, column = error
        st.error(f"Not used, the previous formula stays: {plain(text)}")
        st.code(f"{st.session_state.formula_text}\n{' ' * column}^", language=None)
    left, right = st.columns(2)
    labels = ("x from", "x to", "y from", "y to")
    for column, key, label in zip((left, right) * 2, widget_state.DOMAIN_KEYS, labels, strict=True):
        column.number_input(label, -scenes.scene.MAX_DOMAIN, scenes.scene.MAX_DOMAIN, key=key, format="%g")


def take_formula() -> None:
    """Use the typed formula if it parses; otherwise keep the previous one and say why."""
    text = st.session_state.formula_text
    try:
        landscapes.formula.parse(text)
    except landscapes.FormulaError as error:
        st.session_state.formula_error = (str(error), error.column)
        return
    st.session_state.formula = text.strip()
    st.session_state.pop("formula_error", None)


def rows_editor(scene: scenes.Scene, labels: list[str]) -> None:
    """The optimizer rows as one component (a rerun stays small), then the full settings of
    each row whose "more" is on; hidden settings keep their values (see `keep`)."""
    ids = st.session_state.row_ids
    rows = [
        {"id": row_id, "name": row.name, "label": row.label, "placeholder": label, "color": color,
         "lr": float(row.spec().hyper["learning_rate"]), "more": bool(st.session_state.get(f"row{row_id}.more"))}
        for row_id, row, label, color in zip(ids, scene.rows, labels, scene.colors(), strict=True)
    ]  # fmt: skip
    choices = [(name, entry.title) for name, entry in optimizers.CATALOG.items()]
    editor.mount(rows, choices, scenes.MAX_ROWS, on_edit=edit_row, on_action=row_action)
    for row, row_id in zip(rows, ids, strict=True):
        p = widget_state.row_keys(row_id)
        entry = optimizers.entry(row["name"])
        if row["more"]:
            with st.container(border=True):
                st.markdown(f"**{plain(row['label'] or row['placeholder'])}** — every setting")
                advanced_settings(p, entry)
        else:
            keep(
                widget_state.advanced_keys(
                    row_id, entry.name, st.session_state.get(f"{p}schedule", "constant")
                )
            )


def edit_row(edit) -> None:
    if not widget_state.apply_edit(st.session_state, edit):
        st.session_state.edit_notice = "The row editor sent an edit that was not understood; nothing changed."


def row_action(action) -> None:
    """Add, or duplicate / triple / remove a row, as the row editor asked."""
    ids = st.session_state.row_ids
    if not isinstance(action, dict):
        return
    if action.get("act") == "add":
        add_row()
    elif action.get("id") in ids and type(action.get("id")) is int:
        act = {"duplicate": duplicate_row, "three": three_rates, "remove": remove_row}.get(action.get("act"))
        if act:
            act(ids.index(action["id"]))


def keep(keys) -> None:
    """Hold on to the values of widgets not drawn in this run (Streamlit would drop them)."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def advanced_settings(p: str, entry) -> None:
    """A row's other hyperparameters, schedule, interventions and the rule that runs."""
    cols = st.columns(4)
    others = [(name, param) for name, param in entry.hyper.items() if name != "learning_rate"]
    for i, (hyper, param) in enumerate(others):
        st.session_state.setdefault(f"{p}h.{hyper}", float(param.default))
        with cols[i % 4]:
            number(hyper.replace("_", " "), f"{p}h.{hyper}", param)
    kinds = [k for k in optimizers.schedules.KINDS if k != "warmup"]
    kind = st.selectbox("learning-rate schedule", kinds, key=f"{p}schedule")
    sched_cols = st.columns(3)
    for i, (param_name, param) in enumerate(optimizers.schedules.PARAMS[kind].items()):
        st.session_state.setdefault(f"{p}s.{param_name}", float(param.default))
        with sched_cols[i % 3]:
            number(param_name.replace("_", " "), f"{p}s.{param_name}", param)
    option_cols = st.columns(3)
    for i, option in enumerate(("clip_norm", "clip_value")):
        with option_cols[i]:
            st.session_state.setdefault(f"{p}{option}", 1.0)
            if st.checkbox(option.replace("_", " by "), key=f"{p}{option}_on"):
                number("c", f"{p}{option}", optimizers.OPTIONS[option])
    with option_cols[2]:
        st.session_state.setdefault(f"{p}line_search", False)
        st.checkbox("Armijo line search", key=f"{p}line_search")
    for i, option in enumerate(("weight_decay", "batch_size")):
        st.session_state.setdefault(f"{p}{option}", float(optimizers.OPTIONS[option].default))
        with option_cols[i]:
            number(option.replace("_", " "), f"{p}{option}", optimizers.OPTIONS[option])
    st.latex(entry.latex)
    st.caption(f"Defaults: {entry.defaults}")


def _rows_now() -> list:
    scene, _ = widget_state.from_state(st.session_state)
    return list(scene.rows)


def _set_rows(rows) -> None:
    scene, _ = widget_state.from_state(st.session_state)
    load_scene(scenes.Scene(**{**scene.__dict__, "rows": tuple(rows[: scenes.MAX_ROWS])}))


def duplicate_row(index: int) -> None:
    rows = _rows_now()
    _set_rows(rows[: index + 1] + [rows[index]] + rows[index + 1 :])


def remove_row(index: int) -> None:
    rows = _rows_now()
    if len(rows) > 1:
        _set_rows(rows[:index] + rows[index + 1 :])


def add_row() -> None:
    _set_rows([*_rows_now(), scenes.Row("adam", {"learning_rate": 0.01})])


def three_rates(index: int) -> None:
    """The course's exercise in one click: the row at lr ÷ 10, lr and lr × 10."""
    rows = _rows_now()
    row = rows[index]
    lr = row.hyper.get("learning_rate", optimizers.entry(row.name).hyper["learning_rate"].default)
    trio = [scenes.Row(**{**row.__dict__, "hyper": {**row.hyper, "learning_rate": lr * f}, "label": "", "color": ""})
            for f in (0.1, 1.0, 10.0)]  # fmt: skip
    _set_rows(rows[:index] + trio + rows[index + 1 :])


def move_start(x, y) -> None:
    """A click on the plot: the start goes there (clamped to the domain by the sidebar)."""
    if isinstance(x, int | float) and isinstance(y, int | float) and math.isfinite(x) and math.isfinite(y):
        st.session_state.start_x, st.session_state.start_y = float(f"{x:.4g}"), float(f"{y:.4g}")
        st.session_state.start_moved = True


def show(scene: scenes.Scene) -> list[str]:
    """Run the scene and mount the player (a click on the plot moves the start); the runs' labels."""
    surface = scene.surface_object()
    picture = {
        k: v for k, v in scene.to_dict().items() if k not in ("rows", "start", "steps", "noise", "seed")
    }
    spec = scene_spec(json.dumps(picture, sort_keys=True), len(scene.rows))
    result = trajectories(json.dumps(scene.to_dict(), sort_keys=True))
    box = optimizers.divergence_box(surface.domain)  # every point of a path lies inside it
    player.mount(spec, result, box, result.labels, scene.colors(), on_start=move_start)
    for label, step in zip(result.labels, result.diverged_at, strict=True):
        if step >= 0:
            st.warning(
                f"{plain(label)} diverged at step {int(step)}: the run left the picture or its loss overflowed."
            )
    return list(result.labels)


def main() -> None:
    first_visit()
    sidebar()
    for notice in st.session_state.pop("link_notices", []):
        st.info(f"Ignored in the link or preset — {plain(notice)}")
    for notice in widget_state.from_state(st.session_state)[1]:
        st.info(plain(notice))
    workbench()


@st.fragment
def workbench() -> None:
    """The player and the optimizer rows: a change to a row reruns only this part of the page."""
    if st.session_state.pop("start_moved", False):
        st.rerun()  # the start lives in the sidebar: redraw the whole page once
    scene, _ = widget_state.from_state(st.session_state)
    labels = show(scene)
    st.subheader("Optimizers")
    rows_editor(scene, labels)
    if notice := st.session_state.pop("edit_notice", None):
        st.warning(notice)
    share(scene)
    export_menu(scene)


EXPORTS = (("gif", "Animation (GIF)", "image/gif"), ("png", "Last frame (PNG)", "image/png"),
           ("svg", "Last frame (SVG)", "image/svg+xml"), ("csv", "Trajectories (CSV)", "text/csv"),
           ("json", "Scene and trajectories (JSON)", "application/json"))  # fmt: skip


def export_menu(scene: scenes.Scene) -> None:
    """Download buttons; each file is made only when its button is clicked."""
    with st.popover("Export", icon=":material/download:"):
        for fmt, label, mime in EXPORTS:
            st.download_button(label, data=functools.partial(scenes.export.render, scene, fmt), mime=mime,
                               file_name=f"loss-landscape.{fmt}", key=f"export.{fmt}", on_click="ignore")  # fmt: skip


def share(scene: scenes.Scene) -> None:
    """Keep the scene in the URL and offer the link."""
    query = scenes.to_query(scene)
    if {k: st.query_params.get_all(k) for k in st.query_params} != {
        k: v if isinstance(v, list) else [v] for k, v in query.items()
    }:
        st.query_params.from_dict(query)
    st.caption("Share this scene: copy the link below (it reproduces the picture exactly, seed included).")
    st.code(f"{(st.context.url or '').split('?')[0]}?{scenes.query_string(scene)}", language=None)


VIEWS = {"surfaces": "Optimizers on surfaces", "network": "A network on data"}


def app() -> None:
    """Two views: optimizers on 2-D surfaces (the main one), and the Playground network
    (`?view=network` opens it)."""
    st.session_state.setdefault("view", "network" if st.query_params.get("view") == "network" else "surfaces")
    if st.sidebar.radio("View", list(VIEWS), format_func=VIEWS.get, key="view") == "network":
        network_view.page()
    else:
        main()


app()
