"""The network page's settings as link parameters: a round trip, and bad values that fall back
with a notice, whatever the link holds."""

from hypothesis import given, settings
from hypothesis import strategies as st

import lll_i18n as i18n
from landscapes import network
from scenes import playground
from tests.test_reliability import ODD_TEXT


def notices_text(notices) -> str:
    return " | ".join(i18n.shown(n, "en") for n in notices)


def test_settings_survive_a_round_trip_through_the_link():
    settings = {
        "dataset": "xor",
        "points": [],
        "noise": 0.15,
        "ratio": 70,
        "inputs": ["x", "y", "xTimesY"],
        "hidden": [4, 2],
        "epochs": 250,
        "seed": 7,
        "rows": [
            {**playground.ROW, "optimizer": "adam", "learning_rate": 0.01, "activation": "relu"},
            {**playground.ROW, "batch_size": 1, "l2": 0.003},
        ],
    }
    query = playground.to_query(settings)
    assert query["net.row"] == [
        "adam;learning_rate=0.01;activation=relu",
        "sgd;batch_size=1;l2=0.003",
    ]
    assert playground.from_query(query) == (settings, [])


def test_a_link_without_network_settings_gives_the_defaults_and_defaults_stay_out_of_the_link():
    assert playground.from_query({}) == (playground.DEFAULTS, [])
    assert set(playground.to_query(playground.DEFAULTS)) == {"net.row"}


def test_bad_values_fall_back_or_are_clamped_with_a_notice_each():
    query = {
        "net.dataset": "moons",
        "net.noise": "0.13",
        "net.ratio": "95",
        "net.hidden": "5, 99, 2.5",
        "net.epochs": "1e9",
        "net.seed": "nan",
        "net.row": [
            "rmsprop;learning_rate=50;activation=swish;batch_size=2.6;colour=red",
            "bogus;l1=x",
        ],
    }
    settings, notices = playground.from_query(query)
    assert settings["dataset"] == "spiral" and settings["noise"] == 0.15
    assert settings["ratio"] == 90  # the slider's 10 to 90
    assert settings["hidden"] == [5, 16, 8]  # clamped, and 2.5 neurons is not a number of them
    assert settings["epochs"] == 1000 and settings["seed"] == 0
    first, second = settings["rows"]
    assert first == {
        **playground.ROW,
        "optimizer": "rmsprop",
        "learning_rate": 10.0,
        "batch_size": 3,
    }
    assert second == playground.ROW
    text = notices_text(notices)
    for words in (
        "'moons' is not one of",
        "1e+09 is outside",
        "'nan' is not finite",
        "'swish' is not one of",
        "no parameter 'colour'",
        "'bogus' is not one of",
        "'x' is not a number",
        "50 is outside",
        "99 is outside",
        "'2.5' is not a whole number",
    ):
        assert words in text, words


def test_at_most_nine_configurations_are_kept():
    settings, notices = playground.from_query({"net.row": ["adam"] * 12})
    assert len(settings["rows"]) == playground.MAX_CONFIGS
    assert "at most 9 configurations" in notices_text(notices)


def valid(linked) -> bool:
    rows_ok = all(
        row["optimizer"] in playground.FIRST_ORDER
        and row["activation"] in playground.ACTIVATIONS
        and all(low <= row[k] <= high for k, (low, high) in playground.ROW_BOUNDS.items())
        for row in linked["rows"]
    )
    return (
        linked["dataset"] in playground.DATASETS
        and len(linked["hidden"]) <= playground.MAX_LAYERS
        and all(1 <= h <= playground.MAX_NEURONS for h in linked["hidden"])
        and 0 <= linked["noise"] <= 0.5
        and 10 <= linked["epochs"] <= 1000
        and 0 <= linked["seed"] <= 10**6
        and 1 <= len(linked["rows"]) <= playground.MAX_CONFIGS
        and rows_ok
        and all(isinstance(linked[k], int) for k in ("epochs", "seed"))  # the widgets' types
        and all(isinstance(h, int) for h in linked["hidden"])
        and all(isinstance(row["batch_size"], int) for row in linked["rows"])
        and abs(
            linked["noise"] / playground.NOISE_STEP - round(linked["noise"] / playground.NOISE_STEP)
        )
        < 1e-9
    )


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(playground.KEYS),
        st.one_of(ODD_TEXT, st.lists(ODD_TEXT, max_size=12)),
        max_size=6,
    )
)
def test_any_network_link_gives_valid_settings_and_plain_notices(query):
    linked, notices = playground.from_query(query)
    assert valid(linked)
    assert all("\n" not in i18n.shown(n, "en") for n in notices)


def test_inputs_travel_in_the_link_by_the_playgrounds_names_and_bad_ones_are_said():
    settings, notices = playground.from_query({"net.inputs": "sinY,x,cosX"})
    assert settings["inputs"] == ["x", "sinY"] and [n.key for n in notices] == [
        "notice.unknown_input"
    ]
    assert playground.to_query(settings)["net.inputs"] == "x,sinY"
    assert "net.inputs" not in playground.to_query(playground.from_query({})[0])  # all: default
    settings, notices = playground.from_query({"net.inputs": ","})
    assert settings["inputs"] == list(network.INPUTS) and [n.key for n in notices] == [
        "notice.no_inputs"
    ]


def test_hidden_layers_travel_in_the_link_and_none_is_a_linear_model():
    settings, notices = playground.from_query({"net.hidden": "4,3,2,2,2,2,2"})
    assert settings["hidden"] == [4, 3, 2, 2, 2, 2] and [n.key for n in notices] == [
        "notice.too_many_layers"
    ]
    assert playground.to_query(settings)["net.hidden"] == "4,3,2,2,2,2"
    none, _ = playground.from_query({"net.hidden": "0"})
    assert none["hidden"] == [] and playground.to_query(none)["net.hidden"] == "0"
    assert playground.from_query({"net.hidden": "8"})[0]["hidden"] == [8]  # as links had it
