"""Random user journeys through the real app (AppTest): a hypothesis state machine switches
views and languages, picks presets and surfaces, edits rows, schedules and formulas, opens the
insight tools and the network page, and reloads from the link or a lesson link. After every
step: no exception, the link gives back the scene, a view round trip keeps it, every visible
text is in the chosen language, and each row keeps its colour.

`make test` runs a few journeys (`LLL_JOURNEYS`, default 4, of 30 steps); `make soak` many more.
Row-editor edits enter through `app.lab.edit_row` / `row_action`, the functions the editor's
callbacks call (AppTest can't press a custom component's buttons; tests/test_editor.py
presses them in Chromium).
"""

import os

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from streamlit.testing.v1 import AppTest

import lll_i18n as i18n
import optimizers
import scenes
from app import lab as labs
from app import network_lab
from scenes import playground
from tests.test_app import APP, TIMEOUT, lab, worded
from tests.test_i18n import english_left

JOURNEYS = int(os.environ.get("LLL_JOURNEYS", "4"))
STEPS = int(os.environ.get("LLL_JOURNEY_STEPS", "30"))
SURFACES = ["quadratic", "himmelblau", "saddle", "beale", "rastrigin", scenes.FORMULA]
PRESETS = ["classic_beale", "saddle_escape", "lr_schedules", "feature_scaling"]
FORMULAS = ["x^2 + 3*y^2", "sin(x) + y^2", "x^^2", "__import__('os')", "(x"]
CHEAP_TOOLS = ["sweep", "range", "leaderboard", "tune", "explain", "fan"]
SCHEDULES = [k for k in optimizers.schedules.KINDS if k != "warmup"]


