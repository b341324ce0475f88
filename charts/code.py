"""The player's browser code, shared by the app's components and the standalone HTML export.

No Streamlit here: `python -m scenes render --format html` builds the same player offline.
"""

from __future__ import annotations

import functools
import hashlib
import os
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
_PROVIDE_VEGA = 'provide("vegaEmbed", vegaEmbed);\n'  # the bundled runtime, to the hub
_MODULE_END = "export default function () {}"  # a component module's end: what Streamlit imports
_RUNTIME_SNIPPET = f"\n{_PROVIDE_VEGA}{_MODULE_END}\n"
_WIDGET_END = "export default { render };"


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


def widget_js() -> str:
    """The notebook widget's module: the Vega runtime, the player and widget.js bundled as one
    (about 0.9 MB). Bundling takes seconds, so the module is kept in the user's cache folder
    under a hash of what it is made of."""
    code = player_js().rstrip().removesuffix(_MODULE_END) + source("widget.js") + _WIDGET_END
    made_of = f"{vl_convert.__version__}\n{code}".encode()
    kept = _cache_folder() / f"widget-{hashlib.sha256(made_of).hexdigest()[:16]}.js"
    try:
        return kept.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(snippet=_PROVIDE_VEGA + code)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.part")  # renamed whole: never read half
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(kept)
    except OSError:  # a read-only home: bundle again next time
        pass
    return bundle


def _cache_folder() -> pathlib.Path:
    home = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(home) / "loss-landscape-lab"


def player_words(lang: str) -> dict[str, str]:
    """The player's words (overlay.js's WORDS) in `lang`."""
    return {word: i18n.text(f"player.{word}", lang) for word in PLAYER_WORDS}
