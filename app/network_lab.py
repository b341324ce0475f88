"""The network page's actions on a Lab: its settings, its table of configurations, the
course's exercises, and a run's loss slice opened as a scene. Pure, like `app.lab`."""

from __future__ import annotations

import scenes
from app.lab import Lab, fresh_ids, replace, say, with_scene
from lll_i18n import Message
from optimizers import callbacks
from scenes import own_data, playground


def set_network(lab: Lab, name: str, value) -> Lab:
    """One of the network page's settings, checked as a link's value would be."""
    if name not in (*playground.LINKED, *playground.LISTED):
        return lab
    if name == "inputs":
        if not value:  # the last input stays on
            return say(lab, Message("error.last_input"))
        value = ",".join(map(str, value))
    query = {**playground.to_query(lab.network), f"net.{name}": str(value)}
    network, notices = playground.from_query(query, points=lab.network["points"])
    return say(replace(lab, network=network), *notices)


def open_data_file(lab: Lab, name: str, raw: bytes) -> Lab:
    """An uploaded file: a settings file (.json) replaces the page's settings, a CSV of points
    becomes the data set. One that does not read changes nothing and says why."""
    try:
        if str(name).lower().endswith(".json"):
            network, notices = playground.from_file(raw)
            return say(replace(lab, network=network), *notices)
        return _own(lab, own_data.from_csv(raw))
    except own_data.OwnDataError as error:
        return say(lab, error.message)


def add_point(lab: Lab, x, y, label) -> Lab:
    """A point clicked onto the plane, of class `label` (±1)."""
    return _own(lab, own_data.added(lab.network["points"], x, y, label))


def clear_points(lab: Lab) -> Lab:
    return _own(lab, [])


def _own(lab: Lab, points: list) -> Lab:
    return replace(lab, network={**lab.network, "dataset": "own", "points": points})


def set_network_rows(lab: Lab, records) -> Lab:
    """The configurations as edited in the table: blanks take defaults, numbers are clamped."""
    if not isinstance(records, list):
        return lab
    rows, notices = playground.clean_rows([r for r in records if isinstance(r, dict)])
    return say(replace(lab, network={**lab.network, "rows": rows}), *notices)


def load_exercise(lab: Lab, name) -> Lab:
    """The course exercise's configurations on the spiral."""
    if name not in playground.EXERCISES:
        return lab
    rows = [{**playground.ROW, **change} for change in playground.EXERCISES[name]]
    return replace(lab, network={**lab.network, "dataset": "spiral", "rows": rows})


def open_slice(lab: Lab, scene: scenes.Scene) -> Lab:
    """A network run's loss slice as the scene, shown on the surfaces view."""
    lab = replace(lab, preset=None, draft=None, draft_error=None)
    return replace(with_scene(lab, scene, fresh_ids(lab, len(scene.rows))), view="surfaces")


def edit_network_table(lab: Lab, delta) -> Lab:
    """The network table's edits (Streamlit's data-editor delta: edited, added and deleted
    rows, relative to the rows it was drawn from) applied to the configurations."""
    if not isinstance(delta, dict):
        return lab
    rows = [dict(r) for r in lab.network["rows"]]
    notices = []
    for position, change in (delta.get("edited_rows") or {}).items():
        index = int(position) if str(position).isdigit() else -1
        if 0 <= index < len(rows) and isinstance(change, dict):
            kept = _readable_callbacks(index, change, notices)
            rows[index].update({k: v for k, v in kept.items() if k in playground.ROW})
    deleted = {int(i) for i in delta.get("deleted_rows") or [] if str(i).isdigit()}
    rows = [row for i, row in enumerate(rows) if i not in deleted]
    for added in delta.get("added_rows") or []:
        if isinstance(added, dict):
            rows.append({k: v for k, v in added.items() if k in playground.ROW and v is not None})
    return say(set_network_rows(lab, rows), *notices)


def _readable_callbacks(index: int, change: dict, notices: list) -> dict:
    """An edit without a callbacks text that does not read: the row keeps its callbacks, and
    the notice says where the typed text went wrong."""
    if "callbacks" not in change:
        return change
    try:
        callbacks.parse(change["callbacks"] or "")
    except callbacks.CallbackError as error:
        column = error.column + 1
        notices.append(
            Message("notice.callbacks_kept", row=index + 1, column=column, error=error.message)
        )
        return {k: v for k, v in change.items() if k != "callbacks"}
    return change
