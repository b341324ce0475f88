"""The player's browser code, shared by the app's components and the standalone HTML export.

No Streamlit here: `python -m scenes render --format html` builds the same player offline.
"""

from __future__ import annotations

import functools
import pathlib

import vl_convert

import lll_i18n as i18n

_HERE = pathlib.Path(__file__).resolve().parent
PLAYER_WORDS = (
    "restart",
    "back",
    "play",
    "pause",
    "play_pause",
    "forward",
    "step",
    "speed",
    "loop",
    "diverged_at",
    "escaped_at",
    "precision_floor",
    "loss",
    "learning_rate",
    "gradient_norm",
    "click_start",
)
_RUNTIME_SNIPPET = """
provide("vegaEmbed", vegaEmbed);
export default function () {}
"""


def source(name: str) -> str:
    """One of the components' JavaScript or CSS files."""
    return (_HERE / name).read_text(encoding="utf-8")


@functools.cache
def runtime_js() -> str:
    """The Vega, Vega-Lite and vega-embed runtime as one ES module (about 0.9 MB, built once)."""
    return vl_convert.javascript_bundle(snippet=source("hub.js") + _RUNTIME_SNIPPET)


def player_js() -> str:
    """The player's code: the hub, the canvas overlays, the 3-D view and the player itself."""
    return source("hub.js") + source("overlay.js") + source("surface3d.js") + source("player.js")


def player_words(lang: str) -> dict[str, str]:
    """The player's words (overlay.js's WORDS) in `lang`."""
    return {word: i18n.text(f"player.{word}", lang) for word in PLAYER_WORDS}
