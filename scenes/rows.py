"""What the row editor's buttons do to a scene's optimizer rows, as pure functions: a new
tuple of rows (at most MAX_ROWS, never empty).

A row's colour is its own: removing or inserting rows never recolours the others. A colour
is written into a row only where its place in the palette would no longer give it.
"""

from __future__ import annotations

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
