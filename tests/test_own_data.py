"""One's own data for the network page: CSV files, clicked points, links and the settings
file, checked before anything trains; a bad one says why and changes nothing."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import lab as labs
from app import network_lab
from landscapes import network
from scenes import own_data, playground

XOR = [[x, y, 1.0 if x * y > 0 else -1.0] for x in (-4.0, -2.0, 2.0, 4.0) for y in (-3.0, 3.0)]


def with_points(points) -> labs.Lab:
    return labs.Lab(network={**playground.DEFAULTS, "dataset": "own", "points": points})


def test_a_csv_with_a_header_and_0_1_labels_reads_as_points_of_plus_and_minus_one():
    raw = b"x1,x2,label\n1.5,-2,1\n-1,2.25,0\n\n3,3,1\n-3,-3.333,0\n"
    assert own_data.from_csv(raw) == [
        [1.5, -2.0, 1.0],
        [-1.0, 2.25, -1.0],
        [3.0, 3.0, 1.0],
        [-3.0, -3.33, -1.0],
    ]


@pytest.mark.parametrize(
    "raw, key",
    [
        (b"1,2,1\n2,1,1\n3,3,-1\n", "own.few"),  # one point of class -1
        (b"1,2\n", "own.columns"),
        (b"1,2,1,4\n", "own.columns"),
        (b"1,two,1\n", "own.not_number"),
        (b"1,nan,1\n", "own.outside"),
        (b"1,7,1\n", "own.outside"),
        (b"1,2,3\n", "own.label"),
        (b"\xff\xfe1,2", "own.not_text"),
        (b"1,1,1\n" * 1001, "own.too_many"),
        (b"0" * 100_001, "own.too_big"),
    ],
)
def test_a_bad_csv_is_refused_with_the_reason(raw, key):
    with pytest.raises(own_data.OwnDataError) as error:
        own_data.from_csv(raw)
    assert error.value.message.key == key


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_never_anything_else(raw):
    outcomes = []
    for read in (own_data.from_csv, playground.from_file):
        try:
            outcomes.append(read(raw))
        except own_data.OwnDataError as error:
            outcomes.append(error.message.key)
    points, settings_read = outcomes
    assert isinstance(points, str) or all(len(p) == 3 and abs(p[0]) <= 6 for p in points)
    assert isinstance(settings_read, str) or settings_read[0]["rows"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,;-+eE xn", max_size=300))
def test_any_link_text_gives_checked_points_or_a_refusal(text):
    try:
        points = own_data.from_text(text)
    except own_data.OwnDataError:
        return
    assert all(abs(x) <= 6 and abs(y) <= 6 and c in (1.0, -1.0) for x, y, c in points)


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_a_settings_file_of_any_shape_is_read_as_checked_settings_or_refused(network_value):
    raw = json.dumps({"network": network_value}).encode()
    try:
        found, _ = playground.from_file(raw)
    except own_data.OwnDataError:
        return
    assert found["dataset"] in playground.CHOICES and found["rows"]


def test_a_bad_upload_keeps_the_data_and_says_why_in_each_language():
    before = with_points(XOR)
    after = network_lab.open_data_file(before, "mine.csv", b"1,2,5\n")
    assert after.network == before.network
    (notice,) = after.notices
    assert notice.to("zh-Hant").startswith("第 1 行") and notice.to("zh-Hans").startswith("第 1 行")
    assert "label" in notice.to("en")


def test_clicks_add_points_of_the_chosen_class_inside_the_plane():
    lab = network_lab.add_point(with_points([]), 1.234, 9.0, 1.0)
    lab = network_lab.add_point(lab, -2.0, -0.5, -1.0)
    assert lab.network["points"] == [[1.23, 6.0, 1.0], [-2.0, -0.5, -1.0]]
    assert network_lab.clear_points(lab).network["points"] == []


def test_small_data_travels_in_the_link_and_comes_back_the_same():
    query = playground.to_query(with_points(XOR).network)
    assert query["net.dataset"] == "own" and "+" not in query["net.points"]
    found, notices = playground.from_query(
        {k: [v] if isinstance(v, str) else v for k, v in query.items()}
    )
    assert notices == [] and found["dataset"] == "own" and found["points"] == XOR


def test_large_data_stays_out_of_the_link_but_survives_other_changes_and_the_settings_file():
    rng = np.random.default_rng(0)
    points = [
        [float(x), float(y), 1.0 if x > y else -1.0]
        for x, y in np.round(rng.uniform(-5, 5, (300, 2)), 2)
    ]
    lab = with_points(points)
    assert "net.points" not in playground.to_query(lab.network)
    lab = network_lab.set_network(lab, "epochs", 40)
    assert lab.network["points"] == points and lab.network["epochs"] == 40
    lab = network_lab.set_network(lab, "dataset", "circle")
    lab = network_lab.set_network(lab, "dataset", "own")  # back: the points were kept
    assert lab.network["points"] == points
    restored = network_lab.open_data_file(labs.Lab(), "s.json", playground.to_file(lab.network))
    assert restored.network == lab.network and restored.notices == ()


def test_a_link_with_bad_own_data_falls_back_to_the_spiral_with_a_notice():
    found, notices = playground.from_query({"net.dataset": ["own"], "net.points": ["1,2,1;3,x,-1"]})
    assert found["dataset"] == "spiral" and [n.key for n in notices] == ["own.link_refused"]


def test_own_points_split_in_half_for_training_and_testing():
    data = network.data(tuple(map(tuple, XOR)), 0.0, 3)
    assert len(data.train_y) == 4 and len(data.test_y) == 4
    both = np.concatenate([data.train_points, data.test_points])
    assert sorted(map(tuple, both.tolist())) == sorted((x, y) for x, y, _ in XOR)
