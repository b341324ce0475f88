"""A scene to files: the animation as GIF or MP4, a self-contained HTML player, one frame as PNG
or SVG, the trajectories as CSV or JSON (the JSON holds the scene too, so it loads back). Used by
the app and by `python -m scenes`.

Every number written is real: the data files leave a cell empty (JSON: null) where a value
does not exist (the start's rate, a diverged run's points after it left), and their status
column says, per step, whether a run is still running, has converged, escaped or diverged.
"""

from __future__ import annotations

import csv
import io
import json
import pathlib
import tempfile
import warnings
from collections.abc import Callable

import numpy as np
import vl_convert
from PIL import Image

import lll_i18n as i18n
import optimizers
from charts import code, landscape, standalone
from charts import frames as frame_charts
from charts.payload import pack
from optimizers import insight
from scenes.scene import Scene

FORMATS = ("gif", "mp4", "html", "png", "svg", "csv", "json")
PICTURES = ("gif", "mp4", "png")  # text drawn here, with this machine's fonts
MIN_SIZE, MAX_SIZE = 120, 1600  # pixels across, axes included
MAX_FRAMES = 1000
COLUMNS = (
    "step",
    "optimizer",
    "x",
    "y",
    "loss",
    "lr",
    "grad_x",
    "grad_y",
    "update_x",
    "update_y",
    "status",
)
CSV_COLUMNS = (*COLUMNS, "rule")  # a typed rule's text on its run's lines, empty for a built-in


def trajectories(scene: Scene) -> optimizers.Trajectories:
    return optimizers.run(
        scene.surface_object(),
        [r.spec() for r in scene.rows],
        scene.start_point(),
        scene.steps,
        scene.noise,
        scene.seed,
    )


def records(t: optimizers.Trajectories, status: np.ndarray):
    """One row per run and step, as COLUMNS, with None where a value does not exist: the
    start (step 0) has no rate, gradient or update yet, and after a run left the picture or
    blew up it has no point, loss, gradient or update (its rate is the schedule's, still
    readable). `status` is `optimizers.insight.run_status`'s table."""
    n, points = t.loss.shape
    for i in range(n):
        gone = t.diverged_at[i] if t.diverged_at[i] >= 0 else points
        for s in range(points):
            moved = 0 < s <= gone
            step = (t.lr[i, s - 1], *t.grad[i, s - 1], *t.update[i, s - 1]) if s else (None,) * 5
            rate, *motion = (_real(v) for v in step)
            place = (*t.xy[i, s], t.loss[i, s]) if s <= gone else (None,) * 3
            yield (
                s,
                t.labels[i],
                *(_real(v) for v in place),
                rate,
                *(motion if moved else (None,) * 4),
                str(status[i, s]),
            )


def _real(value) -> float | None:
    """`value` as a float if it is a real, finite number; None (an empty cell, JSON's null)
    otherwise: a value that does not exist is never written as one that looks real."""
    return float(value) if value is not None and np.isfinite(value) else None


def run_status(scene: Scene, t: optimizers.Trajectories) -> np.ndarray:
    """Each run's status per step (see `optimizers.insight.run_status`), with the scene's
    tolerance."""
    surface = scene.surface_object()
    return insight.run_status(t, insight.tolerance(surface, scene.start_point()), surface.f_min)


