"""The naive baseline for bench/browser.py: the same scene re-sent with st.altair_chart on every
change.

This is how most Streamlit visualizers draw: the whole chart, background and data
included, goes to the browser on each rerun and Vega rebuilds the view from scratch.
"""

import streamlit as st

import optimizers
import scenes
from charts import landscape
from charts.payload import unpack  # noqa: F401  (same imports as the app, for equal start-up work)

_, scene, _ = scenes.presets.load("classic_beale")
lr = st.number_input("learning rate", value=0.001, format="%g", key="lr")
rows = [scenes.Row(**{**scene.rows[0].__dict__, "hyper": {"learning_rate": lr}}), *scene.rows[1:]]
surface = scene.surface_object()
t = optimizers.run(surface, [r.spec() for r in rows], scene.start_point(), scene.steps)
spec = landscape.filled_scene_chart(surface, "overlay", t, scene.colors(), scene.steps)
st.vega_lite_chart(spec, width="content")
