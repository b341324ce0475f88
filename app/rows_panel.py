"""The optimizer rows: the row editor component, then the full settings of each row whose
"more" is on. Every edit reaches the scene through an action of `app.lab`."""

from __future__ import annotations

import streamlit as st

import optimizers
import scenes
from app import computed
from app import lab as labs
from app.session import (
    bounded_number,
    control,
    lab,
    lang,
    named,
    plain,
    put,
    shown,
    shows,
    titles,
    tr,
)
from charts import editor
from optimizers import own
from scenes import rows as scene_rows

EDITOR_WORDS = (
    "color",
    "optimizer",
    "label",
    "label_title",
    "lr",
    "lr_title",
    "lr_log",
    "lr_log_title",
    "duplicate",
    "duplicate_title",
    "three",
    "three_title",
    "remove",
    "remove_title",
    "more",
    "more_title",
    "add",
)
HIDEABLE = ("color", "optimizer", "label", "lr", "rows", "more")


def rows_editor(scene: scenes.Scene, labels: list[str]) -> None:
    """The rows as one component (a rerun stays small), then each open row's settings."""
    now = lab()
    rows = [
        {
            "id": row_id,
            "name": row.name,
            "label": row.label,
            "placeholder": label,
            "color": color,
            "lr": float(row.spec().hyper["learning_rate"]),
            "more": row_id in now.open_rows,
        }
        for row_id, row, label, color in zip(
            now.row_ids, scene.rows, labels, scene.colors(), strict=True
        )
    ]
    choices = [
        (name, named("optimizer", name, "title", entry.title))
        for name, entry in optimizers.CATALOG.items()
    ]
    choices.append((optimizers.RULE, named("optimizer", optimizers.RULE, "title", own.TITLE)))
    hide = tuple(c for c in HIDEABLE if not shows(c))
    words = {word: tr(f"editor.{word}") for word in EDITOR_WORDS}
    editor.mount(
        rows,
        choices,
        scenes.MAX_ROWS,
        on_edit=edit_row,
        on_action=row_action,
        text=words,
        hide=hide,
    )
    if notice := st.session_state.pop("edit_notice", None):
        st.warning(tr(notice))
    if not shows("more"):
        return
    for shown_row, row, row_id in zip(rows, scene.rows, now.row_ids, strict=True):
        if shown_row["more"]:
            with st.container(border=True):
                title = plain(shown_row["label"] or shown_row["placeholder"])
                st.markdown(f"**{title}** — {tr('rows.every_setting')}")
                row_settings(row_id, row)


def edit_row(edit) -> None:
    new, understood = labs.edit_row(lab(), edit)
    put(new)
    if not understood:
        st.session_state.edit_notice = "rows.edit_not_understood"


def row_action(action) -> None:
    put(labs.row_action(lab(), action))


def row_settings(row_id: int, row: scenes.Row) -> None:
    """A row's other hyperparameters, schedule, interventions and the rule that runs."""
    entry = row.entry()
    prefix = f"row{row_id}.{row.name}."
    if entry.own_step:
        rule_settings(row_id, row)
    hyper_settings(row_id, row, entry, prefix)
    schedule_settings(row_id, row, prefix)
    option_settings(row_id, row, prefix)
    st.latex(entry.latex)
    defaults = named("optimizer", entry.name, "defaults", entry.defaults)
    st.caption(tr("rows.defaults", defaults=defaults))


def rule_settings(row_id: int, row: scenes.Row) -> None:
    """The rule's text box; a rule that does not parse stays in the box with where it went
    wrong, and the row keeps running its last good rule."""
    draft = lab().rule_drafts.get(row_id)
    functions = ", ".join(sorted(optimizers.own.FUNCTIONS))
    control(
        st.text_area,
        tr("rule.label"),
        f"row{row_id}.rule",
        draft[0] if draft else row.rule,
        lambda now, text: labs.set_rule(now, row_id, text),
        max_chars=optimizers.own.MAX_RULE_LENGTH,
        height=150,
        help=tr("rule.help", functions=functions),
    )
    if draft:
        text, error = draft
        message = tr(
            "rule.not_used", line=error.line, column=error.column + 1, error=shown(error.message)
        )
        st.error(message)
        lines = text.replace("\r\n", "\n").split("\n")
        line = lines[error.line - 1] if error.line <= len(lines) else ""
        st.code(f"{line}\n{' ' * error.column}^", language=None)
    twin_settings(row_id, row)


