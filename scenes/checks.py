"""Readers for the fields of a scene file or link, each checking a value against its type.

A file gives JSON types, a link gives text; each reader takes both and nothing else. A value of
the wrong type (a boolean where a number goes, a mapping where a name goes, 1.5 for a seed) is
never coerced into something that looks right: it falls back to the default with a notice
that names the field.
"""

from __future__ import annotations

import math

from lll_i18n import Message

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def shown(value, limit: int = 30) -> str:
    """A bad value as a notice quotes it: text and numbers as typed (cut to `limit`), other
    things by their type's name; never more than one line."""
    if isinstance(value, str):
        return repr(value[:limit])
    if isinstance(value, int | float):
        return repr(value)[:limit]
    return type(value).__name__


def as_linked(number: float) -> float:
    """`number` as a link writes it (six significant digits): a scene holds its numbers so,
    and its link gives back the very same scene."""
    return float(f"{number:.6g}")


def real(value, name, default, notices) -> float | None:
    """`value` as a finite float if it is a number (or a link's text for one), else None and a
    notice. Booleans are not numbers here, though Python counts them as ints."""
    default = Message("notice.off") if default is None else default
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        notices.append(Message("notice.not_number", name=name, value=shown(value), default=default))
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        notices.append(Message("notice.not_number", name=name, value=shown(value), default=default))
        return None
    if not math.isfinite(number):
        notices.append(Message("notice.not_finite", name=name, value=shown(value), default=default))
        return None
    return number


def _clamped(number, low, high, name, notices):
    if low <= number <= high:
        return number
    used = min(max(number, low), high)
    notices.append(
        Message(
            "notice.outside",
            name=name,
            value=f"{number:g}" if isinstance(number, float) else shown(number, 20),
            low=f"{low:g}",
            high=f"{high:g}",
            used=f"{used:g}",
        )
    )
    return used


def bounded(value, default, low, high, name, notices):
    """`value` as a float inside [low, high] (as a link writes it); otherwise `default` (or
    the clamped value) and a notice."""
    number = real(value, name, default, notices)
    if number is None:
        return default
    return _clamped(as_linked(number), low, high, name, notices)


def whole(value, default: int, low: int, high: int, name, notices) -> int:
    """`value` as an int inside [low, high]: a whole number, every digit kept (a seed of
    1234567 stays itself); 1.5 or "2.5" fall back to `default` with a notice."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(_clamped(value, low, high, name, notices))
    number = real(value, name, default, notices)
    if number is None:
        return default
    if not number.is_integer():
        notices.append(Message("notice.not_whole", name=name, value=shown(value), default=default))
        return default
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value)  # digits past float's 53 bits stay exact
    return int(_clamped(int(number), low, high, name, notices))


def flag(value, default: bool, name, notices) -> bool:
    """`value` as a boolean: JSON's true/false (or 0/1), or a link's 1/0, true/false, yes/no,
    on/off. Any other text is not read as yes (as Python's bool("no") would)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    notices.append(Message("notice.not_flag", name=name, value=shown(value), default=default))
    return default


def text(value, default: str, limit: int, name, notices) -> str:
    """`value` if it is text of at most `limit` characters (longer text is cut, with a
    notice); anything else falls back to `default`."""
    if not isinstance(value, str):
        notices.append(Message("notice.not_text", name=name, value=shown(value)))
        return default
    if len(value) > limit:
        notices.append(Message("notice.text_long", name=name, max=limit))
        return value[:limit]
    return value


def name_in(value, names) -> bool:
    """Whether `value` is one of `names` (text only: a list or mapping is never a name)."""
    return isinstance(value, str) and value in names


def unknown_keys(data: dict, known, where: str, notices) -> None:
    """A notice for each key of `data` that is not a field of `where`: a misspelt field in a
    hand-written file is said, not silently dropped."""
    for key in data:
        if key not in known:
            notices.append(Message("notice.no_param", where=where, value=repr(str(key)[:30])))
