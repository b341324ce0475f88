"""What the views compute once and share: cached across reruns and sessions, keyed by JSON
text of exactly what the result depends on."""

from __future__ import annotations

import functools
import json

import streamlit as st

import landscapes
import lll_i18n as i18n
import scenes
from charts import background, landscape, payload


def scene_json(scene: scenes.Scene) -> str:
    return json.dumps(scene.to_dict(), sort_keys=True)


@st.cache_data(max_entries=256, show_spinner=False)
def trajectories(scene_text: str):
    """Runs a scene (equal scenes, equal arrays)."""
    return scenes.export.trajectories(scenes.from_dict(json.loads(scene_text)))


@st.cache_data(max_entries=64, show_spinner=False)
def scene_spec(picture_text: str, n_series: int, size: int, language: str) -> payload.PreparedSpec:
    """The player's Vega-Lite specs for a scene's surface and layout: the key holds only what
    the picture depends on, so hyperparameter changes hit the cache."""
    scene = scenes.from_dict(json.loads(picture_text))
    specs = landscape.scene_specs(scene.surface_object(), scene.layout, n_series, size, language)
    return payload.prepare(specs)


@st.cache_data(max_entries=64, show_spinner=False)
def surface_mesh(picture_text: str) -> dict:
    """The 3-D view's height grid for a scene's surface."""
    return background.mesh(scenes.from_dict(json.loads(picture_text)).surface_object())


@st.cache_data(max_entries=64, show_spinner=False)
def has_hatch(picture_text: str) -> bool:
    """Whether the scene's picture hatches a region where the loss is not finite (only a typed
    formula can have one: the built-in surfaces are finite over their domains)."""
    scene = scenes.from_dict(json.loads(picture_text))
    return scene.surface == scenes.FORMULA and background.not_finite_anywhere(
        scene.surface_object()
    )


@st.cache_data(show_spinner=False)
def preset_titles(language: str) -> dict[str, str]:
    titles = {}
    for name in scenes.presets.names():
        english = scenes.presets.load(name)[0]["title"]
        titles[name] = i18n.text(f"preset.{name}.title", language, english=english)
    return titles


@st.cache_data(show_spinner=False)
def surface_titles(language: str) -> dict[str, str]:
    """'Kind · Title' for every surface, in teaching order of kinds, in `language`."""

    def teaching_order(name: str):
        return landscapes.KINDS.index(landscapes.kind(name)), name

    order = sorted(landscapes.names(), key=teaching_order)
    word = functools.partial(i18n.text, lang=language)
    named = {}
    for n in order:
        title = word(f"surface.{n}.title", english=landscapes.title(n))
        named[n] = f"{word(f'kind.{landscapes.kind(n)}')} · {title}"
    return {**named, scenes.FORMULA: f"{word('kind.custom')} · {word('formula.own')}"}
