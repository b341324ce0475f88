"""`Lab`: the one state of a session — the scene, the view flags, which view and tool are
shown, the network page's settings and each view's own knobs — and the named actions that
change it.

Pure: no streamlit. Every action takes a Lab and returns a new one; values from widgets,
links and the browser are checked here (through `scenes.from_dict` for the scene), so a
bad value leaves the state as it was. Widgets are drawn from a Lab and the link is written
from it (`to_query`); a link read becomes a Lab through the same actions (`from_query`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from types import MappingProxyType

import landscapes
import lll_i18n as i18n
import optimizers
import scenes
from lll_i18n import Message
from optimizers import insight
from optimizers.own import RULE
from scenes import playground
from scenes import rows as scene_rows
from scenes import view as views
from scenes.scene import row_dict

VIEWS = ("surfaces", "insights", "network")
TOOLS = ("sweep", "stability", "basins", "range", "fan", "leaderboard", "tune", "explain")
FIRST_FORMULA = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"
FIRST_RULE = "params: mu = 0.9\nv = mu * v - lr * g\nx = x + v"  # momentum, as CS231n writes it
SCENE_FIELDS = ("l1", "l2", "steps", "noise", "seed", "layout")
EDIT_CONTROLS = {
    "name": "optimizer",
    "label": "label",
    "color": "color",
    "lr": "lr",
    "more": "more",
}
# Each view's own settings, with their defaults: not part of the scene, kept across views.
KNOBS = MappingProxyType(
    {
        "parts": False,
        "view3d": False,
        "sweep_n": 400,
        "basins_n": 200,
        "stability_row": 0,
        "range_row": 0,
        "range_lo": 1e-6,
        "range_hi": 10.0,
        "fan_rows": None,  # None: every row
        "fan_noise": None,  # None: the scene's noise, or 1
        "fan_seeds": 256,
        "explain_row": 0,
        "explain_step": 0,
        "export_size": 600,
        "export_frames": 150,
        "export_fps": 25,
        "export_step": None,  # None: the last step
        "export_curve": False,
        "share_hide": (),
        "net_slice_run": 0,
        "net_slice_pca": "random",
    }
)


@dataclasses.dataclass(frozen=True)
class Lab:
    """Everything a session shows. `row_ids` name the scene's rows in order (stable across
    edits, so a late edit from the browser can't reach the wrong row); `draft` and
    `draft_error` hold a typed formula that did not parse (the scene keeps the last good one),
    `rule_drafts` a row's typed rule that did not parse (the row keeps its last good one);
    `notices` are shown once by the next run."""

    scene: scenes.Scene = scenes.Scene()
    row_ids: tuple[int, ...] = (0, 1, 2)
    next_id: int = 3
    view: str = "surfaces"
    flags: views.View = views.View()
    tool: str = "sweep"
    preset: str | None = None
    network: dict = dataclasses.field(default_factory=lambda: dict(playground.DEFAULTS))
    knobs: dict = dataclasses.field(default_factory=dict)
    open_rows: frozenset[int] = frozenset()
    draft: str | None = None
    draft_error: tuple[str, int | None] | None = None  # (message, column; None: no column)
    rule_drafts: dict = dataclasses.field(default_factory=dict)  # row id → (text, RuleError)
    notices: tuple = ()

    @property
    def lang(self) -> str:
        return self.flags.lang

    def knob(self, name: str):
        return self.knobs.get(name, KNOBS[name])

    def shows(self, control: str) -> bool:
        return self.flags.shows(control)


def replace(lab: Lab, **changes) -> Lab:
    return dataclasses.replace(lab, **changes)


def say(lab: Lab, *notices) -> Lab:
    return replace(lab, notices=(*lab.notices, *notices)) if notices else lab


def fresh_ids(lab: Lab, count: int) -> tuple[int, ...]:
    return tuple(range(lab.next_id, lab.next_id + count))


def with_scene(lab: Lab, scene: scenes.Scene, row_ids=None) -> Lab:
    """`scene` in the lab; rows keep their ids where the count is unchanged, else get new ones."""
    if row_ids is None:
        row_ids = lab.row_ids if len(lab.row_ids) == len(scene.rows) else None
    if row_ids is None:
        row_ids = fresh_ids(lab, len(scene.rows))
    next_id = max(lab.next_id, max(row_ids) + 1)
    open_rows = lab.open_rows & frozenset(row_ids)
    return replace(lab, scene=scene, row_ids=tuple(row_ids), next_id=next_id, open_rows=open_rows)


def changed_scene(lab: Lab, row_ids=None, **fields) -> Lab:
    """The scene with `fields` changed, checked like a link or a file; a bad value keeps the old
    one and says why."""
    notices: list = []
    scene = scenes.from_dict({**lab.scene.to_dict(), **fields}, notices)
    return say(with_scene(lab, scene, row_ids), *notices)


# -- the link ------------------------------------------------------------------------------


def from_query(query, locale: str | None = None) -> Lab:
    """A session's first state from its link (a mapping of str to str or list of str)."""
    query = {str(k): v if isinstance(v, list) else [v] for k, v in dict(query).items()}
    flags, notices = views.from_query(query, fallback_lang=locale or "en")
    scene, scene_notices = scenes.from_query(query) if query else (scenes.Scene(), [])
    lab = with_scene(replace(Lab(), flags=flags), scene)
    lab = say(lab, *notices, *scene_notices)
    preset = views.last_value(query, "preset")
    if preset is not None:  # a preset is a link: `?preset=classic_beale` is that scene
        lab, name = _one_of(lab, "preset", preset, tuple(scenes.presets.names()), loud=True)
        lab = apply_preset(lab, name) if name else lab
    view = views.last_value(query, "view")
    if view is not None:
        lab = set_view(lab, view, loud=True)
    tool = views.last_value(query, "tool")
    if tool is not None:
        lab = set_tool(lab, tool, loud=True)
    network, net_notices = playground.from_query(query)
    return say(replace(lab, network=network), *net_notices)


