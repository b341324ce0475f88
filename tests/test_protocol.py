"""The load tests' client (bench.protocol) speaks to a served app as a browser tab does: a
session opened from a link draws it, a rate typed in the row editor comes back in the page
and the address bar, and two sessions at once each keep their own rows."""

import asyncio

import pytest

from bench.protocol import Session, component_data, trigger

LINK = "?surface=rosenbrock&steps=50&o=sgd;learning_rate=0.001&o=adam;learning_rate=0.05"


def first_rate(run) -> float:
    return component_data(run.keyed("editor"))["rows"][0]["lr"]


async def open_and_type(url: str, rate: float):
    """A session from LINK whose first row's rate is then typed as `rate`: (the page drawn
    from the link, the page after the edit, the address bar after it)."""
    session = await Session.open(url, LINK)
    await session.send()
    opened = await session.next_run()
    editor = opened.keyed("editor")
    edit = {"id": component_data(editor)["rows"][0]["id"], "field": "lr", "value": rate}
    edited, _ = await session.rerun(trigger(editor.id, "edit", edit))
    await session.close()
    return opened, edited, session.query


def test_a_rate_typed_over_the_protocol_is_the_sessions_own(server):
    async def two_sessions():
        return await asyncio.gather(open_and_type(server, 0.0021), open_and_type(server, 0.0034))

    for (opened, edited, query), rate in zip(
        asyncio.run(two_sessions()), (0.0021, 0.0034), strict=True
    ):
        assert first_rate(opened) == pytest.approx(0.001)
        assert first_rate(edited) == pytest.approx(rate)
        assert f"learning_rate%3D{rate:g}" in query
        assert not edited.of("exception")
