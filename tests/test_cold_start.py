"""The first minute: a menu of surfaces lists them without building any, and the server's
warm-up leaves nothing for the first visitor's page to trace or compile."""

import subprocess
import sys

import landscapes
from app import computed
from tests.browser import ROOT

FIRST_VISIT = """
import optimizers
from streamlit.testing.v1 import AppTest
from app import warm

warm.first_picture()
before = optimizers.trace_count()
at = AppTest.from_file("streamlit_app.py", default_timeout=120).run()
assert not at.exception, at.exception
print(optimizers.trace_count() - before)
"""


def test_the_surface_menu_builds_no_surface(monkeypatch):
    def no_building(*args):
        raise AssertionError(f"built {args} to list it")

    monkeypatch.setattr(landscapes.surface, "_built", no_building)
    titles = computed.surface_titles.__wrapped__("zh-Hant")
    assert set(landscapes.names()) < set(titles)
    assert titles["network_slice"].endswith("神經網路損失切面")  # trains a network to be built
    assert titles["rosenbrock"] == "峽谷與山谷 · Rosenbrock 香蕉函數"


def test_after_the_warm_up_the_landing_page_traces_nothing():
    """In a fresh process, as `python -m app.serve` starts: warm, then the first visit."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_VISIT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "JAX_PLATFORMS": "cpu", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "0"
