"""What a notebook shows for `scenes.show(...)`, in Chromium: the player, playing offline."""

import pytest

import scenes

pytestmark = pytest.mark.browser


def test_a_shown_scene_plays_in_its_frame_and_fetches_nothing(page):
    shown = scenes.show(scenes.scene("rosenbrock", ["adam", "momentum"], steps=200))
    page.context.set_offline(True)
    page.set_content(shown._repr_html_())
    player = page.frame_locator("iframe").locator(".lll-player[data-ready='true']")
    player.wait_for(timeout=60_000)
    assert player.get_attribute("data-playing") == "true"
    first = int(player.get_attribute("data-step"))
    page.wait_for_timeout(1500)
    assert int(player.get_attribute("data-step")) != first  # it animates
    assert page.frame_locator("iframe").locator("canvas").count() > 0
    assert [url for url in page.requests if not url.startswith(("data:", "about:"))] == []
