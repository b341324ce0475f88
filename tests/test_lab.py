"""The session's one state (`app.lab`) as pure functions: every action keeps a valid scene, the
link gives back what the Lab shows, rows keep their colours, and edits from the browser are
checked before they touch anything. A hypothesis state machine runs hundreds of random
journeys of user actions against these invariants (tests/test_journeys.py drives the same
kind of journeys through the real app)."""

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import landscapes
import lll_i18n as i18n
import optimizers
import scenes
from app import lab as labs
from app import network_lab
from scenes import playground
from tests.test_reliability import in_range

ROW_ID = 7


def one_row_lab() -> labs.Lab:
    scene = scenes.Scene(rows=(scenes.Row("momentum", {"learning_rate": 0.01}),))
    return labs.with_scene(labs.Lab(), scene, row_ids=(ROW_ID,))


def link_round_trip(lab: labs.Lab) -> labs.Lab:
    """The Lab a reader gets from `lab`'s link (each value a list, as Streamlit gives them)."""
    query = {k: v if isinstance(v, list) else [v] for k, v in labs.to_query(lab).items()}
    return labs.from_query(query)


@pytest.mark.parametrize("name", scenes.presets.names())
def test_every_preset_survives_its_link(name):
    lab = labs.apply_preset(labs.Lab(), name)
    again = link_round_trip(lab)
    assert again.scene == lab.scene and not again.notices


def test_a_link_gives_the_scene_view_tool_flags_and_network():
    query = {
        "surface": ["quadratic"],
        "sp.condition": ["50"],
        "o": ["momentum;learning_rate=0.05"],
        "view": ["insights"],
        "tool": ["stability"],
        "lang": ["zh-Hant"],
        "lr_hide": ["true"],
    }
    lab = labs.from_query(query)
    assert lab.scene.surface_params == {"condition": 50.0} and lab.view == "insights"
    assert lab.tool == "stability" and lab.lang == "zh-Hant" and not lab.shows("lr")
    assert labs.to_query(lab) == {k: v[0] if k != "o" else v for k, v in query.items()}
    network = network_lab.set_network(labs.set_view(lab, "network"), "hidden", 4)
    again = link_round_trip(network)
    assert again.network == network.network and again.scene == lab.scene


def test_unknown_view_and_tool_in_a_link_are_reported_and_the_defaults_kept():
    lab = labs.from_query({"view": ["<b>"], "tool": ["nope"]})
    assert (lab.view, lab.tool) == ("surfaces", "sweep")
    assert ["'<b>'" in n or "'nope'" in n for n in lab.notices] == [True, True]


def test_a_view_round_trip_and_a_language_switch_keep_the_scene():
    lab = labs.from_query({"surface": ["quadratic"], "sp.condition": ["50"], "o": ["momentum"]})
    for action, value in [
        (labs.set_view, "insights"),
        (labs.set_lang, "zh-Hans"),
        (labs.set_view, "network"),
        (labs.set_view, "surfaces"),
    ]:
        assert action(lab, value).scene == lab.scene
    assert labs.set_field(lab, "steps", 120).scene.surface_params == {"condition": 50.0}


def test_a_bad_value_keeps_the_old_one_and_says_why():
    lab = labs.Lab()
    bad = labs.set_field(lab, "steps", "lots")
    assert bad.scene.steps == lab.scene.steps and "steps" in bad.notices[0]
    assert labs.set_lang(lab, "klingon") == lab and labs.set_view(lab, "x") == lab
    assert labs.set_surface(lab, "banana") == lab and labs.apply_preset(lab, "nope") == lab


def test_a_formula_that_does_not_parse_stays_in_the_box_and_the_last_good_one_draws():
    lab = labs.set_surface(labs.Lab(), scenes.FORMULA)
    assert lab.scene.formula == labs.FIRST_FORMULA
    good = labs.set_formula(lab, "x^2 + 10*y^2")
    bad = labs.set_formula(good, "__import__('os')")
    assert bad.scene.formula == "x^2 + 10*y^2" and bad.draft == "__import__('os')"
    assert "__import__" in bad.draft_error[0]
    assert labs.set_formula(bad, "x^2").draft is None


def test_a_formula_no_run_could_start_on_stays_in_the_box_with_the_reason():
    good = labs.set_formula(labs.set_surface(labs.Lab(), scenes.FORMULA), "x^2 + 10*y^2")
    bad = labs.set_formula(good, "log(x)")  # not finite at the start (−2.1, 2.1), nor anywhere x<0
    assert bad.scene == good.scene and bad.draft == "log(x)"
    message, column = bad.draft_error
    assert message.key == "formula.not_finite" and column is None
    assert message.to("zh-Hant").startswith("損失在起始點 (-2.1, 2.1)")


