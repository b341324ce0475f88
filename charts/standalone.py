"""A scene, or the network diagram, as one self-contained HTML page: the scripts (the Vega
runtime and the player, or the diagram's), the specs and the data inlined, so it plays from a
USB stick with no network (lecture export).
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
#lll-root {{ max-width: 64rem; }}
{css}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="lll-page-note">{note}</p>
<div id="lll-root"></div>
{scripts}
</body>
</html>
"""
_BOOT = """
provide("spec:%(key)s", %(spec)s);
need("mountPlayer").then((mount) => mount({
  data: "%(payload)s", parentElement: document.getElementById("lll-root"), setTriggerValue: null,
}));
"""


def _inline_js(code: str) -> str:
    """Script text that cannot end its <script> element early (`</script` inside a string)."""
    return re.sub(r"<(/script|!--)", r"<\\\1", code, flags=re.IGNORECASE)


def _inline_json(value) -> str:
    """JSON safe inside a script: no `<`, `>` or `&` that HTML could read as markup."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _document(title: str, note: str, lang: str, css: str, scripts: list[str]) -> str:
    """The page around the scripts (each a module, run in order against #lll-root); `title`
    and `note` are shown as text (escaped), never as markup."""
    return PAGE.format(
        lang=html.escape(lang),
        title=html.escape(title),
        note=html.escape(note),
        css=css,
        scripts="\n".join(f'<script type="module">{_inline_js(s)}</script>' for s in scripts),
    )


def page(title: str, note: str, key: str, specs: dict, payload: bytes, lang: str = "en") -> str:
    """The player's HTML document, playing `payload` over the specs."""
    boot = _BOOT % {
        "key": re.sub(r"\W", "", key),
        "spec": _inline_json(specs),
        "payload": base64.b64encode(payload).decode("ascii"),
    }
    scripts = [runtime_js(), player_js(), source("hub.js") + boot]
    return _document(title, note, lang, source("player.css"), scripts)


_EXPORT = "export default mount;"  # diagram.js's last line: what Streamlit imports


def diagram_page(title: str, note: str, data: dict, lang: str = "en") -> str:
    """The network diagram's HTML document: diagram.js mounted on `data`
    (`charts.diagram.payload`) as the app mounts it."""
    code = source("diagram.js").rstrip().removesuffix(_EXPORT)
    root = "document.getElementById('lll-root')"
    boot = f"mount({{ data: {_inline_json(data)}, parentElement: {root} }});"
    return _document(title, note, lang, source("diagram.css"), [code + boot])
