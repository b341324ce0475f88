"""The main view: optimizers on a 2-D surface. The sidebar holds the scene's settings; the
workbench (a fragment, so a row change reruns only it) plays the runs and edits the rows."""

from __future__ import annotations

import streamlit as st

import landscapes
import optimizers
import scenes
from app import computed, lecture, rows_panel
from app import lab as labs
from app.session import (
    act,
    bounded_number,
    control,
    guarded,
    knob,
    lab,
    lang,
    named,
    param_title,
    plain,
    shown,
    shows,
    titles,
    tr,
)
from charts import player
from optimizers import insight
from scenes.scene import LAYOUTS, MAX_DOMAIN

PLAYER_SIZE = {False: 520, True: 700}  # px; presentation mode draws larger


def draw(place) -> None:
    """The surfaces view, its settings in `place` (the sidebar's slot)."""
    lecture.presentation()
    sidebar(place)
    draft_error()
    workbench()


def sidebar(place) -> None:
    """The scene's settings; a control the link hides is not drawn, so it can't change."""
    with place:
        st.title("Loss Landscape Lab")
        if shows("preset"):
            preset_menu()
        if shows("surface"):
            surface_settings()
        scene = lab().scene
        if shows("regularization"):
            with st.expander(tr("sidebar.regularization")):
                for key in ("l1", "l2"):
                    control(
                        st.number_input,
                        tr(f"sidebar.{key}"),
                        key,
                        float(getattr(scene, key)),
                        field_change(key),
                        min_value=0.0,
                        max_value=10.0,
                        format="%g",
                        step=1e-3,
                    )
        if shows("start"):
            start_fields()
        if shows("steps"):
            control(
                st.number_input,
                tr("sidebar.steps"),
                "steps",
                int(scene.steps),
                field_change("steps"),
                min_value=1,
                max_value=scenes.MAX_STEPS,
                step=50,
            )
        if shows("noise"):
            control(
                st.number_input,
                tr("sidebar.noise"),
                "noise",
                float(scene.noise),
                field_change("noise"),
                min_value=0.0,
                max_value=100.0,
                format="%g",
                help=tr("sidebar.noise_help"),
            )
        if shows("seed"):
            control(
                st.number_input,
                tr("sidebar.seed"),
                "seed",
                int(scene.seed),
                field_change("seed"),
                min_value=0,
                max_value=2**31 - 1,
            )
        if shows("layout"):
            control(
                st.radio,
                tr("sidebar.layout"),
                "layout",
                scene.layout,
                field_change("layout"),
                by_language=True,
                options=LAYOUTS,
                horizontal=True,
                format_func=titles("sidebar.layout."),
            )
        control(
            st.toggle,
            tr("present.toggle"),
            "present",
            lab().flags.present,
            labs.set_present,
            help=tr("present.help"),
        )


def field_change(name: str):
    return lambda now, value: labs.set_field(now, name, value)


def preset_menu() -> None:
    """The preset menu shows the preset while the scene is still it; once edited it shows
    none, so choosing that preset again brings it back (its note stays, for the lesson)."""
    presets, choose = computed.preset_titles(lang()), tr("sidebar.choose_preset")
    chosen = lab().preset
    unchanged = chosen in presets and lab().scene == scenes.presets.load(chosen)[1]
    control(
        st.selectbox,
        tr("sidebar.preset"),
        "preset",
        chosen if unchanged else None,
        labs.apply_preset,
        by_language=True,
        options=list(presets),
        format_func=presets.get,
        placeholder=choose,
    )
    if chosen in presets:
        st.caption(named("preset", chosen, "note", scenes.presets.load(chosen)[0]["note"]))


def surface_settings() -> None:
    """The surface menu, a typed formula, the surface's formula, note and parameters."""
    surfaces = computed.surface_titles(lang())
    scene = lab().scene
    control(
        st.selectbox,
        tr("sidebar.surface"),
        "surface",
        scene.surface,
        labs.set_surface,
        by_language=True,
        options=list(surfaces),
        format_func=surfaces.get,
    )
    if scene.surface == scenes.FORMULA:
        formula_inputs()
    surface = scene.base_surface()
    st.latex(surface.latex)
    st.caption(named("surface", scene.surface, "note", surface.note))
    for name, param in surface.param_specs.items():
        value = scene.surface_params.get(name, param.default)
        help_text = (
            named("surface", scene.surface, f"param.{name}", param.help) if param.help else None
        )
        key = f"sp.{scene.surface}.{name}"
        label = param_title(name)
        if param.toggle:  # a switch, kept as 0.0 / 1.0 like every surface parameter
            change = param_change(name, float)
            control(st.toggle, label, key, bool(value), change, help=help_text)
        else:
            bounded_number(label, key, value, param, param_change(name, float), help_text)


def param_change(name: str, kind):
    return lambda now, value: labs.set_surface_param(now, name, kind(value))


