"""The network page: the course's Playground exercises (Day 65) on a small network, every
configuration trained side by side, and the loss landscape around what it learned.

Thin UI like streamlit_app.py: widgets in, `optimizers.train` runs, `charts.network` draws.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import optimizers
import scenes
from charts import network as network_charts
from landscapes import network
from optimizers import train
from page import hold_scene, keep_link, lang, shown, titles, tr
from scenes import playground

WIDGETS = {"dataset": "net_dataset", "noise": "net_noise", "hidden": "net_hidden", "epochs": "net_epochs",
           "seed": "net_seed"}  # fmt: skip


@st.cache_data(max_entries=32, show_spinner=False)
def trained(settings_json: str):
    """Train every configuration of the settings (cached and shared: equal settings, equal runs)."""
    settings = json.loads(settings_json)
    return train.train(settings["dataset"], configs(settings["rows"]), settings["epochs"], settings["hidden"],
                       settings["noise"], settings["seed"])  # fmt: skip


def configs(rows: list[dict]) -> list[train.Config]:
    return [train.Config(optimizers.make(r["optimizer"], learning_rate=r["learning_rate"]), r["batch_size"],
                         r["activation"], r["l1"], r["l2"]) for r in rows]  # fmt: skip


def number_column(label: str, key: str, **options):
    """A table column held to the range `scenes.playground` checks linked values against."""
    low, high = playground.ROW_BOUNDS[key]
    return st.column_config.NumberColumn(label, min_value=low, max_value=high, **options)


def table_key() -> str:
    return f"net_table_{st.session_state.get('net_table_version', 0)}"


def hold_settings() -> None:
    """The page's settings into its widgets: from the link on a session's first visit, else as
    last shown (Streamlit forgets the values of widgets while another view is on screen)."""
    if "net_settings" not in st.session_state:
        settings, notices = playground.from_query({k: st.query_params.get_all(k) for k in st.query_params})
        st.session_state.net_settings = settings
        for notice in notices:
            st.info(tr("notice.ignored", notice=shown(notice)))
    settings = st.session_state.net_settings
    for name, key in WIDGETS.items():
        st.session_state.setdefault(key, settings[name])
    if table_key() not in st.session_state:  # the table starts again from the rows last shown
        st.session_state.net_rows = settings["rows"]


def load_exercise() -> None:
    """The chosen exercise's configurations on the spiral, in a fresh table."""
    rows = [{**playground.ROW, **change} for change in playground.EXERCISES[st.session_state.exercise]]
    st.session_state.net_settings = {**st.session_state.net_settings, "dataset": "spiral", "rows": rows}
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
    hold_settings()
    st.title(tr("view.network"))
    st.caption(tr("net.intro"))
    with st.sidebar:
        st.selectbox(tr("net.exercise"), list(playground.EXERCISES), key="exercise", index=None, format_func=titles("net."),
                     placeholder=tr("net.choose_exercise"), on_change=load_exercise)  # fmt: skip
        dataset = st.selectbox(tr("net.dataset"), network.DATASETS, key="net_dataset",
                               format_func=titles("net.dataset."))  # fmt: skip
        noise = st.slider(tr("net.noise"), 0.0, 0.5, step=playground.NOISE_STEP, key="net_noise")
        hidden = st.select_slider(tr("net.hidden"), playground.HIDDEN, key="net_hidden")
        epochs = int(st.number_input(tr("net.epochs"), 10, 1000, step=50, key="net_epochs"))
        seed = int(st.number_input(tr("sidebar.seed"), 0, 1_000_000, key="net_seed"))
    column = st.column_config
    table = st.data_editor(
        pd.DataFrame(st.session_state.net_rows), num_rows="dynamic", key=table_key(),
        column_config={
            "optimizer": column.SelectboxColumn(tr("chart.optimizer"), options=list(train.FIRST_ORDER), required=True),
            "learning_rate": number_column(tr("hyper.learning_rate"), "learning_rate", format="%g"),
            "batch_size": number_column(tr("option.batch_size"), "batch_size", step=1),
            "activation": column.SelectboxColumn(tr("net.activation"), options=list(playground.ACTIVATION_CHOICES), required=True),
            "l1": number_column("L1", "l1", format="%g"),
            "l2": number_column("L2", "l2", format="%g"),
        },
    )  # fmt: skip
    clean, notices = playground.clean_rows(table.to_dict("records"))
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
    st.session_state.net_settings = settings
    keep_link(playground.to_query(settings))
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
