"""Keras callbacks for the network view, typed as the course types them:

    ReduceLROnPlateau(monitor='val_loss', factor=0.5, patience=5, min_lr=1e-12)
    LearningRateScheduler(lambda epoch, lr: lr if epoch < 10 else lr * exp(-0.1))
    EarlyStopping(monitor='val_loss', patience=20, restore_best_weights=True)

and the Lab's own schedules by epoch (`step(every=100, factor=0.5)`, `cosine()`, ...), several
separated by commas or semicolons. The text is read with Python's `ast` (parsed, never run):
only calls of these names with constant arguments pass, and a scheduler's function becomes a
formula of `epoch` and `lr` for the formula parser. Every error names its column.
"""

from __future__ import annotations

import ast
import math
from typing import NamedTuple

import jax.numpy as jnp

from landscapes import formula as fm
from lll_i18n import Message
from optimizers import schedules

MAX_TEXT = 600  # characters
MONITORS = ("val_loss", "loss")
EPOCH_SCHEDULES = ("step", "exponential", "inverse_time", "cosine", "warmup", "cyclic")
EPOCH_SCHEDULES += ("one_cycle",)
STOPPING = {  # Keras's EarlyStopping arguments we take, and its defaults
    "monitor": "val_loss",
    "min_delta": 0.0,
    "patience": 0.0,
    "restore_best_weights": False,
}
PLATEAU = {"monitor": "val_loss", **{k: p.default for k, p in schedules.PARAMS["plateau"].items()}}
STOPPING_RANGES = {"patience": (0.0, 1e5), "min_delta": (0.0, 1e3)}
QUIET = ("verbose", "mode")  # accepted and left alone: mode must be Keras's min (or auto)
SCHEDULER_FUNCTIONS = {
    **fm.FUNCTIONS,
    "floor": (1, jnp.floor, r"\lfloor {} \rfloor"),
    "where": (3, lambda c, a, b: jnp.where(c > 0, a, b), r"[{0}]\,{1} + [\lnot {0}]\,{2}"),
    "less": (2, lambda a, b: (a < b).astype(jnp.float32), r"[{} < {}]"),
    "less_equal": (2, lambda a, b: (a <= b).astype(jnp.float32), r"[{} \le {}]"),
}
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_COMPARISONS = {  # a op b as a function of (a, b): 1 where it holds, else 0
    ast.Lt: ("less", False),
    ast.LtE: ("less_equal", False),
    ast.Gt: ("less", True),
    ast.GtE: ("less_equal", True),
}


class CallbackError(ValueError):
    """What is wrong with a callbacks text and the 0-based column where it was found."""

    def __init__(self, key: str, column: int, **params):
        self.message = Message(f"callbacks.{key}", **params)
        self.column = column
        super().__init__(f"column {column + 1}: {self.message}")


class Stopping(NamedTuple):
    """Keras's EarlyStopping: the watched loss, its patience and least improvement, and
    whether the best epoch's weights are restored at the end."""

    monitor: str = "val_loss"
    patience: float = 0.0
    min_delta: float = 0.0
    restore: bool = False


class Callbacks(NamedTuple):
    """A network row's callbacks: the rate's schedule by epoch (reduce-on-plateau included)
    and what it watches, a LearningRateScheduler's formula of `epoch` and `lr`, early
    stopping; `text` is what was typed, tidied."""

    schedule: schedules.Schedule | None = None
    monitor: str = "val_loss"
    scheduler: str | None = None
    stopping: Stopping | None = None
    text: str = ""

    @property
    def structure(self) -> tuple:
        """What shapes the compiled training: the watched losses, the scheduler's formula,
        whether a run can stop and restore (the numbers are traced)."""
        stop = self.stopping and (self.stopping.monitor, self.stopping.restore)
        return (self.monitor, self.scheduler, stop)

    def numbers(self) -> dict:
        """Early stopping's traced numbers (zeros without it)."""
        stop = self.stopping or Stopping()
        return {"patience": stop.patience, "min_delta": stop.min_delta}


NONE = Callbacks()


