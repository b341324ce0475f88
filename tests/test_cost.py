"""Time, not only sizes: an insight request at the caps finishes within its budget on this
machine, by running fewer steps, and says so; a request that fits is not cut."""

import threading
import time

import pytest

import landscapes
import optimizers
from app import admission, insights_view
from optimizers import cost, insight
from tests.test_app import app


def test_the_affordable_steps_are_the_budget_over_the_cost_of_a_step_of_every_run():
    # 90,000 starts at 1 µs a run-step: 5 s buys 5 / (90,000 × 10⁻⁶) = 55.5 → 55 steps
    assert cost.affordable_steps(1e-6, 90_000, 2222, 5.0) == 55
    assert cost.affordable_steps(1e-9, 90_000, 2222, 5.0) == 2222  # 0.2 s: not cut
    assert cost.affordable_steps(1e-3, 90_000, 2222, 5.0) == cost.LEAST_STEPS
    assert cost.within_budget(None, None, 90_000, 2222, None) == 2222  # no budget, no limit


HEAVY = optimizers.make(
    "adam",
    learning_rate=0.05,
    line_search=True,
    schedule=optimizers.schedule("plateau"),
)


def test_basins_at_the_caps_with_the_costliest_row_stay_within_the_budget():
    """The request that took 207 s for 12 such rows: each row gets 1/12 of the budget, as the
    view shares it, and runs within it once XLA has compiled its structure (the first call
    per process compiles, about 1-2 s, on top)."""
    surface = landscapes.get("rosenbrock")
    share = cost.BUDGET_SECONDS / 12
    first = insight.basins(surface, HEAVY, 5000, n=300, budget=share)  # probes and compiles
    began = time.perf_counter()
    again = insight.basins(surface, HEAVY, 5000, n=300, budget=share)
    seconds = time.perf_counter() - began
    assert again.steps == first.steps < 5000 and again.minimum.shape == (300, 300)
    assert seconds < 1.5 * share + 0.3  # the share, with room for a noisy machine


def test_a_request_that_fits_its_budget_is_not_cut():
    surface = landscapes.get("quadratic")
    result = insight.rate_sweep(
        surface, optimizers.make("sgd"), None, 300, insight.rate_grid(surface, 200), budget=5.0
    )
    assert result.steps == 300


@pytest.mark.parametrize("lang, words", [("en", "the first"), ("zh-Hant", "前")])
def test_a_view_that_ran_fewer_steps_says_so(lang, words, monkeypatch):
    monkeypatch.setattr(cost, "seconds_per_run_step", lambda surface, spec: 1e-3)
    try:
        at = app({"view": "insights", "tool": "sweep", "steps": "400", "lang": lang})
    finally:  # the cut sweeps must not be what later tests read from the cache
        insights_view.rate_sweep.clear()
    cut = [i.value for i in at.info if "400" in i.value]
    assert len(cut) == 1 and words in cut[0]


def test_at_most_the_slots_compute_at_once_and_the_others_know_their_place():
    inside, most, lock = [0], [0], threading.Lock()
    release = threading.Event()

    def heavy_work():
        with admission.heavy():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            release.wait(5)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=heavy_work) for _ in range(admission.SLOTS + 3)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    assert admission.ahead() == 4  # three waiting and the one now asking: the fourth in line
    release.set()
    for thread in threads:
        thread.join()
    assert most[0] == admission.SLOTS and admission.ahead() == 0


def test_an_ordinary_change_does_not_wait_behind_heavy_work():
    """Every slot held by other users' heavy work until the page is drawn: the surfaces view
    draws all the same (were it to wait, AppTest's timeout would end the test)."""
    release = threading.Event()

    def hold():
        with admission.heavy():
            release.wait(600)

    threads = [threading.Thread(target=hold) for _ in range(admission.SLOTS)]
    for thread in threads:
        thread.start()
    try:
        at = app({"steps": "77"})
        assert at.session_state["lab"].scene.steps == 77 and admission.ahead() == 1
    finally:
        release.set()
        for thread in threads:
            thread.join()
