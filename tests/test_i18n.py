"""Three languages: every key in every table, the same placeholders, nothing left in English,
the course's glossary terms, the right script for each variant, and the whole app rendered in
each language without a missing key."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import lll_i18n as i18n
import optimizers
import scenes
from app import lab as labs
from charts.code import PLAYER_WORDS
from tests.test_app import APP, TIMEOUT, lab, open_panels

CHINESE = ("zh-Hant", "zh-Hans")
# Values that are the same in every language: names of methods and data sets, pure notation.
SAME_EVERYWHERE = re.compile(
    r"^(optimizer\.(?!sgd|momentum|nesterov|adam_nobc|newton|qhm|sign_sgd)[a-z_]+\.title|net\.dataset\.xor|"
    r"formula\.[xy]_(from|to)|chart\.gradient_norm|player\.gradient_norm|hyper\.(nu[12]?|b[12])|"
    r"export\.html_note|hyper\.eps|param\.(a|b|l1|l2))$"
)
GLOSSARY = [  # English (as a word in the English text), 繁體中文, 简体中文 — ../shared/COURSE.md
    (r"learning rates?\b", "學習率", "学习率"),
    (r"\bmomentum\b(?!=)", "動量", "动量"),
    (r"\bbatch size", "批次大小", "批大小"),
    (r"\bregularization\b", "正規化", "正则化"),
    (r"\bweight decay\b", "權重衰減", "权重衰减"),
    (r"\bsaddle\b", "鞍點", "鞍点"),
    (r"\boptimizers?\b", "優化器", "优化器"),
    (r"\bdiverge", "發散", "发散"),
    (r"\bconverge", "收斂", "收敛"),
    (r"\bactivation\b", "啟動函數", "激活函数"),
    (r"\btrajector", "軌跡", "轨迹"),
    (r"\bhyperparameter", "超參數", "超参数"),
    (r"\bepochs?\b", "訓練週期", "轮次"),
    (r"\bgradient\b", "梯度", "梯度"),
    (r"(?<!on )\bplateau\b", "平原區", "平原区"),
    (r"\breduce on plateau\b", "停滯時降低學習率", "停滞时降低学习率"),
]
SIMPLIFIED_ONLY = set("学习动优损这个为发时们处数据据过级设计将对网络图层应该读写选择样")
TRADITIONAL_ONLY = set("學習動優損這個為發時們處數據過級設計將對網絡圖層應該讀寫選擇樣")


def metadata() -> dict[str, str]:
    """English of everything that keeps its English in its own metadata, by translation key."""
    out = {}
    for name in landscapes.names():
        surface = landscapes.get(name)
        out |= {f"surface.{name}.title": surface.title, f"surface.{name}.note": surface.note}
        out |= {
            f"surface.{name}.param.{p}": s.help for p, s in surface.param_specs.items() if s.help
        }
    for name, entry in optimizers.CATALOG.items():
        out |= {
            f"optimizer.{name}.title": entry.title,
            f"optimizer.{name}.defaults": entry.defaults,
        }
    rule = optimizers.from_rule("x = x - lr * g").entry
    out |= {"optimizer.rule.title": rule.title, "optimizer.rule.defaults": rule.defaults}
    for kind, params in optimizers.schedules.PARAMS.items():
        out |= {f"schedule.{kind}.param.{p}": s.help for p, s in params.items() if s.help}
    out |= {f"option.{name}.help": spec.help for name, spec in optimizers.OPTIONS.items()}
    for name in scenes.presets.names():
        meta = scenes.presets.load(name)[0]
        out |= {f"preset.{name}.title": meta["title"], f"preset.{name}.note": meta["note"]}
    return out


ENGLISH = {**i18n.table("en"), **metadata()}


@pytest.mark.parametrize("lang", CHINESE)
def test_every_key_is_translated_with_the_same_placeholders(lang):
    table = i18n.table(lang)
    assert sorted(set(ENGLISH) - set(table)) == []  # missing
    assert sorted(set(table) - set(ENGLISH)) == []  # left over from something that is gone
    for key, english in ENGLISH.items():
        assert i18n.fields(table[key]) == i18n.fields(english), key


@pytest.mark.parametrize("lang", CHINESE)
def test_nothing_is_left_in_english(lang):
    table = i18n.table(lang)
    untranslated = [
        k for k, v in table.items() if not i18n.has_cjk(v) and not SAME_EVERYWHERE.match(k)
    ]
    assert untranslated == []
    assert [k for k, v in table.items() if v == ENGLISH[k] and i18n.has_cjk(ENGLISH[k])] == []


@pytest.mark.parametrize("column, lang", [(1, "zh-Hant"), (2, "zh-Hans")])
def test_the_course_glossary_terms_are_used(column, lang):
    table = i18n.table(lang)
    wrong = [
        (key, row[0])
        for row in GLOSSARY
        for key, english in ENGLISH.items()
        if re.search(row[0], english, re.IGNORECASE)
        and row[column] not in table[key]
        and not key.startswith("optimizer.")
        and "`" not in english
    ]
    assert wrong == []


def test_each_variant_is_written_in_its_own_script():
    hant = "".join(i18n.table("zh-Hant").values())
    hans = "".join(i18n.table("zh-Hans").values())
    assert sorted(set(hant) & SIMPLIFIED_ONLY) == [] and sorted(set(hans) & TRADITIONAL_ONLY) == []


def test_the_player_words_match_the_browser_code():
    words = re.search(
        r"const WORDS = \{(.*?)\};", (APP.parent / "charts" / "overlay.js").read_text(), re.S
    )[1]
    assert set(re.findall(r'(\w+): "', words)) == set(PLAYER_WORDS)


def test_language_codes_are_understood():
    assert [
        i18n.language(v)
        for v in ("zh-TW", "zh_hant", "zh-CN", "zh", "en-US", "fr", None, "zh-Hant")
    ] == ["zh-Hant", "zh-Hant", "zh-Hans", "zh-Hans", "en", "en", "en", "zh-Hant"]


def test_a_message_is_shown_in_the_readers_language():
    _, notices = scenes.from_query({"surface": "banana", "steps": "x"})
    assert "unknown 'banana'" in notices[0]  # English for logs and the command line
    assert "曲面" in i18n.shown(notices[0], "zh-Hant") and "'banana'" in i18n.shown(
        notices[0], "zh-Hant"
    )


def texts(at) -> list[str]:
    """Every label, help text, option and text element of a rendered app."""
    found = []
    for kind in (
        "selectbox",
        "number_input",
        "toggle",
        "radio",
        "text_input",
        "text_area",
        "checkbox",
        "multiselect",
        "slider",
        "select_slider",
        "button",
        "expander",
    ):
        for widget in getattr(at, kind):
            found += [getattr(widget, "label", None), getattr(widget, "help", None)]
            found += [o for o in (getattr(widget, "options", None) or []) if isinstance(o, str)]
    for kind in ("caption", "markdown", "info", "warning", "error", "title", "subheader"):
        found += [element.value for element in getattr(at, kind)]
    return [t for t in found if isinstance(t, str) and t]


NAMES = {"Loss Landscape Lab", "English", "XOR"}  # the app's, a language's own, a data set's
NAMES |= {"sin(X₁)", "sin(X₂)"}  # the Playground's input features: math reads the same in each
RUN_LABEL = re.compile(r"^(\d+\. )?[\w*\\ ]+\\?\(lr=")  # runs are named by their optimizer


def english_left(at) -> list[str]:
    """Visible texts of a rendered app with no Chinese in them (names aside)."""
    english = [t for t in texts(at) if not i18n.has_cjk(t) and re.search("[A-Za-z]{3,}", t)]
    return [t for t in english if t not in NAMES and not RUN_LABEL.match(t)]


@pytest.mark.parametrize("lang", CHINESE)
@pytest.mark.parametrize("view", ["surfaces", "network"])
def test_the_whole_app_renders_in_each_language(lang, view):
    i18n.MISSING.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(lang=lang, view=view, surface="rosenbrock")
    at.run()
    assert not at.exception
    if view == "surfaces":  # open every row's "more" panel and the lecture panels
        for row_id in lab(at).row_ids:
            at.session_state["lab"] = labs.set_open(lab(at), row_id, True)
        open_panels(at)
        assert not at.exception
    assert set() == i18n.MISSING
    assert english_left(at) == []
    assert json.dumps(dict(at.query_params)).count(lang) == 1  # the language stays in the link


@pytest.mark.parametrize("lang", CHINESE)
def test_a_typed_rule_its_error_and_its_comparison_render_in_each_language(lang):
    i18n.MISSING.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(lang=lang, preset="write_momentum_yourself")
    at.run()
    rule_row = lab(at).row_ids[0]
    at.session_state["lab"] = labs.set_rule(labs.set_open(lab(at), rule_row, True), rule_row, "x =")
    at.run()
    assert not at.exception and len(at.error) == 1 and at.success  # the error, the comparison
    assert set() == i18n.MISSING
    titles = {  # the compare menu names optimizers, most of them as they are named everywhere
        i18n.text(f"optimizer.{name}.title", lang, english=entry.title)
        for name, entry in optimizers.CATALOG.items()
    }
    assert [t for t in english_left(at) if t not in titles] == []


def test_automatic_run_labels_are_translated_and_typed_ones_kept():
    scene = scenes.from_dict(
        {"rows": [{"name": "momentum", "line_search": True}, {"name": "sgd", "label": "mine"}]}
    )
    english = scene.shown_labels(["Momentum (lr=0.01, Armijo line search)", "mine"])
    assert english == ["Momentum (lr=0.01, Armijo line search)", "mine"]
    assert scene.shown_labels(english, "zh-Hant") == ["動量 (lr=0.01, Armijo 線搜尋)", "mine"]
