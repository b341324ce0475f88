"""Shared fixtures. JAX runs on the CPU in float32, as in the app, with no compilation cache on
disk. The browser fixtures start one app server and one Chromium per test module
(tests/browser.py has the helpers).

Every test fails on an exception the page would show: an AppTest run that ends with an
exception element, a Chromium page that shows one or any traceback text."""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
# No XLA programs on disk (app/compilation.py) for the tests, but where a test asks for them
# (tests/test_restart_browser.py).
os.environ.setdefault("LLL_COMPILE_CACHE", "off")

import gc  # noqa: E402

import jax  # noqa: E402
import pytest  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.browser import CHROMIUM_ARGS, SHOWN_EXCEPTION, chromium_path, serve  # noqa: E402

_apptest_run = AppTest.run


def _run_showing_no_exception(self, *args, **kwargs):
    """AppTest.run, failing the test when the page shows an exception."""
    result = _apptest_run(self, *args, **kwargs)
    assert not result.exception, f"the page shows an exception: {result.exception[0].value}"
    return result


AppTest.run = _run_showing_no_exception


def assert_no_traceback(page) -> None:
    """Neither Streamlit's exception box nor traceback text on a page a test used."""
    if page.is_closed():
        return
    assert page.locator(SHOWN_EXCEPTION).count() == 0, "the page shows an exception"
    text = page.evaluate("() => document.body ? document.body.innerText : ''")
    assert "Traceback" not in text and 'File "/' not in text, "the page shows a traceback"


MAPS_FREED_AT = 40_000  # of Linux's 65,530 memory maps a process (vm.max_map_count)


def _freed() -> None:
    jax.clear_caches()
    gc.collect()


def _memory_maps() -> int:
    with open("/proc/self/maps", "rb") as maps:
        return sum(1 for _ in maps)


@pytest.fixture(autouse=True, scope="module")
def _compiled_programs_freed():
    """Every compiled XLA program is freed after each test module. Each keeps memory maps of
    its own, and one process running the whole suite passed Linux's 65,530 maps a process
    and died of a segmentation fault inside XLA's compiler (26,000 maps after two modules;
    8,000 → 850 when freed; the most in one module now, tests/test_app.py, about 25,000)."""
    yield
    _freed()


@pytest.fixture(autouse=True)
def _compiled_programs_freed_in_a_long_module():
    """And within a module, after any test that leaves more than MAPS_FREED_AT maps."""
    yield
    if _memory_maps() > MAPS_FREED_AT:
        _freed()


@pytest.fixture(scope="module")
def server():
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    assert_no_traceback(page)
    context.close()
