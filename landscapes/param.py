"""`Param`: a numeric setting with its default, range and scale, as surfaces and optimizers
declare their parameters (and the app draws its fields from)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Param(NamedTuple):
    """A numeric setting with its default, range and scale; shared by surfaces and optimizers."""

    default: float
    low: float
    high: float
    log: bool = False
    help: str = ""
    toggle: bool = False  # an on/off switch held as 0.0 / 1.0 (so it can be traced like any number)

    def check(self, name: str, value) -> np.ndarray:
        """`value` as float32, or a ValueError naming the parameter and its range."""
        arr = np.asarray(value, dtype=np.float64)
        if not np.all(np.isfinite(arr)) or np.any(arr < self.low) or np.any(arr > self.high):
            raise ValueError(f"{name} must be within [{self.low:g}, {self.high:g}], got {value!r}")
        return arr.astype(np.float32)