def to_query(lab: Lab) -> dict:
    """The link of what the lab shows: the scene always (so every view's link keeps it), the
    tool or the network settings of the view shown, and the view flags."""
    query = dict(scenes.to_query(lab.scene))
    if lab.view != "surfaces":
        query["view"] = lab.view
    if lab.view == "insights":
        query["tool"] = lab.tool
    if lab.view == "network":
        query.update(playground.to_query(lab.network))
    return {**query, **views.to_query(lab.flags)}


# -- views and flags -------------------------------------------------------------------------


def _one_of(lab: Lab, name: str, value, allowed, loud: bool) -> tuple[Lab, str | None]:
    """(lab, value) if `value` is one of `allowed`; else (lab, None), with a notice when `loud`
    (a link's value)."""
    if isinstance(value, str) and value in allowed:
        return lab, value
    if loud:
        notice = Message(
            "notice.not_one_of",
            name=name,
            value=repr(str(value)[:30]),
            choices=", ".join(allowed),
            default=allowed[0],
        )
        lab = say(lab, notice)
    return lab, None


def set_view(lab: Lab, value, loud: bool = False) -> Lab:
    lab, view = _one_of(lab, "view", value, VIEWS, loud)
    return replace(lab, view=view) if view else lab


def set_tool(lab: Lab, value, loud: bool = False) -> Lab:
    lab, tool = _one_of(lab, "tool", value, TOOLS, loud)
    return replace(lab, tool=tool) if tool else lab


def set_lang(lab: Lab, value) -> Lab:
    if value not in i18n.LANGS:
        return lab
    return replace(lab, flags=dataclasses.replace(lab.flags, lang=value))


def set_present(lab: Lab, on) -> Lab:
    return replace(lab, flags=dataclasses.replace(lab.flags, present=bool(on)))


def set_knob(lab: Lab, name: str, value) -> Lab:
    """A view's own setting; an unknown name is ignored."""
    if name not in KNOBS:
        return lab
    if isinstance(value, list):
        value = tuple(value)
    return replace(lab, knobs={**lab.knobs, name: value})


# -- the scene -------------------------------------------------------------------------------


def apply_preset(lab: Lab, name) -> Lab:
    """Preset `name`'s scene, with new row ids; an unknown name changes nothing."""
    if name not in scenes.presets.names():
        return lab
    _, scene, notices = scenes.presets.load(name)
    lab = replace(lab, preset=name, draft=None, draft_error=None)
    return say(with_scene(lab, scene, fresh_ids(lab, len(scene.rows))), *notices)


def set_surface(lab: Lab, name) -> Lab:
    """Another surface, with its own parameters and start; the formula starts from an example."""
    if name == lab.scene.surface:
        return lab
    if name == scenes.FORMULA:
        formula = lab.scene.formula or FIRST_FORMULA
        return changed_scene(lab, surface=name, formula=formula, surface_params={}, start=None)
    if name not in landscapes.names():
        return lab
    return changed_scene(lab, surface=name, surface_params={}, start=None, domain=None)


def set_surface_param(lab: Lab, name: str, value) -> Lab:
    params = {**lab.scene.surface_params, name: value}
    return changed_scene(lab, surface_params=params)


def set_field(lab: Lab, name: str, value) -> Lab:
    """One of the scene's own numbers or its layout."""
    if name not in SCENE_FIELDS:
        return lab
    return changed_scene(lab, **{name: value})


