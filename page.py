"""What every page of the app shares: the reader's language, the link's view flags, and
user text shown literally."""

from __future__ import annotations

import re

import streamlit as st

import i18n
from scenes import view as views


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
