"""Lecture tools in the app: exports with progress, the shareable link, an iframe snippet, a
lesson link that hides chosen controls, the formula panel and presentation mode.
"""

from __future__ import annotations

import functools
import html
import json

import streamlit as st

import optimizers
import scenes
from app import lab as labs
from app.session import (
    act,
    control,
    keep_link,
    knob,
    lab,
    lang,
    named,
    param_title,
    plain,
    shows,
    titles,
    tr,
)
from optimizers import rules
from scenes import export as exports
from scenes import view as views

MIME = {
    "gif": "image/gif",
    "mp4": "video/mp4",
    "html": "text/html",
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "json": "application/json",
}
MADE_ON_CLICK = ("gif", "mp4", "html")  # take seconds: made on a click, with a progress bar
PRESENTATION_CSS = """<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"] { display: none; }
html { font-size: 20px; }
div[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
</style>"""
NO_SIDEBAR_CSS = """<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"] { display: none; }
</style>"""


def presentation() -> None:
    """Presentation mode (large type, thick lines, no sidebar; the keys work anywhere) and a
    link's `sidebar_hide`. Both hide the sidebar with CSS only, so its settings stay in force."""
    if lab().flags.present:
        st.html(PRESENTATION_CSS)
        st.button(
            tr("present.exit"), key="present.exit", on_click=act, args=(labs.set_present, False)
        )
    elif not shows("sidebar"):
        st.html(NO_SIDEBAR_CSS)


def export_menu(scene: scenes.Scene, title: str) -> None:
    """Download buttons. Animations and the HTML player are made on a click, with a progress
    bar; the other files are made when their download button is clicked."""
    if not shows("export"):
        return
    with st.popover(tr("export.button"), icon=":material/download:"):
        left, middle, right = st.columns(3)
        with left:
            size = whole(tr("export.width"), "export_size", exports.MIN_SIZE, exports.MAX_SIZE, 40)
        with middle:
            frames = whole(tr("export.frames"), "export_frames", 2, exports.MAX_FRAMES, 10)
        with right:
            fps = whole(tr("export.fps"), "export_fps", 1, 60, 1)
        st.caption(tr("export.duration", seconds=f"{frames / fps:.1f}"))
        if exports.falls_back("png", lang()):
            st.caption(f":warning: {tr('export.no_cjk_font')}")
        chosen = lab().knob("export_step")  # None: the last step, as the steps change
        step = scene.steps if chosen is None else min(int(chosen), scene.steps)
        control(
            st.number_input,
            tr("export.step"),
            "export_step",
            step,
            lambda now, value: labs.set_knob(now, "export_step", value),
            min_value=0,
            max_value=scene.steps,
        )
        curve = knob(st.checkbox, tr("export.curve"), "export_curve", help=tr("export.curve_help"))
        options = {
            "curve": bool(curve),
            "size": size,
            "frames": frames,
            "fps": fps,
            "step": min(step, scene.steps),
            "title": title,
            "lang": lang(),
        }
        token = json.dumps([scene.to_dict(), options], sort_keys=True)
        for fmt in MADE_ON_CLICK:
            made = st.session_state.get(f"export.made.{fmt}")
            if not (made and made[0] == token) and st.button(
                tr("export.make", what=tr(f"export.{fmt}")), key=f"export.make.{fmt}"
            ):
                made = (token, make(scene, fmt, options))
                st.session_state[f"export.made.{fmt}"] = made
            if made and made[0] == token:
                download(fmt, made[1])
        for fmt in ("png", "svg", "csv", "json"):
            download(fmt, functools.partial(exports.render, scene, fmt, **options))


def whole(label: str, name: str, low: int, high: int, step: int) -> int:
    """A whole-number export setting, kept in the Lab."""
    value = knob(st.number_input, label, name, min_value=low, max_value=high, step=step)
    return int(value)


def make(scene: scenes.Scene, fmt: str, options: dict) -> bytes:
    bar = st.progress(0.0, text=tr("export.making", what=tr(f"export.{fmt}")))
    data = exports.render(scene, fmt, progress=lambda done: bar.progress(min(done, 1.0)), **options)
    bar.empty()
    return data


def download(fmt: str, data) -> None:
    st.download_button(
        tr(f"export.{fmt}"),
        data=data,
        mime=MIME[fmt],
        file_name=f"loss-landscape.{fmt}",
        key=f"export.{fmt}",
        on_click="ignore",
        icon=":material/download:",
    )


def share(scene: scenes.Scene) -> None:
    """Keep the scene and the view in the URL; offer the link, an iframe snippet and a lesson
    link that hides the controls the teacher picks."""
    keep_link()
    if not shows("link"):
        return
    base = (st.context.url or "").split("?")[0]
    scene_query = scenes.query_string(scene)
    with lazy_panel(tr("share.title"), ":material/link:", "share") as panel:
        if not panel.open:
            return
        st.caption(tr("share.link"))
        st.code(f"{base}?{scene_query}{_flags(views.View(lang()))}", language=None)
        hide = knob(
            st.multiselect,
            tr("share.hide"),
            "share_hide",
            by_language=True,
            options=[c for c in views.CONTROLS if c != "view"],
            format_func=titles("control."),
        )
        lesson = f"{base}?{scene_query}{_flags(views.View(lang(), False, frozenset(hide)))}"
        st.caption(tr("share.lesson"))
        st.code(lesson, language=None)
        st.caption(tr("share.iframe"))
        src = html.escape(f"{lesson}&embed=true", quote=True)
        iframe = (
            f'<iframe src="{src}" width="100%" height="900" style="border:0" '
            'title="Loss Landscape Lab"></iframe>'
        )
        st.code(iframe, language="html")


def lazy_panel(label: str, icon: str, name: str):
    """An expander whose content is made only while it is open (opening it reruns): a closed
    panel costs the page nothing, where three highlighted links or a dozen formulas would
    take a quarter of a second of the browser's first draw."""
    return st.expander(label, icon=icon, key=f"panel.{name}", on_change="rerun")


def _flags(view: views.View) -> str:
    return "".join(f"&{k}={v}" for k, v in views.to_query(view).items())


def formula_panel(scene: scenes.Scene, labels: list[str]) -> None:
    """The surface's formula and each run's update rule and schedule, with the values that run."""
    if not shows("formulas"):
        return
    with lazy_panel(tr("formulas.title"), ":material/function:", "formulas") as panel:
        if not panel.open:
            return
        surface = scene.surface_object()
        st.markdown(
            f"**{tr('formulas.surface')}** · {plain(named('surface', scene.surface, 'title', surface.title))}"  # noqa: E501
        )
        st.latex(surface.latex)
        params = {k: v for k, v in surface.params.items() if k not in ("l1", "l2")}
        if params:
            st.caption(", ".join(f"{param_title(k)} = {v:g}" for k, v in params.items()))
        for row, label in zip(scene.rows, labels, strict=True):
            entry = row.entry()
            title = plain(named("optimizer", row.name, "title", entry.title))
            st.markdown(f"**{plain(label)}** · {title}")
            st.latex(rules.rule(entry, row.hyper))
            if row.schedule != "constant":
                st.caption(tr("formulas.schedule", name=tr(f"schedule.{row.schedule}.title")))
                lr = row.hyper.get("learning_rate", entry.hyper["learning_rate"].default)
                defaults = {
                    k: p.default for k, p in optimizers.schedules.PARAMS[row.schedule].items()
                }
                params = {**defaults, **row.schedule_params}
                st.latex(rules.schedule(row.schedule, params, lr, scene.steps))
        st.caption(tr("formulas.note"))
