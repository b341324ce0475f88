"""The network page: the course's Playground exercises (Day 65) on a small network, every
configuration trained side by side, and the loss landscape around what it learned.

Thin UI: the settings live in the Lab, `optimizers.train` runs, `charts.network` draws.
"""

from __future__ import annotations

import functools
import hashlib
import json

import pandas as pd
import streamlit as st

import optimizers
import scenes
from app import lab as labs
from app import network_lab, own_data_view
from app.session import act, control, keep_link, knob, lab, lang, titles, tr
from charts import diagram, standalone
from charts import network as network_charts
from landscapes import network
from optimizers import callbacks, cost, probes, slices, train
from scenes import own_data, playground
from scenes.scene import PALETTE

# the view's settings: `network_hide` hides them all (their values stay)
setting = functools.partial(knob, hide="network")
setting_control = functools.partial(control, hide="network")


@st.cache_data(max_entries=32, show_spinner=False)
def trained(settings_json: str):
    """Train every configuration of the settings (cached and shared: equal settings, equal runs)."""
    settings = json.loads(settings_json)
    return train.train(
        playground.dataset(settings),
        configs(settings["rows"]),
        settings["epochs"],
        settings["hidden"],
        settings["noise"],
        settings["seed"],
        settings["ratio"],
        settings["inputs"],
    )


@st.cache_data(max_entries=32, show_spinner=False)
def sharpness(settings_json: str):
    """Each run's sharpness per epoch and its rate's stability limit (None where its
    optimizer has none), for the settings' (cached) training."""
    settings = json.loads(settings_json)
    result, runs = trained(settings_json), configs(settings["rows"])
    values = probes.sharpness(
        result,
        runs,
        playground.dataset(settings),
        settings["hidden"],
        settings["noise"],
        settings["seed"],
        settings["ratio"],
        settings["inputs"],
    )
    limits = [probes.stability_threshold(c.spec, lr) for c, lr in zip(runs, result.lr, strict=True)]
    return values, limits


def source(settings: dict) -> network.Data:
    """The settings' data set, split as they say."""
    return network.data(
        playground.dataset(settings),
        settings["noise"],
        settings["seed"],
        settings["ratio"],
        tuple(settings["inputs"]),
    )


def within_budget(settings: dict) -> dict:
    """The settings to train: the Lab's, or fewer epochs (said on the page, the link keeps
    the asked count) when training and its sharpness would take longer than a request's
    budget on this server."""
    data = source(settings)
    batches = [r["batch_size"] for r in settings["rows"]]
    per_epoch = cost.network_seconds_per_epoch(
        len(batches), len(data.train_y), batches, settings["hidden"]
    )
    epochs = cost.affordable_epochs(per_epoch, settings["epochs"], cost.BUDGET_SECONDS)
    if epochs == settings["epochs"]:
        return settings
    st.info(
        tr("net.cut", used=epochs, asked=settings["epochs"], seconds=f"{cost.BUDGET_SECONDS:g}")
    )
    return {**settings, "epochs": epochs}


INPUT_LABELS = dict(zip(network.INPUTS, network.SYMBOLS, strict=True))
MEASURED = ("ex5", "ex6", "ex7", "ex8", "day87")  # exercises with a note of what runs show


def configs(rows: list[dict]) -> list[train.Config]:
    """The table's rows as training configurations (their callbacks were checked on entry)."""
    out = []
    for r in rows:
        cbs = callbacks.parse(r.get("callbacks", ""))
        spec = optimizers.make(
            r["optimizer"], learning_rate=r["learning_rate"], schedule=cbs.schedule
        )
        out.append(train.Config(spec, r["batch_size"], r["activation"], r["l1"], r["l2"], cbs))
    return out


def number_column(label: str, key: str, **options):
    """A table column held to the range `scenes.playground` checks linked values against."""
    low, high = playground.ROW_BOUNDS[key]
    return st.column_config.NumberColumn(label, min_value=low, max_value=high, **options)


def exercise_shown(settings: dict) -> str | None:
    """The course exercise whose configurations are on screen, if one is."""
    for name, changes in playground.EXERCISES.items():
        if settings["rows"] == [{**playground.ROW, **change} for change in changes]:
            return name if settings["dataset"] == "spiral" else None
    return None


def network_change(name: str, kind):
    return lambda now, value: network_lab.set_network(now, name, kind(value))


