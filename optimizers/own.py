"""Your own optimizer: an update rule typed as text, parsed safely, run by the same engine.

A rule is one assignment a line, run in order at every step, as the CS231n notes write them:

    params: mu = 0.9          # hyperparameters and their defaults (lr sets the rate's)
    v = mu * v - lr * g
    x = x + v

`x` is the point, `g` the gradient at it (noise and clipping included), `t` the step (from 1)
and `lr` the row's learning rate after its schedule; `grad(p)` and `loss(p)` evaluate the
surface at another point. A name read before it is assigned is state (starting at 0, or at
the value an `init:` line gives it); any other name must be declared in `params:`. The
expressions go through the formula parser (our own, no `eval`), with a few more functions.
The rule's text is its structure: it compiles once, and its numbers are traced.
"""

from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from landscapes import Param
from landscapes import formula as fm
from lll_i18n import Message
from optimizers import catalog

RULE = "rule"  # the optimizer name of a typed rule, in specs, rows and links
TITLE = "Your rule"
MAX_RULE_LENGTH = 1000  # characters
MAX_LINES = 16  # lines that say something (comments and blank lines are free)
MAX_RULE_NODES = 800  # numbers, names and operations of all lines together
MAX_STATE = 8
MAX_PARAMS = 8
MAX_NAME = 20
MAX_SURFACE_CALLS = 8  # grad(p) and loss(p): each one more pass over the surface a step
GIVEN = ("x", "g", "t", "lr")
# Keys a row's link already uses for its own fields: a hyperparameter of that name would clash.
LINK_KEYS = ("s", "ls", "label", "color", "rule", "learning_rate", "clip_norm", "clip_value")
LINK_KEYS += ("weight_decay", "batch_size")
FUNCTIONS = {
    **fm.FUNCTIONS,
    "norm": (1, lambda a: jnp.sqrt(jnp.sum(jnp.square(a))), r"\left\lVert {} \right\rVert"),
    "dot": (2, lambda a, b: jnp.sum(a * b), r"\left\langle {}, {} \right\rangle"),
    "sum": (1, jnp.sum, r"\textstyle\sum \left({}\right)"),
    "clip": (3, jnp.clip, r"\operatorname{{clip}}\left({}, {}, {}\right)"),
    "where": (
        3,
        lambda c, a, b: jnp.where(c > 0, a, b),
        r"\begin{{cases}} {1} & {0} > 0 \\ {2} & \text{{else}} \end{{cases}}",
    ),
    "grad": (1, None, r"\nabla f\left({}\right)"),  # bound to the surface at each step
    "loss": (1, None, r"f\left({}\right)"),
}
_ASSIGNMENT = re.compile(r"\s*([A-Za-z_]\w*)\s*=(?!=)", re.ASCII)
_DECLARATION = re.compile(r"\s*(params|init)\s*:", re.ASCII)
_GREEK = {
    "alpha": r"\alpha",
    "beta": r"\beta",
    "b1": r"\beta_1",
    "b2": r"\beta_2",
    "gamma": r"\gamma",
    "delta": r"\delta",
    "eps": r"\epsilon",
    "lam": r"\lambda",
    "mu": r"\mu",
    "nu": r"\nu",
    "rho": r"\rho",
    "tau": r"\tau",
    "lr": r"\eta",
    "x": r"\theta",
}


class RuleError(ValueError):
    """What is wrong with a rule, at its 1-based line and 0-based column."""

    def __init__(self, message: Message, line: int, column: int):
        self.message, self.line, self.column = message, line, column
        super().__init__(f"line {line}, column {column + 1}: {message}")


class Line(NamedTuple):
    """One assignment: the name it sets and its expression."""

    target: str
    tree: fm.Node


class Program(NamedTuple):
    """A parsed rule: its assignments in order, its hyperparameters' and state's starting
    values, and the learning rate it declares (None: the catalog's usual 0.01)."""

    text: str
    lines: tuple[Line, ...]
    params: dict[str, float]
    state: dict[str, float]
    learning_rate: float | None


