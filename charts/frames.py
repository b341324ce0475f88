"""Frames of a scene's animation drawn with Pillow, for GIF export and the CLI.

The background (loss colours, isolines, minima, legend) is drawn once; a frame copies it
and adds the trails up to its step, the heads, start rings, red crosses for diverged runs
and the step counter. No plotting library redraws the whole picture per frame.
"""

from __future__ import annotations

import pathlib

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import i18n
import landscapes
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


def font_for(texts, size: int, candidates=CJK_FONTS):
    """(font, can_write_chinese): a CJK font when some text needs one and one is installed,
    else Pillow's own font (which has no Chinese glyphs)."""
    if any(i18n.has_cjk(str(t)) for t in texts):
        for path in candidates:
            if pathlib.Path(path).is_file():
                return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def frame_steps(steps: int, count: int) -> list[int]:
    """`count` steps from 0 to `steps`, evenly spaced, the last one included."""
    count = max(1, min(count, steps + 1))
    return sorted({int(round(k)) for k in np.linspace(0, steps, count)})


def rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


class Frames:
    """Draws frame k of runs `xy` (n, steps + 1, 2) over `surface`, `size` pixels wide; the
    counter says `step` (in English when no installed font can write it); runs that `escaped`
    get a ring where they left the picture, the others that left it a red cross."""

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
    ):
        (x0, x1), (y0, y1) = surface.domain
        aspect = min(max((y1 - y0) / (x1 - x0), 0.45), 1.3)
        self.size, self.height = size, int(size * aspect)
        hatched = i18n.text("legend.not_finite", lang) if not_finite_anywhere(surface) else None
        entries = [*labels, *([hatched] if hatched else [])]
        self.font, chinese = font_for([*entries, step], max(11, size // 40))
        self.step_word = step if chinese or not i18n.has_cjk(step) else "step"
        if hatched and i18n.has_cjk(hatched) and not chinese:  # no font for it: English
            hatched = i18n.text("legend.not_finite")
        legend = len(entries) * (self.font.size + 6) + 8
        self.base = Image.new("RGB", (size, self.height + legend), "white")
        self.base.paste(picture(surface, size, height=self.height), (0, 0))
        scale = np.array([size / (x1 - x0), -self.height / (y1 - y0)])
        self.px = (np.asarray(xy, np.float64) - [x0, y1]) * scale
        self.diverged, self.colors = [int(d) for d in diverged_at], [rgb(c) for c in colors]
        self.escaped = [bool(e) for e in escaped] if escaped is not None else [False] * len(labels)
        draw = ImageDraw.Draw(self.base)
        for mx, my in (np.asarray(surface.minima).reshape(-1, 2) - [x0, y1]) * scale:
            r = max(4, size // 100)
            draw.polygon(
                [(mx, my - r), (mx + r, my), (mx, my + r), (mx - r, my)],
                fill="white",
                outline="black",
            )
        for i, (label, color) in enumerate(zip(labels, self.colors, strict=True)):
            top = self.height + 6 + i * (self.font.size + 6)
            draw.rectangle((8, top, 8 + self.font.size, top + self.font.size), fill=color)
            draw.text((14 + self.font.size, top - 1), str(label), fill="black", font=self.font)
        if hatched:  # the legend's last entry: what the hatch means
            top = self.height + 6 + len(labels) * (self.font.size + 6)
            swatch = hatch((self.font.size, self.font.size), 3)
            self.base.paste(swatch, (8, top))
            draw.text((14 + self.font.size, top - 1), hatched, fill="black", font=self.font)

    def frame(self, k: int) -> Image.Image:
        """The picture at step k."""
        image = self.base.copy()
        draw = ImageDraw.Draw(image)
        width = max(2, self.size // 200)
        r = max(3, self.size // 110)
        for i, color in enumerate(self.colors):
            path = self.px[i, : k + 1]
            if len(path) > 1:
                draw.line([tuple(p) for p in path], fill=color, width=width, joint="curve")
            (sx, sy), (hx, hy) = path[0], path[-1]
            draw.ellipse((sx - r, sy - r, sx + r, sy + r), outline="white", width=2)
            draw.ellipse((hx - r, hy - r, hx + r, hy + r), fill=color, outline="white", width=2)
            if 0 <= self.diverged[i] < k and self.escaped[i]:  # escaped: a ring on the edge
                cx, cy = min(max(hx, 0), self.size), min(max(hy, 0), self.height)
                ring = (cx - 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r)
                draw.ellipse(ring, fill="white", outline=color, width=3)
            elif 0 <= self.diverged[i] < k:
                cx, cy = min(max(hx, 0), self.size), min(max(hy, 0), self.height)
                draw.line((cx - 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r), fill=CROSS, width=3)
                draw.line((cx - 2 * r, cy + 2 * r, cx + 2 * r, cy - 2 * r), fill=CROSS, width=3)
        steps = self.px.shape[1] - 1
        draw.text(
            (8, 6),
            f"{self.step_word} {k} / {steps}",
            fill="white",
            font=self.font,
            stroke_width=2,
            stroke_fill="black",
        )
        return image
