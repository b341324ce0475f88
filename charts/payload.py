"""Trajectories packed into one compact binary message for the player.

Layout (little-endian): uint32 header length, the UTF-8 JSON header, zero padding to a
multiple of 4, then the arrays named in the header in order. Points are uint16 positions
inside the divergence box, rates and gradient norms int16 thousandths of a decade, losses
float32: 12 bytes a point, so 8 runs × 1,000 steps travel in under 100 KB.
"""

from __future__ import annotations

import hashlib
import json
import struct
from typing import NamedTuple

import numpy as np

LOG_SCALE = 1000.0  # int16 units per decade
LOG_ZERO = -32768  # a rate or norm of exactly 0


def _log_code(values: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        logs = np.where(values > 0, np.log10(np.maximum(values, 1e-300)) * LOG_SCALE, LOG_ZERO)
    return np.clip(np.round(logs), LOG_ZERO, 32767).astype("<i2")


def _quantize(xy: np.ndarray, box: np.ndarray) -> np.ndarray:
    unit = (xy - box[0]) / (box[1] - box[0])
    return np.clip(np.round(unit * 65535), 0, 65535).astype("<u2")


def pack(trajectories, box, labels, colors, extra: dict | None = None, parts=None) -> bytes:
    """Bytes for the player: positions, losses, rates, gradient norms and a JSON header; with
    `parts` = (gradient step, rest) arrays of (n, steps, 2), the step decomposition too."""
    box = np.asarray(box, np.float64)
    loss = np.nan_to_num(
        np.asarray(trajectories.loss, np.float32), nan=0.0, posinf=3e38, neginf=-3e38
    )
    arrays = {
        "xy": _quantize(np.asarray(trajectories.xy, np.float64), box),
        "loss": loss.astype("<f4"),
        "lr": _log_code(np.asarray(trajectories.lr, np.float64)),
        "g": _log_code(np.linalg.norm(np.asarray(trajectories.grad, np.float64), axis=-1)),
    }
    if parts is not None:
        arrays |= {
            name: np.nan_to_num(np.asarray(a, np.float32)).astype("<f4")
            for name, a in zip(("gs", "rest"), parts, strict=True)
        }
    n, points = trajectories.loss.shape
    header = {
        "n": int(n),
        "steps": int(points - 1),
        "box": box.tolist(),
        "labels": [str(label) for label in labels],
        "colors": [str(color) for color in colors],
        "diverged": [int(d) for d in trajectories.diverged_at],
        "escaped": [bool(e) for e in trajectories.escapes()],
        "arrays": [[name, str(a.dtype.str), list(a.shape)] for name, a in arrays.items()],
        "log_scale": LOG_SCALE,
        "log_zero": LOG_ZERO,
        **(extra or {}),
    }
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    padding = (-(4 + len(text))) % 4
    return b"".join(
        [
            struct.pack("<I", len(text)),
            text,
            b" " * padding,
            *(a.tobytes() for a in arrays.values()),
        ]
    )


def unpack(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """(header, arrays) from `pack`'s bytes; the player's decoder does the same in JavaScript."""
    (length,) = struct.unpack_from("<I", data, 0)
    header = json.loads(data[4 : 4 + length])
    offset = 4 + length + (-(4 + length)) % 4
    arrays = {}
    for name, dtype, shape in header["arrays"]:
        count = int(np.prod(shape))
        arrays[name] = np.frombuffer(
            data, dtype=np.dtype(dtype), count=count, offset=offset
        ).reshape(shape)
        offset += count * np.dtype(dtype).itemsize
    return header, arrays


class PreparedSpec(NamedTuple):
    """Specs serialized once and named by a content hash, so the browser can tell a new scene
    from new data and a rerun neither re-serializes nor re-hashes them (cache this)."""

    key: str
    message: bytes


def prepare(specs: dict) -> PreparedSpec:
    text = json.dumps(specs, sort_keys=True, separators=(",", ":"), allow_nan=False)
    key = hashlib.sha1(text.encode()).hexdigest()[:16]
    return PreparedSpec(
        key, json.dumps({"key": key, "spec": specs}, separators=(",", ":")).encode()
    )
