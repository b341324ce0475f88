"""A data set of one's own for the network page: points of two features and a class, from an
uploaded CSV, from clicks on the plane, or from a link.

Checked before anything trains: a file is read as text (never run), has three columns of
finite numbers (a header line is allowed), features inside the plane the network sees, labels
±1 or 0/1, at least two points of each class and at most MAX_POINTS. A file that fails says
why in a Message (the reader's language is the UI's business) and the data shown stays.
"""

from __future__ import annotations

import csv
import io
import math

from lll_i18n import Message

EXTENT = 6.0  # the Playground's plane: features in [−6, 6]
MAX_POINTS = 1000
MAX_BYTES = 100_000
MIN_PER_CLASS = 2
LINK_POINTS = 100  # more than this travels in the settings file, not the link
MAX_LINK_TEXT = 40 * LINK_POINTS
DECIMALS = 2  # a point's coordinates as kept: the plane is drawn to about 0.05


class OwnDataError(ValueError):
    """Data that cannot be used; `message` says why, in words the UI translates."""

    def __init__(self, message: Message):
        super().__init__(message.key)
        self.message = message


def from_csv(raw: bytes) -> list[list[float]]:
    """Points [x, y, label ±1] of a CSV file's rows (x, y, label with label ±1 or 0/1)."""
    if len(raw) > MAX_BYTES:
        raise OwnDataError(Message("own.too_big", kb=MAX_BYTES // 1000))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OwnDataError(Message("own.not_text")) from None
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    except csv.Error:  # a NUL, a stray carriage return: not a table
        raise OwnDataError(Message("own.not_csv")) from None
    if rows and not _numeric(rows[0][0]):
        rows = rows[1:]  # a header line
    return from_rows(rows)


def from_rows(rows) -> list[list[float]]:
    """Points from rows of three cells (text or numbers: x, y, label ±1 or 0/1), checked."""
    if not isinstance(rows, list):  # a settings file's "points" that is not a list
        raise OwnDataError(Message("own.not_settings"))
    if len(rows) > MAX_POINTS:
        raise OwnDataError(Message("own.too_many", max=MAX_POINTS))
    points = [_point(i + 1, r) for i, r in enumerate(rows)]
    if not trainable(points):
        raise OwnDataError(Message("own.few", least=MIN_PER_CLASS))
    return points


def trainable(points) -> bool:
    """Whether `points` make a data set the network can learn and be tested on: at least
    MIN_PER_CLASS of each class (clicks may leave fewer, and the page waits for more)."""
    labels = [p[2] for p in points]
    return min(labels.count(1.0), labels.count(-1.0)) >= MIN_PER_CLASS


def _number(cell) -> float:
    """A JSON number as a float; anything else (true, null, a list) is not one."""
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        raise TypeError(type(cell).__name__)
    return float(cell)


def _numeric(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _point(line: int, row) -> list[float]:
    if not isinstance(row, list | tuple) or len(row) != 3:
        count = len(row) if isinstance(row, list | tuple) else 1
        raise OwnDataError(Message("own.columns", line=line, count=count))
    try:  # text as a CSV holds it; a settings file's numbers are read the same way
        x, y, label = (float(cell if isinstance(cell, str) else _number(cell)) for cell in row)
    except (TypeError, ValueError, OverflowError):
        raise OwnDataError(Message("own.not_number", line=line)) from None
    if not all(map(math.isfinite, (x, y))) or max(abs(x), abs(y)) > EXTENT:
        raise OwnDataError(Message("own.outside", line=line, extent=f"{EXTENT:g}"))
    if label not in (1.0, -1.0, 0.0):
        raise OwnDataError(Message("own.label", line=line))
    return [round(x, DECIMALS), round(y, DECIMALS), 1.0 if label == 1.0 else -1.0]


def to_text(points) -> str | None:
    """The link's `net.points`: 'x,y,label;…' (label 1 or -1: a '+' in a link reads as a
    space), or None when there are too many points for a link."""
    if len(points) > LINK_POINTS:
        return None
    return ";".join(f"{x:g},{y:g},{label:g}" for x, y, label in points)


def from_text(text: str) -> list[list[float]]:
    """Points from a link's `net.points` (as `to_text` writes them), checked like a file's."""
    if len(text) > MAX_LINK_TEXT:
        raise OwnDataError(Message("own.too_many", max=LINK_POINTS))
    items = [item.split(",") for item in text.split(";") if item.strip()]
    if len(items) > LINK_POINTS:
        raise OwnDataError(Message("own.too_many", max=LINK_POINTS))
    return from_rows(items)


def added(points, x: float, y: float, label: float) -> list[list[float]]:
    """`points` with a click's point (inside the plane, rounded as kept); at most MAX_POINTS."""
    if len(points) >= MAX_POINTS or not all(map(math.isfinite, (x, y))):
        return list(points)
    clamp = lambda v: round(min(max(float(v), -EXTENT), EXTENT), DECIMALS)  # noqa: E731
    return [*points, [clamp(x), clamp(y), 1.0 if label > 0 else -1.0]]
