"""Typed-rule benchmark: a rule's cost per step against the built-in it matches, and how long
a new rule takes from its text to its run.

    python -m bench.own_rule [--runs 2048] [--steps 500] [--browser]

Per step: the CS231n rules (tests/test_own.py) swept over `--runs` learning rates on
Rosenbrock beside the catalog optimizer they equal, interleaved, warm; the ratio is rule ÷
built-in. A new rule: a text never seen before parsed, compiled and run for a scene of 300
steps (one run), against the same rule run again warm in the same process. With --browser,
the same in the app in headless Chromium: a new rule committed in its box (Ctrl+Enter) until
the player shows its run, against a change of the rule's mu (no compilation) in the same run.
"""

import argparse
import itertools
import statistics
import time

import numpy as np

import landscapes
import optimizers
from bench.browser import _commit, _latency
from bench.timing import median_seconds_interleaved, report
from tests.browser import CHROMIUM_ARGS, chromium_path, open_app, serve
from tests.test_own import CS231N, NESTEROV

REDRAWN = (
    "() => { const p = window.__lll.players[0]; return p.header !== window.__lll.mark && !p.busy; }"
)

SURFACE = landscapes.get("rosenbrock")
START = np.array([-1.5, 2.0], np.float32)
_fresh = itertools.count(time.time_ns() % 10**9)  # texts no earlier run compiled (or cached)


def per_step(runs: int, steps: int) -> list[tuple[str, str]]:
    rates = np.geomspace(1e-5, 1e-3, runs).astype(np.float32)
    rows = []
    for rule, name, settings, _ in CS231N:
        typed = optimizers.from_rule(rule, learning_rate=rates)
        builtin = optimizers.make(name, learning_rate=rates, **settings)
        times = median_seconds_interleaved(
            {
                "rule": lambda s=typed: optimizers.sweep(SURFACE, s, START, steps),
                "builtin": lambda s=builtin: optimizers.sweep(SURFACE, s, START, steps),
            }
        )
        per = {k: v / (runs * steps) * 1e9 for k, v in times.items()}
        ratio = per["rule"] / per["builtin"]
        shown = f"{per['rule']:.1f} / {per['builtin']:.1f}  ratio {ratio:.2f}"
        rows.append((f"{name}: ns per run-step, rule / built-in", shown))
    return rows


def new_rule_seconds(repeats: int) -> tuple[float, float]:
    """(median seconds from a new text to its 300-step run, median of the same run warm)."""
    cold, warm = [], []
    rule = CS231N[0][0]
    for _ in range(repeats):
        text = f"{rule}  # draft {next(_fresh)}"  # another text: parsed and compiled anew
        began = time.perf_counter()
        spec = optimizers.from_rule(text, learning_rate=1e-3)
        optimizers.run(SURFACE, [spec], START, 300)
        cold.append(time.perf_counter() - began)
        began = time.perf_counter()
        optimizers.run(SURFACE, [optimizers.from_rule(text, learning_rate=2e-3)], START, 300)
        warm.append(time.perf_counter() - began)
    return statistics.median(cold), statistics.median(warm)


def in_browser(repeats: int) -> tuple[float, float]:
    """(median ms from committing a new rule to its run drawn, the same for a change of mu)."""
    from playwright.sync_api import sync_playwright

    new, number = [], []
    with sync_playwright() as p, serve() as url:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        open_app(page, url, "?preset=write_momentum_yourself")
        page.get_by_role("button", name="pause").click()
        page.locator(".lll-row").first.get_by_label("more").check()
        box = page.get_by_role("textbox", name="Update rule (one assignment a line)")
        for k in range(repeats + 1):  # the first of each is a warm-up
            page.evaluate("() => { window.__lll.mark = window.__lll.players[0].header; }")
            factor = f"{1 + k / 100 + next(_fresh) % 10**5 * 1e-7:.7f}"  # a program never compiled
            box.fill(NESTEROV.replace("lr * g", f"lr * {factor} * g"))
            box.evaluate(
                "(el) => { window.__keyAt = null; el.addEventListener('keydown',"
                " () => { window.__keyAt = performance.now(); }, {once: true, capture: true}); }"
            )
            box.press("Control+Enter")
            (new if k else []).append(_latency(page, REDRAWN))
            page.wait_for_timeout(800)
            page.evaluate("() => { window.__lll.mark = window.__lll.players[0].header; }")
            _commit(page, page.get_by_label("mu", exact=True), 0.8 + 0.01 * k)
            (number if k else []).append(_latency(page, REDRAWN))
            page.wait_for_timeout(800)
        browser.close()
    return statistics.median(new), statistics.median(number)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2048)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    print(f"Per step ({args.runs} runs × {args.steps} steps on Rosenbrock, warm, medians):")
    report(per_step(args.runs, args.steps))
    cold, warm = new_rule_seconds(args.repeats)
    print("A new rule's text to its run (300 steps, one run):")
    report(
        [
            ("new text: parse + compile + run", f"{cold:.3f} s"),
            ("same rule again, warm", f"{warm:.3f} s"),
            ("ratio", f"{cold / warm:.1f}×"),
        ]
    )
    if args.browser:
        typed, moved = in_browser(args.repeats)
        print("In the app (headless Chromium, commit to the run drawn):")
        report(
            [
                ("a new rule (floor < 1,000 ms)", f"{typed:.0f} ms"),
                ("a change of its mu", f"{moved:.0f} ms"),
                ("ratio", f"{typed / moved:.1f}×"),
            ]
        )


if __name__ == "__main__":
    main()
