"""A restarted server does not compile again what the one before it compiled: the served app
keeps XLA's programs on disk (JAX's persistent compilation cache)."""

import pytest

from tests.browser import READY, app_process

pytestmark = pytest.mark.browser


def test_the_served_app_writes_its_compiled_programs_to_the_cache(browser, tmp_path, monkeypatch):
    monkeypatch.setenv("LLL_COMPILE_CACHE", str(tmp_path))
    with app_process() as (url, _):
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector(READY, timeout=120_000)
        page.close()
    assert len(list(tmp_path.rglob("*"))) >= 3  # the default scene's three structures at least
