"""The classroom recipe: two app processes behind Debian's nginx. Browser sessions through
nginx work, each stays on one process (every request and its websocket), and both processes
get sessions."""

import collections
import time

from deploy.classroom import classroom
from tests.browser import open_app, paths


def test_sessions_through_nginx_stick_to_one_process(browser):
    with classroom(processes=2) as (url, run, apps):
        contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(8)]
        for i, context in enumerate(contexts):
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            open_app(
                page, url, f"?surface=quadratic&steps=60&o=sgd;learning_rate={0.01 * (i + 1):g}"
            )
            assert paths(page)[-1] and errors == []
            assert (
                page.locator(".lll-legend li")
                .first.inner_text()
                .startswith(f"SGD (lr={0.01 * (i + 1):g}")
            )
        for context in contexts:
            context.close()
        log = run / "access.log"
        deadline = time.monotonic() + 10  # nginx logs a websocket when it closes
        while log.read_text().count("/_stcore/stream") < 8 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert log.read_text().count("/_stcore/stream") >= 8  # the sessions' websockets are in it
        upstreams = collections.defaultdict(set)
        for line in log.read_text().splitlines():
            key, upstream, *_ = line.split()
            if upstream != "-":
                upstreams[key].add(upstream)
    assert len(upstreams) >= 8
    assert all(
        len(u) == 1 for u in upstreams.values()
    )  # every session's requests reached one process
    assert set().union(*upstreams.values()) == {
        a.removeprefix("http://") for a in apps
    }  # both served someone
