"""At most a few heavy computations at once in a process, whoever asks: a class where five
students open 300 × 300 basins at the same moment shares the cores in turn, and the others'
ordinary changes (a few runs) come first: heavy work pauses between its parts while any
page is being drawn for someone.

Heavy means an insight view's sweep of thousands of runs (each already bounded in time by
`optimizers.cost`); the slots are taken only when the work is computed, not when a cached
result is read. Light means drawing a page (`light`, around every script run's view).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from optimizers import cost

SLOTS = max(1, (os.cpu_count() or 2) // 2)  # XLA spreads one batch over two cores
WAKE_SECONDS = 0.2  # a queued request looks this often whether its page is still there
LONGEST_PAUSE = 0.5  # seconds heavy work gives way at one time, so that it still ends
ANY_KEY = "lab"  # stop_if_asked reads the session state: which key does not matter
_slots = threading.BoundedSemaphore(SLOTS)
_lock = threading.Lock()
_count = {"running": 0, "waiting": 0, "light": 0}
_thread = threading.local()  # .drawing: the pages this thread is drawing (nested views: 2)


@contextlib.contextmanager
def light():
    """Drawing a page for someone: heavy work of other pages pauses meanwhile."""
    _drawing(+1)
    try:
        yield
    finally:
        _drawing(-1)


def _drawing(change: int) -> None:
    _thread.drawing = getattr(_thread, "drawing", 0) + change
    with _lock:
        _count["light"] += change


@contextlib.contextmanager
def heavy():
    """Hold one of the SLOTS while computing, interruptible between the parts of its sweeps;
    wait in turn when all are taken, and leave the queue when the page is gone. Its own page
    waits for it: while here, this thread's drawing is not counted as light."""
    mine = getattr(_thread, "drawing", 0)
    with _lock:
        _count["waiting"] += 1
        _count["light"] -= mine
    try:
        while not _slots.acquire(timeout=WAKE_SECONDS):
            stop_if_asked()
    except BaseException:
        with _lock:
            _count["waiting"] -= 1
            _count["light"] += mine
        raise
    with _lock:
        _count["waiting"] -= 1
        _count["running"] += 1
    try:
        with cost.interruptible(between_parts):
            yield
    finally:
        with _lock:
            _count["running"] -= 1
            _count["light"] += mine
        _slots.release()


def between_parts() -> None:
    """Stop if the page is gone or changed; give way while someone's page is being drawn."""
    stop_if_asked()
    until = time.monotonic() + LONGEST_PAUSE
    while _count["light"] > 0 and time.monotonic() < until:
        time.sleep(0.01)
    stop_if_asked()


def stop_if_asked() -> None:
    """End this script run here if its page closed or its input changed: reading the session
    state is one of Streamlit's yield points, where a pending stop or rerun raises Streamlit's
    own control exception, and the run ends as it would at any st call (cached work is then
    not kept). Outside a script run (a test's thread) nothing asks."""
    if get_script_run_ctx() is not None:
        _ = ANY_KEY in st.session_state


def ahead() -> int:
    """How many heavy computations a new one would wait behind (0: it starts at once)."""
    with _lock:
        running, waiting = _count["running"], _count["waiting"]
    return max(0, running + waiting - SLOTS + 1) if running >= SLOTS else 0
