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
