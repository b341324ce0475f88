"""Loss Landscape Lab: watch optimizers descend 2-D loss surfaces, side by side.

Thin UI: widgets and the URL hold a Scene; the engine runs it; charts draw it; the player
animates it in the browser. No maths and no jitted functions here.
"""

from __future__ import annotations

import functools
import json
import math

import numpy as np
import streamlit as st

import i18n
import insights_view
import landscapes
import lecture
import network_view
import optimizers
import scenes
from charts import background, code, editor, landscape, player
from optimizers import insight
from page import (
    current_view,
    first_visit,
    lang,
    load_scene,
    named,
    plain,
    shown,
    shows,
    titles,
    tr,
    trajectories,
)
from scenes import rows as scene_rows
from scenes import state as widget_state

st.set_page_config(page_title="Loss Landscape Lab", page_icon="⛰️", layout="wide")
EDITOR_WORDS = ("color", "optimizer", "label", "label_title", "lr", "lr_title", "lr_log", "lr_log_title", "duplicate",
                "duplicate_title", "three", "three_title", "remove", "remove_title", "more", "more_title", "add")  # fmt: skip


@st.cache_data(max_entries=64, show_spinner=False)
def scene_spec(scene_json: str, n_series: int, size: int, language: str) -> player.PreparedSpec:
    """The player's Vega-Lite specs for a scene's surface and layout (cached: the key holds only
    what the picture depends on, not the optimizers, so hyperparameter changes hit the cache)."""
    scene = scenes.from_dict(json.loads(scene_json))
    specs = landscape.scene_specs(scene.surface_object(), scene.layout, n_series, size, language)
    return player.prepare(specs)


@st.cache_data(max_entries=64, show_spinner=False)
def surface_mesh(picture_json: str) -> dict:
    """The 3-D view's height grid for a scene's surface (cached like the specs)."""
    return background.mesh(scenes.from_dict(json.loads(picture_json)).surface_object())


@st.cache_data(show_spinner=False)
def preset_titles(language: str) -> dict[str, str]:
    return {name: i18n.text(f"preset.{name}.title", language, english=scenes.presets.load(name)[0]["title"])
            for name in scenes.presets.names()}  # fmt: skip


@st.cache_data(show_spinner=False)
def surface_titles(language: str) -> dict[str, str]:
    """'Kind · Title' for every surface, in teaching order of kinds, in `language`."""
    surfaces = {n: landscapes.get(n) for n in landscapes.names()}
    order = sorted(surfaces, key=lambda n: (landscapes.KINDS.index(surfaces[n].kind), n))
    word = functools.partial(i18n.text, lang=language)
    named_surfaces = {n: f"{word(f'kind.{surfaces[n].kind}')} · {word(f'surface.{n}.title', english=surfaces[n].title)}"
                      for n in order}  # fmt: skip
    return {**named_surfaces, scenes.FORMULA: f"{word('kind.custom')} · {word('formula.own')}"}


def apply_preset() -> None:
    name = st.session_state.get("preset")
    if name:
        _, scene, notices = scenes.presets.load(name)
        st.session_state.link_notices = notices
        load_scene(scene)


def number(label, key, param, help_text=None):
    """A number field bounded by a Param's range."""
    return st.number_input(label, min_value=float(param.low), max_value=float(param.high), key=key,
                           format="%g", help=help_text or None)  # fmt: skip


SIDEBAR_KEYS = {"preset": ["preset"], "surface": ["surface", "formula_text", *widget_state.DOMAIN_KEYS],
                "regularization": ["l1", "l2"], "start": ["start_x", "start_y"], "steps": ["steps"],
                "noise": ["noise"], "seed": ["seed"], "layout": ["layout"]}  # fmt: skip