def sidebar(place, settings: dict) -> None:
    with place:
        setting_control(
            st.selectbox,
            tr("net.exercise"),
            "exercise",
            exercise_shown(settings),
            network_lab.load_exercise,
            by_language=True,
            options=list(playground.EXERCISES),
            index=None,
            format_func=titles("net."),
            placeholder=tr("net.choose_exercise"),
        )
        setting_control(
            st.selectbox,
            tr("net.dataset"),
            "net_dataset",
            settings["dataset"],
            network_change("dataset", str),
            by_language=True,
            options=playground.CHOICES,
            format_func=titles("net.dataset."),
        )
        setting_control(  # in percent, 0 to 50 by 5, as the Playground's slider
            st.slider,
            tr("net.noise"),
            "net_noise",
            round(settings["noise"] * 100),
            network_change("noise", lambda percent: percent / 100),
            min_value=0,
            max_value=50,
            step=round(playground.NOISE_STEP * 100),
        )
        setting_control(  # the Playground's feature toggles
            st.multiselect,
            tr("net.inputs"),
            "net_inputs",
            list(settings["inputs"]),
            network_change("inputs", list),
            options=list(network.INPUTS),
            format_func=INPUT_LABELS.get,
        )
        setting_control(  # the Playground's "Ratio of training to test data", in percent
            st.slider,
            tr("net.ratio"),
            "net_ratio",
            int(settings["ratio"]),
            network_change("ratio", int),
            min_value=playground.NUMBERS["ratio"][0],
            max_value=playground.NUMBERS["ratio"][1],
            step=playground.RATIO_STEP,
        )
        setting_control(  # the Playground's +/− of layers and neurons, as one line: "4, 2"
            st.text_input,
            tr("net.hidden"),
            "net_hidden",
            ", ".join(map(str, settings["hidden"])) or "0",
            network_change("hidden", str),
            help=tr("net.hidden_help", most=playground.MAX_LAYERS, neurons=playground.MAX_NEURONS),
        )
        setting_control(
            st.number_input,
            tr("net.epochs"),
            "net_epochs",
            int(settings["epochs"]),
            network_change("epochs", int),
            min_value=10,
            max_value=1000,
            step=50,
        )
        setting_control(
            st.number_input,
            tr("sidebar.seed"),
            "net_seed",
            int(settings["seed"]),
            network_change("seed", int),
            min_value=0,
            max_value=1_000_000,
        )


def table(rows: list[dict]) -> None:
    """The configurations as an editable table, drawn afresh whenever they change (its key
    follows their content), so what it shows is always the Lab's."""
    digest = hashlib.sha1(json.dumps([rows, lang()], sort_keys=True).encode()).hexdigest()[:12]
    key = f"net_table_{digest}"
    column = st.column_config
    st.data_editor(
        pd.DataFrame(rows),
        num_rows="dynamic",
        key=key,
        on_change=lambda: act(network_lab.edit_network_table, st.session_state.get(key)),
        column_config={
            "optimizer": column.SelectboxColumn(
                tr("chart.optimizer"), options=list(slices.FIRST_ORDER), required=True
            ),
            "learning_rate": number_column(tr("hyper.learning_rate"), "learning_rate", format="%g"),
            "batch_size": number_column(tr("option.batch_size"), "batch_size", step=1),
            "activation": column.SelectboxColumn(
                tr("net.activation"), options=list(playground.ACTIVATION_CHOICES), required=True
            ),
            "l1": number_column("L1", "l1", format="%g"),
            "l2": number_column("L2", "l2", format="%g"),
            "callbacks": column.TextColumn(
                tr("net.callbacks"), help=tr("net.callbacks_help"), max_chars=callbacks.MAX_TEXT
            ),
        },
    )


def draw(place) -> None:
    """The network view, its settings in `place` (the sidebar's slot)."""
    settings = lab().network
    st.title(tr("view.network"))
    st.caption(tr("net.intro"))
    sidebar(place, settings)
    table(settings["rows"])
    keep_link()
    settings = lab().network
    own_data_view.settings_download(settings)
    if settings["dataset"] == "own":
        own_data_view.draw(settings)
    if not own_data_view.ready(settings):
        st.info(tr("net.own_waiting", least=own_data.MIN_PER_CLASS))
        return
    settings = within_budget(settings)
    rows, settings_json = settings["rows"], json.dumps(settings, sort_keys=True)
    with st.spinner(tr("net.training")):
        result = trained(settings_json)
    colors = PALETTE[: len(rows)]
    curves = network_charts.training_curves(
        result.train_loss, result.test_loss, result.labels, colors, lang()
    )
    st.altair_chart(curves, width="stretch")
    rates = network_charts.learning_rates(
        result.lr, result.stopped_at, result.labels, colors, lang()
    )
    st.altair_chart(rates, width="stretch")
    network_diagram(settings, result, colors)
    if (shown := exercise_shown(settings)) in MEASURED:
        st.caption(tr(f"net.{shown}_note"))
    st.subheader(tr("net.sharpness_title"))
    with st.spinner(tr("net.training")):
        values, limits = sharpness(settings_json)
    st.altair_chart(
        network_charts.sharpness(values, limits, result.labels, colors, lang()), width="stretch"
    )
    st.caption(tr("net.sharpness_note"))
    data = source(settings)
    grid = st.columns(3)
    for i, (row, label) in enumerate(zip(rows, result.labels, strict=True)):
        output = train.decision(result.final[i], row["activation"], settings["hidden"], data.output)
        title = tr("net.test_loss", i=i + 1, loss=f"{result.final_test[i]:.3f}")
        if result.stopped_at[i] >= 0:
            title += " · " + tr("net.stopped", epoch=int(result.stopped_at[i]) + 1)
        if row["l1"] > 0:
            zeros = network.zero_weights(result.final[i], settings["hidden"], settings["inputs"])
            weights = int(network.live_weights(settings["inputs"], settings["hidden"]).sum())
            title += " · " + tr("net.zero_weights", zeros=zeros, weights=weights)
        boundary = network_charts.decision_boundary(output, 6.0, data.test_points, data.test_y)
        grid[i % 3].image(boundary, caption=f"{title} · {label}", width="stretch")
    loss_slice(settings, result)


