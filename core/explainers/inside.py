"""Pictures of what is inside a model (book section 5.4), numpy and Pillow only: a layer's
channels as one tiled image (Listing 5.31's grid), a Grad-CAM heatmap over its photo (Listing
5.44) and their colour maps. The numbers come from core.serving.explain."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from core.training.patterns import PATTERNS_JSON, PATTERNS_PNG

# colour maps as a few anchor colours, linearly interpolated: the book's viridis for feature maps,
# its jet for heatmaps (cv2.COLORMAP_JET: blue for cold, red for hot)
VIRIDIS = ((68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37))
JET = ((0, 0, 128), (0, 0, 255), (0, 255, 255), (255, 255, 0), (255, 0, 0), (128, 0, 0))


def _table(anchors, levels: int = 256) -> np.ndarray:
    """The colour map as `levels` RGB rows, interpolated linearly between its anchors."""
    anchors = np.asarray(anchors, dtype=np.float32)
    position = np.linspace(0, len(anchors) - 1, levels)
    low = np.minimum(position.astype(int), len(anchors) - 2)
    part = (position - low)[:, None]
    return np.round(anchors[low] * (1 - part) + anchors[low + 1] * part).astype(np.uint8)


_TABLES: dict = {}
LEVELS = 255  # a channel grid's colour levels: its palette's last entry is the white between channels


def _lookup(anchors) -> np.ndarray:
    """The colour map's 256 RGB rows, made once."""
    if anchors not in _TABLES:
        _TABLES[anchors] = _table(anchors)
    return _TABLES[anchors]


def colour(values: np.ndarray, anchors=VIRIDIS) -> np.ndarray:
    """Values in 0-1 -> uint8 RGB through the colour map (256 levels)."""
    return _lookup(anchors)[np.round(np.clip(values, 0.0, 1.0) * 255).astype(np.uint8)]


