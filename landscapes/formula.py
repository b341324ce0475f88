"""A surface from a formula typed by a user, parsed safely by construction.

The text is tokenized and parsed here by a small recursive-descent parser into a tree of
numbers, the variables x and y, the constants pi and e, + − * / ^ (or **), parentheses and a
whitelist of functions. The tree is turned into a JAX function by walking it: no `eval`,
`exec` or `sympify` ever sees the text, and a name outside the whitelists is an error, not a
lookup. Length, nesting depth, literal size and literal exponents are capped, and every error
names the column it found.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import unicodedata
from typing import NamedTuple

import jax
import jax.numpy as jnp

from landscapes.custom import from_function
from landscapes.surface import Surface
from lll_i18n import Message

MAX_LENGTH = 500  # characters
MAX_DEPTH = 40  # nested parentheses, calls and signs
MAX_NODES = 400
MAX_TOWER = 2  # powers stacked: x^y^2 (x^(y^2)) is two; x^y^x^y is refused
MAX_EXPONENT = 64  # |n| of a literal exponent: x^1000 only overflows, and says nothing
MAX_LITERAL = 1e12

FUNCTIONS = {  # name → (arity, JAX function, LaTeX template)
    "sin": (1, jnp.sin, r"\sin\left({}\right)"),
    "cos": (1, jnp.cos, r"\cos\left({}\right)"),
    "tan": (1, jnp.tan, r"\tan\left({}\right)"),
    "asin": (1, jnp.arcsin, r"\arcsin\left({}\right)"),
    "acos": (1, jnp.arccos, r"\arccos\left({}\right)"),
    "atan": (1, jnp.arctan, r"\arctan\left({}\right)"),
    "sinh": (1, jnp.sinh, r"\sinh\left({}\right)"),
    "cosh": (1, jnp.cosh, r"\cosh\left({}\right)"),
    "tanh": (1, jnp.tanh, r"\tanh\left({}\right)"),
    "exp": (1, jnp.exp, r"e^{{{}}}"),
    "log": (1, jnp.log, r"\ln\left({}\right)"),
    "log10": (1, jnp.log10, r"\log_{{10}}\left({}\right)"),
    "sqrt": (1, jnp.sqrt, r"\sqrt{{{}}}"),
    "abs": (1, jnp.abs, r"\left|{}\right|"),
    "sign": (1, jnp.sign, r"\operatorname{{sign}}\left({}\right)"),
    "sigmoid": (1, jax.nn.sigmoid, r"\sigma\left({}\right)"),
    "relu": (1, jax.nn.relu, r"\operatorname{{relu}}\left({}\right)"),
    "softplus": (1, jax.nn.softplus, r"\operatorname{{softplus}}\left({}\right)"),
    "min": (2, jnp.minimum, r"\min\left({}, {}\right)"),
    "max": (2, jnp.maximum, r"\max\left({}, {}\right)"),
    "atan2": (2, jnp.arctan2, r"\operatorname{{atan2}}\left({}, {}\right)"),
    "hypot": (2, jnp.hypot, r"\operatorname{{hypot}}\left({}, {}\right)"),
}
CONSTANTS = {"pi": (math.pi, r"\pi"), "e": (math.e, "e")}
VARIABLES = ("x", "y")
# ASCII only: no Unicode digits or look-alike letters slip in as numbers or names
_TOKEN = re.compile(
    r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(\*\*|[-+*/^(),]))",
    re.ASCII,
)


_SPACES = " \t\n\r\f\v"  # the spaces _TOKEN skips (ASCII): a no-break space is a character


def _character(char: str) -> str:
    """A character as an error quotes it, with its Unicode name when it is not plain ASCII:
    a no-break space or a full-width letter looks like the one meant."""
    if char.isascii() and char.isprintable():
        return repr(char)
    return f"{char!r} ({unicodedata.name(char, f'U+{ord(char):04X}')})"


class FormulaError(ValueError):
    """What is wrong with a formula and the 0-based column where it was found."""

    def __init__(self, key: str, column: int, **params):
        self.message = Message(
            f"formula.{key}", **params
        )  # shown in the reader's language by the UI
        super().__init__(f"column {column + 1}: {self.message}")
        self.column = column


class Node(NamedTuple):
    """One node of a parsed formula: kind ∈ num, var, const, neg, add, sub, mul, div, pow, call."""

    kind: str
    value: object = None  # the number, the variable or constant name, the function name
    args: tuple = ()


def _tokens(text: str):
    """(kind, text, column) for each token, lazily, so the parser reports the first problem in
    reading order; anything unexpected is an error at its column."""
    at = 0
    while text[at:].strip(_SPACES):
        match = _TOKEN.match(text, at)
        if not match:
            column = at + len(text[at:]) - len(text[at:].lstrip(_SPACES))
            raise FormulaError("character", column, value=_character(text[column]))
        number, name, symbol = match.groups()
        column = match.start(1 if number else 2 if name else 3)
        yield (
            ("num" if number else "name" if name else symbol.replace("**", "^")),
            number or name or symbol,
            column,
        )
        at = match.end()
    yield "end", "", len(text)


_INFIX = {"+": "add", "-": "sub", "*": "mul", "/": "div"}


class Parser:
    """Recursive descent: sum → product → sign → power → atom; ^ binds right, above signs.
    `functions` is the whitelist of calls; the rule language's parser extends it."""

    functions = FUNCTIONS

    def __init__(self, text: str):
        self.stream = _tokens(text)
        self.current = next(self.stream)
        self.depth = 0
        self.nodes = 0

    def peek(self) -> tuple[str, str, int]:
        return self.current

    def advance(self) -> tuple[str, str, int]:
        token = self.current
        if token[0] != "end":
            self.current = next(self.stream)
        return token

    def take(self, kind: str, what: str) -> tuple[str, str, int]:
        token = self.peek()
        if token[0] != kind:
            found = Message("formula.the_end") if token[0] == "end" else repr(token[1])
            raise FormulaError("expected", token[2], what=what, found=found)
        return self.advance()

    def node(self, kind, value=None, args=(), column=0) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError("nodes", column, max=MAX_NODES)
        return Node(kind, value, tuple(args))

    def nested(self, column: int):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError("depth", column, max=MAX_DEPTH)

    def formula(self) -> Node:
        tree = self.sum()
        kind, text, column = self.peek()
        if kind != "end":
            key = "unexpected_times" if kind in ("num", "name", "(") else "unexpected"
            raise FormulaError(key, column, value=repr(text))
        return tree

    def chain(self, symbols: tuple[str, str], operand) -> Node:
        """Left-associative operations of one precedence: operand (symbol operand)*."""
        left = operand()
        while self.peek()[0] in symbols:
            kind, _, column = self.advance()
            left = self.node(_INFIX[kind], args=(left, operand()), column=column)
        return left

    def sum(self) -> Node:
        return self.chain(("+", "-"), self.product)

    def product(self) -> Node:
        return self.chain(("*", "/"), self.sign)

    def sign(self) -> Node:
        kind, _, column = self.peek()
        if kind in ("+", "-"):
            self.advance()
            self.nested(column)
            operand = self.sign()
            self.depth -= 1
            return operand if kind == "+" else self.node("neg", args=(operand,), column=column)
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.peek()[0] != "^":
            return base
        _, _, column = self.advance()
        self.nested(column)
        exponent = self.sign()  # right-associative: 2^3^2 = 2^(3^2); 2^-1 allowed
        self.depth -= 1
        if 1 + _tower(exponent) > MAX_TOWER:
            raise FormulaError("tower", column, max=MAX_TOWER)
        size = arithmetic(exponent)
        if size is not None and not abs(size) <= MAX_EXPONENT:
            raise FormulaError("exponent", column, value=f"{size:g}", max=MAX_EXPONENT)
        return self.node("pow", args=(base, exponent), column=column)

    def atom(self) -> Node:
        kind, text, column = self.peek()
        if kind == "num":
            self.advance()
            value = float(text)
            if not math.isfinite(value) or abs(value) > MAX_LITERAL:
                raise FormulaError("literal", column, value=text[:20], max=f"{MAX_LITERAL:g}")
            return self.node("num", value, column=column)
        if kind == "(":
            self.advance()
            self.nested(column)
            inner = self.sum()
            self.depth -= 1
            self.take(")", "')'")
            return inner
        if kind == "name":
            self.advance()
            return self.name(text, column)
        found = Message("formula.the_end") if kind == "end" else repr(text)
        raise FormulaError("operand", column, found=found)

    def name(self, text: str, column: int) -> Node:
        if text in VARIABLES:
            return self.node("var", text, column=column)
        if text in CONSTANTS:
            return self.node("const", text, column=column)
        if text not in self.functions:
            known = ", ".join(sorted(self.functions))
            raise FormulaError("name", column, value=repr(text[:30]), known=known)
        arity = self.functions[text][0]
        self.take("(", Message("formula.paren_after", function=text))
        self.nested(column)
        args = [self.sum()]
        while self.peek()[0] == ",":
            self.advance()
            args.append(self.sum())
        self.depth -= 1
        self.take(")", "')'")
        if len(args) != arity:
            raise FormulaError("arity", column, function=text, arity=arity, got=len(args))
        return self.node("call", text, args, column=column)