def parse(text) -> Callbacks:
    """A row's callbacks from their text, or a CallbackError naming the first problem's column.
    At most one thing sets the rate (a schedule, ReduceLROnPlateau or LearningRateScheduler)."""
    if not isinstance(text, str):
        raise CallbackError("text", 0)
    if len(text) > MAX_TEXT:
        raise CallbackError("length", MAX_TEXT, max=MAX_TEXT)
    if not text.strip():
        return NONE
    source = text.replace(";", ",")  # same columns; a semicolon also separates
    try:
        body = ast.parse(f"({source.strip()},)", mode="eval").body
    except SyntaxError as error:
        column = (error.offset or 1) - 2 + len(source) - len(source.lstrip())
        inside = 0 <= column < len(text.rstrip())  # else the wrapper: something missing at the end
        raise CallbackError("syntax", column if inside else len(text)) from None
    except (RecursionError, MemoryError, ValueError):
        raise CallbackError("syntax", 0) from None
    shift = len(source) - len(source.lstrip()) - 1  # columns in `body` are one past the text's
    calls = [c for item in body.elts for c in (item.elts if _is_list(item) else [item])]
    found: dict = {}
    for call in calls:
        name, value = _callback(call, shift)
        if name in found:
            raise CallbackError("twice", call.col_offset + shift, name=name)
        found[name] = value
    setters = [n for n in found if n != "EarlyStopping"]
    if len(setters) > 1:
        raise CallbackError("two_setters", 0, first=setters[0], second=setters[1])
    tidy = ", ".join(ast.get_source_segment(f"({source.strip()},)", c) for c in calls)
    plateau = found.get("ReduceLROnPlateau")
    schedule = next((found[n] for n in found if n in EPOCH_SCHEDULES), None)
    return Callbacks(
        schedule=plateau[0] if plateau else schedule,
        monitor=plateau[1] if plateau else "val_loss",
        scheduler=found.get("LearningRateScheduler"),
        stopping=found.get("EarlyStopping"),
        text=tidy,
    )


def _is_list(node) -> bool:
    return isinstance(node, ast.List | ast.Tuple)


def _callback(node, shift: int):
    """(name, what it holds) of one call in the text."""
    if not isinstance(node, ast.Call):
        raise CallbackError("not_a_call", node.col_offset + shift, known=_known())
    name = _called(node.func)
    column = node.col_offset + shift
    if name == "LearningRateScheduler":
        return name, _scheduler(node, shift)
    if name == "ReduceLROnPlateau":
        defaults, ranges = PLATEAU, schedules.PARAMS["plateau"]
    elif name == "EarlyStopping":
        defaults, ranges = STOPPING, {k: _Range(*r) for k, r in STOPPING_RANGES.items()}
    elif name in EPOCH_SCHEDULES:
        ranges = schedules.PARAMS[name]
        defaults = {k: p.default for k, p in ranges.items()}
    else:
        raise CallbackError("unknown", column, value=repr(name[:40] or "?"), known=_known())
    if node.args:
        raise CallbackError("positional", node.args[0].col_offset + shift, name=name)
    given = {}
    for keyword in node.keywords:
        where = keyword.col_offset + shift
        if keyword.arg is None:
            raise CallbackError("syntax", where)
        if keyword.arg not in (*defaults, *QUIET):
            allowed = ", ".join(defaults)
            raise CallbackError("argument", where, name=name, value=keyword.arg, allowed=allowed)
        if keyword.arg in given:
            raise CallbackError("twice", where, name=keyword.arg)
        value = _constant(keyword.value, shift)
        if keyword.arg not in QUIET or _mode(keyword.arg, value, keyword.value.col_offset + shift):
            given[keyword.arg] = (value, keyword.value.col_offset + shift)
    values = _checked(given, defaults, ranges)
    if name == "ReduceLROnPlateau":
        monitor = values.pop("monitor")
        return name, (schedules.schedule("plateau", **values), monitor)
    if name == "EarlyStopping":
        return name, Stopping(
            values["monitor"],
            float(values["patience"]),
            float(values["min_delta"]),
            bool(values["restore_best_weights"]),
        )
    return name, schedules.schedule(name, **values)


class _Range(NamedTuple):
    low: float
    high: float


def _mode(key: str, value, column: int) -> bool:
    """False: a quiet argument to drop. Keras's mode must minimize, as a loss wants."""
    if key == "mode" and value not in ("min", "auto"):
        raise CallbackError("mode", column)
    return False


def _checked(given: dict, defaults: dict, ranges: dict) -> dict:
    """`defaults` overridden by the `given` (value, column) pairs, each checked: of its
    default's type, inside its range."""
    values = dict(defaults)
    for key, (value, column) in given.items():
        default = defaults[key]
        if isinstance(default, str):
            if value not in MONITORS:
                raise CallbackError("monitor", column, allowed=", ".join(MONITORS))
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise CallbackError("boolean", column, name=key)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise CallbackError("number", column, name=key)
        elif not (math.isfinite(value) and ranges[key].low <= value <= ranges[key].high):
            low, high = ranges[key].low, ranges[key].high
            raise CallbackError("range", column, name=key, low=f"{low:g}", high=f"{high:g}")
        values[key] = value
    return values


