"""The network diagram: TensorFlow Playground's central picture, drawn in the browser.

Inputs, every hidden neuron with a small picture of its own output over the plane, and the
output; links coloured by the weight's sign and as thick as its size, dashed where a weight
is exactly zero (L1's dead links); hovering one says its value. It plays the runs' recorded
weights on an epoch clock of its own, with each run's train and test loss under it and the
epoch marked, so nothing goes back to Python per frame.
"""

from __future__ import annotations

import base64
import functools
import math

import numpy as np
import streamlit as st

from charts.code import source
from landscapes import network

MAX_FLOATS = 400_000  # weights sent per page (1.6 MB as float32): frames are thinned above it
WORDS = ("play", "pause", "epoch", "run", "weight", "bias", "dead", "train", "test")


@functools.cache
def _component():
    return st.components.v2.component(
        "lll_diagram", js=source("diagram.js"), css=source("diagram.css")
    )


def stride(runs: int, frames: int, size: int) -> int:
    """Every how many epochs a frame is sent, so that the weights stay within MAX_FLOATS."""
    return max(1, math.ceil(runs * frames * size / MAX_FLOATS))


def finite_or_none(values) -> list:
    """Losses for JSON: a value that is not a number is None (a gap), never a made-up one."""
    return [float(v) if np.isfinite(v) else None for v in np.asarray(values, np.float64)]


def payload(training, labels, colors, activations, shape, text: dict) -> dict:
    """What the diagram draws: the layer sizes, the inputs switched on and their symbols, the
    output's activation (`shape` is (hidden, inputs, output index)), and per run its label,
    colour, activation, losses and weights (float32, base64) at the epochs sent (every
    `stride`-th and the last)."""
    hidden, inputs, output = shape
    runs, frames, size = training.weights.shape
    every = stride(runs, frames, size)
    epochs = sorted({*range(0, frames, every), frames - 1})
    return {
        "layers": [network.FEATURES, *network.widths(hidden), 1],
        "inputs": [name in inputs for name in network.INPUTS],
        "symbols": list(network.SYMBOLS),
        "output": network.OUTPUTS[output],
        "epochs": epochs,
        "runs": [
            {
                "label": label,
                "color": color,
                "activation": activation,
                "train": finite_or_none(training.train_loss[i][epochs]),
                "test": finite_or_none(training.test_loss[i][epochs]),
                "weights": base64.b64encode(
                    np.ascontiguousarray(training.weights[i][epochs], np.float32).tobytes()
                ).decode(),
            }
            for i, (label, color, activation) in enumerate(
                zip(labels, colors, activations, strict=True)
            )
        ],
        "text": text,
    }


def mount(data: dict, key: str = "diagram") -> None:
    _component()(key=key, data=data)