_ARITHMETIC = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": operator.pow,
}


def _tower(tree: Node) -> int:
    """How many powers are stacked in `tree`'s exponents: 1 for x^y, 2 for x^y^z (x^(y^z)),
    0 without a power. Each level of a tower multiplies what its derivatives cost and lets a
    tiny change of x move the loss by orders of magnitude, so towers are short."""
    if tree.kind == "pow":
        return 1 + _tower(tree.args[1])
    return max((_tower(a) for a in tree.args), default=0)


def arithmetic(tree: Node) -> float | None:
    """The value of a subtree of numbers, signs and + − * / ^ alone (inf when it overflows),
    else None. Python floats, never integers, so 9^9^9 is quick to reject, not a bignum."""
    if tree.kind == "num":
        return tree.value
    if tree.kind not in ("neg", *_ARITHMETIC):
        return None
    args = [arithmetic(a) for a in tree.args]
    if None in args:
        return None
    try:
        value = -args[0] if tree.kind == "neg" else _ARITHMETIC[tree.kind](*args)
    except (OverflowError, ZeroDivisionError):
        return math.inf
    return (
        value if isinstance(value, float) else None
    )  # a negative base to a fractional power is complex


def parse(text: str) -> Node:
    """The formula's tree, or a FormulaError naming the column of the first problem."""
    if not isinstance(text, str):
        raise FormulaError("text", 0)
    if len(text) > MAX_LENGTH:
        raise FormulaError("length", MAX_LENGTH, max=MAX_LENGTH)
    if not text.strip():
        raise FormulaError("empty", 0)
    return Parser(text).formula()


