"""What the row editor's buttons do to a scene's optimizer rows, as pure functions: a new
tuple of rows (at most MAX_ROWS, never empty).

A row's colour is its own: removing or inserting rows never recolours the others. A colour
is written into a row only where its place in the palette would no longer give it.
"""

from __future__ import annotations

import dataclasses

import optimizers
from scenes.scene import MAX_ROWS, PALETTE, Row, row_colors


def pinned(rows: list[Row], colors: list[str]) -> tuple:
    """`rows` drawn in `colors`: a colour the row's place gives anyway stays implicit (short
    links)."""
    out = []
    for i, (row, color) in enumerate(zip(rows, colors, strict=True)):
        own = "" if color == PALETTE[i % len(PALETTE)] else color
        out.append(row if row.color == own else Row(**{**row.__dict__, "color": own}))
    return tuple(out[:MAX_ROWS])


def fresh_color(used: list[str]) -> str:
    """The first palette colour no row uses (the palette again from the start when all are used)."""
    return next((c for c in PALETTE if c not in used), PALETTE[len(used) % len(PALETTE)])


def duplicate(rows: tuple, index: int) -> tuple:
    colors = row_colors(rows)
    copy = Row(**{**rows[index].__dict__, "color": ""})
    new_colors = [*colors[: index + 1], fresh_color(colors), *colors[index + 1 :]]
    return pinned([*rows[: index + 1], copy, *rows[index + 1 :]], new_colors)


def remove(rows: tuple, index: int) -> tuple:
    if len(rows) <= 1:
        return rows
    colors = row_colors(rows)
    return pinned([*rows[:index], *rows[index + 1 :]], [*colors[:index], *colors[index + 1 :]])


def add(rows: tuple) -> tuple:
    colors = row_colors(rows)
    return pinned([*rows, Row("adam", {"learning_rate": 0.01})], [*colors, fresh_color(colors)])


def three_rates(rows: tuple, index: int) -> tuple:
    """The course's exercise in one click: the row at lr ÷ 10, lr and lr × 10 (the middle one
    keeps the row's colour)."""
    row = rows[index]
    lr = row.hyper.get("learning_rate", row.entry().hyper["learning_rate"].default)
    trio = [
        Row(**{**row.__dict__, "hyper": {**row.hyper, "learning_rate": lr * f}, "label": ""})
        for f in (0.1, 1.0, 10.0)
    ]
    colors = row_colors(rows)
    low = fresh_color(colors)
    high = fresh_color([*colors, low])
    trio_colors = [low, colors[index], high]
    return pinned(
        [*rows[:index], *trio, *rows[index + 1 :]],
        [*colors[:index], *trio_colors, *colors[index + 1 :]],
    )


ACTIONS = {"duplicate": duplicate, "three": three_rates, "remove": remove}


# A typed rule's usual names for the catalog's hyperparameters (CS231n writes mu and decay).
ALIASES = {"mu": "momentum", "beta": "momentum", "decay": "rho", "decay_rate": "rho"}


def twin(row: Row, name: str) -> Row:
    """Catalog optimizer `name` with `row`'s numbers: its rate, schedule and options, and
    each of its hyperparameters the row has under the same or a usual name."""
    entry = optimizers.entry(name)
    values = {k: p.default for k, p in row.entry().hyper.items()} | row.hyper
    hyper = {ALIASES.get(k, k): v for k, v in values.items()}
    hyper = {k: v for k, v in hyper.items() if k in entry.hyper and v != entry.hyper[k].default}
    return Row(
        **{**row.__dict__, "name": name, "hyper": hyper, "rule": "", "label": "", "color": ""}
    )


def is_twin(row: Row, other: Row) -> bool:
    """Whether `other` is a catalog optimizer with `row`'s numbers (its label and colour aside)."""
    if other.name not in optimizers.CATALOG:
        return False
    return twin(row, other.name) == dataclasses.replace(other, label="", color="")


def beside(rows: tuple, index: int, name: str) -> tuple:
    """The rows with the row at `index`'s twin of optimizer `name` right after it."""
    colors = row_colors(rows)
    new_colors = [*colors[: index + 1], fresh_color(colors), *colors[index + 1 :]]
    new_rows = [*rows[: index + 1], twin(rows[index], name), *rows[index + 1 :]]
    return pinned(new_rows, new_colors)
