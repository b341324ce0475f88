"""Presets: scene files in assets/scenes/, each a title, a note and a scene."""

from __future__ import annotations

import json
import pathlib

from scenes.scene import Scene, from_dict

PRESET_DIR = pathlib.Path(__file__).resolve().parent.parent / "assets" / "scenes"


def names() -> list[str]:
    """Preset names (file stems), sorted."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.json"))


def load(name: str) -> tuple[dict, Scene, list[str]]:
    """(metadata, scene, notices) of preset `name`; metadata has 'title' and 'note'."""
    if name not in names():
        raise ValueError(f"unknown preset {name!r}; try one of: {', '.join(names())}")
    return read(PRESET_DIR / f"{name}.json")


def read(path) -> tuple[dict, Scene, list[str]]:
    """(metadata, scene, notices) from a scene file (the preset format)."""
    data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    notices: list[str] = []
    scene = from_dict(data.get("scene", {}) if isinstance(data, dict) else None, notices)
    meta = {k: str(data.get(k, "")) for k in ("title", "note")} if isinstance(data, dict) else {}
    return meta, scene, notices