_BINARY = {
    "add": jnp.add,
    "sub": jnp.subtract,
    "mul": jnp.multiply,
    "div": jnp.divide,
    "pow": jnp.power,
}


def walk(tree: Node, names: dict, functions: dict = FUNCTIONS):
    """The tree's value with each name's value from `names`: a walk calling only the
    functions of `functions` (name → (arity, function, LaTeX)). The rule language shares it."""
    if tree.kind == "num":
        return jnp.float32(tree.value)
    if tree.kind == "var":
        return names[tree.value]
    if tree.kind == "const":
        return jnp.float32(CONSTANTS[tree.value][0])
    args = [walk(a, names, functions) for a in tree.args]
    if tree.kind == "neg":
        return -args[0]
    if tree.kind == "call":
        return functions[tree.value][1](*args)
    return _BINARY[tree.kind](*args)


def evaluate(tree: Node, x, y):
    """The formula's value at (x, y)."""
    return walk(tree, {"x": x, "y": y})


_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def to_latex(tree: Node, functions: dict = FUNCTIONS, names: dict | None = None) -> str:
    """The formula in LaTeX, parenthesized only where precedence needs it; a name is written
    as `names` gives it (a symbol, a value), else as typed."""
    names = names or {}

    def latex(child: Node) -> str:
        return to_latex(child, functions, names)

    def wrap(child: Node, level: int, right: bool = False) -> str:
        inner = latex(child)
        child_level = _PRECEDENCE.get(child.kind, 5)
        if child_level < level or (
            right and child_level == level and child.kind in ("sub", "div", "add")
        ):
            return rf"\left({inner}\right)"
        return inner

    if tree.kind == "num":
        mantissa, _, exponent = f"{tree.value:g}".partition("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa
    if tree.kind == "const":
        return CONSTANTS[tree.value][1]
    if tree.kind == "var":
        return names.get(tree.value, tree.value)
    if tree.kind == "call":
        return functions[tree.value][2].format(*(latex(a) for a in tree.args))
    if tree.kind == "neg":
        return "-" + wrap(tree.args[0], 3)
    left, right = tree.args
    if tree.kind == "div":
        return rf"\frac{{{latex(left)}}}{{{latex(right)}}}"
    if tree.kind == "pow":
        return f"{wrap(left, 5)}^{{{latex(right)}}}"
    symbol = {"add": " + ", "sub": " - ", "mul": r" \cdot "}[tree.kind]
    level = _PRECEDENCE[tree.kind]
    return wrap(left, level) + symbol + wrap(right, level, right=True)


@functools.lru_cache(maxsize=64)
def compile_formula(text: str):
    """(fn(xy), tree) for a formula; one function object per text, so jit compiles it once."""
    tree = parse(text)

    def fn(xy):
        return evaluate(tree, xy[0], xy[1])

    return fn, tree


DEFAULT_DOMAIN = ((-3.0, 3.0), (-3.0, 3.0))


@functools.lru_cache(maxsize=64)
def from_formula(text: str, domain=DEFAULT_DOMAIN) -> Surface:
    """A Surface from a formula in x and y over `domain`; minima found numerically.

    Raises FormulaError (a ValueError) for a formula it does not accept, ValueError for a bad
    domain.
    """
    fn, tree = compile_formula(text)
    return from_function(
        fn,
        domain,
        name="formula",
        title=f"f(x, y) = {text.strip()}",
        latex=f"f = {to_latex(tree)}",
        note="Your own surface: minima found numerically (multi-start descent, then Newton).",
    )