def sidebar() -> None:
    """Settings of the scene; a control the link hides keeps its value (see `keep`)."""
    with st.sidebar:
        st.title("Loss Landscape Lab")
        if shows("preset"):
            presets, choose = preset_titles(lang()), tr("sidebar.choose_preset")
            st.selectbox(tr("sidebar.preset"), [None, *presets], key="preset", on_change=apply_preset,
                         format_func=lambda name: presets.get(name, choose))  # fmt: skip
            if st.session_state.get("preset") in presets:
                name = st.session_state.preset
                st.caption(named("preset", name, "note", scenes.presets.load(name)[0]["note"]))
        surface = widget_state.from_state(st.session_state)[0].base_surface()
        if shows("surface"):
            surface = surface_settings()
        if shows("regularization"):
            with st.expander(tr("sidebar.regularization")):
                st.number_input(tr("sidebar.l1"), 0.0, 10.0, key="l1", format="%g", step=1e-3)
                st.number_input(tr("sidebar.l2"), 0.0, 10.0, key="l2", format="%g", step=1e-3)
        (x0, x1), (y0, y1) = surface.domain
        for axis, low, high in (("x", x0, x1), ("y", y0, y1)):
            key = f"start_{axis}"
            st.session_state[key] = float(np.clip(st.session_state.get(key, 0.0), low, high))
            if shows("start"):
                st.number_input(tr("sidebar.start", axis=axis), float(low), float(high), key=key, format="%g",
                                help=tr("sidebar.start_help"))  # fmt: skip
        if shows("steps"):
            st.number_input(tr("sidebar.steps"), 1, scenes.MAX_STEPS, key="steps", step=50)
        if shows("noise"):
            st.number_input(
                tr("sidebar.noise"), 0.0, 100.0, key="noise", format="%g", help=tr("sidebar.noise_help")
            )
        if shows("seed"):
            st.number_input(tr("sidebar.seed"), 0, 2**31 - 1, key="seed")
        if shows("layout"):
            st.radio(tr("sidebar.layout"), scenes.scene.LAYOUTS, key="layout", horizontal=True,
                     format_func=titles("sidebar.layout."))  # fmt: skip
        st.toggle(tr("present.toggle"), key="present", help=tr("present.help"))
        keep(key for control, keys in SIDEBAR_KEYS.items() if not shows(control) for key in keys)
        if not shows("surface"):
            keep([key for key in st.session_state if str(key).startswith("sp.")])


def surface_settings() -> landscapes.Surface:
    """The surface menu, a typed formula, the surface's formula, note and parameters."""
    surfaces = surface_titles(lang())
    st.selectbox(tr("sidebar.surface"), list(surfaces), key="surface", format_func=surfaces.get)
    if st.session_state.surface == scenes.FORMULA:
        formula_inputs()
    surface = widget_state.from_state(st.session_state)[0].base_surface()
    st.latex(surface.latex)
    name = st.session_state.surface
    st.caption(named("surface", name, "note", surface.note))
    for param_name, param in surface.param_specs.items():
        key = f"sp.{param_name}"
        st.session_state.setdefault(key, float(param.default))
        help_text = named("surface", name, f"param.{param_name}", param.help) if param.help else None
        if param.toggle:  # a switch, kept as 0.0 / 1.0 like every surface parameter
            st.session_state[key] = float(
                st.toggle(param_name, value=bool(st.session_state[key]), help=help_text)
            )
        else:
            number(param_name, key, param, help_text)
    return surface


FIRST_FORMULA = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"


def formula_inputs() -> None:
    """The formula box and its domain. A formula that does not parse is shown with where it
    went wrong, and the last good one keeps drawing."""
    if not st.session_state.get("formula"):
        st.session_state.formula = st.session_state.formula_text = FIRST_FORMULA
    st.text_input("f(x, y) =", key="formula_text", max_chars=landscapes.formula.MAX_LENGTH, on_change=take_formula,
                  help=tr("formula.help", functions=", ".join(sorted(landscapes.formula.FUNCTIONS))))  # fmt: skip
    if error := st.session_state.get("formula_error"):
        message, column = error
        st.error(tr("formula.not_used", column=column + 1, error=shown(message)))
        st.code(f"{st.session_state.formula_text}\n{' ' * column}^", language=None)
    left, right = st.columns(2)
    labels = [tr(f"formula.{key}") for key in ("x_from", "x_to", "y_from", "y_to")]
    for column, key, label in zip((left, right) * 2, widget_state.DOMAIN_KEYS, labels, strict=True):
        column.number_input(label, -scenes.scene.MAX_DOMAIN, scenes.scene.MAX_DOMAIN, key=key, format="%g")


