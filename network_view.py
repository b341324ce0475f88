"""The network page: the course's Playground exercises (Day 65) on a small network, every
configuration trained side by side, and the loss landscape around what it learned.

Thin UI like streamlit_app.py: widgets in, `optimizers.train` runs, `charts.network` draws.
"""

from __future__ import annotations

import json
import math
import numbers

import pandas as pd
import streamlit as st

import optimizers
import scenes
from charts import network as network_charts
from i18n import Message
from landscapes import network
from optimizers import train
from page import hold_scene, lang, shown, titles, tr

MAX_CONFIGS = 9
ROW = {"optimizer": "sgd", "learning_rate": 0.3, "batch_size": 10, "activation": "tanh", "l1": 0.0, "l2": 0.0}
EXERCISES = {  # the course's Day 65 exercises on the spiral, one hidden layer of 8
    "ex5": [{"learning_rate": 0.03, "batch_size": b} for b in (1, 10, 30)],
    "ex6": [{"learning_rate": lr} for lr in (0.03, 0.3, 1.0, 3.0)],
    "ex7": [{"learning_rate": 1.0, "activation": a} for a in ("tanh", "relu", "sigmoid")],
    "ex8": [{}, {"l1": 0.001}, {"l2": 0.001}, {"l2": 0.01}],
}  # fmt: skip


@st.cache_data(max_entries=32, show_spinner=False)
def trained(settings_json: str):
    """Train every configuration of the settings (cached and shared: equal settings, equal runs)."""
    settings = json.loads(settings_json)
    return train.train(settings["dataset"], configs(settings["rows"]), settings["epochs"], settings["hidden"],
                       settings["noise"], settings["seed"])  # fmt: skip


def configs(rows: list[dict]) -> list[train.Config]:
    return [train.Config(optimizers.make(r["optimizer"], learning_rate=r["learning_rate"]), r["batch_size"],
                         r["activation"], r["l1"], r["l2"]) for r in rows]  # fmt: skip


def clean_rows(table: pd.DataFrame) -> tuple[list[dict], list[Message]]:
    """The edited table as valid rows: blanks take defaults, values are clamped; notices say what changed."""
    rows, notices = [], []
    bounds = {"learning_rate": (1e-4, 10.0), "batch_size": (1, 250), "l1": (0.0, 0.1), "l2": (0.0, 0.1)}
    for i, record in enumerate(table.to_dict("records")[:MAX_CONFIGS]):
        row = dict(ROW)
        for key, value in record.items():
            if key in ("optimizer", "activation"):
                allowed = train.FIRST_ORDER if key == "optimizer" else network.ACTIVATIONS[:3]
                row[key] = value if value in allowed else ROW[key]
            elif key in bounds and isinstance(value, numbers.Real) and math.isfinite(value):
                low, high = bounds[key]
                row[key] = type(ROW[key])(min(max(value, low), high))
                if row[key] != value:
                    notices.append(Message("notice.outside", name=f"{i + 1}: {key}", value=f"{value:g}",
                                           low=f"{low:g}", high=f"{high:g}", used=f"{row[key]:g}"))  # fmt: skip
        rows.append(row)
    if len(table) > MAX_CONFIGS:
        notices.append(Message("net.too_many", max=MAX_CONFIGS))
    return rows or [dict(ROW)], notices


def load_exercise() -> None:
    rows = [{**ROW, **change} for change in EXERCISES[st.session_state.exercise]]
    st.session_state.net_rows = rows
    st.session_state.net_table_version = st.session_state.get("net_table_version", 0) + 1
    st.session_state.net_dataset = "spiral"


def open_slice(row: dict, settings: dict, pca: bool) -> None:
    """Hand this run's loss slice to the surfaces page as its scene, then go there."""
    params = {
        "dataset": network.DATASETS.index(settings["dataset"]), "activation": network.ACTIVATIONS.index(row["activation"]),
        "hidden": settings["hidden"], "optimizer": train.FIRST_ORDER.index(row["optimizer"]),
        "learning_rate": row["learning_rate"], "batch": row["batch_size"], "l1": row["l1"], "l2": row["l2"],
        "epochs": settings["epochs"], "seed": settings["seed"], "pca": float(pca),
    }  # fmt: skip
    rows = [scenes.Row("sgd", {"learning_rate": 0.5}), scenes.Row("momentum", {"learning_rate": 0.1}),
            scenes.Row("adam", {"learning_rate": 0.05})]  # fmt: skip
    scene = scenes.from_dict({"surface": "network_slice", "surface_params": params, "steps": 200,
                              "rows": [r.__dict__ for r in rows]})  # fmt: skip
    st.session_state.pending_scene = scene.to_dict()
    st.session_state.view = "surfaces"