class _RuleParser(fm.Parser):
    """The formula parser with the rule's functions, any other name being a variable; it
    remembers where each name was first read, for the errors that come after parsing."""

    functions = FUNCTIONS

    def __init__(self, text: str):
        super().__init__(text)
        self.first_read: dict[str, int] = {}

    def name(self, text: str, column: int) -> fm.Node:
        if text in FUNCTIONS or text in fm.CONSTANTS:
            return super().name(text, column)
        if self.peek()[0] == "(":  # a call of something that is not a function
            known = ", ".join(sorted(FUNCTIONS))
            raise fm.FormulaError("rule_function", column, value=repr(text[:30]), known=known)
        if len(text) > MAX_NAME:
            raise fm.FormulaError("rule_name_long", column, max=MAX_NAME)
        self.first_read.setdefault(text, column)
        return self.node("var", text, column=column)


def _expression(text: str, line: int, offset: int) -> tuple[fm.Node, dict[str, int], int]:
    """(tree, first column of each name read, nodes) of the expression `text`, which starts at
    column `offset` of its line; a formula error becomes a rule error at the same place."""
    try:
        parser = _RuleParser(text)
        tree = parser.formula()
    except fm.FormulaError as error:
        raise RuleError(error.message, line, offset + error.column) from None
    return tree, {k: offset + c for k, c in parser.first_read.items()}, parser.nodes


def _declarations(text: str, line: int, offset: int, out: dict[str, tuple[float, int]]):
    """`name = number, ...` of a params: or init: line into `out` (name → (value, line,
    column): an error about a declaration found later names its place)."""
    at = 0
    for piece in text.split(","):
        match = _ASSIGNMENT.match(piece)
        column = offset + at + len(piece) - len(piece.lstrip())
        if not match:
            raise RuleError(Message("rule.declaration"), line, column)
        name = match.group(1)
        rest = piece[match.end() :]
        tree, _, _ = _expression(rest, line, offset + at + match.end())
        value = fm.arithmetic(tree)
        if value is None or not math.isfinite(value):
            raise RuleError(Message("rule.declaration_number", name=name), line, column)
        if name in out:
            raise RuleError(Message("rule.declared_twice", name=name), line, column)
        out[name] = (float(value), line, column)
        at += len(piece) + 1


def _check_target(name: str, params: dict, line: int, column: int) -> None:
    """A RuleError unless `name` may be assigned: not given by the run, not a function or a
    constant, not a hyperparameter, not too long."""
    if name in ("g", "t", "lr"):
        raise RuleError(Message("rule.given", name=name), line, column)
    if name in FUNCTIONS or name in fm.CONSTANTS:
        raise RuleError(Message("rule.reserved", name=name), line, column)
    if name in params:
        raise RuleError(Message("rule.param_assigned", name=name), line, column)
    if len(name) > MAX_NAME:
        raise RuleError(Message("formula.rule_name_long", max=MAX_NAME), line, column)


def _surface_calls(tree: fm.Node) -> int:
    """How many times `tree` evaluates the surface elsewhere (grad and loss calls)."""
    own = tree.kind == "call" and tree.value in ("grad", "loss")
    return own + sum(_surface_calls(arg) for arg in tree.args)


def _reads(tree: fm.Node):
    """The names `tree` reads, left to right."""
    if tree.kind == "var":
        yield tree.value
    for arg in tree.args:
        yield from _reads(arg)


def parse(text: str) -> Program:
    """The rule's program, or a RuleError naming the line and column of the first problem."""
    if not isinstance(text, str):
        raise RuleError(Message("rule.text"), 1, 0)
    return _parse(text)


