"""The words the Lab shows, in English, 繁體中文 and 简体中文 (tables in tables/).

UI strings live only in the tables. Surfaces, optimizers, schedules and presets keep their
English in their own metadata; the Chinese tables name them by key. `Message` lets code that
must not know the reader's language (scene validation, the formula parser) say something
that the UI later shows in the reader's language.
"""

from __future__ import annotations

import functools
import json
import pathlib
import re
import string

TABLES = pathlib.Path(__file__).resolve().parent / "tables"
LANGS = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}
ALIASES = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "zh-hant": "zh-Hant",
}
MISSING: set[tuple[str, str]] = (
    set()
)  # (lang, key) asked for but absent: tests assert it stays empty


@functools.cache
def table(lang: str) -> dict[str, str]:
    return json.loads((TABLES / f"{lang}.json").read_text(encoding="utf-8"))


def language(value) -> str:
    """A supported language code for `value` ('zh-TW', 'zh_hant', 'en-US' …); English otherwise."""
    text = str(value or "").strip().replace("_", "-")
    if text in LANGS:
        return text
    lowered = text.lower()
    return (
        ALIASES.get(lowered)
        or ALIASES.get(lowered[:5])
        or ("zh-Hans" if lowered.startswith("zh") else "en")
    )


def fields(template: str) -> set[str]:
    """The {placeholders} of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(key: str, lang: str = "en", english: str | None = None, **params) -> str:
    """`key` in `lang`, formatted with `params`. A key absent from `lang` falls back to `english`
    (for metadata: the English in its own code) or to the English table, and is recorded in
    MISSING."""
    template = table(lang).get(key)
    if template is None:
        if lang != "en" or english is None:
            MISSING.add((lang, key))
        template = english if english is not None else table("en").get(key, key)
    return template.format(**params) if params else template


class Message(str):
    """An English message (a str, for logs and the CLI) that remembers its key and values so the
    UI can show it in the reader's language."""

    def __new__(cls, key: str, **params):
        message = super().__new__(cls, text(key, "en", **params))
        message.key, message.params = key, params
        return message

    def to(self, lang: str) -> str:
        params = {k: v.to(lang) if isinstance(v, Message) else v for k, v in self.params.items()}
        return text(self.key, lang, **params)


def shown(value, lang: str) -> str:
    """`value` in `lang` if it is a Message, else as it is."""
    return value.to(lang) if isinstance(value, Message) else str(value)


def own_words(value: str, lang: str) -> str:
    """A text the Lab wrote as data (a preset's run labels, under `words.<text>` in the tables)
    in `lang`; any other text, such as a label a user typed, as it is."""
    return table(lang).get(f"words.{value}", value)


def has_cjk(value: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", value))
