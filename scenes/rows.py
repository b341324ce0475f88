"""What the row editor's buttons do to a scene's optimizer rows, as pure functions: a new
tuple of rows (at most MAX_ROWS, never empty)."""

from __future__ import annotations

import optimizers
from scenes.scene import MAX_ROWS, Row


def duplicate(rows: tuple, index: int) -> tuple:
    return (*rows[: index + 1], rows[index], *rows[index + 1 :])[:MAX_ROWS]


def remove(rows: tuple, index: int) -> tuple:
    return rows if len(rows) <= 1 else (*rows[:index], *rows[index + 1 :])


def add(rows: tuple) -> tuple:
    return (*rows, Row("adam", {"learning_rate": 0.01}))[:MAX_ROWS]


def three_rates(rows: tuple, index: int) -> tuple:
    """The course's exercise in one click: the row at lr ÷ 10, lr and lr × 10."""
    row = rows[index]
    lr = row.hyper.get("learning_rate", optimizers.entry(row.name).hyper["learning_rate"].default)
    trio = [Row(**{**row.__dict__, "hyper": {**row.hyper, "learning_rate": lr * f}, "label": "", "color": ""})
            for f in (0.1, 1.0, 10.0)]  # fmt: skip
    return (*rows[:index], *trio, *rows[index + 1 :])[:MAX_ROWS]


ACTIONS = {"duplicate": duplicate, "three": three_rates, "remove": remove}