@functools.lru_cache(maxsize=128)
def _parse(text: str) -> Program:
    if len(text) > MAX_RULE_LENGTH:
        raise RuleError(Message("rule.length", max=MAX_RULE_LENGTH), 1, 0)
    if not "".join(line.split("#", 1)[0] for line in text.split("\n")).strip():
        raise RuleError(Message("rule.empty"), 1, 0)
    params: dict[str, tuple[float, int, int]] = {}
    init: dict[str, tuple[float, int, int]] = {}
    written = []  # (target, column, line number, expression text, its column)
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        code = raw.split("#", 1)[0]
        if not code.strip():
            continue
        if len(written) + bool(params) + bool(init) >= MAX_LINES:
            raise RuleError(Message("rule.lines", max=MAX_LINES), number, 0)
        declaration = _DECLARATION.match(code)
        if declaration:
            into = params if declaration.group(1) == "params" else init
            _declarations(code[declaration.end() :], number, declaration.end(), into)
            continue
        match = _ASSIGNMENT.match(code)
        if not match:
            column = len(code) - len(code.lstrip())
            raise RuleError(Message("rule.assignment"), number, column)
        written.append((match.group(1), match.start(1), number, code[match.end() :], match.end()))
    return _program(text, params, init, written)


def _program(text: str, params: dict, init: dict, written: list) -> Program:
    """The program of parsed declarations and assignments, names sorted into state and
    hyperparameters, every cap and every name checked."""
    learning_rate = params.pop("lr", (None,))[0]
    for name, (_, line, column) in params.items():
        if name in GIVEN or name in LINK_KEYS or name in FUNCTIONS or name in fm.CONSTANTS:
            raise RuleError(Message("rule.param_name", name=name), line, column)
    if len(params) > MAX_PARAMS:
        raise RuleError(Message("rule.params", max=MAX_PARAMS), 1, 0)
    assigned = {target for target, *_ in written}
    known, state, lines, nodes, calls = set(GIVEN), {}, [], 0, 0
    for target, column, number, expression, offset in written:
        _check_target(target, params, number, column)
        tree, first_read, count = _expression(expression, number, offset)
        nodes += count
        if nodes > MAX_RULE_NODES:
            raise RuleError(Message("formula.nodes", max=MAX_RULE_NODES), number, offset)
        calls += _surface_calls(tree)
        if calls > MAX_SURFACE_CALLS:
            raise RuleError(Message("rule.calls", max=MAX_SURFACE_CALLS), number, offset)
        for name in _reads(tree):
            if name in known or name in params:
                continue
            if name not in assigned:
                raise RuleError(Message("rule.undeclared", name=name), number, first_read[name])
            state[name] = init.get(name, (0.0,))[0]
            known.add(name)
        known.add(target)
        lines.append(Line(target, tree))
    if "x" not in assigned:
        raise RuleError(Message("rule.no_step"), 1, 0)
    if len(state) > MAX_STATE:
        raise RuleError(Message("rule.state", max=MAX_STATE), 1, 0)
    for name, (_, line, column) in init.items():
        if name not in state:
            raise RuleError(Message("rule.init_not_state", name=name), line, column)
    values = {name: value for name, (value, *_) in params.items()}
    return Program(text, tuple(lines), values, state, learning_rate)


def param_for(default: float) -> Param:
    """A slider's range for a hyperparameter the rule declares, from its default's size: a
    fraction (a decay, a momentum) from 0 to 1, a small positive number (an ε) on a log scale
    three decades either side, anything else a hundredfold either side or ±10× its size."""
    help_text = "declared by your rule"
    if 1e-2 <= default < 1:
        return Param(default, 0.0, 1.0, help=help_text)
    if 0 < default < 1e-2:
        return Param(default, default * 1e-3, min(1.0, default * 1e3), log=True, help=help_text)
    if default >= 1:
        return Param(default, default / 100, default * 100, log=True, help=help_text)
    reach = 10 * abs(default) or 1.0
    return Param(default, -reach, reach, help=help_text)


def _step_line(program: Program) -> int | None:
    """The index of the line `x = x ± E` when it is the rule's only assignment to x: the
    step is then ±E itself, as typed, not (x ± E) − x (another rounding and two more
    operations a step)."""
    moves = [i for i, line in enumerate(program.lines) if line.target == "x"]
    if len(moves) != 1:
        return None
    tree = program.lines[moves[0]].tree
    left = tree.args[0] if tree.kind in ("add", "sub") else None
    return moves[0] if left == fm.Node("var", "x") else None


