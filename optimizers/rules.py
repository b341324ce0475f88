"""Update rules and schedules written out with the numbers that run (the formula panel).

Each hyperparameter and schedule parameter has the symbol its LaTeX uses; `substitute`
replaces every occurrence in one pass, so a value's own text is never substituted again.
"""

from __future__ import annotations

import re

from optimizers import own
from optimizers.catalog import Entry
from optimizers.schedules import LATEX as SCHEDULE_LATEX

HYPER_SYMBOLS = {
    "learning_rate": r"\eta",
    "momentum": r"\beta",
    "beta": r"\beta",
    "b1": r"\beta_1",
    "b2": r"\beta_2",
    "eps": r"\epsilon",
    "rho": r"\rho",
    "weight_decay": r"\lambda",
    "damping": r"\lambda",
    "nu": r"\nu",
    "nu1": r"\nu_1",
    "nu2": r"\nu_2",
}
SCHEDULE_SYMBOLS = {
    "step": {"every": "n", "factor": r"\gamma"},
    "exponential": {"rate": "k"},
    "inverse_time": {"rate": "k"},
    "cosine": {"period": "T", "min_lr": r"\eta_{\min}"},
    "cyclic": {"half_period": "h", "peak_factor": "p"},
    "one_cycle": {"period": "T", "pct_start": "p_s", "div_factor": "d", "final_div_factor": "d_f"},
    "plateau": {
        "factor": r"\gamma",
        "patience": "P",
        "min_delta": r"\delta",
        "min_lr": r"\eta_{\min}",
    },
    "range_test": {
        "start_lr": r"\eta_{\text{start}}",
        "end_lr": r"\eta_{\text{end}}",
        "period": "T",
    },
}
VALUE_COLOR = "#d62728"


def number(value: float) -> str:
    """A value as LaTeX: 4 significant digits, powers of ten written out."""
    mantissa, _, exponent = f"{value:.4g}".partition("e")
    if not exponent:
        return mantissa
    power = rf"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa}\times {power}"


def substitute(latex: str, values: dict[str, float]) -> str:
    """`latex` with each symbol (a key of `values`) replaced by its value, coloured. A symbol
    matches only whole: \\beta does not match inside \\beta_1, nor \\eta inside \\eta^{\\pm}.
    A value right after a number or another value gets a \\cdot, so 2h reads 2·100, not 2100."""
    if not values:
        return latex
    symbols = sorted(values, key=len, reverse=True)
    pattern = "|".join(rf"(?<![\\A-Za-z]){re.escape(s)}(?![A-Za-z_]|\^\{{\\pm\}})" for s in symbols)

    def shown(match: re.Match) -> str:
        before = re.sub(r"(\s|\\,)+$", "", latex[: match.start()])
        dot = before[-1:].isdigit() or before.endswith(tuple(symbols))
        value = coloured(values[match.group(0)])
        return "\\cdot " + value if dot else value

    return re.sub(pattern, shown, latex)


def coloured(value: float) -> str:
    """A value in place of its symbol, in the colour that marks values."""
    return rf"{{\color{{{VALUE_COLOR}}}{number(value)}}}"


def rule(entry: Entry, hyper: dict[str, float]) -> str:
    """The update rule of `entry` (a catalog optimizer or a typed rule) with its
    hyperparameters' values in place."""
    values = {**{k: p.default for k, p in entry.hyper.items()}, **hyper}
    if entry.own_step:
        names = {"lr" if k == "learning_rate" else k: coloured(float(v)) for k, v in values.items()}
        return own.latex(own.parse(entry.flags["rule"]), names)
    return substitute(
        entry.latex, {HYPER_SYMBOLS[k]: float(v) for k, v in values.items() if k in HYPER_SYMBOLS}
    )


def schedule(kind: str, params: dict[str, float], learning_rate: float, steps: int) -> str:
    """The schedule's formula with η₀ and its parameters' values in place (a period of 0 means
    the whole run of `steps`)."""
    symbols = SCHEDULE_SYMBOLS.get(kind, {})
    values = {
        symbols[k]: float(v or steps) if k == "period" else float(v)
        for k, v in params.items()
        if k in symbols
    }
    return substitute(SCHEDULE_LATEX[kind], {**values, r"\eta_0": float(learning_rate)})
