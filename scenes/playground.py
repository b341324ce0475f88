"""The network page's settings (the course's Playground exercises): data set, noise, ratio of
training to test data, hidden units, epochs, seed and up to nine configurations, checked and
clamped, and as link parameters
(`net.dataset=circle&net.row=adam;learning_rate=0.01;activation=relu`) so a lesson can link
to an exercise. Bad values fall back with a notice, never an exception.
"""

from __future__ import annotations

import json
import math
import numbers
import re

from landscapes.network import ACTIVATIONS, DATASETS, INPUTS
from lll_i18n import Message
from optimizers import callbacks
from optimizers.slices import FIRST_ORDER
from scenes import own_data
from scenes.checks import bounded, whole
from scenes.url import number_text
from scenes.view import NETWORK_KEYS, last_value

MAX_CONFIGS = 9
MAX_LAYERS, MAX_NEURONS = 6, 16  # the Playground's six hidden layers; up to 16 neurons each
NOISE_STEP = 0.05
ROW = {
    "optimizer": "sgd",
    "learning_rate": 0.3,
    "batch_size": 10,
    "activation": "tanh",
    "l1": 0.0,
    "l2": 0.0,
    "callbacks": "",  # Keras callbacks as typed (optimizers.callbacks), tidied
}
ACTIVATION_CHOICES = ACTIVATIONS[:3]  # the Playground's tanh, ReLU and sigmoid
ROW_BOUNDS = {
    "learning_rate": (1e-4, 10.0),
    "batch_size": (1, 250),
    "l1": (0.0, 0.1),
    "l2": (0.0, 0.1),
}
DAY_87_CALLBACK = "ReduceLROnPlateau(factor=0.5, min_lr=1e-12, monitor='val_loss', patience=5)"
EXERCISES = {  # the course's Day 65 exercises on the spiral, one hidden layer of 8
    "ex5": [{"learning_rate": 0.03, "batch_size": b} for b in (1, 10, 30)],
    "ex6": [{"learning_rate": lr} for lr in (0.03, 0.3, 1.0, 3.0)],
    "ex7": [{"learning_rate": 1.0, "activation": a} for a in ("tanh", "relu", "sigmoid")],
    "ex8": [{}, {"l1": 0.001}, {"l2": 0.001}, {"l2": 0.01}],
    "day87": [  # Day 87: the course's callback against a fixed rate and a step decay
        {},
        {"callbacks": "step(every=100, factor=0.5)"},
        {"callbacks": DAY_87_CALLBACK},
    ],
    "edge": [  # the edge of stability (Cohen et al., 2021): full batch, three rates
        {"learning_rate": lr, "batch_size": 250} for lr in (0.1, 0.2, 0.3)
    ],
}
CHOICES = (*DATASETS, "own")  # "own": the settings' `points`, uploaded, clicked or linked
DEFAULTS = {
    "dataset": "spiral",
    "points": [],  # one's own data: [x, y, label ±1] each
    "noise": 0.0,
    "ratio": 50,  # percent of the points that train, as the Playground's slider
    "inputs": list(INPUTS),  # the features switched on, by the Playground's names
    "hidden": [8],  # neurons in each hidden layer
    "epochs": 500,
    "seed": 0,
    "rows": [{**ROW, **change} for change in EXERCISES["ex8"]],
}
NUMBERS = {"noise": (0.0, 0.5), "ratio": (10, 90), "epochs": (10, 1000), "seed": (0, 1_000_000)}
LINKED = ("dataset", "noise", "ratio", "epochs", "seed")  # the page's own numbers and choice
LISTED = ("inputs", "hidden")  # the page's own lists, comma-separated in a link
RATIO_STEP = 10
KEYS = NETWORK_KEYS


