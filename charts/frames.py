"""Frames of a scene's animation drawn with Pillow, for GIF and MP4 export and the CLI.

The background (loss colours, isolines, minima, axes, legend, the loss curve's frame) is
drawn once; a frame copies it and adds the trails up to its step, the heads, start rings,
red crosses for diverged runs, the loss curves up to that step and the step counter. No
plotting library redraws the whole picture per frame.
"""

from __future__ import annotations

import pathlib

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import landscapes
import lll_i18n as i18n
from charts.background import hatch, not_finite_anywhere, picture

CROSS = (255, 45, 45)
# where Linux (Debian's fonts-noto-cjk, fonts-wqy-microhei), macOS and Windows keep one
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:/Windows/Fonts/msjh.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


def cjk_font(candidates=CJK_FONTS) -> str | None:
    """The first installed font of `candidates` that writes Chinese, or None."""
    return next((path for path in candidates if pathlib.Path(path).is_file()), None)


def font_for(size: int, candidates=CJK_FONTS):
    """(font, can_write_chinese): an installed CJK font when there is one (it also has the
    signs Pillow's own font lacks, such as − in "loss − f*"), else Pillow's own font, which
    has no Chinese glyphs."""
    path = cjk_font(candidates)
    if path:
        return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def wrapped(text: str, font, width: float) -> list[str]:
    """`text` ("; "-separated parts) in lines no wider than `width` pixels, broken between
    parts where it can and inside a part only when one part alone is wider."""
    lines: list[str] = []
    for part in [p for p in text.split("; ") if p]:
        joined = f"{lines[-1]}; {part}" if lines else part
        if lines and font.getlength(joined) <= width:
            lines[-1] = joined
            continue
        while font.getlength(part) > width and len(part) > 1:
            cut = max(1, int(len(part) * width / font.getlength(part)))
            lines.append(part[:cut])
            part = part[cut:]
        lines.append(part)
    return lines


def frame_steps(steps: int, count: int) -> list[int]:
    """`count` steps from 0 to `steps`, evenly spaced, the last one included."""
    count = max(1, min(count, steps + 1))
    return sorted({int(round(k)) for k in np.linspace(0, steps, count)})


def rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round values inside [lo, hi], about `count` of them, 1, 2 or 5 times a power of ten
    apart (what a person would write on an axis)."""
    raw = (hi - lo) / max(count, 1)
    if not raw > 0:
        return [lo]
    power = 10 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = np.ceil(lo / step - 1e-9) * step
    return [float(round(v, 12)) for v in np.arange(first, hi + step * 1e-9, step)]


def tick_text(value: float) -> str:
    return f"{value:g}" if value != 0 else "0"


def loss_heights(loss, f_min, floor: float) -> np.ndarray:
    """Loss as the curve draws it: log10 of its gap to the lowest known minimum (at least
    float32's `floor`), or a symmetric log of the loss itself when no minimum is known, as
    the player's curves do; NaN where the loss is not a number."""
    loss = np.asarray(loss, np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        if f_min is None:
            return np.sign(loss) * np.log10(1 + np.abs(loss))
        return np.log10(np.maximum(loss - f_min, floor))


class Frames:
    """Draws frame k of runs `xy` (n, steps + 1, 2) over `surface` in a picture `size`
    pixels wide, axes included. The counter says `step` (in English when no installed font
    can write it); runs that `escaped` get a ring where they left the picture, the others
    that left it a red cross. `loss` (n, steps + 1), when given, adds the loss curves under
    the legend; `rules` (one per run, "" for none) writes a typed rule under its run's label,
    wrapped to the picture's width."""

    def __init__(
        self,
        surface: landscapes.Surface,
        xy,
        diverged_at,
        labels,
        colors,
        size: int = 600,
        step: str = "step",
        escaped=None,
        lang: str = "en",
        loss=None,
        rules=None,
    ):
        (x0, x1), (y0, y1) = surface.domain
        hatched = i18n.text("legend.not_finite", lang) if not_finite_anywhere(surface) else None
        curve_key = "chart.loss_gap" if surface.f_min is not None else "chart.loss_symlog"
        curve_title = i18n.text(curve_key, lang)
        self.font, chinese = font_for(max(11, size // 40))
        self.step_word = step if chinese or not i18n.has_cjk(step) else "step"
        if hatched and i18n.has_cjk(hatched) and not chinese:  # no font for it: English
            hatched = i18n.text("legend.not_finite")
        if i18n.has_cjk(curve_title) and not chinese:
            curve_title = i18n.text(curve_key)
        if not chinese:  # Pillow's own font has no minus sign
            curve_title = curve_title.replace("−", "-")
        fs = self.font.size
        self.left, self.top = int(fs * 3.8), 6  # room for the y axis's values
        aspect = min(max((y1 - y0) / (x1 - x0), 0.45), 1.3)
        self.size = size - self.left - 12  # the file is `size` wide, axes included
        self.height = int(self.size * aspect)
        axis_zone = int(fs * 2.8)
        legend_top = self.top + self.height + axis_zone
        entries = [
            (label, wrapped(rule, self.font, size - 20 - 2 * fs))
            for label, rule in zip(labels, rules or [""] * len(labels), strict=True)
        ]
        legend = (sum(1 + len(lines) for _, lines in entries) + bool(hatched)) * (fs + 6) + 8
        self.curve = None
        curve_height = int(self.size * 0.3) if loss is not None else 0
        total = legend_top + legend + (curve_height + 2 * fs + 12 if loss is not None else 0)
        self.base = Image.new("RGB", (size, total), "white")
        self.base.paste(picture(surface, self.size, height=self.height), (self.left, self.top))
        scale = np.array([self.size / (x1 - x0), -self.height / (y1 - y0)])
        corner = np.array([self.left, self.top])
        self.px = (np.asarray(xy, np.float64) - [x0, y1]) * scale  # in the picture's own pixels
        self.diverged, self.colors = [int(d) for d in diverged_at], [rgb(c) for c in colors]
        self.escaped = [bool(e) for e in escaped] if escaped is not None else [False] * len(labels)
        draw = ImageDraw.Draw(self.base)
        for mx, my in (np.asarray(surface.minima).reshape(-1, 2) - [x0, y1]) * scale + corner:
            r = max(4, self.size // 100)
            draw.polygon(
                [(mx, my - r), (mx + r, my), (mx, my + r), (mx - r, my)],
                fill="white",
                outline="black",
            )
        self._axes(draw, surface)
        top = legend_top + 6
        for (label, lines), color in zip(entries, self.colors, strict=True):
            draw.rectangle((8, top, 8 + fs, top + fs), fill=color)
            draw.text((14 + fs, top - 1), str(label), fill="black", font=self.font)
            for line in lines:  # the run's typed rule, under its label
                top += fs + 6
                draw.text((14 + 2 * fs, top - 1), line, fill="#444444", font=self.font)
            top += fs + 6
        if hatched:  # the legend's last entry: what the hatch means
            self.base.paste(hatch((fs, fs), 3), (8, top))
            draw.text((14 + fs, top - 1), hatched, fill="black", font=self.font)
        if loss is not None:
            box = (self.left, legend_top + legend + fs + 6, self.left + self.size, total - fs - 6)
            self._curve_frame(draw, box, loss, surface, curve_title)

    def _axes(self, draw: ImageDraw.ImageDraw, surface: landscapes.Surface) -> None:
        """Ticks and their values on the left and under the picture, and the axes' names."""
        (x0, x1), (y0, y1) = surface.domain
        left, top, right, bottom = (
            self.left,
            self.top,
            self.left + self.size,
            self.top + self.height,
        )
        draw.rectangle((left - 1, top - 1, right, bottom), outline="black")
        fs = self.font.size
        for value in nice_ticks(x0, x1):
            x = left + (value - x0) / (x1 - x0) * self.size
            draw.line((x, bottom, x, bottom + 4), fill="black")
            draw.text((x, bottom + 5), tick_text(value), fill="black", font=self.font, anchor="mt")
        for value in nice_ticks(y0, y1):
            y = bottom - (value - y0) / (y1 - y0) * self.height
            draw.line((left - 5, y, left - 1, y), fill="black")
            draw.text((left - 7, y), tick_text(value), fill="black", font=self.font, anchor="rm")
        x_name, y_name = (str(a) for a in surface.axes)
        draw.text(
            ((left + right) / 2, bottom + fs + 9), x_name, fill="black", font=self.font, anchor="mt"
        )
        draw.text((4, top), y_name, fill="black", font=self.font, anchor="lt")

    def _curve_frame(self, draw, box, loss, surface: landscapes.Surface, title: str) -> None:
        """The loss curves' frame, title and range; the frames draw the lines step by step."""
        floor = max(landscapes.loss_resolution(surface), 1e-12) if surface.f_min is not None else 0
        heights = loss_heights(loss, surface.f_min, floor)
        finite = heights[np.isfinite(heights)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        pad = max(hi - lo, 1e-6) * 0.05
        lo, hi = lo - pad, hi + pad
        left, top, right, bottom = box
        steps = max(heights.shape[1] - 1, 1)
        xs = left + np.arange(heights.shape[1]) / steps * (right - left)
        ys = bottom - (heights - lo) / (hi - lo) * (bottom - top)
        self.curve = (box, xs, ys)
        draw.rectangle((left - 1, top - 1, right, bottom), outline="black")
        draw.text((left, top - 3), title, fill="black", font=self.font, anchor="lb")
        label = tick_text if surface.f_min is None else (lambda v: f"1e{v:.0f}")
        for value in (lo + pad, hi - pad):
            y = bottom - (value - lo) / (hi - lo) * (bottom - top)
            draw.text((left - 7, y), label(value), fill="black", font=self.font, anchor="rm")
        draw.text((left, bottom + 4), "0", fill="black", font=self.font, anchor="lt")
        draw.text((right, bottom + 4), str(steps), fill="black", font=self.font, anchor="rt")

    def frame(self, k: int) -> Image.Image:
        """The picture at step k."""
        image = self.base.copy()
        image.paste(*self._runs(k))
        draw = ImageDraw.Draw(image)
        if self.curve is not None:
            self._curves(draw, k)
        steps = self.px.shape[1] - 1
        draw.text(
            (self.left + 8, self.top + 6),
            f"{self.step_word} {k} / {steps}",
            fill="white",
            font=self.font,
            stroke_width=2,
            stroke_fill="black",
        )
        return image

    def _runs(self, k: int) -> tuple[Image.Image, tuple[int, int], Image.Image]:
        """The runs at step k on a transparent layer the size of the picture, where they are
        cut off (the paste's arguments: layer, corner, mask)."""
        layer = Image.new("RGBA", (self.size, self.height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        width = max(2, self.size // 200)
        r = max(3, self.size // 110)
        for i, color in enumerate(self.colors):
            path = self.px[i, : k + 1]
            if len(path) > 1:
                draw.line([tuple(p) for p in path], fill=color, width=width, joint="curve")
            (sx, sy), (hx, hy) = path[0], path[-1]
            draw.ellipse((sx - r, sy - r, sx + r, sy + r), outline="white", width=2)
            draw.ellipse((hx - r, hy - r, hx + r, hy + r), fill=color, outline="white", width=2)
            if not 0 <= self.diverged[i] < k:
                continue
            cx, cy = min(max(hx, 0), self.size), min(max(hy, 0), self.height)
            if self.escaped[i]:  # escaped: a ring on the edge
                ring = (cx - 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r)
                draw.ellipse(ring, fill="white", outline=color, width=3)
            else:  # diverged: a red cross on the edge
                draw.line((cx - 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r), fill=CROSS, width=3)
                draw.line((cx - 2 * r, cy + 2 * r, cx + 2 * r, cy - 2 * r), fill=CROSS, width=3)
        return layer, (self.left, self.top), layer

    def _curves(self, draw: ImageDraw.ImageDraw, k: int) -> None:
        """Each run's loss up to step k, broken where it is not a number, and the cursor."""
        (left, top, right, bottom), xs, ys = self.curve
        for i, color in enumerate(self.colors):
            segment = []
            for x, y in zip(xs[: k + 1], ys[i, : k + 1], strict=True):
                if np.isfinite(y):
                    segment.append((x, min(max(y, top), bottom)))
                    continue
                if len(segment) > 1:
                    draw.line(segment, fill=color, width=2)
                segment = []
            if len(segment) > 1:
                draw.line(segment, fill=color, width=2)
        cursor = xs[min(k, len(xs) - 1)]
        for y in range(int(top), int(bottom), 8):
            draw.line((cursor, y, cursor, min(y + 4, bottom)), fill="gray")
