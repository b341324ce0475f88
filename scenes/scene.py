"""`Scene`: everything needed to redraw a picture, validated field by field.

A scene comes from widgets, a URL, a preset or a file. Reading one never raises for bad
values: each bad field falls back to its default and adds a one-line notice, so a
hand-edited preset or a mangled link still draws something, and says what it ignored.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np

import landscapes
import lll_i18n as i18n
import optimizers
from lll_i18n import Message
from scenes.checks import bounded, flag, name_in, real, shown, text, unknown_keys, whole

MAX_STEPS = 5000
MAX_ROWS = 12
FORMULA = "formula"  # the surface typed by the user: `Scene.formula` over `Scene.domain`
MAX_DOMAIN = 1e6
LAYOUTS = ("overlay", "side")
MAX_LABEL = 60
PALETTE = (
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#42d4f4",
    "#f032e6",
    "#9a6324",
    "#000075",
    "#808000",
    "#469990",
    "#800000",
)


@dataclasses.dataclass(frozen=True)
class Row:
    """One optimizer row: catalog name, hyperparameters, schedule and visible options."""

    name: str = "sgd"
    hyper: dict = dataclasses.field(default_factory=dict)
    schedule: str = "constant"
    schedule_params: dict = dataclasses.field(default_factory=dict)
    clip_norm: float | None = None
    clip_value: float | None = None
    weight_decay: float = 0.0
    batch_size: float = 1.0
    line_search: bool = False
    label: str = ""
    color: str = ""
    rule: str = ""  # the update rule typed as text, for the optimizer "rule"

    def entry(self) -> optimizers.Entry:
        """The row's optimizer: a catalog entry, or its typed rule's."""
        return optimizers.entry_of(self.name, {"rule": self.rule})

    def spec(self) -> optimizers.Spec:
        """The optimizer spec this row describes (values already validated)."""
        rule = {"rule": self.rule} if self.name == optimizers.RULE else {}
        return optimizers.make(
            self.name,
            schedule=optimizers.schedule(self.schedule, **self.schedule_params),
            clip_norm=self.clip_norm,
            clip_value=self.clip_value,
            weight_decay=self.weight_decay,
            batch_size=self.batch_size,
            line_search=self.line_search,
            label=self.label or None,
            **rule,
            **self.hyper,
        )


@dataclasses.dataclass(frozen=True)
class Scene:
    """A surface, a start, the optimizer rows and how to run and show them."""

    surface: str = "rosenbrock"
    surface_params: dict = dataclasses.field(default_factory=dict)
    l1: float = 0.0
    l2: float = 0.0
    start: tuple | None = None
    steps: int = 300
    noise: float = 0.0
    seed: int = 0
    layout: str = "overlay"
    rows: tuple = (
        Row("sgd", {"learning_rate": 1e-3}),
        Row("momentum", {"learning_rate": 1e-3}),
        Row("adam", {"learning_rate": 0.05}),
    )
    formula: str = ""  # only for surface "formula"
    domain: tuple | None = None  # ((x0, x1), (y0, y1)) of a formula; None: the default

    def base_surface(self) -> landscapes.Surface:
        """The surface before regularization: a named one with its parameters, or the formula."""
        if self.surface == FORMULA:
            return landscapes.from_formula(
                self.formula, self.domain or landscapes.formula.DEFAULT_DOMAIN
            )
        return landscapes.get(self.surface, **self.surface_params)

    def surface_object(self) -> landscapes.Surface:
        """The landscapes.Surface, regularized as the scene asks."""
        return landscapes.regularized(self.base_surface(), l1=self.l1, l2=self.l2)

    def start_point(self) -> tuple[float, float]:
        """The start, or the surface's default start."""
        return self.start if self.start is not None else self.base_surface().start

    def colors(self) -> list[str]:
        """Each row's colour: its own, or the palette's in row order."""
        return row_colors(self.rows)

    def shown_labels(self, labels, lang: str = "en") -> list[str]:
        """The runs' labels for pictures in `lang`: an automatic label's optimizer name (and
        "Armijo line search") translated, and a preset's labels; a typed label as typed. Data
        files keep English."""
        shown = []
        for row, label in zip(self.rows, labels, strict=True):
            title = row.entry().title
            if row.label:
                shown.append(i18n.own_words(label, lang))
                continue
            if lang == "en" or not label.startswith(title):
                shown.append(label)
                continue
            rest = label[len(title) :].replace(
                "Armijo line search", i18n.text("option.line_search", lang)
            )
            shown.append(i18n.text(f"optimizer.{row.name}.title", lang, english=title) + rest)
        return shown

    def link(self, app: str = "http://localhost:8501/") -> str:
        """The app's link that shows this scene (`app`: where the app is served)."""
        from scenes.url import query_string  # url builds on this module

        return f"{app}?{query_string(self)}"

    def to_dict(self) -> dict:
        """A JSON-ready dict (the scene-file and preset format)."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["surface_params"] = dict(self.surface_params)
        out["rows"] = [row_dict(r) for r in self.rows]
        out["start"] = list(self.start) if self.start is not None else None
        out["domain"] = [list(pair) for pair in self.domain] if self.domain is not None else None
        return out

    def picture_json(self) -> str:
        """The scene without what only moves the runs (rows, start, steps, noise, seed), as
        text: equal pictures, equal text, so what is drawn once per picture is cached on it."""
        moving = ("rows", "start", "steps", "noise", "seed")
        picture = {k: v for k, v in self.to_dict().items() if k not in moving}
        return json.dumps(picture, sort_keys=True)


SCENE_FIELDS = tuple(f.name for f in dataclasses.fields(Scene))
ROW_FIELDS = tuple(f.name for f in dataclasses.fields(Row))


def row_colors(rows) -> list[str]:
    """Each row's colour: its own, or the palette's at its place."""
    return [r.color or PALETTE[i % len(PALETTE)] for i, r in enumerate(rows)]


def row_dict(row: Row) -> dict:
    defaults = Row()
    out = {}
    for field in dataclasses.fields(row):
        value = getattr(row, field.name)
        if field.name == "name" or value != getattr(defaults, field.name):
            out[field.name] = dict(value) if isinstance(value, dict) else value
    return out


def from_dict(data, notices: list[str] | None = None) -> Scene:
    """A Scene from a (possibly hand-edited, possibly hostile) dict; notices collect what was
    fixed."""
    notices = [] if notices is None else notices
    base = Scene()
    if not isinstance(data, dict):
        notices.append(Message("notice.scene_mapping"))
        return base
    unknown_keys(data, SCENE_FIELDS, "scene", notices)
    fields = {}
    surface = data.get("surface", base.surface)
    if surface == FORMULA:
        fields["formula"], fields["domain"] = _formula(
            data.get("formula"), data.get("domain"), notices
        )
        surface = surface if fields["formula"] else base.surface
    elif not name_in(surface, landscapes.names()):
        notices.append(
            Message("notice.surface_unknown", value=shown(surface, 40), default=base.surface)
        )
        surface = base.surface
    fields["surface"] = surface
    specs = landscapes.param_specs(surface) if surface != FORMULA else {}
    fields["surface_params"] = _params(data.get("surface_params", {}), specs, "surface", notices)
    for key in ("l1", "l2"):
        fields[key] = bounded(data.get(key, 0.0), 0.0, 0.0, 10.0, key, notices)
    shape = Scene(
        surface=surface,
        surface_params=fields["surface_params"],
        formula=fields.get("formula", ""),
        domain=fields.get("domain"),
    )
    fields["start"] = _start(data.get("start"), shape.base_surface(), notices)
    if surface == FORMULA:  # a built-in surface is finite over its domain (a test checks)
        fields |= _finite_start(shape.base_surface(), fields["start"], notices)
    fields["steps"] = whole(
        data.get("steps", base.steps), base.steps, 1, MAX_STEPS, "steps", notices
    )
    fields["noise"] = bounded(data.get("noise", 0.0), 0.0, 0.0, 100.0, "noise", notices)
    fields["seed"] = whole(data.get("seed", 0), 0, 0, 2**31 - 1, "seed", notices)
    layout = data.get("layout", base.layout)
    if not name_in(layout, LAYOUTS):
        notices.append(
            Message("notice.layout", value=shown(layout, 20), choices=", ".join(LAYOUTS))
        )
        layout = base.layout
    fields["layout"] = layout
    rows = data.get("rows", None)
    if rows is None:
        fields["rows"] = base.rows
    elif not isinstance(rows, list | tuple) or not rows:
        notices.append(Message("notice.rows_list"))
        fields["rows"] = base.rows
    else:
        if len(rows) > MAX_ROWS:
            notices.append(Message("notice.rows_max", max=MAX_ROWS))
        parsed = [row_from_dict(r, notices) for r in rows[:MAX_ROWS]]
        fields["rows"] = tuple(parsed)
    return Scene(**fields)


def row_from_dict(data, notices: list[str]) -> Row:
    """One optimizer row from a dict, each bad value replaced by its default with a notice."""
    if not isinstance(data, dict):
        notices.append(Message("notice.row_mapping"))
        return Row()
    unknown_keys(data, ROW_FIELDS, "row", notices)
    name = data.get("name", "sgd")
    rule = ""
    if name == optimizers.RULE:
        rule = _rule(data.get("rule", ""), notices)
        if not rule:  # SGD in its place, at the row's rate: the rule's own numbers have no use
            name, hyper = "sgd", data.get("hyper", {})
            if isinstance(hyper, dict):
                data = {**data, "hyper": {k: v for k, v in hyper.items() if k == "learning_rate"}}
    elif not name_in(name, optimizers.CATALOG):
        notices.append(Message("notice.optimizer_unknown", value=shown(name, 40)))
        name = "sgd"
    entry = optimizers.entry_of(name, {"rule": rule})
    hyper = _params(data.get("hyper", {}), entry.hyper, name, notices)
    schedule = data.get("schedule", "constant")
    if not name_in(schedule, optimizers.schedules.PARAMS) or schedule == "warmup":
        notices.append(Message("notice.schedule_unknown", value=shown(schedule)))
        schedule = "constant"
    specs = optimizers.schedules.PARAMS[schedule]
    schedule_params = _params(data.get("schedule_params", {}), specs, schedule, notices)
    options = {}
    for key in ("clip_norm", "clip_value"):
        value = data.get(key)
        spec = optimizers.OPTIONS[key]
        options[key] = (
            None if value is None else bounded(value, None, spec.low, spec.high, key, notices)
        )
    for key in ("weight_decay", "batch_size"):
        spec = optimizers.OPTIONS[key]
        options[key] = bounded(
            data.get(key, spec.default), spec.default, spec.low, spec.high, key, notices
        )
    color = text(data.get("color", ""), "", 7, "color", notices)
    if color and not _is_hex_color(color):
        notices.append(Message("notice.color", value=repr(color)))
        color = ""
    return Row(
        name,
        hyper,
        schedule,
        schedule_params,
        line_search=flag(data.get("line_search", False), False, "line_search", notices),
        label=text(data.get("label", ""), "", MAX_LABEL, "label", notices),
        color=color,
        rule=rule,
        **options,
    )


def _rule(value, notices) -> str:
    """A typed update rule if it parses, else "" with a notice naming its line and column."""
    try:
        optimizers.own.parse(value)
    except optimizers.RuleError as error:
        notices.append(
            Message("notice.rule", error=error.message, line=error.line, column=error.column + 1)
        )
        return ""
    return value


def _is_hex_color(text: str) -> bool:
    return (
        len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:])
    )


def _params(values, specs, where, notices) -> dict:
    if not isinstance(values, dict):
        notices.append(Message("notice.params_mapping", where=where))
        return {}
    out = {}
    for key, value in values.items():
        if key not in specs:
            notices.append(Message("notice.no_param", where=where, value=repr(str(key)[:30])))
            continue
        spec = specs[key]
        number = bounded(value, spec.default, spec.low, spec.high, f"{where}.{key}", notices)
        if (
            number != spec.default
        ):  # canonical form: defaults stay implicit, so equal scenes compare equal
            out[key] = number
    return out


def _formula(text, domain, notices) -> tuple[str, tuple | None]:
    """(formula, domain) if the formula parses and the domain is sound; ("", None) and a notice
    when the formula does not parse; the default domain (None) when only the domain is bad."""
    try:
        landscapes.formula.parse(text)
    except landscapes.formula.FormulaError as error:
        notices.append(
            Message(
                "notice.formula",
                error=error.message,
                column=error.column + 1,
                default=Scene().surface,
            )
        )
        return "", None
    if domain is None:
        return text.strip(), None
    corners = _numbers(domain, 4, "domain")
    if corners is None:
        notices.append(Message("notice.domain_four"))
        return text.strip(), None
    x0, x1, y0, y1 = corners
    if not all(abs(v) <= MAX_DOMAIN for v in corners) or not (x0 < x1 and y0 < y1):
        notices.append(Message("notice.domain_bad", max=f"{MAX_DOMAIN:g}"))
        return text.strip(), None
    chosen = ((x0, x1), (y0, y1))
    return text.strip(), None if chosen == landscapes.formula.DEFAULT_DOMAIN else chosen


def _finite_start(surface: landscapes.Surface, start, notices) -> dict:
    """Fields that keep a formula's run from starting where its loss is not finite: the
    surface's own start instead of a given one, or, when that too is not finite, the default
    surface instead of the formula."""
    point = start or surface.start
    if landscapes.surface.finite_at(surface, point):
        return {}
    x, y = (f"{v:.4g}" for v in point)
    if start is not None and landscapes.surface.finite_at(surface, surface.start):
        notices.append(Message("notice.start_finite", x=x, y=y))
        return {"start": None}
    notices.append(Message("notice.formula_not_finite", x=x, y=y, default=Scene().surface))
    return {"surface": Scene().surface, "formula": "", "domain": None, "start": None}


def _numbers(value, count: int, name: str) -> tuple | None:
    """`count` finite numbers from a list of them (or, for a domain, two pairs); None when
    the value is not such a list (text is not a list of its characters here)."""
    if isinstance(value, list | tuple) and all(
        isinstance(v, list | tuple) and len(v) == 2 for v in value
    ):
        value = [c for pair in value for c in pair]
    if not isinstance(value, list | tuple) or len(value) != count:
        return None
    numbers = [real(v, name, None, []) for v in value]  # the caller says what was wrong
    return None if None in numbers else tuple(numbers)


def _start(value, default: landscapes.Surface, notices):
    if value is None:
        return None
    point = _numbers(value, 2, "start")
    if point is None:
        notices.append(Message("notice.start_two"))
        return None
    x, y = point
    (x0, x1), (y0, y1) = default.domain
    clipped = (float(np.clip(x, x0, x1)), float(np.clip(y, y0, y1)))
    if clipped != (x, y):
        notices.append(Message("notice.start_outside"))
    return None if clipped == default.start else clipped  # canonical: the default start is implicit
