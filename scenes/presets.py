"""Presets: scene files in scenes/preset_files/, each a title, a note and a scene."""

from __future__ import annotations

import json
import pathlib

from scenes.checks import text, unknown_keys
from scenes.scene import Scene, from_dict

MAX_FILE_BYTES = 1_000_000
MAX_NOTE = 2000
FILE_KEYS = ("title", "note", "scene", "runs")  # "runs": an exported JSON's output, not read back
PRESET_DIR = pathlib.Path(__file__).resolve().parent / "preset_files"


def names() -> list[str]:
    """Preset names (file stems), sorted."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.json"))


def load(name: str) -> tuple[dict, Scene, list[str]]:
    """(metadata, scene, notices) of preset `name`; metadata has 'title' and 'note'."""
    if name not in names():
        raise ValueError(f"unknown preset {name!r}; try one of: {', '.join(names())}")
    return read(PRESET_DIR / f"{name}.json")


def read(path) -> tuple[dict, Scene, list[str]]:
    """(metadata, scene, notices) from a scene file (the preset format). A file that is not
    JSON, too large or nested past any scene's depth is a ValueError."""
    path = pathlib.Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // 1000} KB; a scene file is a few KB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply to be a scene file") from None
    notices: list[str] = []
    scene = from_dict(data.get("scene", {}) if isinstance(data, dict) else None, notices)
    meta = {}
    if isinstance(data, dict):
        unknown_keys(data, FILE_KEYS, "file", notices)
        meta = {k: text(data.get(k, ""), "", MAX_NOTE, k, notices) for k in ("title", "note")}
    return meta, scene, notices
