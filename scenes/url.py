"""A scene as query parameters and back: readable links that reproduce a picture exactly.

One table of fields drives both directions. Optimizer rows are repeated `o` parameters:
`o=adam;learning_rate=0.01;s=step;s.every=100;clip_norm=1;label=Adam%20fast`. A typed
surface is `surface=formula&formula=x^2%2B10*y^2&domain=-3,3,-2,2`.
Reading goes through `scene.from_dict`, so bad or unknown values fall back to defaults
with a notice, never an exception.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from lll_i18n import Message
from scenes.scene import Row, Scene, from_dict
from scenes.view import KEYS as VIEW_KEYS

_SCALARS = ("surface", "formula", "l1", "l2", "steps", "noise", "seed", "layout")
_ROW_OPTIONS = ("clip_norm", "clip_value", "weight_decay", "batch_size")
MAX_PARAM_LENGTH = 4000  # a row or a formula the app writes is shorter, a typed rule included
LINK_LIMIT = 32_000  # characters: deploy/nginx.conf's header buffer; Tornado takes ~64 K


def to_query(scene: Scene) -> dict:
    """Query parameters for `scene`: defaults are left out to keep links short."""
    base = Scene()
    query = {
        k: number_text(getattr(scene, k))
        for k in _SCALARS
        if getattr(scene, k) != getattr(base, k) or k == "surface"
    }
    query.update({f"sp.{k}": number_text(v) for k, v in scene.surface_params.items()})
    if scene.start is not None:
        query["start"] = f"{number_text(scene.start[0])},{number_text(scene.start[1])}"
    if scene.domain is not None:
        query["domain"] = ",".join(number_text(float(v)) for pair in scene.domain for v in pair)
    query["o"] = [_row_text(r) for r in scene.rows]
    return query


def query_string(scene: Scene) -> str:
    """The scene as a URL query string (without the leading '?')."""
    query = to_query(scene)
    return urlencode(
        [(k, v) for k, vs in query.items() for v in (vs if isinstance(vs, list) else [vs])]
    )


def link_query(link: str) -> dict:
    """The query parameters of a link copied from the app (or of its query string alone)."""
    text = urlsplit(link).query if "?" in link or "://" in link else link
    return parse_qs(text, keep_blank_values=True)


def from_query(query) -> tuple[Scene, list[str]]:
    """(scene, notices) from query parameters (a mapping of str to str or list of str)."""
    notices: list[str] = []
    data: dict = {}
    for key in query:
        values = query[key] if isinstance(query[key], list) else [query[key]]
        if any(len(str(v)) > MAX_PARAM_LENGTH for v in values):
            notices.append(Message("notice.link_long", value=repr(key[:30]), max=MAX_PARAM_LENGTH))
        values = [str(v)[:MAX_PARAM_LENGTH] for v in values]
        if not values:
            continue
        if key in _SCALARS:
            data[key] = values[-1]
        elif key.startswith("sp."):
            data.setdefault("surface_params", {})[key[3:]] = values[-1]
        elif key in ("start", "domain"):
            data[key] = values[-1].split(",")
        elif key == "o":
            data["rows"] = [_parse_row(v) for v in values]
        elif key not in VIEW_KEYS and not str(key).endswith(
            "_hide"
        ):  # the views and other pages read those
            notices.append(Message("notice.link_unknown", value=repr(key[:30])))
    return from_dict(data, notices), notices


def number_text(value) -> str:
    """A number as a link writes it: six significant digits, or every digit where six would
    not give the same number back (a start clipped to an irrational edge of the domain)."""
    if not isinstance(value, float):
        return str(value)
    short = f"{value:.6g}"
    return short if float(short) == value else repr(value)


def _row_text(row: Row) -> str:
    parts = [row.name] + [f"{k}={number_text(v)}" for k, v in row.hyper.items()]
    if row.schedule != "constant":
        parts.append(f"s={row.schedule}")
        parts += [f"s.{k}={number_text(v)}" for k, v in row.schedule_params.items()]
    defaults = Row()
    parts += [
        f"{k}={number_text(getattr(row, k))}"
        for k in _ROW_OPTIONS
        if getattr(row, k) != getattr(defaults, k)
    ]
    if row.line_search:
        parts.append("ls=1")
    parts += [
        f"{k}={quote(getattr(row, k), safe='')}"
        for k in ("label", "color", "rule")
        if getattr(row, k)
    ]
    return ";".join(parts)


def _parse_row(text: str) -> dict:
    name, *pairs = text.split(";")
    row: dict = {"name": name, "hyper": {}, "schedule_params": {}}
    for pair in pairs:
        key, _, value = pair.partition("=")
        value = unquote(value)
        if key == "s":
            row["schedule"] = value
        elif key.startswith("s."):
            row["schedule_params"][key[2:]] = value
        elif key in _ROW_OPTIONS or key in ("label", "color", "rule"):
            row[key] = value
        elif key == "ls":
            row["line_search"] = value
        else:
            row["hyper"][key] = value
    return row