def test_a_new_surface_starts_from_its_own_parameters_and_start():
    lab = labs.set_surface_param(labs.set_surface(labs.Lab(), "quadratic"), "condition", 50.0)
    lab = labs.set_start(lab, 1.0, 1.0)
    other = labs.set_surface(lab, "himmelblau")
    assert other.scene.surface_params == {} and other.scene.start is None


def test_row_editor_edits_reach_the_scene():
    lab = one_row_lab()
    for field, value in [
        ("name", "nesterov"),
        ("label", "  mine  "),
        ("color", "#00FF00"),
        ("lr", 0.5),
        ("more", True),
    ]:
        lab, understood = labs.edit_row(lab, {"id": ROW_ID, "field": field, "value": value})
        assert understood, field
    row = lab.scene.rows[0]
    assert (row.name, row.label, row.color, row.hyper["learning_rate"]) == (
        "nesterov",
        "mine",
        "#00ff00",
        0.5,
    )
    assert lab.open_rows == {ROW_ID} and not lab.notices
    lab, _ = labs.edit_row(lab, {"id": ROW_ID, "field": "lr", "value": 1e12})  # clamped
    high = optimizers.entry("nesterov").hyper["learning_rate"].high
    assert lab.scene.rows[0].hyper["learning_rate"] == high


def test_edits_to_hidden_controls_are_refused():
    lab = labs.replace(one_row_lab(), flags=scenes.view.View(hidden=frozenset({"optimizer"})))
    same, understood = labs.edit_row(lab, {"id": ROW_ID, "field": "name", "value": "adam"})
    assert not understood and same == lab
    rate, understood = labs.edit_row(lab, {"id": ROW_ID, "field": "lr", "value": 0.2})
    assert understood and rate.scene.rows[0].hyper["learning_rate"] == 0.2
    hidden_rows = labs.replace(lab, flags=scenes.view.View(hidden=frozenset({"rows"})))
    assert labs.row_action(hidden_rows, {"act": "add"}) == hidden_rows


@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.text(),
        st.lists(st.integers()),
        st.fixed_dictionaries(
            {
                "id": st.one_of(
                    st.just(ROW_ID), st.just(True), st.just("7"), st.integers(), st.floats()
                ),
                "field": st.one_of(
                    st.sampled_from(["name", "label", "color", "lr", "more", "__class__"]),
                    st.text(),
                ),
                "value": st.one_of(
                    st.none(), st.floats(), st.text(), st.booleans(), st.lists(st.integers())
                ),
            }
        ),
    )
)
@settings(max_examples=300, deadline=None)
def test_row_editor_edits_are_checked_before_they_touch_the_state(edit):
    lab = one_row_lab()
    after, understood = labs.edit_row(lab, edit)
    if not understood:
        assert after == lab
    lr = after.scene.rows[0].spec().hyper["learning_rate"]
    assert math.isfinite(float(lr)) and in_range(after.scene) and not after.notices


def test_removing_or_inserting_rows_keeps_every_other_rows_colour():
    lab = labs.apply_preset(labs.Lab(), "classic_beale")  # five rows, palette colours
    before = dict(zip(lab.row_ids, lab.scene.colors(), strict=True))
    gone = labs.row_action(lab, {"act": "remove", "id": lab.row_ids[1]})
    assert dict(zip(gone.row_ids, gone.scene.colors(), strict=True)).items() <= before.items()
    tripled = labs.row_action(gone, {"act": "three", "id": gone.row_ids[0]})
    kept = dict(zip(tripled.row_ids, tripled.scene.colors(), strict=True))
    assert {i: kept[i] for i in gone.row_ids} == {i: before[i] for i in gone.row_ids}
    assert len(set(kept.values())) == len(kept)  # the new rows have colours of their own
    assert link_round_trip(tripled).scene.colors() == tripled.scene.colors()


def test_network_table_edits_apply_to_the_configurations():
    lab = labs.set_view(labs.Lab(), "network")
    delta = {
        "edited_rows": {0: {"learning_rate": 0.03}, "1": {"activation": "relu"}},
        "added_rows": [{"optimizer": "adam", "learning_rate": None}],
        "deleted_rows": [3],
    }
    rows = network_lab.edit_network_table(lab, delta).network["rows"]
    assert [r["learning_rate"] for r in rows] == [0.03, 0.3, 0.3, 0.3]
    assert rows[1]["activation"] == "relu" and rows[3]["optimizer"] == "adam"
    assert network_lab.edit_network_table(lab, "junk") == lab


