"""Time, not only sizes: an insight request at the caps finishes within its budget on this
machine, by running fewer steps, and says so; a request that fits is not cut."""

import threading
import time

import numpy as np
import pytest

import landscapes
import lll_i18n as i18n
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


def test_a_sweep_in_parts_gives_what_one_batch_gives(monkeypatch):
    """Parts of 64 runs (the last one padded; fans: 32 seeds of two rows) against one batch:
    rate sweep, stability map, basins and noise fans, field by field."""
    surface, spec = landscapes.get("rosenbrock"), optimizers.make("momentum", learning_rate=1e-3)
    rates, betas = insight.rate_grid(surface, 150), [0.0, 0.5, 0.9]
    whole = (
        insight.rate_sweep(surface, spec, None, 200, rates),
        insight.stability_map(surface, spec, None, 200, rates, betas),
        insight.basins(surface, spec, 200, n=12),
        insight.noise_fans(surface, [spec, HEAVY], None, 50, 0.5, seeds=40),
    )
    monkeypatch.setattr(cost, "PART_SECONDS", 0.0)  # the smallest parts
    monkeypatch.setattr(cost, "seconds_per_run_step", lambda surface, spec: 1e-9)
    parts = (
        insight.rate_sweep(surface, spec, None, 200, rates, budget=5.0),
        insight.stability_map(surface, spec, None, 200, rates, betas, budget=5.0),
        insight.basins(surface, spec, 200, n=12, budget=5.0),
        insight.noise_fans(surface, [spec, HEAVY], None, 50, 0.5, seeds=40, budget=5.0),
    )
    for one, other in zip([*whole[:3], *whole[3]], [*parts[:3], *parts[3]], strict=True):
        for field, a, b in zip(one._fields, one, other, strict=True):
            np.testing.assert_array_equal(np.asarray(a, object), np.asarray(b, object), field)


def test_a_part_takes_at_most_the_part_seconds_at_the_measured_cost():
    assert cost.part_size(1e-9, 1000) == cost.PROBE_RUNS  # 4 ms for 4096 runs: no need to cut
    # 1 µs a run-step, 1000 steps: 0.25 s buys 250 runs → the power of two below, 128
    assert cost.part_size(1e-6, 1000) == 128
    assert cost.part_size(1e-3, 1000) == cost.LEAST_PART


def test_work_stops_at_the_first_checkpoint_after_it_is_asked_to(monkeypatch):
    """Each part of a sweep is preceded by the check: asked to stop before the third part,
    the sweep has run two parts and runs no more."""
    monkeypatch.setattr(cost, "PART_SECONDS", 0.0)
    monkeypatch.setattr(cost, "seconds_per_run_step", lambda surface, spec: 1e-9)
    swept, checks = [], []
    real_sweep = cost.sweep
    monkeypatch.setattr(cost, "sweep", lambda *a: swept.append(1) or real_sweep(*a))

    class PageClosed(Exception):
        pass

    def check():
        checks.append(1)
        if len(checks) == 3:
            raise PageClosed

    surface = landscapes.get("quadratic")
    with cost.interruptible(check), pytest.raises(PageClosed):
        insight.basins(surface, optimizers.make("sgd"), 100, n=20, budget=5.0)  # 400 starts
    assert len(swept) == 2
    insight.basins(surface, optimizers.make("sgd"), 100, n=20, budget=5.0)  # outside: no check
    assert len(checks) == 3 and len(swept) == 2 + 7  # 400 starts in parts of 64


def test_a_request_waiting_for_a_slot_leaves_the_queue_when_its_page_is_gone(monkeypatch):
    release, gone, outcome = threading.Event(), threading.Event(), []

    def hold():
        with admission.heavy():
            release.wait(10)

    def page_gone():
        if gone.is_set():
            raise RuntimeError("the page closed")

    def wait_in_line():
        try:
            with admission.heavy():
                outcome.append("computed")
        except RuntimeError as error:
            outcome.append(str(error))

    monkeypatch.setattr(admission, "stop_if_asked", page_gone)
    holders = [threading.Thread(target=hold) for _ in range(admission.SLOTS)]
    for thread in holders:
        thread.start()
    time.sleep(0.1)
    waiter = threading.Thread(target=wait_in_line)
    waiter.start()
    time.sleep(0.1)
    assert admission.ahead() == 2  # the waiter, and one more asking now
    gone.set()
    waiter.join(2 * admission.WAKE_SECONDS + 1)
    assert outcome == ["the page closed"] and admission.ahead() == 1
    release.set()
    for thread in holders:
        thread.join()
    assert admission.ahead() == 0


