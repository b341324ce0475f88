"""The first picture's work done before the first visitor: the default scene run, drawn and
its programs compiled, in the server's own process (`python -m app.serve`), so that the
first page after start-up costs what every later one does."""

from __future__ import annotations

import scenes
from app import computed, main  # noqa: F401  (main: every view's modules, imported now)
from app.surfaces_view import PLAYER_SIZE
from charts import code


def first_picture() -> None:
    """Compute what the landing page shows (the default scene, in English): its runs, the
    player's specs and Vega runtime, the hatch test and the menus. The results are thrown
    away (Streamlit's caches belong to the server's runtime, which does not exist yet); XLA's
    compiled programs and the imported modules stay, and they are what the first visitor
    waited for."""
    scene, language = scenes.Scene(), "en"
    code.runtime_js()
    picture = computed.picture_json(scene)
    computed.scene_spec.__wrapped__(picture, len(scene.rows), PLAYER_SIZE[False], language)
    computed.trajectories.__wrapped__(computed.scene_json(scene))
    computed.has_hatch.__wrapped__(picture)
    computed.surface_titles.__wrapped__(language)
    computed.preset_titles.__wrapped__(language)