def opened(query: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


class AppJourney(RuleBasedStateMachine):
    """One user's session; the model beside it is each row id's colour."""

    @initialize(query=st.sampled_from([{}, {"lang": "zh-Hant"}, {"surface": "quadratic"}]))
    def open_the_app(self, query):
        self.at = opened({**query, "steps": "60"})  # short runs keep the journeys quick
        self.colors = {}
        self.check_colors()

    # -- helpers ---------------------------------------------------------------------------

    @property
    def lab(self) -> labs.Lab:
        return lab(self.at)

    def run(self) -> None:
        self.at.run()
        self.check_colors()

    def check_colors(self) -> None:
        shown = dict(zip(self.lab.row_ids, self.lab.scene.colors(), strict=True))
        for row_id, color in shown.items():
            assert self.colors.setdefault(row_id, color) == color, (row_id, color)

    def on(self, view: str, *controls: str) -> bool:
        """On `view`, with `controls` shown (a lesson link may hide them)."""
        return self.lab.view == view and all(self.lab.shows(c) for c in controls)

    def take(self, new: labs.Lab) -> None:
        """What a component's callback does: the Lab it computed becomes the session's."""
        self.at.session_state["lab"] = new
        self.run()

    # -- views and language ----------------------------------------------------------------

    @rule(view=st.sampled_from(labs.VIEWS))
    def switch_view(self, view):
        before = self.lab.scene
        self.at.radio(key=worded("view", self.at)).set_value(view).run()
        assert self.lab.view == view and self.lab.scene == before

    @rule(lang=st.sampled_from(list(i18n.LANGS)))
    def switch_language(self, lang):
        before = self.lab.scene
        self.at.selectbox(key="w.lang").set_value(lang).run()
        assert self.lab.lang == lang and self.lab.scene == before
        assert self.at.radio(key=worded("view", self.at)).value == self.lab.view

    # -- the surfaces view -----------------------------------------------------------------

    @precondition(lambda self: self.on("surfaces", "preset"))
    @rule(name=st.sampled_from(PRESETS))
    def choose_preset(self, name):
        self.at.selectbox(key=worded("preset", self.at)).set_value(name)
        self.run()
        assert self.lab.scene == scenes.presets.load(name)[1]

    @precondition(lambda self: self.on("surfaces", "surface"))
    @rule(name=st.sampled_from(SURFACES))
    def choose_surface(self, name):
        self.at.selectbox(key=worded("surface", self.at)).set_value(name)
        self.run()
        assert self.lab.scene.surface == name

    @precondition(
        lambda self: self.on("surfaces", "surface") and self.lab.scene.base_surface().param_specs
    )
    @rule(data=st.data())
    def set_a_surface_parameter(self, data):
        scene = self.lab.scene
        specs = scene.base_surface().param_specs
        name = data.draw(st.sampled_from(sorted(specs)))
        if specs[name].toggle:
            self.at.toggle(key=f"w.sp.{scene.surface}.{name}").set_value(True)
        else:
            value = data.draw(st.floats(specs[name].low, specs[name].high))
            self.at.number_input(key=f"w.sp.{scene.surface}.{name}").set_value(value)
        self.run()

    @precondition(lambda self: self.on("surfaces", "steps"))
    @rule(steps=st.integers(1, 120))
    def set_the_steps(self, steps):
        self.at.number_input(key="w.steps").set_value(steps)
        self.run()
        assert self.lab.scene.steps == steps

    @precondition(
        lambda self: self.on("surfaces", "surface") and self.lab.scene.surface == scenes.FORMULA
    )
    @rule(text=st.sampled_from(FORMULAS))
    def type_a_formula(self, text):
        before = self.lab.scene.formula
        self.at.text_input(key="w.formula").set_value(text)
        self.run()
        assert self.lab.scene.formula in (text, before)

    @precondition(lambda self: self.on("surfaces"))
    @rule(
        data=st.data(),
        field=st.sampled_from(["name", "label", "color", "lr", "more"]),
        value=st.one_of(
            st.sampled_from(["adam", "nesterov", "adadelta", "rmsprop", "sgd"]),
            st.sampled_from(["#123456", "#abcdef", "mine"]),
            st.floats(1e-4, 0.5),
            st.booleans(),
        ),
    )
    def edit_a_row(self, data, field, value):
        row_id = data.draw(st.sampled_from(self.lab.row_ids))
        new, understood = labs.edit_row(self.lab, {"id": row_id, "field": field, "value": value})
        if understood and field == "color":
            self.colors[row_id] = value
        self.take(new)

    @precondition(lambda self: self.on("surfaces"))
    @rule(data=st.data(), act=st.sampled_from(["add", "duplicate", "three", "remove"]))
    def press_a_row_button(self, data, act):
        row_id = data.draw(st.sampled_from(self.lab.row_ids))
        self.take(labs.row_action(self.lab, {"act": act, "id": row_id}))

    @precondition(lambda self: self.on("surfaces", "more"))
    @rule(data=st.data(), kind=st.sampled_from(SCHEDULES))
    def open_more_and_set_a_schedule(self, data, kind):
        index = data.draw(st.integers(0, len(self.lab.row_ids) - 1))
        row_id, row = self.lab.row_ids[index], self.lab.scene.rows[index]
        self.take(labs.set_open(self.lab, row_id, True))
        key = worded(f"row{row_id}.{row.name}.schedule", self.at)
        self.at.selectbox(key=key).set_value(kind)
        self.run()
        assert self.lab.scene.rows[index].schedule == kind

    # -- the other views -------------------------------------------------------------------

    @rule(tool=st.sampled_from(CHEAP_TOOLS))
    def open_an_insight_tool(self, tool):
        if not self.on("insights"):
            self.at.radio(key=worded("view", self.at)).set_value("insights").run()
        self.at.radio(key=worded("tool", self.at)).set_value(tool)
        self.run()
        assert self.at.query_params["tool"] == tool

    @rule(exercise=st.sampled_from(list(playground.EXERCISES)))
    def choose_an_exercise(self, exercise):
        if not self.on("network"):
            self.at.radio(key=worded("view", self.at)).set_value("network").run()
        self.at.selectbox(key=worded("exercise", self.at)).set_value(exercise)
        self.run()
        assert (
            self.lab.network["rows"]
            == network_lab.load_exercise(self.lab, exercise).network["rows"]
        )

    # -- links -----------------------------------------------------------------------------

    @rule()
    def reload_from_the_link(self):
        self.reload({})

    @rule(
        hide=st.sets(st.sampled_from(["steps", "surface", "optimizer", "rows", "lr"]), max_size=3)
    )
    def follow_a_lesson_link(self, hide):
        self.reload({f"{control}_hide": "true" for control in hide})

    def reload(self, extra: dict) -> None:
        scene, view = self.lab.scene, self.lab.view
        query = dict(self.at.query_params)
        self.at = opened({**query, **extra})
        assert self.lab.scene == scene and self.lab.view == view and not self.at.info
        self.colors = {}
        self.check_colors()

    # -- after every step ------------------------------------------------------------------

    @invariant()
    def no_exception_and_the_link_gives_back_the_scene(self):
        assert not self.at.exception, self.at.exception
        linked, notices = scenes.from_query(dict(self.at.query_params))
        assert linked == self.lab.scene and not notices

    @invariant()
    def every_visible_text_is_in_the_chosen_language(self):
        if self.lab.lang != "en":
            assert english_left(self.at) == []


AppJourney.TestCase.settings = settings(
    max_examples=JOURNEYS,
    stateful_step_count=STEPS,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure prints its whole journey
)
test_app_journeys = AppJourney.TestCase