def test_heavy_work_gives_way_while_another_page_is_being_drawn():
    """Between its parts heavy work waits for pages being drawn for others (here 0.3 s;
    at most LONGEST_PAUSE at a time), never for its own page."""
    drawing = threading.Event()

    def draw_a_page():
        with admission.light():
            drawing.set()
            time.sleep(0.3)

    other = threading.Thread(target=draw_a_page)
    other.start()
    drawing.wait(5)
    began = time.monotonic()
    with admission.light(), admission.heavy():  # its own page: drawing, and not in the way
        cost.checkpoint()
    waited = time.monotonic() - began
    other.join()
    assert 0.2 < waited < admission.LONGEST_PAUSE
    began = time.monotonic()
    with admission.light(), admission.heavy():
        cost.checkpoint()
    assert time.monotonic() - began < 0.1


def test_the_affordable_epochs_are_the_budget_over_an_epochs_cost():
    assert cost.affordable_epochs(0.02, 1000, 5.0) == 250  # 5 / 0.02
    assert cost.affordable_epochs(0.001, 1000, 5.0) == 1000  # 1 s: not cut
    assert cost.affordable_epochs(10.0, 1000, 5.0) == cost.LEAST_STEPS


def test_an_epochs_predicted_cost_grows_with_runs_steps_width_and_points():
    base = cost.network_seconds_per_epoch(3, 250, [10], 8)
    assert cost.network_seconds_per_epoch(9, 250, [10], 8) == pytest.approx(3 * base)
    assert cost.network_seconds_per_epoch(3, 250, [1, 10], 8) > base  # more steps
    assert cost.network_seconds_per_epoch(3, 250, [10, 250], 8) > base  # wider steps
    assert cost.network_seconds_per_epoch(3, 500, [10], 8) > base
    assert cost.network_seconds_per_epoch(3, 250, [10], 16) > base


def test_the_heaviest_network_request_is_cut_to_within_the_budget():
    """Nine rows at batch 1 for 1,000 epochs on 16 neurons took 15 s (training 11.7 s and
    sharpness 3.5 s, compiles included): the cut count trains with its sharpness in about
    the budget once compiled (the first call compiles, on top)."""
    from landscapes import network
    from optimizers import probes, train

    names = ["sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad"] * 2
    configs = [train.Config(optimizers.make(o, learning_rate=0.03), 1) for o in names[:9]]
    points = len(network.data("spiral").train_y)
    per_epoch = cost.network_seconds_per_epoch(9, points, [1] * 9, 16)
    epochs = cost.affordable_epochs(per_epoch, 1000, cost.BUDGET_SECONDS)
    assert cost.LEAST_STEPS < epochs < 1000

    def request():
        result = train.train("spiral", configs, epochs, 16, 0.0, 0)
        probes.sharpness(result, configs, "spiral", 16, 0.0, 0)

    request()
    began = time.perf_counter()
    request()
    assert time.perf_counter() - began < 1.5 * cost.BUDGET_SECONDS


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_a_network_page_that_trains_fewer_epochs_says_so(lang, monkeypatch):
    monkeypatch.setattr(cost, "network_seconds_per_epoch", lambda *args: 0.25)
    at = app({"view": "network", "net.epochs": "400", "lang": lang})
    assert not at.exception
    said = i18n.text("net.cut", lang).format(used=20, asked=400, seconds="5")
    assert said in [i.value for i in at.info]
    assert at.query_params["net.epochs"] == "400"  # the link keeps what was asked
