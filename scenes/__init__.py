"""Scenes: everything needed to reproduce a picture, from widgets, links, presets and files."""

from scenes import export, presets
from scenes.python import SceneError, from_link, scene, show
from scenes.scene import FORMULA, MAX_ROWS, MAX_STEPS, Row, Scene, from_dict
from scenes.url import from_query, query_string, to_query

__all__ = [
    "FORMULA",
    "export",
    "MAX_ROWS",
    "MAX_STEPS",
    "Player",
    "Row",
    "Scene",
    "SceneError",
    "from_dict",
    "from_link",
    "from_query",
    "presets",
    "query_string",
    "scene",
    "show",
    "to_query",
]


def __getattr__(name: str):
    """`scenes.Player`, imported when first asked for (it bundles the player's code)."""
    if name == "Player":
        from scenes.widget import Player

        return Player
    raise AttributeError(f"module 'scenes' has no attribute {name!r}")
