"""The optimizer-row editor component: rows go in as data, edits and actions come out as triggers.

With charts/player.py and charts/diagram.py, the only code under the app that imports
streamlit: all are mounted components. The app validates every edit (app.lab.edit_row)
before it touches a scene.
"""

from __future__ import annotations

import functools

import streamlit as st

from charts.code import source


@functools.cache
def _component():
    return st.components.v2.component(
        "lll_editor", js=source("editor.js"), css=source("editor.css")
    )


def mount(
    rows: list[dict],
    choices: list[tuple[str, str]],
    max_rows: int,
    on_edit,
    on_action,
    text: dict[str, str],
    hide: tuple[str, ...] = (),
    key="editor",
):
    """Show the rows ({id, name, label, placeholder, color, lr, more} each) with `choices`
    ((name, title) pairs) in the optimizer menus, `text` as its words and the parts in `hide`
    hidden. `on_edit({id, field, value})` and `on_action({act, id})` run before the next
    script run, with whatever the browser sent."""

    def forward(name, callback):
        def run():
            value = (st.session_state.get(key) or {}).get(name)
            callback(value)

        return run

    data = {
        "rows": rows,
        "optimizers": [list(c) for c in choices],
        "max_rows": max_rows,
        "text": text,
        "hide": list(hide),
    }
    _component()(
        key=key,
        data=data,
        on_edit_change=forward("edit", on_edit),
        on_action_change=forward("action", on_action),
    )
