"""The app in a real headless Chromium: it plays, pauses, scrubs, takes clicks, keeps links,
stays offline."""

import pathlib
import re
import urllib.parse

import pytest
from playwright.sync_api import expect

import lll_i18n as i18n
import scenes
from scenes import playground
from tests.browser import READY, open_app, paths, step

pytestmark = pytest.mark.browser


def test_page_loads_without_errors_and_animates_by_itself(page, server):
    open_app(page, server)
    frames, first = page.evaluate("() => window.__lll.frames"), step(page)
    page.wait_for_function(f"() => window.__lll.frames > {frames + 10}", timeout=10_000)
    assert step(page) != first
    assert page.errors == []


def test_pause_stops_the_clock_and_scrubbing_shows_that_step(page, server):
    open_app(page, server)
    page.get_by_role("button", name="pause").click()
    held = step(page)
    page.wait_for_timeout(600)
    assert (
        step(page) == held and page.locator(".lll-player").get_attribute("data-playing") == "false"
    )
    page.locator(".lll-scrub").evaluate(
        "(el) => { el.value = 42; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    page.wait_for_function("() => window.__lll.players[0].trails.step === 42", timeout=5_000)
    assert step(page) == 42 and "step 42 /" in page.locator(".lll-counter").inner_text()
    page.keyboard.press("ArrowRight")  # focus is in the player after the scrub
    page.locator(".lll-player").focus()
    page.keyboard.press("ArrowRight")
    assert step(page) >= 43


def test_clicking_the_plot_moves_the_start_point(page, server):
    open_app(page, server)
    before = paths(page)[0]
    box = page.locator(".lll-trails").bounding_box()
    page.mouse.click(box["x"] + 200, box["y"] + 150)
    page.wait_for_function(
        "(b) => { const p = window.__lll.players[0].paths.find(d => d.i === 0 && d.s === 0);"
        " return p && Math.abs(p.x - b[0]) + Math.abs(p.y - b[1]) > 1e-3; }",
        arg=before,
        timeout=30_000,
    )
    page.wait_for_function(
        "() => location.search.includes('start=')", timeout=10_000
    )  # the link follows
    assert page.errors == []


def test_changing_a_learning_rate_changes_the_drawn_path(page, server):
    open_app(page, server)
    before = paths(page)
    field = page.get_by_label("learning rate", exact=True).first
    field.fill("0.0003")
    field.press("Enter")
    page.wait_for_function(
        "(b) => { const d = window.__lll.players[0].paths.filter(r => r.i === 0);"
        " return d.length && Math.abs(d[d.length - 1].x - b[b.length - 1][0]) > 1e-4; }",
        arg=before,
        timeout=30_000,
    )
    page.wait_for_function(
        "() => /learning_rate(%3D|=)0\\.0003/.test(location.search)", timeout=10_000
    )


def test_reloading_the_link_reproduces_the_same_scene(page, server):
    _, scene, _ = scenes.presets.load("batch_size_noise")
    query = "?" + scenes.query_string(scene)
    open_app(page, server, query)
    first = [paths(page, i) for i in range(3)]
    page.reload()
    page.wait_for_selector(READY, timeout=90_000)
    assert [paths(page, i) for i in range(3)] == first


def test_a_garbage_link_still_renders_with_a_notice(page, server):
    open_app(page, server, "?surface=banana&steps=zzz&o=adam;learning_rate=-1&o=%3Cscript%3E")
    assert page.get_by_text("banana").count() >= 1
    assert page.errors == []


def test_no_request_leaves_localhost(page, server):
    open_app(page, server)
    page.wait_for_timeout(500)
    hosts = {urllib.parse.urlparse(u).hostname for u in page.requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def test_hovering_a_trail_shows_its_numbers(page, server):
    open_app(page, server)
    page.get_by_role("button", name="pause").click()
    point = page.evaluate(
        "() => { const t = window.__lll.players[0].trails; const r = t.pixels[0][0]; const k = t.step;"  # noqa: E501
        " const box = t.canvas.getBoundingClientRect(); return [box.left + r.xs[k] * t.scale, box.top + r.ys[k] * t.scale]; }"  # noqa: E501
    )
    page.mouse.move(point[0] + 1, point[1] + 1)
    tip = page.locator(".lll-view > .lll-tip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    for word in ("step", "x ", "loss", "learning rate", "gradient"):
        assert word in text


def test_hovering_a_loss_curve_shows_that_run_at_that_step(page, server):
    open_app(page, server)
    page.get_by_role("button", name="pause").click()
    page.locator(
        ".lll-curves"
    ).scroll_into_view_if_needed()  # under the plot, which fills the window
    point, label = page.evaluate(
        "() => { const c = window.__lll.players[0].curveLines; const s = 10, p = c.paths[s];"
        " const [x, y] = c.pixel(0, s, c.series[0].value(p)); const box = c.canvas.getBoundingClientRect();"  # noqa: E501
        " return [[box.left + x * c.scale, box.top + y * c.scale], p.label]; }"
    )
    page.mouse.move(*point)
    tip = page.locator(".lll-curves > .lll-tip")
    tip.wait_for(state="visible", timeout=5_000)
    shown = re.match(rf"{re.escape(label)}\nstep (\d+)\n", tip.inner_text())
    assert shown and abs(int(shown[1]) - 10) <= 1  # the mouse lands on whole pixels, ~0.8 step wide


def test_a_diverging_run_is_marked_in_the_legend(page, server):
    _, scene, _ = scenes.presets.load("lr_too_small_good_too_large")
    query = "?" + scenes.query_string(scene)
    open_app(page, server, query)
    page.get_by_role("button", name="pause").click()
    page.locator(".lll-scrub").evaluate(
        "(el) => { el.value = el.max; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    assert "diverged at step" in page.locator(".lll-legend").inner_text()
    assert page.get_by_text("diverged at step").count() >= 1  # and the notice under the player
    red = page.evaluate(  # the red cross sits where the run left the picture, on the panel's edge
        "() => { const t = window.__lll.players[0].trails, k = t.step, p = t.panels[0];"
        " const i = t.header.diverged.findIndex((d) => d >= 0), r = t.pixels[0].find((q) => q.i === i);"  # noqa: E501
        " const x = Math.min(Math.max(r.xs[k], p.x), p.x + p.w), y = Math.min(Math.max(r.ys[k], p.y), p.y + p.h);"  # noqa: E501
        " const [a, b, c] = t.ctx.getImageData(Math.round(x * t.ratio), Math.round(y * t.ratio), 1, 1).data;"  # noqa: E501
        " return a > 240 && b < 70 && c < 70; }"  # the cross's #ff2d2d, not a trail colour
    )
    assert red


def test_a_typed_formula_draws_and_a_hostile_one_shows_a_message_and_keeps_the_surface(
    page, server
):
    open_app(page, server, "?surface=formula&formula=x%5E2%2B10*y%5E2&o=sgd;learning_rate=0.01")
    first = page.evaluate("() => window.__lll.players[0].specKey")
    box = page.get_by_role("textbox", name="f(x, y) =")
    box.fill("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    box.press("Enter")
    page.wait_for_function(
        "(k) => window.__lll.players[0].specKey !== k", arg=first, timeout=60_000
    )
    drawn = page.evaluate("() => window.__lll.players[0].specKey")
    box.fill("__import__('os').system('id')")
    box.press("Enter")
    player = page.evaluate_handle("() => window.__lll.players[0]")
    page.get_by_text("previous formula stays").wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__lll.players[0].specKey") == drawn and page.errors == []
    kept = page.evaluate("(p) => window.__lll.players[0] === p", player)
    assert kept  # the message above did not unmount the player (it restarted before)
    link = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert link["formula"] == [
        "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    ]  # the link keeps the surface drawn


def test_the_network_view_draws_curves_boundaries_and_a_slice(page, server):
    page.goto(server + "/?view=network")
    page.get_by_text("Goodfellow et al.").wait_for(
        timeout=180_000
    )  # the interpolation's caption, last on the page
    assert (
        page.locator("[data-testid='stImage'] img").count() == 4
    )  # one boundary per configuration
    charts = page.locator("[data-testid='stVegaLiteChart']")
    assert charts.count() == 5  # the curves, the rates, sharpness, the slice, the interpolation
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_the_network_views_callbacks_rates_and_sharpness_read_in_each_language(page, server, lang):
    rows = [
        "sgd;learning_rate=0.2;batch_size=250",
        f"sgd;callbacks={playground.DAY_87_CALLBACK}",
    ]
    query = urllib.parse.urlencode(
        {"view": "network", "lang": lang, "net.epochs": 40, "net.row": rows}, doseq=True
    )
    page.goto(f"{server}/?{query}")
    text = lambda key: i18n.text(key, lang)  # noqa: E731
    page.get_by_text(text("net.interpolation_note")[:30]).wait_for(timeout=180_000)
    for key in ("net.sharpness_title", "net.interpolation_title", "net.slice_title"):
        assert page.get_by_role("heading", name=text(key)).count() == 1
    assert page.get_by_text(text("net.sharpness_note")[:30]).is_visible()
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts).to_have_count(5, timeout=60_000)  # the last may mount after its caption
    for i in range(5):  # each chart drew something as wide as the page's column
        charts.nth(i).locator("canvas, svg").first.wait_for(timeout=60_000)
        box = charts.nth(i).bounding_box()
        assert box["width"] > 300 or i == 3 and box["height"] > 100  # the slice keeps its size
    header = page.locator("[data-testid='stDataFrame']")
    assert header.get_by_text(text("net.callbacks"), exact=True).count() >= 1
    assert page.errors == []


def test_another_view_replaces_the_sidebar_settings_at_once_not_after_training(page, server):
    """Streamlit drops elements a run did not rewrite only when the run ends; the network
    view's training takes seconds, and the surfaces' settings must not linger meanwhile."""
    open_app(page, server, "?net.seed=424242&net.epochs=1000")  # trained by no other test
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Regularization (L1 / L2)").wait_for()
    page.get_by_text("A network on data").click()
    sidebar.get_by_text("Noise", exact=True).wait_for()
    assert page.get_by_text("is at the origin").count() == 0  # still training
    assert sidebar.get_by_text("Regularization (L1 / L2)").count() == 0
    page.get_by_text("is at the origin").wait_for(timeout=180_000)
    page.get_by_text("Optimizers on surfaces").click()
    sidebar.get_by_text("Regularization (L1 / L2)").wait_for()
    assert sidebar.get_by_text("Noise", exact=True).count() == 0 and page.errors == []


def test_a_network_link_trains_its_configurations_and_the_address_bar_keeps_them(page, server):
    page.goto(
        server
        + "/?view=network&net.dataset=xor&net.hidden=4&net.epochs=20&net.row=adam;learning_rate=0.01"  # noqa: E501
    )
    page.get_by_text("is at the origin").wait_for(timeout=180_000)
    assert page.locator("[data-testid='stImage'] img").count() == 1  # the link's one configuration
    page.wait_for_url(re.compile(r"net\.row=adam"), timeout=30_000)
    assert (
        "view=network" in page.url and "net.dataset=xor" in page.url and "net.hidden=4" in page.url
    )
    page.reload()
    page.get_by_text("is at the origin").wait_for(timeout=180_000)
    assert page.locator("[data-testid='stImage'] img").count() == 1 and page.errors == []


SAW_PROGRESS = """() => { window.__sawProgress = false; new MutationObserver(() => {
  if (document.querySelector("[data-testid='stProgress']")) window.__sawProgress = true;
}).observe(document.body, { childList: true, subtree: true }); }"""


@pytest.mark.parametrize(
    "label, made, starts",
    [
        ("Trajectories (CSV)", None, b"step,optimizer,x,y"),
        ("Animation (GIF)", "with progress", b"GIF89a"),
        ("Video (MP4)", "with progress", b"\x00\x00\x00"),
        ("Player page (HTML, works offline)", "at once", b"<!doctype html>"),  # too quick for a bar
    ],
)
def test_export_buttons_download_the_scene(page, server, label, made, starts):
    open_app(page, server, "?surface=quadratic&steps=400&o=sgd;learning_rate=0.1")
    page.get_by_role("button", name="Export").click()
    if (
        made == "with progress"
    ):  # 400 frames take over a second: the bar is on screen for many flushes
        frames = page.get_by_role("spinbutton", name="frames", exact=True)
        frames.fill("400")
        frames.press("Enter")
        page.wait_for_timeout(300)
    if made:  # animations and the player page are made on a click, with a progress bar
        page.evaluate(SAW_PROGRESS)
        page.get_by_role("button", name=f"Make {label}").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=label, exact=True).click(timeout=60_000)
    assert pathlib.Path(download.value.path()).read_bytes().startswith(starts)
    assert page.evaluate("window.__sawProgress") is True or made != "with progress"
    assert page.errors == []


def test_markdown_in_a_link_is_shown_as_text_and_fetches_nothing(page, server):
    image = "![x](http://evil.example/p.png)"
    query = (
        "?surface="
        + urllib.parse.quote(image)
        + "&o=sgd;learning_rate=0.01;label="
        + urllib.parse.quote(
            urllib.parse.quote("[site](http://evil.example) **bold**", safe=""), safe=""
        )
    )
    open_app(page, server, query)
    page.get_by_text("evil.example/p.png").first.wait_for(
        timeout=10_000
    )  # the notice quotes it as text
    page.wait_for_timeout(500)
    assert not [u for u in page.requests if urllib.parse.urlparse(u).hostname == "evil.example"]
    assert page.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0


def test_an_escape_from_a_saddle_is_marked_as_an_escape_not_a_divergence(page, server):
    _, scene, _ = scenes.presets.load("saddle_escape")
    open_app(page, server, "?" + scenes.query_string(scene))
    page.get_by_role("button", name="pause").click()
    page.locator(".lll-scrub").evaluate(
        "(el) => { el.value = el.max; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    legend = page.locator(".lll-legend").inner_text()
    assert "escaped at step" in legend and "diverged at step" not in legend
    red = page.evaluate(  # no red cross anywhere on the trails' canvas
        "() => { const t = window.__lll.players[0].trails, c = t.ctx.canvas;"
        " const d = t.ctx.getImageData(0, 0, c.width, c.height).data;"
        " for (let i = 0; i < d.length; i += 4)"
        "   if (d[i] === 255 && d[i + 1] === 45 && d[i + 2] === 45) return true;"
        " return false; }"
    )
    assert not red and page.errors == []


def test_a_loss_curve_at_machine_precision_is_drawn_on_the_floor_not_as_noise(page, server):
    open_app(page, server, "?surface=rosenbrock&steps=3000&o=adam;learning_rate=0.05")
    drawn = page.evaluate(
        "() => { const c = window.__lll.players[0].curveLines, w = c.header.steps + 1;"
        " const tail = c.paths.slice(w - 200, w).map((p) => c.series[0].value(p));"
        " return [c.floor, Math.min(...tail), Math.max(...tail)]; }"
    )
    floor, low, high = drawn
    assert 1e-11 < floor < 1e-8  # Rosenbrock at (1, 1): a few float32 steps give ~2e-10
    assert low == high == floor  # the last 200 steps flicker below it in the data: flat here


COUNT_FRAMES = """window.__frameRequests = 0;
const request = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (cb) => { window.__frameRequests += 1; return request(cb); };"""


def test_a_paused_player_asks_for_no_frames_and_play_starts_its_clock_again(page, server):
    """A paused page costs nothing per frame (20 paused pages took most of a core), and
    play runs the clock again from where it stood."""
    page.add_init_script(COUNT_FRAMES)
    open_app(page, server)
    page.get_by_role("button", name="pause").click()
    page.wait_for_timeout(300)
    held, asked = step(page), page.evaluate("() => window.__frameRequests")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.__frameRequests") == asked and step(page) == held
    page.get_by_role("button", name="play").click()
    page.wait_for_function(f"() => window.__lll.players[0].step > {held + 5}", timeout=10_000)
    assert page.evaluate("() => window.__frameRequests") > asked + 5


def test_own_data_takes_clicks_and_a_csv_and_a_bad_file_changes_nothing(page, server, tmp_path):
    page.goto(server + "/?view=network&net.dataset=own&net.epochs=20&net.row=sgd")
    page.get_by_text("Click the plane to add points (0 now)").wait_for(timeout=60_000)
    assert page.get_by_text("Not enough points to train on yet").count() == 1
    plane = page.locator("[data-testid='stVegaLiteChart']").first
    plane.locator("canvas, svg").first.wait_for()
    box = plane.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.4)
    page.get_by_text("Click the plane to add points (1 now)").wait_for(timeout=30_000)
    good = tmp_path / "mine.csv"
    good.write_text(
        "x1,x2,label\n"
        + "\n".join(f"{x},{y},{int(x * y > 0)}" for x in (-4, -2, 2, 4) for y in (-3, 3))
    )
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(good))
    page.get_by_text("Click the plane to add points (8 now)").wait_for(timeout=30_000)
    page.get_by_text("is at the origin").wait_for(timeout=180_000)  # it trained
    page.wait_for_url(re.compile(r"net\.points="), timeout=30_000)
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,5\n")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(bad))
    page.get_by_text("Line 1: the label must be 1 or −1").wait_for(timeout=30_000)
    page.get_by_text("Click the plane to add points (8 now)").wait_for(timeout=30_000)  # kept
    assert "net.points=-4%2C-3%2C1" in page.url and page.errors == []