def test_a_callbacks_edit_that_does_not_read_keeps_the_rows_callbacks_and_says_where():
    lab = network_lab.load_exercise(labs.set_view(labs.Lab(), "network"), "day87")
    before = lab.network["rows"][2]["callbacks"]
    edited = network_lab.edit_network_table(
        lab, {"edited_rows": {2: {"callbacks": "ReduceLROnPlateau(factor=5)", "l2": 0.01}}}
    )
    row = edited.network["rows"][2]
    assert row["callbacks"] == before and row["l2"] == 0.01  # the rest of the edit applies
    notice = edited.notices[-1]
    assert notice.key == "notice.callbacks_kept" and "column 26" in notice
    good = network_lab.edit_network_table(lab, {"edited_rows": {2: {"callbacks": "cosine()"}}})
    assert good.network["rows"][2]["callbacks"] == "cosine()"


# -- random journeys -------------------------------------------------------------------------

SURFACES = [*landscapes.names(), scenes.FORMULA]
SURFACES.remove("network_slice")  # trains a network to build: the AppTest journeys visit it
FORMULAS = ["x^2 + 3*y^2", "sin(x) + y^2", "x^^2", "__import__('os')", "(x", "exp(x*y)/10"]
RULES = [
    "x = x - lr * g",
    "params: mu = 0.5\nv = mu * v - lr * g\nx = x + v",
    "params: b1 = 0.9, eps = 1e-8\nm = b1*m + (1-b1)*g\nx = x - lr * m / (abs(m) + eps)",
    "x = x - lr * h",
    "x = __import__('os')",
]
EDITS = st.fixed_dictionaries(
    {
        "field": st.sampled_from(["name", "label", "color", "lr", "more"]),
        "value": st.one_of(
            st.sampled_from([*optimizers.CATALOG, optimizers.RULE]),
            st.sampled_from(["#123456", "#ABCDEF", "#00ff00", "red"]),
            st.floats(-1, 10),
            st.booleans(),
            st.text(max_size=8),
        ),
    }
)


