"""The app's player as a Jupyter widget (anywidget): `Player(scene)` plays a scene in a
notebook's output with the app's own code, offline (the Vega runtime travels with it).

Two-way: `step` and `playing` follow the picture and move it; a click on the landscape starts
the runs there (`start`); a new `scene`, or a row changed with `set_row`, sends only new runs to
the picture already drawn when the surface and layout stay the same.
"""

from __future__ import annotations

import functools
import json

import anywidget
import traitlets

import optimizers
from charts import background, code, landscape, payload
from optimizers import insight
from scenes import export
from scenes.python import SceneError, _refuse, _row_fields, as_scene
from scenes.scene import Scene, from_dict, row_dict


class Player(anywidget.AnyWidget):
    """A scene (a Scene, a link from the app or a preset's name) playing in a notebook.

    player = Player("classic_beale"); player.set_row(0, learning_rate=1e-2); player.step = 40
    """

    _esm = code.widget_js()
    _css = code.source("player.css")
    spec = traitlets.Unicode("").tag(sync=True)  # the Vega specs and their key, as JSON
    data = traitlets.Bytes(b"").tag(sync=True)  # the runs, packed (charts.payload.pack)
    step = traitlets.Int(0).tag(sync=True)
    playing = traitlets.Bool(True).tag(sync=True)
    start = traitlets.List(traitlets.Float(), default_value=[]).tag(sync=True)
    told = traitlets.Int(0).tag(sync=True)  # how often Python set step or playing itself
    scene = traitlets.Instance(Scene)
    lang = traitlets.Unicode("en")
    view3d = traitlets.Bool(False)  # the surface in 3-D beside the contours
    parts = traitlets.Bool(False)  # each step's gradient part and the rest, at the heads

    def __init__(self, what="rosenbrock", **options):
        self._hearing = False
        super().__init__(scene=as_scene(what), **options)
        self.on_msg(self._heard)
        self._draw()

    @traitlets.validate("step", "playing")
    def _said(self, proposal):
        """Count Python's own changes first, so that the picture's reports can say which
        of them they had heard when sent."""
        name = proposal["trait"].name
        if not self._hearing and proposal["value"] != getattr(self, name):
            self.told += 1
        return proposal["value"]

    def _heard(self, _widget, report, _buffers) -> None:
        """The picture says where it is; a report sent before Python's latest change is stale."""
        if not isinstance(report, dict) or report.get("told") != self.told:
            return
        self._hearing = True
        try:
            with self.hold_sync():
                self.step = int(report["step"])
                self.playing = bool(report["playing"])
        finally:
            self._hearing = False

    @traitlets.observe("scene", "lang", "view3d", "parts")
    def _changed(self, _change) -> None:
        self._draw()

    @traitlets.observe("start")
    def _clicked(self, change) -> None:
        """A start point set from the picture (or from Python) runs the scene from there."""
        point = tuple(change["new"])
        if len(point) == 2 and point != self.scene.start_point():
            self.scene = _checked({**self.scene.to_dict(), "start": list(point)})

    def set_row(self, row: int, **fields) -> None:
        """Change row `row`'s fields or hyperparameters (learning_rate=..., schedule=...)."""
        rows = [row_dict(r) for r in self.scene.rows]
        if not 0 <= row < len(rows):
            raise SceneError(f"there is no row {row}: the scene has {len(rows)}")
        changed = _row_fields(fields)
        kept = rows[row] if changed.get("name", rows[row]["name"]) == rows[row]["name"] else {}
        hyper = {**kept.get("hyper", {}), **changed["hyper"]}  # another optimizer starts afresh
        rows[row] = {**kept, **changed, "hyper": hyper}
        self.scene = _checked({**self.scene.to_dict(), "rows": rows})

    def _draw(self) -> None:
        picture = self.scene.picture_json()
        specs = _specs(picture, len(self.scene.rows), self.lang)
        runs = export.trajectories(self.scene)
        with self.hold_sync():
            self.spec = specs.message.decode("utf-8")
            self.data = self._packed(runs, specs.key, picture)
            self.start = list(self.scene.start_point())

    def _packed(self, runs, key: str, picture: str) -> bytes:
        """The runs as the app's player receives them, with its words in `lang`."""
        extra = {**export.player_header(self.scene, self.lang), "spec_key": key}
        if self.view3d:
            extra["mesh"] = _mesh(picture)
        return payload.pack(
            runs,
            optimizers.divergence_box(self.scene.surface_object().domain),
            self.scene.shown_labels(runs.labels, self.lang),
            self.scene.colors(),
            extra=extra,
            parts=insight.decomposition(runs) if self.parts else None,
        )


@functools.lru_cache(maxsize=32)
def _specs(picture: str, n_series: int, lang: str) -> payload.PreparedSpec:
    """The picture's specs, made once per picture (Scene.picture_json), row count and language:
    a change that only moves the runs sends new runs and nothing else."""
    scene = from_dict(json.loads(picture))
    made = landscape.scene_specs(scene.surface_object(), scene.layout, n_series, lang=lang)
    return payload.prepare(made)


@functools.lru_cache(maxsize=8)
def _mesh(picture: str) -> dict:
    """The surface's 3-D mesh, once per picture."""
    return background.mesh(from_dict(json.loads(picture)).surface_object())


def _checked(data: dict) -> Scene:
    notices = []
    made = from_dict(data, notices)
    _refuse(notices)
    return made
