"""The network page's own data: a plane that takes clicks as points of the chosen class, an
upload (a CSV of points or a settings file) and the settings file to download.

Thin UI: `app.network_lab` changes the Lab, `scenes.own_data` checks what comes in.
"""

from __future__ import annotations

import hashlib
import json

import altair as alt
import numpy as np
import streamlit as st

from app import network_lab
from app.session import act, tr
from charts.network import BLUE_ORANGE
from scenes import own_data, playground

GRID = np.linspace(-own_data.EXTENT, own_data.EXTENT, 49)  # where a click can land: 0.25 apart
SPOT = "spot"  # the plane's click selection


def ready(settings: dict) -> bool:
    """Whether the settings' data can be trained on (one's own needs both classes)."""
    return settings["dataset"] != "own" or own_data.trainable(settings["points"])


def draw(settings: dict) -> None:
    """The plane, the class a click adds, the upload and the count, in two columns."""
    points = settings["points"]
    plane, side = st.columns([3, 2])
    with plane:
        key = "own_plane_" + hashlib.sha1(json.dumps(points).encode()).hexdigest()[:12]
        st.altair_chart(
            plane_chart(points),
            key=key,
            on_select=lambda: _clicked(key),
            selection_mode=SPOT,
            width="content",
        )
    with side:
        st.radio(
            tr("net.own_class"),
            [1.0, -1.0],
            key="own_class",
            format_func=lambda c: tr("net.own_plus" if c > 0 else "net.own_minus"),
            horizontal=True,
        )
        st.caption(tr("net.own_click", count=len(points), least=own_data.MIN_PER_CLASS))
        upload = st.file_uploader(tr("net.own_upload"), type=["csv", "json"], key="own_upload")
        if upload is not None and st.session_state.get("own_upload_read") != upload.file_id:
            st.session_state["own_upload_read"] = upload.file_id  # each upload is read once
            act(
                network_lab.open_data_file, upload.name, upload.getvalue()[: own_data.MAX_BYTES + 1]
            )
            st.rerun()
        st.button(tr("net.own_clear"), on_click=act, args=(network_lab.clear_points,))
    if own_data.to_text(points) is None:
        st.caption(tr("net.own_not_in_link", count=len(points), max=own_data.LINK_POINTS))


def plane_chart(points) -> alt.Chart:
    """The points so far in the Playground's colours, over an invisible grid whose nearest
    cell a click selects."""
    grid = [{"x": float(x), "y": float(y)} for x in GRID for y in GRID]
    dots = [{"x": x, "y": y, "label": "+1" if c > 0 else "−1"} for x, y, c in points]
    axis = alt.Scale(domain=[-own_data.EXTENT, own_data.EXTENT], nice=False)
    spot = alt.selection_point(name=SPOT, on="click", nearest=True, fields=["x", "y"])
    cells = (
        alt.Chart(alt.Data(values=grid))
        .mark_point(opacity=0.001, size=20)
        .encode(x=alt.X("x:Q", scale=axis, title="x₁"), y=alt.Y("y:Q", scale=axis, title="x₂"))
        .add_params(spot)
    )
    marks = (
        alt.Chart(alt.Data(values=dots))
        .mark_circle(size=60, opacity=0.9, stroke="white", strokeWidth=0.8)
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.Color(
                "label:N",
                scale=alt.Scale(domain=["−1", "+1"], range=[BLUE_ORANGE[0], BLUE_ORANGE[2]]),
                legend=None,
            ),
        )
    )
    return alt.layer(cells, marks).properties(width=320, height=320)


def _clicked(key: str) -> None:
    """A click on the plane: a point of the chosen class at the cell it picked."""
    chosen = st.session_state[key].selection.get(SPOT) or []
    if chosen and {"x", "y"} <= set(chosen[0]):
        label = st.session_state.get("own_class", 1.0)
        act(network_lab.add_point, chosen[0]["x"], chosen[0]["y"], label)


def settings_download(settings: dict) -> None:
    """The settings file: what the page trains, one's own points included."""
    st.download_button(
        tr("net.settings_file"),
        playground.to_file(settings),
        file_name="network-settings.json",
        mime="application/json",
    )