def clean_rows(records: list[dict]) -> tuple[list[dict], list[Message]]:
    """Valid configurations from edited or linked records: blanks and unknown choices take the
    defaults, numbers are clamped; the notices say what changed."""
    rows, notices = [], []
    for i, record in enumerate(records[:MAX_CONFIGS]):
        row = dict(ROW)
        for key, value in record.items():
            if key == "callbacks":
                row[key] = _callbacks(i, value, notices)
            elif key in ("optimizer", "activation"):
                allowed = FIRST_ORDER if key == "optimizer" else ACTIVATION_CHOICES
                row[key] = value if value in allowed else ROW[key]
            elif key in ROW_BOUNDS and isinstance(value, numbers.Real) and math.isfinite(value):
                low, high = ROW_BOUNDS[key]
                row[key] = type(ROW[key])(min(max(value, low), high))
                if row[key] != value:
                    notices.append(
                        Message(
                            "notice.outside",
                            name=f"{i + 1}: {key}",
                            value=f"{value:g}",
                            low=f"{low:g}",
                            high=f"{high:g}",
                            used=f"{row[key]:g}",
                        )
                    )
        rows.append(row)
    if len(records) > MAX_CONFIGS:
        notices.append(Message("net.too_many", max=MAX_CONFIGS))
    return rows or [dict(ROW)], notices


def _callbacks(i: int, value, notices: list[Message]) -> str:
    """A row's callbacks text, tidied; one that does not read is left out, with a notice."""
    try:
        return callbacks.parse(value).text
    except callbacks.CallbackError as error:
        notices.append(
            Message("notice.callbacks", row=i + 1, column=error.column + 1, error=error.message)
        )
        return ""


def to_query(settings: dict) -> dict:
    """Link parameters for `settings`; defaults are left out, rows always written."""
    query = {f"net.{k}": number_text(settings[k]) for k in LINKED if settings[k] != DEFAULTS[k]}
    for k in LISTED:
        if settings[k] != DEFAULTS[k]:
            query[f"net.{k}"] = ",".join(map(str, settings[k])) or "0"
    if settings["dataset"] == "own" and (text := own_data.to_text(settings["points"])):
        query["net.points"] = text  # more points than a link holds go in the settings file
    query["net.row"] = [_row_text(row) for row in settings["rows"]]
    return query


def to_file(settings: dict) -> bytes:
    """The settings file: everything the page trains, one's own points included (a link
    holds at most own_data.LINK_POINTS of them)."""
    return json.dumps({"network": settings}, indent=1).encode()


def from_file(raw: bytes) -> tuple[dict, list[Message]]:
    """(settings, notices) from a settings file, every value checked as a link's would be;
    a file that is not one raises own_data.OwnDataError."""
    try:
        if len(raw) > own_data.MAX_BYTES:
            raise ValueError
        network = json.loads(raw.decode("utf-8-sig"))["network"]
        if not isinstance(network, dict):
            raise TypeError
    except (ValueError, TypeError, KeyError, RecursionError):
        raise own_data.OwnDataError(Message("own.not_settings")) from None
    query = {
        f"net.{k}": str(network[k])
        for k in LINKED
        if isinstance(network.get(k), str | int | float) and not isinstance(network[k], bool)
    }
    for k in LISTED:
        if isinstance(network.get(k), list):
            query[f"net.{k}"] = ",".join(str(value) for value in network[k]) or "0"
    own = query.get("net.dataset") == "own"
    settings, notices = from_query(
        query, own_data.from_rows(network.get("points")) if own else None
    )
    records = network.get("rows")
    if isinstance(records, list):
        rows, row_notices = clean_rows([r for r in records if isinstance(r, dict)])
        settings["rows"], notices = rows, notices + row_notices
    return settings, notices


def dataset(settings: dict):
    """What `landscapes.network.data` takes for the settings: a data set's name, or one's own
    points as a tuple of (x, y, label)."""
    if settings["dataset"] == "own":
        return tuple(tuple(p) for p in settings["points"])
    return settings["dataset"]