def network_diagram(settings: dict, result, colors) -> None:
    """The Playground's picture of the network, playing the runs' recorded weights."""
    st.subheader(tr("net.diagram_title"))
    words = {word: tr(f"diagram.{word}") for word in diagram.WORDS}
    activations = [row["activation"] for row in settings["rows"]]
    shape = (settings["hidden"], settings["inputs"], network.output(settings["dataset"]))
    data = diagram.payload(result, result.labels, colors, activations, shape, words)
    diagram.mount(data)
    st.caption(tr("net.diagram_note"))
    st.download_button(
        tr("net.diagram_file"),
        diagram_page(settings, result.labels, data),
        file_name="network.html",
        mime="text/html",
    )


def diagram_page(settings: dict, labels: list[str], data: dict) -> bytes:
    """The diagram as an offline page, titled with what was trained, in the reader's language."""
    note = tr(
        "net.diagram_page_note",
        dataset=tr(f"net.dataset.{settings['dataset']}"),
        hidden=", ".join(map(str, settings["hidden"])) or "0",
        epochs=settings["epochs"],
        runs=", ".join(labels),
    )
    title = f"Loss Landscape Lab · {tr('net.diagram_title')}"
    return standalone.diagram_page(title, note, data, lang()).encode("utf-8")


def loss_slice(settings: dict, result) -> None:
    """The loss around one run's trained weights, and a button that takes it to the surfaces."""
    rows = settings["rows"]
    st.subheader(tr("net.slice_title"))
    if lab().knob("net_slice_run") >= len(rows):
        act(labs.set_knob, "net_slice_run", 0)
    choice = setting(
        st.selectbox,
        tr("chart.run"),
        "net_slice_run",
        by_language=True,
        options=list(range(len(rows))),
        format_func=lambda i: f"{i + 1}. {result.labels[i]}",
    )
    directions = setting(
        st.radio,
        tr("net.directions"),
        "net_slice_pca",
        by_language=True,
        options=["random", "pca"],
        horizontal=True,
        format_func=titles("net.directions."),
    )
    config = configs(rows)[choice]
    surface, path = slices.loss_slice(
        result,
        choice,
        config,
        playground.dataset(settings),
        settings["hidden"],
        directions,
        settings["seed"],
        settings["noise"],
        settings["ratio"],
        settings["inputs"],
    )
    st.altair_chart(network_charts.loss_slice(surface, path, lang()), width="content")
    st.caption(tr("net.slice_note"))
    st.subheader(tr("net.interpolation_title"))
    alphas, train_loss, test_loss = probes.interpolation(
        result,
        choice,
        rows[choice]["activation"],
        playground.dataset(settings),
        settings["hidden"],
        settings["noise"],
        settings["seed"],
        ratio=settings["ratio"],
    )
    line = network_charts.interpolation(alphas, train_loss, test_loss, lang())
    st.altair_chart(line, width="stretch")
    st.caption(tr("net.interpolation_note"))
    if settings["dataset"] == "own":
        st.caption(tr("net.own_no_slice"))
        return
    if not sliceable(settings):
        st.caption(tr("net.slice_defaults_only"))
        return
    scene = slice_scene(rows[choice], settings, directions == "pca")
    st.button(tr("net.open_slice"), on_click=act, args=(network_lab.open_slice, scene))


def sliceable(settings: dict) -> bool:
    """Whether the surfaces view's `network_slice` (which retrains one hidden layer on every
    input, without noise, half the points training) trains the network these settings do."""
    defaults = playground.DEFAULTS
    same = all(settings[k] == defaults[k] for k in ("inputs", "ratio", "noise"))
    return same and len(settings["hidden"]) == 1


def slice_scene(row: dict, settings: dict, pca: bool) -> scenes.Scene:
    """A run's loss slice as a scene of the surfaces view, with three optimizers on it."""
    params = {
        "dataset": network.DATASETS.index(settings["dataset"]),
        "activation": network.ACTIVATIONS.index(row["activation"]),
        "hidden": settings["hidden"][0],
        "optimizer": slices.FIRST_ORDER.index(row["optimizer"]),
        "learning_rate": row["learning_rate"],
        "batch": row["batch_size"],
        "l1": row["l1"],
        "l2": row["l2"],
        "epochs": settings["epochs"],
        "seed": settings["seed"],
        "pca": float(pca),
    }
    rows = [
        {"name": "sgd", "hyper": {"learning_rate": 0.5}},
        {"name": "momentum", "hyper": {"learning_rate": 0.1}},
        {"name": "adam", "hyper": {"learning_rate": 0.05}},
    ]
    data = {"surface": "network_slice", "surface_params": params, "steps": 200, "rows": rows}
    return scenes.from_dict(data)
