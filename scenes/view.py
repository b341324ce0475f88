"""How a page shows a scene, apart from the scene itself: the language, presentation mode, and
the controls a lesson link hides (as TensorFlow Playground's `*_hide` flags do), so a teacher
can leave students only, say, the learning rate to change.
"""

from __future__ import annotations

import dataclasses

import lll_i18n as i18n
from lll_i18n import Message

CONTROLS = (
    "sidebar",
    "view",
    "lang",
    "preset",
    "surface",
    "regularization",
    "start",
    "steps",
    "noise",
    "seed",
    "layout",
    "optimizer",
    "color",
    "label",
    "lr",
    "rows",
    "more",
    "formulas",
    "link",
    "export",
    "parts",
    "view3d",
    "speed",
    "loop",
    "tool",
    "insight",
    "network",
)
TRUE = ("1", "true", "yes", "on")
NETWORK_KEYS = (
    "net.dataset",
    "net.points",
    "net.noise",
    "net.ratio",
    "net.inputs",
    "net.hidden",
    "net.epochs",
    "net.seed",
    "net.row",
)
KEYS = (
    "preset",
    "lang",
    "present",
    "view",
    "tool",
    "embed",
    "embed_options",
    *NETWORK_KEYS,
    *(f"{c}_hide" for c in CONTROLS),
)


@dataclasses.dataclass(frozen=True)
class View:
    lang: str = "en"
    present: bool = False
    hidden: frozenset[str] = frozenset()

    def shows(self, control: str) -> bool:
        return control not in self.hidden


def last_value(query, key) -> str | None:
    values = query.get(key)
    if isinstance(values, list | tuple):
        values = values[-1] if values else None
    return None if values is None else str(values)[:40]


def from_query(query, fallback_lang: str = "en") -> tuple[View, list[str]]:
    """(view, notices) from query parameters; unknown `*_hide` flags and languages get a notice."""
    notices = []
    lang = last_value(query, "lang")
    if lang is not None and i18n.language(lang) == "en" and not lang.lower().startswith("en"):
        notices.append(
            Message("notice.lang_unknown", value=repr(lang), choices=", ".join(i18n.LANGS))
        )
    hidden = set()
    for key in query:
        if str(key).endswith("_hide"):
            control = str(key)[: -len("_hide")]
            if control not in CONTROLS:
                notices.append(Message("notice.hide_unknown", value=repr(str(key)[:30])))
            elif (last_value(query, key) or "").lower() in TRUE:
                hidden.add(control)
    present = (last_value(query, "present") or "").lower() in TRUE
    return View(i18n.language(lang or fallback_lang), present, frozenset(hidden)), notices


def to_query(view: View) -> dict[str, str]:
    """The query parameters that give `view` (defaults left out)."""
    query = {"lang": view.lang} if view.lang != "en" else {}
    if view.present:
        query["present"] = "1"
    query.update({f"{c}_hide": "true" for c in CONTROLS if c in view.hidden})
    return query
