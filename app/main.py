"""The app's frame: the language and view menus on top of the sidebar, the notices of the
last action or link, and the view the Lab shows.

One script routes the three views rather than `st.navigation`: Streamlit clears the query
parameters on every page change and gives each page its own path, while here the view is
part of the state the link carries (`?view=insights&tool=...`), so published lesson links
and embeds keep working and the link is written from the Lab alone.
"""

from __future__ import annotations

import functools

import streamlit as st

import lll_i18n as i18n
from app import insights_view, network_view, surfaces_view
from app import lab as labs
from app.session import control, guarded, lab, show_notices, shows, titles, tr

# Streamlit leaves a 6rem band above the first element (the picture needs the room more),
# and a formula wider than the sidebar would be cut off: it scrolls instead
PAGE_CSS = """<style>
div[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
section[data-testid="stSidebar"] .katex-display { overflow-x: auto; overflow-y: hidden; }
</style>"""
VIEWS = {
    "surfaces": surfaces_view.draw,
    "insights": insights_view.draw,
    "network": network_view.draw,
}


def run() -> None:
    st.set_page_config(page_title="Loss Landscape Lab", page_icon="⛰️", layout="wide")
    st.html(PAGE_CSS)
    lab()  # the first run reads the link
    with st.sidebar:
        if shows("lang"):
            control(
                st.selectbox,
                "Language · 語言 · 语言",
                "lang",
                lab().lang,
                labs.set_lang,
                options=list(i18n.LANGS),
                format_func=i18n.LANGS.get,
            )
        if shows("view"):
            control(
                st.radio,
                tr("view.label"),
                "view",
                lab().view,
                labs.set_view,
                by_language=True,
                options=labs.VIEWS,
                format_func=titles("view."),
            )
    show_notices()
    view = lab().view
    guarded(functools.partial(VIEWS[view], view_sidebar(view)), view)


def view_sidebar(view: str):
    """The shown view's place in the sidebar: a slot per view, the others left empty, so that
    another view's settings go at once instead of lingering greyed while a long run trains
    (Streamlit drops an element nobody rewrote only when the run ends; one of another kind at
    its place replaces it)."""
    slots = {name: st.sidebar.empty() for name in VIEWS}
    return slots[view].container()
