"""The first picture's work done before the first visitor: the default scene run, drawn and
its programs compiled, in the server's own process (`python -m app.serve`), so that the
first page after start-up costs what every later one does."""

from __future__ import annotations

import scenes
from app import computed, main  # noqa: F401  (main: every view's modules, imported now)
from app.surfaces_view import PLAYER_SIZE
from charts import code


def first_picture() -> None:
    """Compute what the landing page shows (the default scene, in English) into Streamlit's
    caches, which the server's runtime finds there: its runs, the player's specs and Vega
    runtime, the hatch test and the menus. XLA's compiled programs and the imported modules
    stay too."""
    scene, language = scenes.Scene(), "en"
    code.runtime_js()
    picture = scene.picture_json()
    computed.scene_spec(picture, len(scene.rows), PLAYER_SIZE[False], language)
    computed.trajectories(computed.scene_json(scene))
    computed.has_hatch(picture)
    computed.surface_titles(language)
    computed.preset_titles(language)
