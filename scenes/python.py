"""Scenes from Python in a line, for notebooks and scripts: `scene(...)` from names and
numbers, `from_link(...)` from a link copied from the app, `Scene.link()` back to one, and
`show(...)` to play any of them in a notebook (a widget: `scenes.widget.Player`).

The same checks as a scene file or a link, but a value that had to be dropped is an error
here (`SceneError`, one line): in a notebook a typo should stop the cell, not be replaced.
"""

from __future__ import annotations

import lll_i18n as i18n
from scenes import presets
from scenes.scene import ROW_FIELDS, Row, Scene, from_dict, row_dict
from scenes.url import from_query, link_query


class SceneError(ValueError):
    """A scene asked for with a value it cannot take; the message names each in a line."""


def scene(surface: str = "rosenbrock", rows=None, **fields) -> Scene:
    """A scene: `surface` by name ("formula" with formula="..."), `rows` each an optimizer's
    name, a dict of its row (name, its hyperparameters such as learning_rate, schedule,
    schedule_params, clip_norm, batch_size, label, ...) or a Row; other fields as in a scene
    file (steps, start, surface_params, layout, l1, l2, noise, seed, domain).

        scenes.scene("rosenbrock", ["adam", dict(name="sgd", learning_rate=1e-3)], steps=500)
    """
    data = {"surface": surface, **fields}
    if rows is not None:
        data["rows"] = [_row_fields(row) for row in rows]
    notices = []
    made = from_dict(data, notices)
    _refuse(notices)
    return made


def from_link(link: str) -> Scene:
    """The scene a link from the app (or its query string) shows."""
    made, notices = from_query(link_query(link))
    _refuse(notices)
    return made


def show(what, **options):
    """The app's player for a scene, a link from the app or a preset's name, as a notebook
    widget (`scenes.widget.Player`; options: lang, view3d, parts)."""
    from scenes.widget import Player  # bundles the player's code on first use

    return Player(what, **options)


def as_scene(what) -> Scene:
    """A Scene, or the one a preset's name or a link names."""
    if isinstance(what, Scene):
        return what
    if isinstance(what, str) and what in presets.names():
        _, made, notices = presets.load(what)
        _refuse(notices)
        return made
    if isinstance(what, str) and ("?" in what or "=" in what):
        return from_link(what)
    raise SceneError(f"{str(what)[:60]!r} is neither a scene, a link nor a preset's name")


def _row_fields(row):
    """A row as a scene file writes it: names pass as they are; a dict's keys that are not a
    row's own fields are its optimizer's hyperparameters."""
    if isinstance(row, str):
        return {"name": row}
    if isinstance(row, Row):
        return row_dict(row)
    if not isinstance(row, dict):
        return row  # from_dict says what is wrong with it
    own = {k: v for k, v in row.items() if k in ROW_FIELDS}
    hyper = {k: v for k, v in row.items() if k not in ROW_FIELDS}
    return {**own, "hyper": {**dict(own.get("hyper") or {}), **hyper}}


def _refuse(notices) -> None:
    if notices:
        raise SceneError("; ".join(i18n.shown(n, "en") for n in notices))
