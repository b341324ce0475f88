"""The player component: its registration and a thin mount (the one place charts use streamlit).

Three components cooperate on the page. The Vega runtime (built from vl-convert's bundle,
never a CDN) and the scene spec are mounted with content that stays identical while only
hyperparameters change, so Streamlit's message cache sends them once. The player gets
only the packed trajectories and the spec's key on each rerun.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pathlib

import streamlit as st
import vl_convert

from charts.payload import pack

_HERE = pathlib.Path(__file__).resolve().parent
_RUNTIME_SNIPPET = """
const lab = hub();
lab.vegaEmbed = vegaEmbed;
lab.runtimeWaiters.splice(0).forEach((resolve) => resolve(vegaEmbed));
export default function () {}
"""
_SPEC_JS = """
export default function ({ data }) {
  if (!data || !data.key) return;
  const lab = hub();
  lab.specs[data.key] = data.spec;
  (lab.waiters[data.key] || []).splice(0).forEach((resolve) => resolve(data.spec));
}
"""


def _source(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


@functools.cache
def runtime_js() -> str:
    """The Vega, Vega-Lite and vega-embed runtime as one ES module (about 0.9 MB, built once)."""
    return vl_convert.javascript_bundle(snippet=_source("hub.js") + _RUNTIME_SNIPPET)


@functools.cache
def _components():
    hub = _source("hub.js")
    v2 = st.components.v2
    return (
        v2.component("lll_vega_runtime", js=runtime_js()),
        v2.component("lll_scene_spec", js=hub + _SPEC_JS),
        v2.component("lll_player", js=hub + _source("player.js"), css=_source("player.css")),
    )


def spec_key(spec: dict) -> str:
    """A short content hash naming a spec, so the browser can tell a new scene from new data."""
    return hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def mount(spec: dict, trajectories, box, labels, colors, on_start=None, key: str = "player"):
    """Show `spec` playing `trajectories`. A click on the landscape calls `on_start(x, y)`
    before the next run of the script (when widgets may still be changed)."""
    runtime, specs, player = _components()
    runtime(key="lll_runtime")
    name = spec_key(spec)
    specs(key="lll_spec", data={"key": name, "spec": spec})
    payload = pack(trajectories, box, labels, colors, extra={"spec_key": name})

    def clicked():
        point = (st.session_state.get(key) or {}).get("start")
        if on_start and isinstance(point, dict):
            on_start(point.get("x"), point.get("y"))

    return player(key=key, data=payload, on_start_change=clicked)
