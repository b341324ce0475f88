"""Keras callbacks typed as text: what is read, what is refused and where."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lll_i18n import text
from optimizers import callbacks
from optimizers.callbacks import CallbackError

DAY_87 = "ReduceLROnPlateau(factor=0.5, min_lr=1e-12, monitor='val_loss', patience=5)"


def test_the_course_callback_reads_as_keras_writes_it():
    cbs = callbacks.parse(f"keras.callbacks.{DAY_87}")
    assert cbs.schedule.kind == "plateau"
    assert float(cbs.schedule.params["factor"]) == 0.5
    assert float(cbs.schedule.params["patience"]) == 5
    assert float(cbs.schedule.params["min_lr"]) == pytest.approx(1e-12)
    assert float(cbs.schedule.params["cooldown"]) == 0  # Keras's defaults for the rest
    assert float(cbs.schedule.params["min_delta"]) == pytest.approx(1e-4)
    assert cbs.monitor == "val_loss" and cbs.stopping is None


def test_several_callbacks_in_a_list_or_after_semicolons():
    as_list = callbacks.parse(
        "[EarlyStopping(monitor='loss', patience=10, restore_best_weights=True), step(every=50)]"
    )
    assert as_list.stopping == callbacks.Stopping("loss", 10.0, 0.0, True)
    assert as_list.schedule.kind == "step" and float(as_list.schedule.params["every"]) == 50
    semicolons = callbacks.parse("step(every=50); EarlyStopping(monitor='loss', patience=10)")
    assert semicolons.schedule == as_list.schedule
    assert ";" not in semicolons.text  # the tidy text can go in a link's row


@pytest.mark.parametrize(
    "typed, column, key",
    [
        ("ReduceLROnPlateau(factor=2)", 25, "range"),
        ("ReduceLROnPlateau(patience='five')", 27, "number"),
        ("EarlyStopping(monitor='val_accuracy')", 22, "monitor"),
        ("EarlyStopping(mode='max')", 19, "mode"),
        ("EarlyStopping(restore_best_weights=1)", 35, "boolean"),
        ("EarlyStopping(paitence=3)", 14, "argument"),
        ("ModelCheckpoint('best.h5')", 0, "unknown"),
        ("__import__('os').system('ls')", 0, "unknown"),
        ("EarlyStopping(patience=len('abc'))", 23, "constant"),
        ("step(every=10), step(every=20)", 16, "twice"),
        ("step(every=10); ReduceLROnPlateau()", 0, "two_setters"),
        ("LearningRateScheduler(lambda epoch, lr: lr.__class__)", 40, "formula_part"),
        ("LearningRateScheduler(lambda epoch, lr: open('x'))", 40, "formula_part"),
        ("LearningRateScheduler('lr * x')", 28, "formula"),
        ("EarlyStopping(patience=3", 24, "syntax"),
        ("  3", 2, "not_a_call"),
    ],
)
def test_a_bad_text_is_refused_at_its_column_in_three_languages(typed, column, key):
    with pytest.raises(CallbackError) as caught:
        callbacks.parse(typed)
    assert caught.value.message.key == f"callbacks.{key}"
    assert caught.value.column == column
    for lang in ("en", "zh-Hant", "zh-Hans"):
        shown = caught.value.message.to(lang)
        assert shown and "{" not in shown and shown != caught.value.message.key
        assert text(f"callbacks.{key}", lang) != f"callbacks.{key}"


def test_a_long_text_is_refused_before_it_is_read():
    with pytest.raises(CallbackError) as caught:
        callbacks.parse("step()," * 200)
    assert caught.value.message.key == "callbacks.length"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.from_regex(r"[A-Za-z(]{1,20}\(.{0,40}\)", fullmatch=True))
def test_any_text_reads_or_is_refused_with_a_message(typed):
    try:
        cbs = callbacks.parse(typed)
    except CallbackError as error:
        assert 0 <= error.column <= len(typed)
    else:
        assert cbs == callbacks.NONE or cbs.text
