"""The session's Lab inside Streamlit: read it, change it through an action, draw widgets from
it, keep the address bar on it, and say things in the reader's language.

Widgets never hold the state. Each run seeds a widget's value from the Lab before drawing it,
and a change reaches the Lab only through the widget's callback and an action. So Streamlit
dropping the value of a widget it did not draw, or handing back an option's display text, can't
touch the scene. Widgets with options carry the language in their key: after a switch they are
new widgets, drawn from the Lab in the new words.
"""

from __future__ import annotations

import logging
import pathlib
import re
import traceback

import streamlit as st

import lll_i18n as i18n
from app import admission
from app import lab as labs
from lll_i18n import Message

KEY = "lab"
LOG = logging.getLogger("loss_landscape_lab")


def lab() -> labs.Lab:
    """This session's Lab; on its first run, read from the link."""
    if KEY not in st.session_state:
        query = {k: st.query_params.get_all(k) for k in st.query_params}
        st.session_state[KEY] = labs.from_query(query, st.context.locale)
    return st.session_state[KEY]


def put(new: labs.Lab) -> None:
    st.session_state[KEY] = new


def act(action, *args, **options) -> None:
    """Change the Lab by `action(lab, *args, **options)`; an action that fails in a way nobody
    foresaw leaves the Lab as it was and says so."""
    try:
        put(action(lab(), *args, **options))
    except Exception as error:  # noqa: BLE001  (the last line of defence, and it says so)
        put(labs.say(lab(), unforeseen(error, getattr(action, "__name__", "a change"))))


def unforeseen(error: Exception, where: str) -> Message:
    """An error no check foresaw, as one line: in the server's log (type, message, the place
    it was raised) and, returned, for the page in the reader's language. No traceback is
    printed or shown: the Lab stays as it was and the next action works."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f"{pathlib.Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    message = (str(error).strip().splitlines() or [""])[0][:200]
    LOG.error("unexpected %s in %s at %s: %s", type(error).__name__, where, place, message)
    return Message("error.unexpected", kind=type(error).__name__)


def guarded(draw, where: str) -> None:
    """`draw()`, with anything it did not foresee shown as one line instead of a traceback."""
    try:
        with admission.light():
            draw()
    except Exception as error:  # noqa: BLE001  (the last line of defence, and it says so)
        st.error(shown(unforeseen(error, where)))


def widget_key(name: str, by_language: bool = False) -> str:
    return f"w.{lab().lang}.{name}" if by_language else f"w.{name}"


def control(
    widget, label: str, name: str, value, change, *, by_language=False, hide=None, **kwargs
):
    """Draw `widget` showing `value` (read from the Lab); a change by the user runs
    `change(lab, new_value)` and the Lab it returns is the session's. `by_language`: the
    widget shows worded choices (selectbox, radio, ...), so its key carries the language.
    `hide`: the link's `<hide>_hide` flag that leaves the widget out (its value stays)."""
    if hide is not None and not shows(hide):
        return value
    key = widget_key(name, by_language)
    st.session_state[key] = (
        list(value) if isinstance(value, tuple) else value
    )  # the Lab's are tuples
    return widget(label, key=key, on_change=_changed, args=(key, change), **kwargs)


def bounded_number(label: str, name: str, value, param, change, help_text=None):
    """A number field bounded by a Param's range, showing `value` (clamped into it)."""
    low, high = float(param.low), float(param.high)
    value = min(max(float(value), low), high)
    options = {"min_value": low, "max_value": high, "format": "%g", "help": help_text or None}
    return control(st.number_input, label, name, value, change, **options)


def _changed(key: str, change) -> None:
    act(change, st.session_state.get(key))


def knob(widget, label: str, name: str, *, by_language: bool = False, hide=None, **kwargs):
    """A widget for one of a view's own settings (`lab.KNOBS`); returns its value."""
    control(
        widget,
        label,
        name,
        lab().knob(name),
        lambda now, value: labs.set_knob(now, name, value),
        by_language=by_language,
        hide=hide,
        **kwargs,
    )
    return lab().knob(name)


def keep_link() -> None:
    """Keep the address bar on what the Lab shows; written only when it changed."""
    query = labs.to_query(lab())
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != {k: v if isinstance(v, list) else [v] for k, v in query.items()}:
        st.query_params.from_dict(query)


def show_notices() -> None:
    """The Lab's pending notices, once, in the reader's language."""
    notices = lab().notices
    if notices:
        put(labs.replace(lab(), notices=()))
    for notice in notices:
        if getattr(notice, "key", "").startswith("error."):
            st.error(shown(notice))
        else:
            st.info(tr("notice.ignored", notice=shown(notice)))


def shows(control_name: str) -> bool:
    """False when the link hides `control_name` (a lesson link's `*_hide` flag)."""
    return lab().shows(control_name)


# -- words -----------------------------------------------------------------------------------


def lang() -> str:
    return lab().lang


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


def param_title(name: str) -> str:
    """A surface parameter's name for people (its symbol where it has no other)."""
    return i18n.text(f"param.{name}", lang(), english=name)


def shown(message) -> str:
    """A notice (an i18n.Message or plain text) in the reader's language, shown literally."""
    return plain(i18n.shown(message, lang()))


def plain(text: str) -> str:
    """`text` shown literally by Streamlit's Markdown elements: a label or a value from a link
    can't become a link (bare URLs included), an image (a request to another site) or
    formatting."""
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))
    # a word joiner: no bare-URL autolinks either
    return re.sub(r"(?i)(://|www)", "\\1\u2060", escaped)