def to_csv(scene: Scene, t: optimizers.Trajectories) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rules = [optimizers.own.one_line(row.rule) for row in scene.rows]
    points = t.loss.shape[1]
    for k, record in enumerate(records(t, run_status(scene, t))):
        writer.writerow((*record, rules[k // points]))
    return out.getvalue()


def to_json(scene: Scene, t: optimizers.Trajectories) -> str:
    """The scene (reloadable: same format as a preset's "scene") and every run's steps."""
    rows = list(records(t, run_status(scene, t)))
    steps = t.loss.shape[1]
    runs = [
        {
            "label": t.labels[i],
            "color": scene.colors()[i],
            "diverged_at": int(t.diverged_at[i]) if t.diverged()[i] else -1,
            "escaped_at": int(t.diverged_at[i]) if t.escapes()[i] else -1,
            "steps": [
                dict(zip(COLUMNS, r, strict=True)) for r in rows[i * steps : (i + 1) * steps]
            ],
        }
        for i in range(len(t.labels))
    ]
    return json.dumps({"scene": scene.to_dict(), "runs": runs}, allow_nan=False)


def still(scene: Scene, t: optimizers.Trajectories, step: int, fmt: str, lang: str = "en") -> bytes:
    """Frame `step` as PNG or SVG, with axes, legend and curves (Vega, rendered by vl-convert)."""
    spec = landscape.filled_scene_chart(
        scene.surface_object(), scene.layout, t, scene.colors(), step, lang
    )
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    return vl_convert.vegalite_to_png(spec, scale=2)


def animation(
    scene: Scene,
    t,
    size: int,
    frames: int,
    lang: str = "en",
    progress: Callable | None = None,
    curve: bool = False,
):
    """(last frame, the frames one by one): `frames` evenly spaced steps drawn over a background
    drawn once (`curve`: with the loss curves under it); `progress(fraction)` after each. The
    runs are labelled as `t` says (`render` gives it the labels in the reader's language)."""
    painter = frame_charts.Frames(
        scene.surface_object(),
        t.xy,
        t.diverged_at,
        t.labels,
        scene.colors(),
        size,
        i18n.text("player.step", lang),
        t.escapes(),
        lang,
        loss=t.loss if curve else None,
        rules=[optimizers.own.one_line(row.rule) for row in scene.rows],
    )
    steps = frame_charts.frame_steps(scene.steps, frames)

    def each():
        for done, k in enumerate(steps, start=1):
            yield painter.frame(k)
            if progress:
                progress(done / len(steps))

    return painter.frame(steps[-1]), each()


def gif(scene: Scene, animated, fps=25) -> bytes:
    """`animated` (see `animation`) as a looping GIF, `fps` frames a second, one palette for
    every frame."""
    last, pictures = animated
    palette = _palette(last, scene.colors())  # one palette for all: no flicker
    images = [picture.quantize(palette=palette, dither=0) for picture in pictures]
    out = io.BytesIO()
    images[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=round(1000 / fps),
        loop=0,
    )
    return out.getvalue()


def mp4(animated, fps=25) -> bytes:
    """`animated` (see `animation`) as H.264 video (yuv420p, so every player and slide program
    takes it)."""
    import imageio_ffmpeg  # the ffmpeg binary comes with this package (imported only when needed)

    last, pictures = animated
    width, height = (last.width + 1) // 2 * 2, (last.height + 1) // 2 * 2  # H.264 wants even sizes
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "scene.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(path),
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=1,
            ffmpeg_log_level="error",
        )
        with warnings.catch_warnings():  # JAX warns about any fork; ffmpeg is exec'd at once
            warnings.filterwarnings("ignore", "os.fork", RuntimeWarning)
            writer.send(None)
        for picture in pictures:
            canvas = Image.new("RGB", (width, height), "white")
            canvas.paste(picture.convert("RGB"))
            writer.send(canvas.tobytes())
        writer.close()
        return path.read_bytes()


def player_header(scene: Scene, lang: str) -> dict:
    """What a player of `scene` is told beside its runs, in the app and in a notebook: its
    words in `lang`, and which rows draw Nesterov's look-ahead point."""
    return {
        "text": code.player_words(lang),
        "lookahead": [row.name == "nesterov" for row in scene.rows],
    }


def html(scene: Scene, t, title: str = "", lang: str = "en") -> bytes:
    """A single HTML file that plays the scene with the app's player, offline (the keys work
    anywhere on the page)."""
    surface = scene.surface_object()
    specs = landscape.scene_specs(surface, scene.layout, len(scene.rows), lang=lang)
    header = {"spec_key": "scene", "text": code.player_words(lang), "page_keys": True}
    payload = pack(t, optimizers.divergence_box(surface.domain), t.labels, scene.colors(), header)
    name = i18n.text(f"surface.{scene.surface}.title", lang, english=surface.title)
    note = i18n.text(
        "export.html_note", lang, surface=name, steps=scene.steps, runs=", ".join(t.labels)
    )
    for row, label in zip(scene.rows, t.labels, strict=True):
        if row.rule:  # a typed rule is written out
            rule = optimizers.own.one_line(row.rule)
            note += " · " + i18n.text("export.html_rule", lang, label=label, rule=rule)
    return standalone.page(
        title or "Loss Landscape Lab", note, "scene", specs, payload, lang
    ).encode("utf-8")


def _palette(sample, colors) -> Image.Image:
    """The sample's colours, quantized, plus each run's colour and the marks' exact colours."""
    exact = [frame_charts.rgb(c) for c in colors] + [(255, 255, 255), (0, 0, 0), frame_charts.CROSS]
    base = sample.quantize(colors=256 - len(exact)).getpalette()[: 3 * (256 - len(exact))]
    palette = Image.new("P", (1, 1))
    palette.putpalette(base + [v for color in exact for v in color])
    return palette


def render(
    scene: Scene,
    fmt: str,
    *,
    size: int = 600,
    frames: int = 150,
    fps: int = 25,
    step: int | None = None,
    title: str = "",
    lang: str = "en",
    progress: Callable | None = None,
    curve: bool = False,
) -> bytes:
    """The file's bytes for `scene` as `fmt` (`title` heads an HTML page; `lang` is the language
    of a picture's or page's words; `curve` puts the loss curves under an animation); sizes and
    counts outside their caps raise ValueError."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if not (MIN_SIZE <= size <= MAX_SIZE and 1 <= frames <= MAX_FRAMES and 1 <= fps <= 60):
        raise ValueError(f"size must be {MIN_SIZE}–{MAX_SIZE}, frames 1–{MAX_FRAMES}, fps 1–60")
    step = scene.steps if step is None else step
    if not 0 <= step <= scene.steps:
        raise ValueError(f"step must be within 0–{scene.steps}")
    t = trajectories(scene)
    lang = picture_language(fmt, lang)
    shown = t._replace(
        labels=scene.shown_labels(t.labels, lang)
    )  # pictures speak the reader's language

    def animated():
        return animation(scene, shown, size, frames, lang, progress, curve)

    writers = {
        "gif": lambda: gif(scene, animated(), fps),
        "mp4": lambda: mp4(animated(), fps),
        "html": lambda: html(scene, shown, title, lang),
        "png": lambda: still(scene, shown, step, "png", lang),
        "svg": lambda: still(scene, shown, step, "svg", lang),
        "csv": lambda: to_csv(scene, t).encode("utf-8"),
        "json": lambda: to_json(scene, t).encode("utf-8"),
    }
    return writers[fmt]()


def picture_language(fmt: str, lang: str) -> str:
    """The language a file of `fmt` can speak here: a picture drawn on this machine falls
    back to English when no installed font writes Chinese (`falls_back` says so first)."""
    return "en" if falls_back(fmt, lang) else lang


def falls_back(fmt: str, lang: str) -> bool:
    """Whether a `fmt` file asked for in `lang` will be in English for want of a Chinese font
    (SVG and HTML carry text for the reader's own fonts)."""
    return fmt in PICTURES and lang != "en" and frame_charts.cjk_font() is None


def export(scene: Scene, fmt: str, path, **options) -> pathlib.Path:
    """Write `scene` to `path` as `fmt` (options as `render`); nothing is written on bad input."""
    content = render(scene, fmt, **options)
    path = pathlib.Path(path)
    path.write_bytes(content)
    return path
