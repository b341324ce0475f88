"""The app's frame: the language and view menus on top of the sidebar, the notices of the
last action or link, and the view the Lab shows.

One script routes the three views rather than `st.navigation`: Streamlit clears the query
parameters on every page change and gives each page its own path, while here the view is
part of the state the link carries (`?view=insights&tool=...`), so published lesson links
and embeds keep working and the link is written from the Lab alone.
"""

from __future__ import annotations

import streamlit as st

import i18n
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
    guarded(VIEWS[lab().view], lab().view)