def transform(program: Program, hyper: dict) -> optax.GradientTransformationExtraArgs:
    """The rule as an optax transform whose update is the whole step θ_{t+1} − θ_t: the rule
    applies the learning rate itself (the runner passes it after the schedule)."""
    step_line = _step_line(program)

    def init(params):
        return {name: jnp.full_like(params, value) for name, value in program.state.items()}

    def update(grads, state, params, *, value_fn, learning_rate, step, **_):
        def point(p):
            return jnp.broadcast_to(p, params.shape).astype(params.dtype)

        functions = {
            **FUNCTIONS,
            "grad": (1, lambda p: jax.grad(value_fn)(point(p)), ""),
            "loss": (1, lambda p: value_fn(point(p)), ""),
        }
        names = {
            "x": params,
            "g": grads,
            "t": step + 1.0,
            "lr": learning_rate,
            **{k: hyper[k] for k in program.params},
            **state,
        }
        u = None
        for i, line in enumerate(program.lines):
            if i == step_line:
                term = point(fm.walk(line.tree.args[1], names, functions))
                u = term if line.tree.kind == "add" else -term
                names["x"] = params + u
            else:
                names[line.target] = fm.walk(line.tree, names, functions)
        new_state = {name: point(names[name]) for name in program.state}
        return (point(names["x"]) - params if u is None else u), new_state

    return optax.GradientTransformationExtraArgs(init, update)


def entry(text: str) -> catalog.Entry:
    """The catalog entry of a typed rule (a RuleError if it does not parse): its
    hyperparameters are the learning rate and what the rule declares."""
    parse(text)  # a RuleError now for anything but a good rule
    return _entry(text)


@functools.lru_cache(maxsize=128)
def _entry(text: str) -> catalog.Entry:
    program = _parse(text)
    learning_rate = 0.01 if program.learning_rate is None else program.learning_rate
    hyper = {
        "learning_rate": catalog.ENTRIES[0].hyper["learning_rate"]._replace(default=learning_rate),
        **{name: param_for(value) for name, value in program.params.items()},
    }
    return catalog.Entry(
        RULE,
        TITLE,
        lambda h, f: transform(program, h),
        hyper,
        latex(program),
        "the values your rule declares",
        flags={"rule": text},
        own_step=True,
    )


def entry_of(name: str, flags) -> catalog.Entry:
    """The entry a spec or row names: a catalog optimizer, or a typed rule (its text a flag)."""
    return entry(dict(flags).get("rule", "")) if name == RULE else catalog.entry(name)


def one_line(text: str) -> str:
    """The rule on one line, a "; " between its lines, comments left out: for a data file's
    cell or a page's note (a comment kept there would swallow the lines after it)."""
    lines = (line.split("#", 1)[0].strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "; ".join(line for line in lines if line)


def latex(program: Program, shown: dict | None = None) -> str:
    """The rule as LaTeX, one aligned line an assignment, each name written as `shown` gives
    it (the formula panel passes the values in place), else as its Greek letter or as typed."""
    names = {**_GREEK, **(shown or {})}
    rows = [
        rf"{names.get(line.target, line.target)} &\leftarrow "
        + fm.to_latex(line.tree, FUNCTIONS, names)
        for line in program.lines
    ]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


PART_TOLERANCE = 1e-5  # of the picture's diagonal: float32 rounding stays far below it


class Comparison(NamedTuple):
    """Two paths side by side: their largest distance, and the first step where they are
    farther apart than `tolerance` (None: they never part)."""

    largest: float
    parted_at: int | None
    tolerance: float


def compare(xy_a, xy_b, domain) -> Comparison:
    """How far two paths of equal length ((steps + 1, 2) each) lie apart, step by step: the
    check a student makes of a typed rule against the built-in it should equal."""
    (x0, x1), (y0, y1) = domain
    tolerance = PART_TOLERANCE * math.hypot(x1 - x0, y1 - y0)
    distance = np.linalg.norm(np.asarray(xy_a, np.float64) - np.asarray(xy_b, np.float64), axis=-1)
    apart = np.flatnonzero(distance > tolerance)
    return Comparison(float(distance.max()), int(apart[0]) if apart.size else None, tolerance)