def take_formula() -> None:
    """Use the typed formula if it parses; otherwise keep the previous one and say why."""
    text = st.session_state.formula_text
    try:
        landscapes.formula.parse(text)
    except landscapes.FormulaError as error:
        st.session_state.formula_error = (error.message, error.column)
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
    choices = [
        (name, named("optimizer", name, "title", entry.title)) for name, entry in optimizers.CATALOG.items()
    ]
    hide = tuple(c for c in ("color", "optimizer", "label", "lr", "rows", "more") if not shows(c))
    words = {word: tr(f"editor.{word}") for word in EDITOR_WORDS}
    editor.mount(
        rows, choices, scenes.MAX_ROWS, on_edit=edit_row, on_action=row_action, text=words, hide=hide
    )
    for row, row_id in zip(rows, ids, strict=True):
        p = widget_state.row_keys(row_id)
        entry = optimizers.entry(row["name"])
        if row["more"] and shows("more"):
            with st.container(border=True):
                st.markdown(f"**{plain(row['label'] or row['placeholder'])}** — {tr('rows.every_setting')}")
                advanced_settings(p, entry)
        else:
            keep(
                widget_state.advanced_keys(
                    row_id, entry.name, st.session_state.get(f"{p}schedule", "constant")
                )
            )


def edit_row(edit) -> None:
    if not widget_state.apply_edit(st.session_state, edit, current_view().hidden):
        st.session_state.edit_notice = "rows.edit_not_understood"


def row_action(action) -> None:
    """Add, or duplicate / triple / remove a row, as the row editor asked."""
    ids, (scene, _) = st.session_state.row_ids, widget_state.from_state(st.session_state)
    if not isinstance(action, dict) or not shows("rows"):
        return
    if action.get("act") == "add":
        rows = scene_rows.add(scene.rows)
    elif type(action.get("id")) is int and action["id"] in ids and action.get("act") in scene_rows.ACTIONS:
        rows = scene_rows.ACTIONS[action["act"]](scene.rows, ids.index(action["id"]))
    else:
        return
    load_scene(scenes.Scene(**{**scene.__dict__, "rows": rows}))


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
            number(tr(f"hyper.{hyper}"), f"{p}h.{hyper}", param)
    kinds = [k for k in optimizers.schedules.KINDS if k != "warmup"]
    kind = st.selectbox(tr("rows.schedule"), kinds, key=f"{p}schedule",
                        format_func=titles("schedule.", ".title"))  # fmt: skip
    sched_cols = st.columns(3)
    for i, (param_name, param) in enumerate(optimizers.schedules.PARAMS[kind].items()):
        st.session_state.setdefault(f"{p}s.{param_name}", float(param.default))
        with sched_cols[i % 3]:
            help_text = named("schedule", kind, f"param.{param_name}", param.help) if param.help else None
            number(tr(f"schedule_param.{param_name}"), f"{p}s.{param_name}", param, help_text)
    option_cols = st.columns(3)
    for i, option in enumerate(("clip_norm", "clip_value")):
        with option_cols[i]:
            st.session_state.setdefault(f"{p}{option}", 1.0)
            if st.checkbox(tr(f"option.{option}"), key=f"{p}{option}_on"):
                number("c", f"{p}{option}", optimizers.OPTIONS[option], option_help(option))
    with option_cols[2]:
        st.session_state.setdefault(f"{p}line_search", False)
        st.checkbox(tr("option.line_search"), key=f"{p}line_search")
    for i, option in enumerate(("weight_decay", "batch_size")):
        st.session_state.setdefault(f"{p}{option}", float(optimizers.OPTIONS[option].default))
        with option_cols[i]:
            number(tr(f"option.{option}"), f"{p}{option}", optimizers.OPTIONS[option], option_help(option))
    st.latex(entry.latex)
    st.caption(tr("rows.defaults", defaults=named("optimizer", entry.name, "defaults", entry.defaults)))


