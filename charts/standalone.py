"""A scene as one self-contained HTML page: the Vega runtime, the player, the specs and the
packed trajectories inlined, so it plays from a USB stick with no network (lecture export).
"""

from __future__ import annotations

import base64
import html
import json
import re

from charts.code import player_js, runtime_js, source

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none';
 script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:">
<title>{title}</title>
<style>
body {{ margin: 1.5rem; font-family: system-ui, sans-serif; color: #31333f; }}
h1 {{ font-size: 1.4rem; margin: 0 0 0.2rem; }}
.lll-page-note {{ color: #666; margin: 0 0 0.8rem; }}
#lll-player {{ max-width: 64rem; }}
{css}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="lll-page-note">{note}</p>
<div id="lll-player"></div>
<script type="module">{runtime}</script>
<script type="module">{player}</script>
<script type="module">{boot}</script>
</body>
</html>
"""
_BOOT = """
provide("spec:%(key)s", %(spec)s);
need("mountPlayer").then((mount) => mount({
  data: "%(payload)s", parentElement: document.getElementById("lll-player"), setTriggerValue: null,
}));
"""


def _inline_js(code: str) -> str:
    """Script text that cannot end its <script> element early (`</script` inside a string)."""
    return re.sub(r"<(/script|!--)", r"<\\\1", code, flags=re.IGNORECASE)


def _inline_json(value) -> str:
    """JSON safe inside a script: no `<`, `>` or `&` that HTML could read as markup."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(title: str, note: str, key: str, specs: dict, payload: bytes, lang: str = "en") -> str:
    """The HTML document; `title` and `note` are shown as text (escaped), never as markup."""
    boot = _BOOT % {
        "key": re.sub(r"\W", "", key),
        "spec": _inline_json(specs),
        "payload": base64.b64encode(payload).decode("ascii"),
    }
    return PAGE.format(
        lang=html.escape(lang),
        title=html.escape(title),
        note=html.escape(note),
        css=source("player.css"),
        runtime=_inline_js(runtime_js()),
        player=_inline_js(player_js()),
        boot=_inline_js(source("hub.js") + boot),
    )