class Journey(RuleBasedStateMachine):
    """A user's random session against the Lab. The model beside it: each row id's colour,
    which changes only when the user sets it."""

    @initialize(query=st.sampled_from([{}, {"lang": ["zh-Hant"]}, {"view": ["network"]}]))
    def open_link(self, query):
        self.lab = labs.from_query(query)
        self.colors = dict(zip(self.lab.row_ids, self.lab.scene.colors(), strict=True))

    def now(self, lab: labs.Lab) -> None:
        """Take `lab`; a colour the model knows must not have moved."""
        self.lab = labs.replace(lab, notices=())
        shown = dict(zip(lab.row_ids, lab.scene.colors(), strict=True))
        for row_id, color in shown.items():
            assert self.colors.setdefault(row_id, color) == color, (row_id, color)

    @rule(view=st.sampled_from(labs.VIEWS))
    def switch_view(self, view):
        before = self.lab.scene
        self.now(labs.set_view(self.lab, view))
        assert self.lab.scene == before and self.lab.view == view

    @rule(lang=st.sampled_from(list(i18n.LANGS)))
    def switch_language(self, lang):
        before = self.lab.scene
        self.now(labs.set_lang(self.lab, lang))
        assert self.lab.scene == before and self.lab.lang == lang

    @rule(name=st.sampled_from(scenes.presets.names()))
    def choose_preset(self, name):
        self.now(labs.apply_preset(self.lab, name))
        assert self.lab.scene == scenes.presets.load(name)[1]

    @rule(name=st.sampled_from(SURFACES))
    def choose_surface(self, name):
        self.now(labs.set_surface(self.lab, name))
        assert self.lab.scene.surface == name

    @rule(data=st.data())
    def set_surface_parameter(self, data):
        specs = self.lab.scene.base_surface().param_specs
        if specs:
            name = data.draw(st.sampled_from(sorted(specs)))
            value = data.draw(st.floats(specs[name].low, specs[name].high))
            self.now(labs.set_surface_param(self.lab, name, value))

    @rule(
        name=st.sampled_from(labs.SCENE_FIELDS),
        value=st.one_of(st.integers(-5, 6000), st.floats(-1, 200), st.sampled_from(["side", "x"])),
    )
    def set_number(self, name, value):
        self.now(labs.set_field(self.lab, name, value))

    @rule(x=st.floats(-10, 10), y=st.floats(-10, 10))
    def click_start(self, x, y):
        self.now(labs.set_start(self.lab, x, y))

    @rule(text=st.sampled_from(FORMULAS))
    def type_formula(self, text):
        before = self.lab.scene.formula
        self.now(labs.set_formula(self.lab, text))
        assert self.lab.scene.formula in (text, before)

    @rule(data=st.data(), edit=EDITS)
    def edit_a_row(self, data, edit):
        row_id = data.draw(st.sampled_from(self.lab.row_ids))
        lab, understood = labs.edit_row(self.lab, {**edit, "id": row_id})
        if understood and edit["field"] == "color":
            self.colors[row_id] = edit["value"].lower()
        self.now(lab)

    @rule(data=st.data(), text=st.sampled_from(RULES))
    def type_a_rule(self, data, text):
        row_id = data.draw(st.sampled_from(self.lab.row_ids))
        index = self.lab.row_ids.index(row_id)
        before = self.lab.scene.rows[index]
        self.now(labs.set_rule(self.lab, row_id, text))
        row = self.lab.scene.rows[index]
        assert row.rule == text or row == before  # a rule that does not parse changes nothing
        assert (row_id in self.lab.rule_drafts) == (row == before and row.rule != text)

    @rule(data=st.data(), name=st.sampled_from(["momentum", "adam", "sgd"]))
    def run_a_built_in_beside(self, data, name):
        row_id = data.draw(st.sampled_from(self.lab.row_ids))
        self.now(labs.add_twin(self.lab, row_id, name))  # every other row keeps its colour

    @rule(data=st.data(), act=st.sampled_from(["add", "duplicate", "three", "remove"]))
    def press_a_row_button(self, data, act):
        row_id = data.draw(st.sampled_from(self.lab.row_ids))
        self.now(labs.row_action(self.lab, {"act": act, "id": row_id}))

    @rule(
        data=st.data(),
        kind=st.sampled_from([k for k in optimizers.schedules.KINDS if k != "warmup"]),
    )
    def set_a_schedule(self, data, kind):
        row_id = data.draw(st.sampled_from(self.lab.row_ids))
        lab = labs.set_open(self.lab, row_id, True)
        lab = labs.set_schedule(lab, row_id, kind)
        for name, param in optimizers.schedules.PARAMS[kind].items():
            value = data.draw(st.floats(param.low, param.high))
            lab = labs.set_schedule_param(lab, row_id, name, value)
        self.now(lab)
        assert self.lab.scene.rows[self.lab.row_ids.index(row_id)].schedule == kind

    @rule(tool=st.sampled_from(labs.TOOLS))
    def open_a_tool(self, tool):
        self.now(labs.set_tool(labs.set_view(self.lab, "insights"), tool))

    @rule(
        exercise=st.sampled_from(list(playground.EXERCISES)),
        hidden=st.sampled_from([2, "4, 2", "0", 16]),
    )
    def edit_the_network(self, exercise, hidden):
        lab = labs.set_view(network_lab.load_exercise(self.lab, exercise), "network")
        self.now(network_lab.set_network(lab, "hidden", hidden))

    @rule(hide=st.sets(st.sampled_from(scenes.view.CONTROLS), max_size=4))
    def follow_a_lesson_link(self, hide):
        flags = scenes.view.View(self.lab.lang, False, frozenset(hide))
        self.reload(labs.replace(self.lab, flags=flags))

    @rule()
    def reload_the_link(self):
        self.reload(self.lab)

    def reload(self, lab: labs.Lab) -> None:
        """A reload is a new session from the link; its rows are new rows."""
        again = link_round_trip(lab)
        assert again.scene == lab.scene and again.view == lab.view and again.flags == lab.flags
        assert not again.notices
        self.colors = dict(zip(again.row_ids, again.scene.colors(), strict=True))
        self.now(again)

    @invariant()
    def the_scene_is_valid_and_its_link_gives_it_back(self):
        assert in_range(self.lab.scene) and 1 <= len(self.lab.row_ids) <= scenes.MAX_ROWS
        assert len(self.lab.row_ids) == len(self.lab.scene.rows)
        assert link_round_trip(self.lab).scene == self.lab.scene


Journey.TestCase.settings = settings(
    max_examples=int(os.environ.get("LLL_LAB_JOURNEYS", "200")),
    stateful_step_count=40,
    deadline=None,
    derandomize=True,
)
test_random_journeys = Journey.TestCase


def test_a_new_row_and_a_switched_optimizer_start_from_a_rate_that_moves():
    lab = labs.apply_preset(labs.Lab(), "saddle_escape")
    added = labs.row_action(lab, {"act": "add"})
    row_id = added.row_ids[-1]
    switched, _ = labs.edit_row(added, {"id": row_id, "field": "name", "value": "adadelta"})
    for now in (added, switched):
        run = scenes.export.trajectories(now.scene)
        moved = abs(run.xy[-1, -1] - run.xy[-1, 0]).max()
        assert moved > 0.5, now.scene.rows[-1]  # Adadelta at the old 0.01: 0.006 in 300 steps
    assert switched.scene.rows[-1].hyper["learning_rate"] != 0.01


def test_a_preset_is_a_link():
    lab = labs.from_query({"preset": ["classic_beale"], "lang": ["zh-Hans"]})
    assert lab.scene == scenes.presets.load("classic_beale")[1] and lab.preset == "classic_beale"
    assert lab.lang == "zh-Hans" and not lab.notices
    unknown = labs.from_query({"preset": ["nope"]})
    assert unknown.scene == scenes.Scene() and "'nope'" in unknown.notices[0]