def option_help(option: str) -> str:
    return named("option", option, "help", optimizers.OPTIONS[option].help)


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
    present = bool(st.session_state.get("present"))
    spec = scene_spec(json.dumps(picture, sort_keys=True), len(scene.rows), 700 if present else 520, lang())
    result = trajectories(json.dumps(scene.to_dict(), sort_keys=True))
    box = optimizers.divergence_box(surface.domain)  # every point of a path lies inside it
    extra = {"text": code.player_words(lang()), "present": present,
             "lookahead": [row.name == "nesterov" for row in scene.rows]}  # fmt: skip
    if st.session_state.get("view3d"):
        extra["mesh"] = surface_mesh(json.dumps(picture, sort_keys=True))
    parts = insight.decomposition(result) if st.session_state.get("parts") else None
    labels = scene.shown_labels(result.labels, lang())
    player.mount(spec, result, box, labels, scene.colors(), on_start=move_start, extra=extra, parts=parts)
    for label, step in zip(labels, result.diverged_at, strict=True):
        if step >= 0:
            st.warning(tr("run.diverged", label=plain(label), step=int(step)))
    return labels


def main() -> None:
    first_visit()
    lecture.presentation()
    sidebar()
    for notice in st.session_state.pop("link_notices", []):
        st.info(tr("notice.ignored", notice=shown(notice)))
    for notice in widget_state.from_state(st.session_state)[1]:
        st.info(shown(notice))
    workbench()


@st.fragment
def workbench() -> None:
    """The player and the optimizer rows: a change to a row reruns only this part of the page."""
    if st.session_state.pop("start_moved", False):
        st.rerun()  # the start lives in the sidebar: redraw the whole page once
    scene, _ = widget_state.from_state(st.session_state)
    left, right = st.columns(2)
    left.toggle(tr("parts.toggle"), key="parts", help=tr("parts.help"))
    right.toggle(tr("view3d.toggle"), key="view3d", help=tr("view3d.help"))
    labels = show(scene)
    st.subheader(tr("rows.title"))
    rows_editor(scene, labels)
    if notice := st.session_state.pop("edit_notice", None):
        st.warning(tr(notice))
    lecture.formula_panel(scene, labels)
    title = named("surface", scene.surface, "title", scene.surface_object().title)
    left, right = st.columns([4, 1])
    with left:
        lecture.share(scene)
    with right:
        lecture.export_menu(scene, f"Loss Landscape Lab · {title}")


VIEWS = ("surfaces", "insights", "network")


def app() -> None:
    """Three views: optimizers on 2-D surfaces (the main one), insights into the same scene
    (`?view=insights`), and the Playground network (`?view=network`). The language menu sits
    on top of the sidebar."""
    asked = st.query_params.get("view")
    st.session_state.setdefault("view", asked if asked in VIEWS else "surfaces")
    st.session_state.setdefault("lang", i18n.language(st.query_params.get("lang") or st.context.locale))
    with st.sidebar:
        if shows("lang"):
            st.selectbox("Language · 語言 · 语言", list(i18n.LANGS), key="lang", format_func=i18n.LANGS.get)
        if shows("view"):
            st.radio(tr("view.label"), VIEWS, key="view", format_func=titles("view."))
    {"surfaces": main, "insights": insights_view.page, "network": network_view.page}[st.session_state.view]()


app()