def from_query(query, points=None) -> tuple[dict, list[Message]]:
    """(settings, notices) from link parameters (str or lists of str, the last value counts).
    `points`: one's own data as the page holds it (checked), for a query that has none."""
    notices: list[Message] = []
    settings = {k: v for k, v in DEFAULTS.items() if k != "rows"}
    value = last_value(query, "net.dataset")
    if value is not None:
        settings["dataset"] = _choice("dataset", value, CHOICES, notices)
    linked = query.get("net.points")  # longer than last_value's 40 characters
    linked = linked[-1] if isinstance(linked, list | tuple) and linked else linked
    linked = None if linked is None else str(linked)[: own_data.MAX_LINK_TEXT + 1]
    if settings["dataset"] == "own" and linked is not None:
        settings.update(_linked_points(linked, notices))
    elif points is not None:  # kept while another data set is shown, to come back to
        settings["points"] = [list(p) for p in points]
    for name, (low, high) in NUMBERS.items():
        if (text := last_value(query, f"net.{name}")) is not None:
            settings[name] = _number(name, text, low, high, notices)
    settings["noise"] = round(
        round(settings["noise"] / NOISE_STEP) * NOISE_STEP, 2
    )  # the slider's steps
    settings["ratio"] = int(round(settings["ratio"] / RATIO_STEP) * RATIO_STEP)
    settings["epochs"], settings["seed"] = int(settings["epochs"]), int(settings["seed"])
    if (text := last_value(query, "net.inputs")) is not None:
        settings["inputs"] = inputs_from(text, notices)
    if (text := last_value(query, "net.hidden")) is not None:
        settings["hidden"] = layers_from(text, notices)
    texts = query.get("net.row")
    texts = [texts] if isinstance(texts, str) else list(texts or [])
    rows, row_notices = clean_rows([_parse_row(str(t)[:1000], notices) for t in texts])
    settings["rows"] = rows if texts else DEFAULTS["rows"]
    return settings, notices + row_notices


def layers_from(text: str, notices: list[Message]) -> list[int]:
    """The hidden layers a link or the sidebar asks for, their neurons in order ('4,2'; '0'
    or nothing: none, a linear model): whole numbers from 1 to MAX_NEURONS, at most
    MAX_LAYERS of them, each value changed said in a notice."""
    parts = [part for part in re.split(r"[,;\s]+", text.strip()) if part]
    if parts in ([], ["0"]):
        return []
    if len(parts) > MAX_LAYERS:
        notices.append(Message("notice.too_many_layers", asked=len(parts), most=MAX_LAYERS))
    return [whole(part, 8, 1, MAX_NEURONS, "hidden", notices) for part in parts[:MAX_LAYERS]]


def inputs_from(text: str, notices: list[Message]) -> list[str]:
    """The inputs a link switches on ('x,y,sinX'), in the Playground's order; a name it does
    not know is left out with a notice, and none at all keeps every input, with one."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in INPUTS:
            notices.append(
                Message("notice.unknown_input", value=repr(name[:30]), choices=", ".join(INPUTS))
            )
    chosen = [name for name in INPUTS if name in names]
    if not chosen:
        notices.append(Message("notice.no_inputs"))
        return list(INPUTS)
    return chosen


def _linked_points(text: str, notices: list[Message]) -> dict:
    """The link's own points, or the default data set with a notice saying why not."""
    try:
        return {"points": own_data.from_text(str(text))}
    except own_data.OwnDataError as error:
        notices.append(Message("own.link_refused", error=error.message))
        return {"dataset": DEFAULTS["dataset"], "points": []}


def _row_text(row: dict) -> str:
    changed = [f"{k}={number_text(row[k])}" for k in ROW if k != "optimizer" and row[k] != ROW[k]]
    return ";".join([row["optimizer"], *changed])


def _parse_row(text: str, notices: list[Message]) -> dict:
    """'adam;learning_rate=0.01;activation=relu' as a record for `clean_rows`."""
    name, *pairs = text.split(";")
    record = {"optimizer": _choice("optimizer", name.strip(), FIRST_ORDER, notices)}
    for pair in pairs:
        key, _, value = pair.partition("=")
        key = key.strip()
        if key == "activation":
            record[key] = _choice(key, value.strip(), ACTIVATION_CHOICES, notices)
        elif key == "callbacks":
            record[key] = value
        elif key in ROW_BOUNDS:
            low, high = ROW_BOUNDS[key]
            number = _number(key, value, low, high, notices)
            record[key] = round(number) if isinstance(ROW[key], int) else number
        else:
            notices.append(Message("notice.no_param", where="net.row", value=repr(key[:30])))
    return record


def _number(name: str, text: str, low: float, high: float, notices: list[Message]) -> float:
    return bounded(text, ROW.get(name, DEFAULTS.get(name)), low, high, name, notices)


def _choice(name: str, value: str, allowed, notices: list[Message]) -> str:
    if value in allowed:
        return value
    default = ROW.get(name, DEFAULTS.get(name))
    notices.append(
        Message(
            "notice.not_one_of",
            name=name,
            value=repr(value[:30]),
            choices=", ".join(allowed),
            default=default,
        )
    )
    return default
