"""What every page of the app shares: the reader's language, the link's view flags, and
user text shown literally."""

from __future__ import annotations

import json
import re

import streamlit as st

import i18n
import scenes
from scenes import state as widget_state
from scenes import view as views


@st.cache_data(max_entries=256, show_spinner=False)
def trajectories(scene_json: str):
    """Runs a scene (cached and shared across sessions and views: equal scenes, equal arrays)."""
    return scenes.export.trajectories(scenes.from_dict(json.loads(scene_json)))


def lang() -> str:
    return st.session_state.get("lang", "en")


def tr(key: str, **params) -> str:
    """`key` in the reader's language."""
    return i18n.text(key, lang(), **params)


def titles(prefix: str, suffix: str = ""):
    """A format_func naming option `v` by the key prefix + v + suffix in the reader's language,
    fixed now: Streamlit may call it later, outside this script run."""
    language = lang()
    return lambda value: i18n.text(f"{prefix}{value}{suffix}", language)


def named(kind: str, name: str, field: str, english: str) -> str:
    """A surface's, optimizer's, schedule's or preset's `field` in the reader's language (its
    English lives in its own metadata)."""
    return i18n.text(f"{kind}.{name}.{field}", lang(), english=english)


def shown(message) -> str:
    """A notice (an i18n.Message or plain text) in the reader's language, shown literally."""
    return plain(i18n.shown(message, lang()))


def current_view() -> views.View:
    return st.session_state.get("view_flags", views.View())


def shows(control: str) -> bool:
    """False when the link hides `control` (a lesson link's `*_hide` flag)."""
    return current_view().shows(control)


def plain(text: str) -> str:
    """`text` shown literally by Streamlit's Markdown elements: a label or a value from a link
    can't become a link (bare URLs included), an image (a request to another site) or formatting."""
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))
    return re.sub(r"(?i)(://|www)", "\\1\u2060", escaped)  # a word joiner: no bare-URL autolinks either


def load_scene(scene: scenes.Scene) -> None:
    """Put a scene into the widgets (new row ids, so no widget keeps a stale value)."""
    first = st.session_state.get("next_row_id", 0)
    ids = list(range(first, first + len(scene.rows)))
    st.session_state.next_row_id = first + len(ids)
    st.session_state.update(widget_state.to_state(scene, ids))


def first_visit() -> None:
    """On a session's first run, read the link (scene, language, presentation, hidden controls);
    bad values fall back with a notice. A scene handed over by the network page (its loss
    slice) replaces the current one."""
    if pending := st.session_state.pop("pending_scene", None):
        load_scene(scenes.from_dict(pending))
        return
    if "row_ids" in st.session_state:
        return
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    view, view_notices = views.from_query(query, fallback_lang=st.context.locale or "en")
    st.session_state.update(view_flags=view, present=view.present)  # the language menu read `lang` already
    scene, notices = scenes.from_query(query) if query else (scenes.Scene(), [])
    st.session_state.link_notices = [*view_notices, *notices]
    load_scene(scene)


def keep_link(query: dict) -> None:
    """Keep the address bar on what the page shows: `query`, which view (unless the first) and
    the view flags (language, presentation, hidden controls). Written only when it changed."""
    page = st.session_state.get("view", "surfaces")
    flags = views.View(lang(), bool(st.session_state.get("present")), current_view().hidden)
    query = {**query, **({"view": page} if page != "surfaces" else {}), **views.to_query(flags)}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != {k: v if isinstance(v, list) else [v] for k, v in query.items()}:
        st.query_params.from_dict(query)


def hold_scene() -> scenes.Scene:
    """The current scene, its values written back so a page that does not draw the scene's
    widgets (Streamlit drops the values of widgets it does not draw) keeps all of them."""
    first_visit()
    scene, _ = widget_state.from_state(st.session_state)
    st.session_state.update(widget_state.to_state(scene, st.session_state.row_ids))
    return scene
