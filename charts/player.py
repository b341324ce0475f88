"""The player component: its registration and a thin mount (the one place charts use streamlit).

Four components cooperate on the page. The Vega runtime (built from vl-convert's bundle,
never a CDN), the player's code and the scene spec are mounted with content that stays
identical while only hyperparameters change, so Streamlit's message cache sends them once.
The player itself is a small stub that gets only the packed trajectories and the spec's key
on each rerun.
"""

from __future__ import annotations

import functools

import streamlit as st

from charts.code import player_js, runtime_js, source
from charts.payload import PreparedSpec, pack

_SPEC_JS = """
export default function ({ data }) {
  if (!data) return;
  const { key, spec } = JSON.parse(new TextDecoder().decode(bytesOf(data)));
  if (!(`spec:${key}` in hub().provided)) provide(`spec:${key}`, spec);
}
"""
_PLAYER_STUB = """
export default function (component) {
  let cleanup = null, gone = false;
  need("mountPlayer").then((mount) => { if (!gone) cleanup = mount(component); });
  return () => { gone = true; if (cleanup) cleanup(); };
}
"""


@functools.cache
def _components():
    hub = source("hub.js")
    v2 = st.components.v2
    return (
        v2.component("lll_vega_runtime", js=runtime_js()),
        v2.component("lll_player_code", js=player_js()),
        v2.component("lll_scene_spec", js=hub + _SPEC_JS),
        v2.component("lll_player", js=hub + _PLAYER_STUB, css=source("player.css")),
    )


def mount(
    spec: PreparedSpec,
    trajectories,
    box,
    labels,
    colors,
    on_start=None,
    extra=None,
    parts=None,
    key: str = "player",
):
    """Show the prepared specs playing `trajectories` (`extra` goes to the player's header: its
    words, presentation mode; `parts`: the step decomposition to draw at the heads). A click on
    the landscape calls `on_start(x, y)` before the next run of the script (when widgets may
    still be changed)."""
    runtime, code, specs, player = _components()
    runtime(key="lll_runtime")
    code(key="lll_player_code")
    specs(key="lll_spec", data=spec.message)
    payload = pack(
        trajectories,
        box,
        labels,
        colors,
        extra={**(extra or {}), "spec_key": spec.key},
        parts=parts,
    )

    def clicked():
        point = (st.session_state.get(key) or {}).get("start")
        if on_start and isinstance(point, dict):
            on_start(point.get("x"), point.get("y"))

    return player(key=key, data=payload, on_start_change=clicked)
