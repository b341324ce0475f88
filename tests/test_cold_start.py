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
from app import serve

serve.warm_up()
before = optimizers.trace_count()
at = AppTest.from_file("streamlit_app.py", default_timeout=120).run()
assert not at.exception, at.exception
print(optimizers.trace_count() - before)
"""


# after the warm-up, the landing page's specs and runs come from Streamlit's caches
NOTHING_COMPUTED = """
import sys
from streamlit.testing.v1 import AppTest
import scenes
from app import serve
from charts import landscape

serve.warm_up()
print("warmed", file=sys.stderr, flush=True)  # AppTest itself runs without a runtime

def computed_again(*args, **kwargs):
    raise AssertionError("computed again")

landscape.scene_specs = scenes.export.trajectories = computed_again
at = AppTest.from_file("streamlit_app.py", default_timeout=120).run()
print(len(at.exception), len(at.error))
"""


def fresh_process(code: str) -> subprocess.CompletedProcess:
    """`code` run by a new Python in the project, as `python -m app.serve` starts."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "JAX_PLATFORMS": "cpu", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


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
    assert fresh_process(FIRST_VISIT).stdout.split()[-1] == "0"


def test_the_warm_up_leaves_the_landing_pages_specs_and_runs_in_the_caches_quietly():
    """The first visit draws without computing them again (they raise if it tries), and the
    warm-up says nothing about the runtime it ran without."""
    done = fresh_process(NOTHING_COMPUTED)
    assert done.stdout.split()[-2:] == ["0", "0"]
    warming = done.stderr.split("warmed")[0]
    assert "No runtime found" not in warming and "ScriptRunContext" not in warming, warming


def test_off_keeps_no_compiled_programs_on_disk(monkeypatch):
    import jax

    from app.compilation import keep_compiled_programs

    changed = []
    monkeypatch.setattr(jax.config, "update", lambda *args: changed.append(args))
    keep_compiled_programs("off")
    assert changed == []
    keep_compiled_programs("/tmp/somewhere")
    assert ("jax_compilation_cache_dir", "/tmp/somewhere") in changed