def set_start(lab: Lab, x, y) -> Lab:
    """The start point (a click on the plot or the sidebar's fields), clamped to the domain."""
    finite = all(isinstance(v, int | float) and math.isfinite(v) for v in (x, y))
    if not finite:
        return lab
    (x0, x1), (y0, y1) = lab.scene.base_surface().domain
    point = (min(max(float(f"{x:.4g}"), x0), x1), min(max(float(f"{y:.4g}"), y0), y1))
    return changed_scene(lab, start=list(point))


def set_formula(lab: Lab, text) -> Lab:
    """Use the typed formula if it parses; otherwise keep the previous one and say why."""
    if not isinstance(text, str):
        return lab
    try:
        landscapes.formula.parse(text)
    except landscapes.FormulaError as error:
        return replace(lab, draft=text, draft_error=(error.message, error.column))
    notices: list = []
    fields = {**lab.scene.to_dict(), "surface": scenes.FORMULA, "formula": text.strip()}
    scene = scenes.from_dict(fields, notices)
    if scene.surface != scenes.FORMULA:  # parsed, but no run could start: say so, keep the old
        point = notices[-1].params
        return replace(lab, draft=text, draft_error=(Message("formula.not_finite", **point), None))
    return say(with_scene(replace(lab, draft=None, draft_error=None), scene), *notices)


def set_domain(lab: Lab, index: int, value) -> Lab:
    """One bound of a formula's domain (x from, x to, y from, y to)."""
    bounds = [v for pair in lab.scene.base_surface().domain for v in pair]
    if not 0 <= index < 4:
        return lab
    bounds[index] = value
    return changed_scene(lab, domain=bounds, start=None)


# -- the rows ------------------------------------------------------------------------------


def row_index(lab: Lab, row_id) -> int | None:
    return lab.row_ids.index(row_id) if type(row_id) is int and row_id in lab.row_ids else None


def set_row(lab: Lab, row_id, **fields) -> Lab:
    """Row `row_id` with `fields` changed (hyper, schedule, options), checked like a file."""
    index = row_index(lab, row_id)
    if index is None:
        return lab
    rows = [row_dict(r) for r in lab.scene.rows]
    rows[index] = {**rows[index], **fields}
    return changed_scene(lab, rows=rows)


def set_hyper(lab: Lab, row_id, name: str, value) -> Lab:
    index = row_index(lab, row_id)
    if index is None:
        return lab
    return set_row(lab, row_id, hyper={**lab.scene.rows[index].hyper, name: value})


def set_schedule(lab: Lab, row_id, kind) -> Lab:
    if kind not in optimizers.schedules.PARAMS or kind == "warmup":
        return lab
    return set_row(lab, row_id, schedule=kind, schedule_params={})


def set_schedule_param(lab: Lab, row_id, name: str, value) -> Lab:
    index = row_index(lab, row_id)
    if index is None:
        return lab
    params = {**lab.scene.rows[index].schedule_params, name: value}
    return set_row(lab, row_id, schedule_params=params)


def set_rule(lab: Lab, row_id, text) -> Lab:
    """Row `row_id` runs the typed rule if it parses; otherwise the row keeps its last good
    rule, and the text and where it went wrong are kept to be shown. Numbers the user set
    stay where the new rule still declares them."""
    index = row_index(lab, row_id)
    if index is None or not isinstance(text, str):
        return lab
    drafts = {k: v for k, v in lab.rule_drafts.items() if k != row_id}
    try:
        entry = optimizers.own.entry(text)
    except optimizers.RuleError as error:
        return replace(lab, rule_drafts={**drafts, row_id: (text, error)})
    hyper = {k: v for k, v in lab.scene.rows[index].hyper.items() if k in entry.hyper}
    lab = replace(lab, rule_drafts=drafts)
    return set_row(lab, row_id, name=RULE, rule=text, hyper=hyper)


def set_rate(lab: Lab, index: int, rate) -> Lab:
    """Row number `index` gets learning rate `rate` (clamped to the optimizer's range)."""
    if not 0 <= index < len(lab.row_ids) or not isinstance(rate, int | float):
        return lab
    param = lab.scene.rows[index].entry().hyper["learning_rate"]
    rate = float(min(max(rate, param.low), param.high))
    return set_hyper(lab, lab.row_ids[index], "learning_rate", rate)


def set_open(lab: Lab, row_id, on) -> Lab:
    """Show or hide a row's full settings ("more")."""
    if row_index(lab, row_id) is None:
        return lab
    open_rows = lab.open_rows | {row_id} if on else lab.open_rows - {row_id}
    return replace(lab, open_rows=frozenset(open_rows))


