"""A scene as flat widget state (key → value) and back: the app's widgets bind to these keys.

Pure functions, no streamlit: the app copies `to_state` into `st.session_state` when a
preset or link loads, and rebuilds the scene with `from_state` after every interaction,
through the same validation as links and files.
"""

from __future__ import annotations

import math
import re

import landscapes
import optimizers
from scenes.scene import Row, Scene, from_dict

_SCALARS = ("surface", "formula", "l1", "l2", "steps", "noise", "seed", "layout")
DOMAIN_KEYS = ("dom.x0", "dom.x1", "dom.y0", "dom.y1")


def row_keys(row_id: int) -> str:
    """Prefix of one optimizer row's widget keys."""
    return f"row{row_id}."


def advanced_keys(row_id: int, name: str, schedule: str) -> list[str]:
    """A row's widget keys other than optimizer, label, colour and learning rate."""
    p = row_keys(row_id)
    entry = optimizers.CATALOG.get(name, optimizers.entry("sgd"))
    keys = [f"{p}h.{k}" for k in entry.hyper if k != "learning_rate"]
    keys += [f"{p}s.{k}" for k in optimizers.schedules.PARAMS.get(schedule, {})]
    options = (
        "clip_norm_on",
        "clip_norm",
        "clip_value_on",
        "clip_value",
        "weight_decay",
        "batch_size",
        "line_search",
    )
    return keys + [f"{p}schedule"] + [f"{p}{k}" for k in options]


def row_to_state(row: Row, row_id: int) -> dict:
    """Widget values for one row; hyperparameters the row leaves out take their defaults."""
    p = row_keys(row_id)
    entry = optimizers.entry(row.name)
    state = {
        f"{p}name": row.name,
        f"{p}label": row.label,
        f"{p}color": row.color,
        f"{p}schedule": row.schedule,
    }
    state.update({f"{p}h.{k}": float(row.hyper.get(k, spec.default)) for k, spec in entry.hyper.items()})
    specs = optimizers.schedules.PARAMS[row.schedule]
    state.update({f"{p}s.{k}": float(row.schedule_params.get(k, spec.default)) for k, spec in specs.items()})
    for option in ("clip_norm", "clip_value"):
        value = getattr(row, option)
        state[f"{p}{option}_on"] = value is not None
        state[f"{p}{option}"] = float(value if value is not None else optimizers.OPTIONS[option].default)
    state[f"{p}weight_decay"] = float(row.weight_decay)
    state[f"{p}batch_size"] = float(row.batch_size)
    state[f"{p}line_search"] = bool(row.line_search)
    return state


def to_state(scene: Scene, row_ids: list[int]) -> dict:
    """Widget values for the whole scene; `row_ids` name the rows in order."""
    state = {k: getattr(scene, k) for k in _SCALARS}
    state["formula_text"] = scene.formula  # the text box; `formula` follows it only when it parses
    domain = scene.domain or landscapes.formula.DEFAULT_DOMAIN
    state.update(zip(DOMAIN_KEYS, (float(v) for pair in domain for v in pair), strict=True))
    state.update({f"sp.{k}": float(v) for k, v in scene.surface_params.items()})
    x, y = scene.start_point()
    state.update(start_x=float(x), start_y=float(y), row_ids=list(row_ids))
    for row, row_id in zip(scene.rows, row_ids, strict=True):
        state.update(row_to_state(row, row_id))
    return state


def row_from_state(state, row_id: int) -> dict:
    """One row as a dict for `scene.row_from_dict`."""
    p = row_keys(row_id)
    name = state.get(f"{p}name", "sgd")
    entry = optimizers.CATALOG.get(name, optimizers.entry("sgd"))
    schedule = state.get(f"{p}schedule", "constant")
    specs = optimizers.schedules.PARAMS.get(schedule, {})
    row = {
        "name": name,
        "hyper": {k: state[f"{p}h.{k}"] for k in entry.hyper if f"{p}h.{k}" in state},
        "schedule": schedule,
        "schedule_params": {k: state[f"{p}s.{k}"] for k in specs if f"{p}s.{k}" in state},
        "weight_decay": state.get(f"{p}weight_decay", 0.0),
        "batch_size": state.get(f"{p}batch_size", 1.0),
        "line_search": bool(state.get(f"{p}line_search", False)),
        "label": state.get(f"{p}label", ""),
        "color": state.get(f"{p}color", ""),
    }
    for option in ("clip_norm", "clip_value"):
        if state.get(f"{p}{option}_on"):
            row[option] = state.get(f"{p}{option}")
    return row


def from_state(state) -> tuple[Scene, list[str]]:
    """(scene, notices) from widget values, validated like a link or a file."""
    surface = state.get("surface", Scene().surface)
    data = {k: state[k] for k in _SCALARS if k in state}
    specs = landscapes.param_specs(surface) if surface in landscapes.names() else {}
    data["surface_params"] = {k: state[f"sp.{k}"] for k in specs if f"sp.{k}" in state}
    if all(k in state for k in DOMAIN_KEYS):
        data["domain"] = [state[k] for k in DOMAIN_KEYS]
    if "start_x" in state and "start_y" in state:
        data["start"] = (state["start_x"], state["start_y"])
    data["rows"] = [row_from_state(state, r) for r in state.get("row_ids", [])] or None
    notices: list[str] = []
    scene = from_dict({**data, "surface": surface}, notices)
    return scene, notices


EDIT_CONTROLS = {"name": "optimizer", "label": "label", "color": "color", "lr": "lr", "more": "more"}


def apply_edit(state, edit, hidden=frozenset()) -> bool:
    """Apply one edit {id, field, value} from the row editor to widget state.

    The browser sends these, so nothing is trusted: an unknown row or field, a value of the
    wrong type, or a field whose control the link hides (`hidden`) leaves the state untouched
    and returns False. Rates are clamped to the optimizer's range; labels are cut to 60 characters.
    """
    if not isinstance(edit, dict):
        return False
    row_id, field, value = edit.get("id"), edit.get("field"), edit.get("value")
    if type(row_id) is not int or row_id not in state.get("row_ids", []):
        return False
    if EDIT_CONTROLS.get(field) in hidden:
        return False
    p = row_keys(row_id)
    if field == "name" and isinstance(value, str) and value in optimizers.CATALOG:
        state[f"{p}name"] = value
    elif field == "label" and isinstance(value, str):
        state[f"{p}label"] = value.strip()[:60]
    elif field == "color" and isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        state[f"{p}color"] = value.lower()
    elif field == "lr" and type(value) in (int, float) and math.isfinite(value):
        param = optimizers.CATALOG.get(state.get(f"{p}name"), optimizers.entry("sgd")).hyper["learning_rate"]
        state[f"{p}h.learning_rate"] = float(min(max(value, param.low), param.high))
    elif field == "more" and isinstance(value, bool):
        state[f"{p}more"] = value
    else:
        return False
    return True