def twin_settings(row_id: int, row: scenes.Row) -> None:
    """A menu that runs a built-in with the rule's numbers beside it, and how far the rule's
    path lies from each such twin already there: the homework's check."""
    names = list(optimizers.CATALOG)
    if shows("rows"):
        control(
            st.selectbox,
            tr("rule.compare_with"),
            f"row{row_id}.twin",
            None,
            lambda now, name: labs.add_twin(now, row_id, name),
            by_language=True,
            options=names,
            index=None,
            placeholder=tr("rule.compare_placeholder"),
            format_func=lambda name: named(
                "optimizer", name, "title", optimizers.entry(name).title
            ),
        )
    scene = lab().scene
    index = labs.row_index(lab(), row_id)
    twins = [j for j, other in enumerate(scene.rows) if scene_rows.is_twin(row, other)]
    if not twins:
        return
    result = computed.trajectories(computed.scene_json(scene))
    labels = scene.shown_labels(result.labels, lang())
    domain = scene.surface_object().domain
    for j in twins:
        found = own.compare(result.xy[index], result.xy[j], domain)
        numbers = dict(
            other=plain(labels[j]),
            largest=f"{found.largest:.2g}",
            tolerance=f"{found.tolerance:.2g}",
        )
        if found.parted_at is None:
            st.success(tr("rule.compare_same", **numbers))
        else:
            st.info(tr("rule.compare_parted", step=found.parted_at, **numbers))


def hyper_settings(row_id: int, row: scenes.Row, entry, prefix: str) -> None:
    others = [(name, param) for name, param in entry.hyper.items() if name != "learning_rate"]
    columns = st.columns(4)
    for i, (hyper, param) in enumerate(others):
        with columns[i % 4]:
            bounded_number(
                hyper if entry.own_step else tr(f"hyper.{hyper}"),  # a rule's own names
                f"{prefix}h.{hyper}",
                row.hyper.get(hyper, param.default),
                param,
                hyper_change(row_id, hyper),
            )


def hyper_change(row_id: int, name: str):
    return lambda now, value: labs.set_hyper(now, row_id, name, value)


def schedule_settings(row_id: int, row: scenes.Row, prefix: str) -> None:
    kinds = [k for k in optimizers.schedules.KINDS if k != "warmup"]
    control(
        st.selectbox,
        tr("rows.schedule"),
        f"{prefix}schedule",
        row.schedule,
        lambda now, kind: labs.set_schedule(now, row_id, kind),
        by_language=True,
        options=kinds,
        format_func=titles("schedule.", ".title"),
    )
    columns = st.columns(3)
    params = optimizers.schedules.PARAMS[row.schedule]
    for i, (name, param) in enumerate(params.items()):
        with columns[i % 3]:
            help_text = None
            if param.help:
                help_text = named("schedule", row.schedule, f"param.{name}", param.help)
            bounded_number(
                tr(f"schedule_param.{name}"),
                f"{prefix}s.{row.schedule}.{name}",
                row.schedule_params.get(name, param.default),
                param,
                schedule_change(row_id, name),
                help_text,
            )


def schedule_change(row_id: int, name: str):
    return lambda now, value: labs.set_schedule_param(now, row_id, name, value)


def option_settings(row_id: int, row: scenes.Row, prefix: str) -> None:
    """Clipping, line search, weight decay and batch size: visible, labelled interventions."""
    columns = st.columns(3)
    for i, option in enumerate(("clip_norm", "clip_value")):
        value = getattr(row, option)
        spec = optimizers.OPTIONS[option]
        with columns[i]:
            control(
                st.checkbox,
                tr(f"option.{option}"),
                f"{prefix}{option}_on",
                value is not None,
                option_switch(row_id, option, spec.default),
            )
            if value is not None:
                bounded_number(
                    "c",
                    f"{prefix}{option}",
                    value,
                    spec,
                    option_change(row_id, option),
                    option_help(option),
                )
    with columns[2]:
        control(
            st.checkbox,
            tr("option.line_search"),
            f"{prefix}line_search",
            row.line_search,
            lambda now, on: labs.set_row(now, row_id, line_search=bool(on)),
        )
    for i, option in enumerate(("weight_decay", "batch_size")):
        with columns[i]:
            bounded_number(
                tr(f"option.{option}"),
                f"{prefix}{option}",
                getattr(row, option),
                optimizers.OPTIONS[option],
                option_change(row_id, option),
                option_help(option),
            )


def option_switch(row_id: int, option: str, default: float):
    """A checkbox that turns an intervention on (at its default) or off."""
    return lambda now, on: labs.set_row(now, row_id, **{option: default if on else None})


def option_change(row_id: int, option: str):
    return lambda now, value: labs.set_row(now, row_id, **{option: value})


def option_help(option: str) -> str:
    return named("option", option, "help", optimizers.OPTIONS[option].help)
