"""The static part of a landscape picture: a colour raster of log-scaled loss and isolines.

Rendered once per surface (and cached by the app), so reruns that only change
hyperparameters never recompute or resend it.
"""

from __future__ import annotations

import base64
import io

import contourpy
import numpy as np
from PIL import Image, ImageDraw

import landscapes

# Anchors of a perceptually uniform dark-blue → green → yellow map (viridis-like), sRGB.
_ANCHORS = np.array(
    [
        [68, 1, 84],
        [72, 40, 120],
        [62, 74, 137],
        [49, 104, 142],
        [38, 130, 142],
        [31, 158, 137],
        [53, 183, 121],
        [110, 206, 88],
        [181, 222, 43],
        [253, 231, 37],
    ],
    dtype=np.float64,
)
COLORMAP = np.stack(
    [
        np.interp(np.linspace(0, 1, 256), np.linspace(0, 1, len(_ANCHORS)), _ANCHORS[:, c])
        for c in range(3)
    ],
    1,
).astype(np.uint8)


def log_field(z: np.ndarray) -> np.ndarray:
    """Loss mapped to [0, 1] on a log scale above its minimum; non-finite values to 1."""
    finite = np.isfinite(z)
    if not finite.any():
        return np.ones_like(z, dtype=np.float64)
    lo, hi = np.min(z[finite]), np.max(z[finite])
    span = max(hi - lo, 1e-12)
    scaled = np.log10(np.where(finite, z - lo, span) + span * 1e-4)
    a, b = np.log10(span * 1e-4), np.log10(span * (1 + 1e-4))
    return np.clip((scaled - a) / (b - a), 0, 1)


def raster(surface: landscapes.Surface, size: int = 480, grid: int = 240, levels: int = 14) -> str:
    """The loss field with its isolines baked in, as a WebP data URL (row 0 is the top).

    Baking the isolines into the image keeps the spec small and lets the browser redraw
    one image per frame instead of thousands of line segments.
    """
    return data_url(
        picture(surface, size, grid, levels), "WEBP", quality=82, method=4
    )  # a tenth of a PNG


def data_url(image: Image.Image, kind: str, **options) -> str:
    """`image` encoded as `kind` (PNG, WEBP…) in a data URL: a picture a spec carries inline."""
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return f"data:image/{kind.lower()};base64," + base64.b64encode(buffer.getvalue()).decode(
        "ascii"
    )


NOT_FINITE = ((90, 90, 90), (170, 170, 170))  # the hatch where the loss is not finite


def hatch(size: tuple[int, int], width: int = 6) -> Image.Image:
    """Diagonal stripes in NOT_FINITE's two greys: no colour of the loss map, so a region where
    the loss is not a number is never read as one."""
    columns, rows = np.meshgrid(np.arange(size[0]), np.arange(size[1]))
    stripes = ((columns + rows) // width) % 2
    return Image.fromarray(np.asarray(NOT_FINITE, np.uint8)[stripes], mode="RGB")


def not_finite_anywhere(surface: landscapes.Surface, grid: int = 240) -> bool:
    """Whether the picture of `surface` has a hatched region (its loss not finite there)."""
    return not np.isfinite(surface.grid(grid)[2]).all()


def picture(
    surface: landscapes.Surface,
    size: int = 480,
    grid: int = 240,
    levels: int = 14,
    height: int | None = None,
) -> Image.Image:
    """The loss field with its isolines as a size × height RGB image (height: square by
    default); where the loss is not finite, a hatch and no isolines."""
    height = height or size
    xs, ys, z = surface.grid(grid)
    finite = np.isfinite(z)
    field = log_field(z)
    colors = Image.fromarray(COLORMAP[(field * 255).astype(np.uint8)[::-1]], mode="RGB")
    scale = 2  # draw lines at twice the size, then downsample: cheap antialiasing
    canvas = colors.resize((size * scale, height * scale), Image.Resampling.BILINEAR)
    if not finite.all():
        holes = Image.fromarray(np.where(finite, 0, 255).astype(np.uint8)[::-1], mode="L")
        canvas.paste(
            hatch(canvas.size, 6 * scale), (0, 0), holes.resize(canvas.size, Image.NEAREST)
        )
    draw = ImageDraw.Draw(canvas, "RGBA")
    (x0, x1), (y0, y1) = surface.domain
    to_px = np.array([size * scale / (x1 - x0), -height * scale / (y1 - y0)])
    origin = np.array([x0, y1])
    generator = contourpy.contour_generator(
        xs, ys, np.ma.masked_array(field, ~finite), line_type=contourpy.LineType.Separate
    )
    for level in np.linspace(0, 1, levels + 2)[1:-1]:
        for line in generator.lines(level):
            points = ((line - origin) * to_px).ravel().tolist()
            draw.line(points, fill=(255, 255, 255, 110), width=scale)
    return canvas.resize((size, height), Image.Resampling.LANCZOS)


def mesh(surface: landscapes.Surface, n: int = 41) -> dict:
    """The surface as an n × n height grid for the player's 3-D view: heights are the picture's
    log scale in [0, 1] (rows go up in y), with `lo` and `span` so runs' losses map the same way."""
    xs, ys, z = surface.grid(n)
    finite = z[np.isfinite(z)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    (x0, x1), (y0, y1) = surface.domain
    heights = np.round(log_field(z), 3).ravel().tolist()
    return {
        "n": n,
        "x": [x0, x1],
        "y": [y0, y1],
        "h": heights,
        "lo": lo,
        "span": max(hi - lo, 1e-12),
    }
