"""Work nobody waits for stops: a page that closes while its heavy insight is computing
leaves the server idle within a second, measured from the server's CPU time."""

import time

import pytest

from tests.browser import app_process, process_stats

pytestmark = pytest.mark.browser


def heavy_basins(rate: float) -> str:
    """Basins at the default grid of one row of Adam with line search and a plateau
    schedule, 5,000 steps: cut to fit its 5 s budget, about 2-3 s of computing here (a new
    rate is a new request of the same structure: nothing to compile once one has run)."""
    row = f"o=adam;learning_rate={rate};s=plateau;ls=1"
    return f"?view=insights&tool=basins&surface=rosenbrock&steps=5000&{row}"


def test_closing_a_page_stops_its_computation_within_a_second(browser):
    with app_process() as (url, server):
        page = browser.new_page()
        page.goto(url + heavy_basins(0.01))  # compiles and measures the structure
        page.wait_for_selector("[data-testid='stImage']", timeout=180_000)
        page.close()
        page = browser.new_page()
        page.goto(url + heavy_basins(0.02))
        page.wait_for_selector("[data-testid='stProgress']", timeout=60_000)
        page.close()  # as it begins its 2-3 s of computing
        time.sleep(1.0)
        _, after_a_second = process_stats(server.pid)
        time.sleep(1.0)
        _, later = process_stats(server.pid)
    # Computing on, the server would use a second or more of CPU time in that second
    assert later - after_a_second < 0.3