def _called(func) -> str:
    """The name a call calls: `EarlyStopping`, or the last part of `keras.callbacks.X`."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and _dotted(func.value):
        return func.attr
    return ""


def _dotted(node) -> bool:
    if isinstance(node, ast.Name):
        return True
    return isinstance(node, ast.Attribute) and _dotted(node.value)


def _constant(node, shift: int):
    """A keyword's value: a number, a sign and a number, True/False or a string."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _constant(node.operand, shift)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return -value if isinstance(node.op, ast.USub) else value
    elif isinstance(node, ast.Constant) and isinstance(node.value, int | float | str | bool):
        return node.value
    raise CallbackError("constant", node.col_offset + shift)


def _scheduler(node: ast.Call, shift: int) -> str:
    """A LearningRateScheduler's function as a formula of `epoch` and `lr`, checked by parsing."""
    arguments = [*node.args, *(k.value for k in node.keywords if k.arg == "schedule")]
    if len(arguments) != 1 or len(node.keywords) > (not node.args):
        raise CallbackError("scheduler", node.col_offset + shift)
    function = arguments[0]
    column = function.col_offset + shift
    plain = isinstance(function, ast.Constant) and isinstance(function.value, str)
    if plain:
        text, column = function.value, column + 1
    elif isinstance(function, ast.Lambda):
        names = [a.arg for a in function.args.args]
        if not 1 <= len(names) <= 2 or function.args.vararg or function.args.kwonlyargs:
            raise CallbackError("lambda", column)
        text = _formula(function.body, dict(zip(names, ("epoch", "lr"), strict=False)), shift)
        column = function.body.col_offset + shift
    else:
        raise CallbackError("scheduler", column)
    try:
        _SchedulerParser(text).formula()
    except fm.FormulaError as error:
        where = column + error.column if plain else column
        raise CallbackError("formula", where, error=error.message) from None
    return text


def _formula(node, names: dict, shift: int) -> str:
    """A Python expression of the lambda's names as formula text; anything else is refused."""
    part = lambda child: f"({_formula(child, names, shift)})"  # noqa: E731
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return repr(float(node.value))
    if isinstance(node, ast.Name) and node.id in {*names, "pi", "e"}:
        return names.get(node.id, node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return f"{part(node.left)} {_OPERATORS[type(node.op)]} {part(node.right)}"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv):
        return f"floor({part(node.left)} / {part(node.right)})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return ("-" if isinstance(node.op, ast.USub) else "+") + part(node.operand)
    if isinstance(node, ast.IfExp):
        return f"where({part(node.test)}, {part(node.body)}, {part(node.orelse)})"
    if isinstance(node, ast.BoolOp):
        joined = "min" if isinstance(node.op, ast.And) else "max"
        out = part(node.values[0])
        for value in node.values[1:]:
            out = f"{joined}({out}, {part(value)})"
        return out
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARISONS for op in node.ops):
        sides = [node.left, *node.comparators]
        tests = []
        for op, left, right in zip(node.ops, sides, sides[1:], strict=False):
            function, swap = _COMPARISONS[type(op)]
            a, b = (right, left) if swap else (left, right)
            tests.append(f"{function}({part(a)}, {part(b)})")
        out = tests[0]
        for test in tests[1:]:
            out = f"min({out}, {test})"
        return out
    name = _called(node.func) if isinstance(node, ast.Call) and not node.keywords else ""
    if name in ("float", *SCHEDULER_FUNCTIONS):
        args = ", ".join(part(a) for a in node.args)
        return args if name == "float" and len(node.args) == 1 else f"{name}({args})"
    raise CallbackError("formula_part", node.col_offset + shift)


class _SchedulerParser(fm.Parser):
    """The formula parser over `epoch` and `lr`, with floor, where and comparisons."""

    functions = SCHEDULER_FUNCTIONS

    def name(self, text: str, column: int) -> fm.Node:
        if text in ("epoch", "lr"):
            return self.node("var", text, column=column)
        if text in ("x", "y"):
            known = ", ".join(sorted(self.functions))
            raise fm.FormulaError("name", column, value=repr(text), known=known)
        return super().name(text, column)


def rate(formula: str, epoch, lr):
    """A LearningRateScheduler's new rate at `epoch` (from 0) given the current rate `lr`."""
    tree = _SchedulerParser(formula).formula()
    return fm.walk(tree, {"epoch": epoch, "lr": lr}, SCHEDULER_FUNCTIONS)


def _known() -> str:
    return ", ".join(
        ["ReduceLROnPlateau", "LearningRateScheduler", "EarlyStopping", *EPOCH_SCHEDULES]
    )
