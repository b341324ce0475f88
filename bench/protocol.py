"""A Streamlit session driven over its websocket, as a browser tab drives it, without a browser.

The load tests need many sessions on a 2-core machine, where 25 Chromium pages take three
quarters of the CPU and time themselves as much as the server. A tab's whole conversation
with the server is protobuf messages on `/_stcore/stream`: BackMsg `rerun_script` (the link
and the widgets' states) up, ForwardMsg down (`new_session` as a script run begins, its
elements as deltas, `script_finished` at its end). This speaks that protocol (Streamlit's own
proto classes), so a session costs the load generator almost nothing and its latency is the
server's: change sent → the last element of the new page received.
"""

from __future__ import annotations

import dataclasses
import json
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

TRIGGERS = "$$STREAMLIT_INTERNAL_KEY_{}__events"  # a v2 component's trigger aggregator


@dataclasses.dataclass
class Run:
    """What one script run sent: its elements by type, in order, and how it ended."""

    elements: list[tuple[str, object]]
    status: int | None = None  # a ForwardMsg.ScriptFinishedStatus once finished

    @property
    def finished(self) -> bool:
        return self.status == ForwardMsg.FINISHED_SUCCESSFULLY

    def of(self, kind: str) -> list:
        return [element for k, element in self.elements if k == kind]

    def keyed(self, key: str):
        """The widget or component whose user key is `key` (its id ends with it), or None."""
        for _, element in self.elements:
            if getattr(element, "id", "").endswith(f"-{key}"):
                return element
        return None


def component_data(element) -> dict:
    """The JSON data a v2 component (`st.components.v2`) was mounted with."""
    return json.loads(element.json or "null") if element.json else {}


def number(widget_id: str, value: float) -> WidgetState:
    return WidgetState(id=widget_id, double_value=value)


def choice(widget_id: str, shown: str) -> WidgetState:
    """A select slider's value, as its option is shown."""
    state = WidgetState(id=widget_id)
    state.string_array_value.data.append(shown)
    return state


def trigger(component_id: str, event: str, value) -> WidgetState:
    """A v2 component's `setTriggerValue(event, value)`."""
    payload = json.dumps([{"event": event, "value": value}])
    return WidgetState(id=TRIGGERS.format(component_id), json_trigger_value=payload)


class Session:
    """One tab's session: `await Session.open(url, query)`, then `rerun(...)` per change."""

    def __init__(self, socket, query: str):
        self.socket = socket
        self.query = query  # the address bar, as the app last set it
        self.cache: dict[str, ForwardMsg] = {}  # messages by hash, as the browser caches them
        self.current = Run([])  # the script run whose messages are arriving

    @classmethod
    async def open(cls, url: str, query: str = "") -> Session:
        socket = await websockets.connect(
            url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],
            origin=url,
            max_size=None,
            open_timeout=60,
        )
        return cls(socket, query.lstrip("?"))

    async def send(self, *widgets: WidgetState) -> None:
        """Ask for a script run with these widgets changed (the others keep their values)."""
        state = ClientState(
            query_string=self.query,
            widget_states=WidgetStates(widgets=widgets),
            cached_message_hashes=list(self.cache),
        )
        await self.socket.send(BackMsg(rerun_script=state).SerializeToString())

    async def message(self) -> ForwardMsg:
        msg = ForwardMsg()
        msg.ParseFromString(await self.socket.recv())
        if msg.WhichOneof("type") == "ref_hash":
            return self.cache[msg.ref_hash]
        if msg.metadata.cacheable:
            self.cache[msg.hash] = msg
        if msg.WhichOneof("type") == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        return msg

    async def advance(self) -> Run | None:
        """Read one message into the run in progress; that run if the message ended it."""
        msg = await self.message()
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.current = Run([])
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            self.current.elements.append((which, getattr(element, which)))
        elif kind == "script_finished":
            self.current.status = msg.script_finished
            return self.current
        return None

    async def element(self, key: str):
        """Read on until the run in progress shows the widget or component keyed `key`."""
        while (found := self.current.keyed(key)) is None:
            await self.advance()
        return found

    async def next_run(self, wanted=lambda run: True) -> Run:
        """The next run that ran to its end and is `wanted`."""
        while True:
            run = await self.advance()
            if run is not None and run.finished and wanted(run):
                return run

    async def rerun(self, *widgets: WidgetState) -> tuple[Run, float]:
        """Change `widgets` on an idle session: (the run that follows, seconds to its end)."""
        began = time.perf_counter()
        await self.send(*widgets)
        run = await self.next_run()
        return run, time.perf_counter() - began

    async def close(self) -> None:
        await self.socket.close()