def page() -> None:
    hold_scene()  # the surfaces view's settings outlive a visit here
    st.title(tr("view.network"))
    st.caption(tr("net.intro"))
    with st.sidebar:
        st.selectbox(tr("net.exercise"), list(EXERCISES), key="exercise", index=None, format_func=titles("net."),
                     placeholder=tr("net.choose_exercise"), on_change=load_exercise)  # fmt: skip
        dataset = st.selectbox(tr("net.dataset"), network.DATASETS, key="net_dataset",
                               format_func=titles("net.dataset."))  # fmt: skip
        noise = st.slider(tr("net.noise"), 0.0, 0.5, 0.0, 0.05, key="net_noise")
        hidden = st.select_slider(tr("net.hidden"), [2, 4, 6, 8, 12, 16], value=8, key="net_hidden")
        epochs = int(st.number_input(tr("net.epochs"), 10, 1000, 500, step=50, key="net_epochs"))
        seed = int(st.number_input(tr("sidebar.seed"), 0, 1_000_000, 0, key="net_seed"))
    rows = st.session_state.get("net_rows", [{**ROW, **c} for c in EXERCISES["ex8"]])
    column = st.column_config
    table = st.data_editor(
        pd.DataFrame(rows), num_rows="dynamic", key=f"net_table_{st.session_state.get('net_table_version', 0)}",
        column_config={
            "optimizer": column.SelectboxColumn(tr("chart.optimizer"), options=list(train.FIRST_ORDER), required=True),
            "learning_rate": column.NumberColumn(tr("hyper.learning_rate"), min_value=1e-4, max_value=10.0, format="%g"),
            "batch_size": column.NumberColumn(tr("option.batch_size"), min_value=1, max_value=250, step=1),
            "activation": column.SelectboxColumn(tr("net.activation"), options=list(network.ACTIVATIONS[:3]), required=True),
            "l1": column.NumberColumn("L1", min_value=0.0, max_value=0.1, format="%g"),
            "l2": column.NumberColumn("L2", min_value=0.0, max_value=0.1, format="%g"),
        },
    )  # fmt: skip
    clean, notices = clean_rows(table)
    for notice in notices:
        st.info(shown(notice))
    settings = {
        "dataset": dataset,
        "noise": noise,
        "hidden": hidden,
        "epochs": epochs,
        "seed": seed,
        "rows": clean,
    }
    with st.spinner(tr("net.training")):
        result = trained(json.dumps(settings, sort_keys=True))
    colors = scenes.scene.PALETTE[: len(clean)]
    curves = network_charts.training_curves(
        result.train_loss, result.test_loss, result.labels, colors, lang()
    )
    st.altair_chart(curves, width="content")
    data = network.data(dataset, noise, seed)
    grid = st.columns(3)
    for i, (row, label) in enumerate(zip(clean, result.labels, strict=True)):
        output = train.decision(result.weights[i, -1], row["activation"], hidden)
        title = tr("net.test_loss", i=i + 1, loss=f"{result.test_loss[i, -1]:.3f}")
        boundary = network_charts.decision_boundary(output, 6.0, data.test_points, data.test_y)
        grid[i % 3].image(boundary, caption=f"{title} · {label}")
    st.subheader(tr("net.slice_title"))
    choice = st.selectbox(
        tr("chart.run"),
        range(len(clean)),
        format_func=lambda i: f"{i + 1}. {result.labels[i]}",
        key="net_slice_run",
    )
    pca = st.radio(tr("net.directions"), ["random", "pca"], horizontal=True, key="net_slice_pca",
                   format_func=titles("net.directions.")) == "pca"  # fmt: skip
    config = configs(clean)[choice]
    surface, path = train.loss_slice(
        result, choice, config, dataset, hidden, "pca" if pca else "random", seed, noise
    )
    st.altair_chart(network_charts.loss_slice(surface, path, lang()), width="content")
    st.caption(tr("net.slice_note"))
    st.button(tr("net.open_slice"), on_click=open_slice, args=(clean[choice], settings, pca))