def diverging(values: np.ndarray, scale, side: int = 256) -> np.ndarray:
    """A signed H x W array as an RGB picture through a colour scale centred on zero (plotly's
    form, [[stop, "#rrggbb"], ...], as a heatmap with zmid=0 draws it), each cell a block of
    pixels about `side` px across in all: no blur when a browser enlarges it."""
    values = np.nan_to_num(np.asarray(values, dtype=float))
    where = (values / (np.abs(values).max() or 1.0) + 1) / 2
    stops = [stop for stop, _ in scale]
    colours = np.array([[int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)] for _, hex_colour in scale], dtype=float)
    rgb = np.stack([np.interp(where, stops, colours[:, i]) for i in range(3)], axis=-1)
    zoom = max(1, side // max(values.shape))
    return np.repeat(np.repeat(rgb, zoom, axis=0), zoom, axis=1).round().astype(np.uint8)


def channel_images(activation: np.ndarray) -> np.ndarray:
    """Listing 5.31's post-processing of each channel (H x W x C): centred, scaled by its
    standard deviation, x64 + 128, clipped to 0-255; then to 0-1. A blank channel (the filter's
    pattern is absent here) stays uniformly dark."""
    a = activation.astype(np.float32)
    spread = a.std(axis=(0, 1))
    scaled = (a - a.mean(axis=(0, 1))) / np.where(spread > 0, spread, 1) * 64 + 128
    return np.where(spread > 0, np.clip(scaled, 0, 255) / 255, 0).astype(np.float32)


def channel_grid(activation: np.ndarray, columns: int = 16, limit: int | None = None, gap: int = 1,
                 widest: int | None = None) -> Image.Image:
    """A layer's activation (H x W x C) as one image: its first `limit` channels in a grid,
    `columns` a row, separated by white lines `gap` pixels wide. Channels too big for the grid to
    fit in `widest` pixels are shrunk by an integer factor (the mean of each block of cells): a
    page shows the grid no wider anyway. A palette image, one byte a pixel (the colour map's 255
    levels, white the 256th): its PNG is a third of an RGB one's and five times as fast to make."""
    height, width, count = activation.shape
    count = min(count, limit or count)
    rows, cols = -(-count // columns), min(columns, count)
    step = 1
    while widest and cols * (width // step + gap) - gap > widest and min(height, width) // (step + 1) > 0:
        step += 1
    pictures = channel_images(activation[..., :count])
    if step > 1:
        height, width = height // step, width // step
        pictures = pictures[:height * step, :width * step].reshape(height, step, width, step, count).mean(axis=(1, 3))
    tiles = np.full((rows * cols, height + gap, width + gap), LEVELS, dtype=np.uint8)
    tiles[:count, :height, :width] = np.moveaxis(np.round(pictures * (LEVELS - 1)).astype(np.uint8), -1, 0)
    sheet = tiles.reshape(rows, cols, height + gap, width + gap).transpose(0, 2, 1, 3)
    sheet = sheet.reshape(rows * (height + gap), cols * (width + gap))[:-gap or None, :-gap or None]
    grid = Image.fromarray(np.ascontiguousarray(sheet), "P")
    grid.putpalette(np.vstack([_table(VIRIDIS, LEVELS), [[255, 255, 255]]]).astype(np.uint8).tobytes())
    return grid


def png(image: Image.Image) -> bytes:
    """The image as PNG, compressed lightly: on a page it is sent once and read once, at once."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def channel_view(channel: np.ndarray, size: int = 320) -> Image.Image:
    """One channel enlarged (nearest neighbour: its cells stay visible)."""
    image = Image.fromarray(colour(channel_images(channel[..., None])[..., 0]))
    scale = max(1, size // max(channel.shape))
    return image.resize((channel.shape[1] * scale, channel.shape[0] * scale), Image.Resampling.NEAREST)


def overlay(image: Image.Image, heatmap: np.ndarray, opacity: float = 0.4) -> Image.Image:
    """Listing 5.44: the heatmap, stretched to the photo's size and coloured by jet, laid over
    the photo with the given opacity (the book's 0.4). In 8 bits through Pillow: a page makes
    several at once."""
    photo = image.convert("RGB")
    hot = Image.fromarray((np.clip(heatmap, 0, 1) * 255).astype(np.uint8)).resize(photo.size, Image.Resampling.BILINEAR)
    hot.putpalette(_lookup(JET).tobytes())  # level v is colour(v / 255)
    return Image.blend(photo, hot.convert("RGB"), opacity)


def peak(heatmap: np.ndarray) -> tuple[float, float]:
    """Where the heatmap is hottest, as fractions (row, column) of its height and width, from
    the centre of the hottest cell."""
    row, col = np.unravel_index(int(np.argmax(heatmap)), heatmap.shape)
    return (row + 0.5) / heatmap.shape[0], (col + 0.5) / heatmap.shape[1]


@dataclass(frozen=True)
class PatternRow:
    name: str  # the layer
    filters: tuple[int, ...]  # which of its filters, left to right
    image: Image.Image  # their patterns side by side


@dataclass(frozen=True)
class Patterns:
    """A run's filter patterns (Listings 5.32-5.38): one row of tiles per chosen layer in
    patterns.png, indexed by patterns.json, which also records how they were made."""

    seed: int
    steps: int
    step_size: float
    tile: int
    layers: tuple[PatternRow, ...]


def read_patterns(run_dir: Path) -> Patterns | None:
    """The run's filter patterns, or None when it has none (or they are damaged)."""
    try:
        index = json.loads((run_dir / PATTERNS_JSON).read_text())
        with Image.open(run_dir / PATTERNS_PNG) as png:
            sheet = png.convert("RGB")
        tile, gap = index["tile"], index["gap"]
        rows = []
        for r, layer in enumerate(index["layers"]):
            top = r * (tile + gap)
            box = (0, top, len(layer["filters"]) * (tile + gap) - gap, top + tile)
            rows.append(PatternRow(layer["name"], tuple(layer["filters"]), sheet.crop(box)))
        return Patterns(index["seed"], index["steps"], index["step_size"], tile, tuple(rows))
    except (OSError, ValueError, KeyError, TypeError):
        return None