def edit_row(lab: Lab, edit) -> tuple[Lab, bool]:
    """One edit {id, field, value} from the row editor; (lab, understood).

    The browser sends these, so nothing is trusted: an unknown row or field, a value of the
    wrong type, or a field whose control the link hides leaves the lab as it was. Rates are
    clamped to the optimizer's range; labels are cut to 60 characters.
    """
    if not isinstance(edit, dict):
        return lab, False
    row_id, field, value = edit.get("id"), edit.get("field"), edit.get("value")
    index = row_index(lab, row_id)
    if index is None or not lab.shows(EDIT_CONTROLS.get(field, "")):
        return lab, False
    row = lab.scene.rows[index]
    if field == "name" and isinstance(value, str) and value in (*optimizers.CATALOG, RULE):
        if value == row.name:
            return lab, True
        if value == RULE:  # a first rule to edit, its box open
            lab = set_open(set_row(lab, row_id, name=RULE, rule=FIRST_RULE, hyper={}), row_id, True)
            return with_moving_rate(lab, index), True
        return with_moving_rate(set_row(lab, row_id, name=value, hyper={}), index), True
    if field == "label" and isinstance(value, str):
        return set_row(lab, row_id, label=value.strip()[:60]), True
    if field == "color" and isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        colors = lab.scene.colors()
        colors[index] = value.lower()
        return with_rows(lab, scene_rows.pinned(list(lab.scene.rows), colors)), True
    if field == "lr" and type(value) in (int, float) and math.isfinite(value):
        return set_rate(lab, index, value), True
    if field == "more" and isinstance(value, bool):
        return set_open(lab, row_id, value), True
    return lab, False


def with_moving_rate(lab: Lab, index: int) -> Lab:
    """Row number `index` at a learning rate that moves on this scene's surface (a short
    sweep of its optimizer, cached per scene and row settings)."""
    row = row_dict(lab.scene.rows[index])
    row["hyper"] = {k: v for k, v in row.get("hyper", {}).items() if k != "learning_rate"}
    key = {**lab.scene.to_dict(), "rows": [row]}
    return set_rate(lab, index, _moving_rate(json.dumps(key, sort_keys=True)))


@functools.lru_cache(maxsize=512)
def _moving_rate(scene_json: str) -> float:
    scene = scenes.from_dict(json.loads(scene_json))
    spec = scene.rows[0].spec()
    return insight.moving_rate(scene.surface_object(), spec, scene.start_point(), scene.steps)


def row_action(lab: Lab, action) -> Lab:
    """Add, or duplicate / triple / remove a row, as the row editor asked (refused when the
    link hides the row buttons). Surviving rows keep their ids and colours."""
    if not isinstance(action, dict) or not lab.shows("rows"):
        return lab
    rows, ids = lab.scene.rows, list(lab.row_ids)
    act, index = action.get("act"), row_index(lab, action.get("id"))
    if act == "add":
        new_rows = scene_rows.add(rows)
        new_ids = [*ids, lab.next_id]
    elif act in scene_rows.ACTIONS and index is not None:
        new_rows = scene_rows.ACTIONS[act](rows, index)
        new_ids = _ids_after(act, ids, index, lab.next_id)
    else:
        return lab
    new_ids = new_ids[: len(new_rows)]
    lab = replace(lab, next_id=max(new_ids + [lab.next_id - 1]) + 1)
    lab = with_rows(lab, new_rows, tuple(new_ids))
    added = act == "add" and len(new_rows) > len(rows)
    return with_moving_rate(lab, len(new_rows) - 1) if added else lab


def add_twin(lab: Lab, row_id, name) -> Lab:
    """The built-in `name` with row `row_id`'s numbers, run right after it (a typed rule's
    check: do the two paths lie on each other?)."""
    index = row_index(lab, row_id)
    if index is None or name not in optimizers.CATALOG or len(lab.row_ids) >= scenes.MAX_ROWS:
        return lab
    ids = [*lab.row_ids[: index + 1], lab.next_id, *lab.row_ids[index + 1 :]]
    lab = replace(lab, next_id=lab.next_id + 1)
    return with_rows(lab, scene_rows.beside(lab.scene.rows, index, name), tuple(ids))


def with_rows(lab: Lab, rows, row_ids=None) -> Lab:
    """The scene with these rows, checked like a file (so it stays in its canonical form)."""
    return changed_scene(lab, row_ids, rows=[row_dict(r) for r in rows])


def _ids_after(act: str, ids: list[int], index: int, next_id: int) -> list[int]:
    if act == "remove":
        return ids if len(ids) <= 1 else [*ids[:index], *ids[index + 1 :]]
    if act == "duplicate":
        return [*ids[: index + 1], next_id, *ids[index + 1 :]]
    return [*ids[:index], next_id, ids[index], next_id + 1, *ids[index + 1 :]]  # three rates