def formula_inputs() -> None:
    """The formula box and its domain. A formula that does not parse keeps its text in the box,
    and the last good one keeps drawing."""
    now = lab()
    text = now.draft if now.draft is not None else now.scene.formula
    max_chars = landscapes.formula.MAX_LENGTH
    functions = ", ".join(sorted(landscapes.formula.FUNCTIONS))
    control(
        st.text_input,
        "f(x, y) =",
        "formula",
        text,
        labs.set_formula,
        max_chars=max_chars,
        help=tr("formula.help", functions=functions),
    )
    left, right = st.columns(2)
    bounds = [v for pair in now.scene.base_surface().domain for v in pair]
    names = ("x_from", "x_to", "y_from", "y_to")
    limit = MAX_DOMAIN
    for i, (column, name) in enumerate(zip((left, right) * 2, names, strict=True)):
        with column:
            control(
                st.number_input,
                tr(f"formula.{name}"),
                f"domain.{name}",
                float(bounds[i]),
                domain_change(i),
                min_value=-limit,
                max_value=limit,
                format="%g",
            )


def domain_change(index: int):
    return lambda now, value: labs.set_domain(now, index, value)


def draft_error() -> None:
    """Where a typed formula went wrong; the previous formula stays. Its place on the page is
    there with or without an error, so the player below keeps its place and is not mounted
    anew (it vanished and restarted when a message pushed it down)."""
    place, now = st.container(), lab()
    if now.draft_error is None or now.scene.surface != scenes.FORMULA:
        return
    message, column = now.draft_error
    if column is None:  # the whole formula, not a place in it
        place.error(tr("formula.not_used_whole", error=shown(message)))
        return
    place.error(tr("formula.not_used", column=column + 1, error=shown(message)))
    place.code(f"{now.draft}\n{' ' * column}^", language=None)


def start_fields() -> None:
    scene = lab().scene
    (x0, x1), (y0, y1) = scene.base_surface().domain
    x, y = scene.start_point()
    for axis, low, high, value in (("x", x0, x1, x), ("y", y0, y1, y)):
        control(
            st.number_input,
            tr("sidebar.start", axis=axis),
            f"start_{axis}",
            float(min(max(value, low), high)),
            start_change(axis),
            min_value=float(low),
            max_value=float(high),
            format="%g",
            help=tr("sidebar.start_help"),
        )


def start_change(axis: str):
    def change(now: labs.Lab, value):
        x, y = now.scene.start_point()
        return labs.set_start(now, value, y) if axis == "x" else labs.set_start(now, x, value)

    return change


def move_start(x, y) -> None:
    """A click on the plot: the start goes there, and the whole page redraws once (the
    sidebar shows the start)."""
    act(labs.set_start, x, y)
    st.session_state.redraw_page = True


@st.fragment
def workbench() -> None:
    """The player and the optimizer rows: a change to a row reruns only this part of the page
    (a fragment's reruns skip the page's guard, so it has its own)."""
    guarded(_workbench, "surfaces")


def _workbench() -> None:
    if st.session_state.pop("redraw_page", False):
        st.rerun()
    left, right = st.columns(2)
    with left:
        knob(st.toggle, tr("parts.toggle"), "parts", help=tr("parts.help"), hide="parts")
    with right:
        knob(st.toggle, tr("view3d.toggle"), "view3d", help=tr("view3d.help"), hide="view3d")
    scene = lab().scene
    labels = show(scene)
    st.subheader(tr("rows.title"))
    rows_panel.rows_editor(scene, labels)
    lecture.formula_panel(scene, labels)
    title = named("surface", scene.surface, "title", scene.surface_object().title)
    left, right = st.columns([4, 1])
    with left:
        lecture.share(scene)
    with right:
        lecture.export_menu(scene, f"Loss Landscape Lab · {title}")


def show(scene: scenes.Scene) -> list[str]:
    """Run the scene and mount the player (a click on the plot moves the start); the runs'
    labels."""
    now = lab()
    picture = scene.picture_json()
    present = now.flags.present
    spec = computed.scene_spec(picture, len(scene.rows), PLAYER_SIZE[present], lang())
    result = computed.trajectories(computed.scene_json(scene))
    box = optimizers.divergence_box(scene.surface_object().domain)  # every path lies inside it
    extra = {
        **scenes.export.player_header(scene, lang()),
        "present": present,
        "hide": [c for c in ("speed", "loop") if not now.shows(c)],
    }
    if now.knob("view3d"):
        extra["mesh"] = computed.surface_mesh(picture)
    parts = insight.decomposition(result) if now.knob("parts") else None
    labels = scene.shown_labels(result.labels, lang())
    colors = scene.colors()
    player.mount(spec, result, box, labels, colors, on_start=move_start, extra=extra, parts=parts)
    if computed.has_hatch(picture):
        st.caption(f"▨ {tr('legend.not_finite')}")
    escaped = result.escapes()
    for label, step, escape in zip(labels, result.diverged_at, escaped, strict=True):
        if step >= 0 and escape:  # left the picture while its loss kept falling: the lesson
            st.info(tr("run.escaped", label=plain(label), step=int(step)))
        elif step >= 0:
            st.warning(tr("run.diverged", label=plain(label), step=int(step)))
    return labels
