"""Convolution, padding, stride and pooling as plain numpy (book figures 5.1-5.7).

The pages that explain the mechanics draw what these functions return: sizes, pad amounts,
window coordinates, products and sums. Everything follows TensorFlow's rules exactly
(cross-correlation, 'same' padding with the extra pixel at the bottom/right, pools that
ignore padding), so what a page shows is what a Keras layer computes. numpy only: no
TensorFlow, no Streamlit.

Sizes and strides of 2-D operations take an int or a (rows, cols) pair.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

PADDINGS = ("valid", "same")


def _pair(value) -> tuple[int, int]:
    """An int or a (rows, cols) pair as a pair, as Keras accepts kernel sizes and strides."""
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    rows, cols = value
    return int(rows), int(cols)


def _check(window: int, stride: int, padding: str) -> None:
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
    if window < 1 or stride < 1:
        raise ValueError(f"window and stride must be at least 1, got {window} and {stride}")


# --- one axis: sizes, padding, what a stride misses -------------------------------------


def output_size(n: int, window: int, stride: int = 1, padding: str = "valid") -> int:
    """Output rows (or columns), TF's rule: valid ⌊(n − window) / stride⌋ + 1, same ⌈n / stride⌉."""
    _check(window, stride, padding)
    if padding == "same":
        return -(-n // stride)
    if window > n:
        raise ValueError(f"a {window}-wide window does not fit in {n} with 'valid' padding")
    return (n - window) // stride + 1


def output_size_formula(n: int, window: int, stride: int = 1, padding: str = "valid") -> str:
    """The output-size formula with the numbers filled in, for display next to a figure."""
    out = output_size(n, window, stride, padding)
    if padding == "same":
        return f"⌈{n} / {stride}⌉ = {out}"
    return f"⌊({n} − {window}) / {stride}⌋ + 1 = {out}"


def same_padding(n: int, window: int, stride: int = 1) -> tuple[int, int]:
    """TF's 'same' padding (before, after): the least padding that gives ⌈n / stride⌉ outputs.

    An odd total puts the extra pixel after (bottom/right), unlike PyTorch's symmetric padding.
    """
    needed = (output_size(n, window, stride, "same") - 1) * stride + window
    total = max(needed - n, 0)
    return total // 2, total - total // 2


def padding_amounts(n: int, window: int, stride: int = 1,
                    padding: str = "valid") -> tuple[int, int]:
    """(before, after) padding along one axis: none for 'valid', TF's rule for 'same'."""
    _check(window, stride, padding)
    return same_padding(n, window, stride) if padding == "same" else (0, 0)


def dropped(n: int, window: int, stride: int = 1, padding: str = "valid") -> tuple[int, ...]:
    """Input indices no window ever covers: the floor's leftovers, and gaps when stride > window."""
    before, _ = padding_amounts(n, window, stride, padding)
    covered = np.zeros(n, dtype=bool)
    for i in range(output_size(n, window, stride, padding)):
        start = i * stride - before
        covered[max(start, 0) : max(start + window, 0)] = True
    return tuple(int(i) for i in np.flatnonzero(~covered))


# --- whole images --------------------------------------------------------------------------


def pad(image, window, stride=1, padding: str = "valid", value: float = 0.0):
    """The image as the op sees it, and ((top, bottom), (left, right)).

    Works on H x W and H x W x C arrays; channels are never padded.
    """
    image = np.asarray(image)
    (kh, kw), (sh, sw) = _pair(window), _pair(stride)
    amounts = (
        padding_amounts(image.shape[0], kh, sh, padding),
        padding_amounts(image.shape[1], kw, sw, padding),
    )
    widths = amounts + ((0, 0),) * (image.ndim - 2)
    return np.pad(image, widths, constant_values=value), amounts


def _patches(padded: np.ndarray, window, stride) -> np.ndarray:
    """Every window of an H x W x C array: (out_h, out_w, C, kh, kw), TF's window order."""
    (kh, kw), (sh, sw) = _pair(window), _pair(stride)
    return sliding_window_view(padded, (kh, kw), axis=(0, 1))[::sh, ::sw]


def conv2d(image, kernel, stride=1, padding: str = "valid") -> np.ndarray:
    """Convolution as Keras computes it: cross-correlation (the kernel is not flipped), no bias.

    An H x W image with a kh x kw kernel gives an H' x W' map. An H x W x Cin image with a
    kh x kw x Cin x Cout kernel (Keras' layout) gives H' x W' x Cout: each of the Cout
    filters looks at all Cin channels at once, which is how depth grows through a convnet.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim == 2 and kernel.ndim == 2:
        return conv2d(image[:, :, None], kernel[:, :, None, None], stride, padding)[:, :, 0]
    if image.ndim != 3 or kernel.ndim != 4 or kernel.shape[2] != image.shape[2]:
        raise ValueError(
            f"need an H x W image with a kh x kw kernel, or H x W x Cin with kh x kw x Cin x Cout;"
            f" got {image.shape} and {kernel.shape}"
        )
    padded, _ = pad(image, kernel.shape[:2], stride, padding)
    return np.einsum("hwcij,ijco->hwo", _patches(padded, kernel.shape[:2], stride), kernel)


def feature_map(image, kernel, stride=1, padding: str = "same") -> np.ndarray:
    """What Conv2D(activation="relu") computes (no bias): the ReLU keeps only where the
    kernel's pattern is present, which is what pooling then summarises."""
    return np.maximum(conv2d(image, kernel, stride, padding), 0.0)


def _pool(image, window, stride, padding, reduce) -> np.ndarray:
    """Pools pad with NaN and reduce with nan-aware numpy, so padding never counts (as in TF)."""
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 2:
        return _pool(image[:, :, None], window, stride, padding, reduce)[:, :, 0]
    stride = window if stride is None else stride
    padded, _ = pad(image, window, stride, padding, value=np.nan)
    return reduce(_patches(padded, window, stride), axis=(-2, -1))


def max_pool2d(image, window=2, stride=None, padding: str = "valid") -> np.ndarray:
    """Largest value in each window, per channel; stride defaults to the window, as in Keras."""
    return _pool(image, window, stride, padding, np.nanmax)


def average_pool2d(image, window=2, stride=None, padding: str = "valid") -> np.ndarray:
    """Mean of each window, per channel; with 'same' padding only real pixels are averaged (TF)."""
    return _pool(image, window, stride, padding, np.nanmean)


# --- stepping through windows --------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Where one output cell looks: rows top..top+height, cols left..left+width of the input.

    Coordinates are in the unpadded image, so they go negative (or past the edge) where the
    window overlaps padding; add the pad amounts for the padded image.
    """

    out_row: int
    out_col: int
    top: int
    left: int
    height: int
    width: int
    image_shape: tuple[int, int]
    pads: tuple[tuple[int, int], tuple[int, int]]

    @property
    def padded(self) -> tuple[slice, slice]:
        """Index of the window into the padded image."""
        top, left = self.top + self.pads[0][0], self.left + self.pads[1][0]
        return slice(top, top + self.height), slice(left, left + self.width)


def window_geometry(image_shape, window, stride=1, padding: str = "valid",
                    out_row: int = 0, out_col: int = 0) -> Window:
    """The input window behind output cell (out_row, out_col); geometry only, for any op."""
    rows, cols = image_shape[0], image_shape[1]
    (kh, kw), (sh, sw) = _pair(window), _pair(stride)
    out_h, out_w = output_size(rows, kh, sh, padding), output_size(cols, kw, sw, padding)
    if not (0 <= out_row < out_h and 0 <= out_col < out_w):
        raise IndexError(f"output cell ({out_row}, {out_col}) is outside the"
                         f" {out_h} x {out_w} output")
    pads = (padding_amounts(rows, kh, sh, padding), padding_amounts(cols, kw, sw, padding))
    return Window(out_row, out_col, out_row * sh - pads[0][0], out_col * sw - pads[1][0],
                  kh, kw, (rows, cols), pads)


@dataclass(frozen=True)
class ConvStep:
    """One step of a convolution: the patch under the kernel, the products, and their sum."""

    window: Window
    patch: np.ndarray  # kh x kw (x Cin), zeros where the window lies on padding
    products: np.ndarray  # patch * kernel, element-wise
    total: float  # the output cell's value


def window_at(image, kernel, stride=1, padding: str = "valid",
              out_row: int = 0, out_col: int = 0) -> ConvStep:
    """The arithmetic behind one output cell of conv2d, for a page that steps through windows.

    kernel is kh x kw for an H x W image, or kh x kw x Cin (one filter) for H x W x Cin.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim not in (2, 3) or kernel.shape[2:] != image.shape[2:]:
        raise ValueError(f"kernel {kernel.shape} does not match image {image.shape}")
    where = window_geometry(image.shape, kernel.shape[:2], stride, padding, out_row, out_col)
    padded, _ = pad(image, kernel.shape[:2], stride, padding)
    patch = padded[where.padded]
    products = patch * kernel
    return ConvStep(where, patch, products, float(products.sum()))


# --- stacks of layers ----------------------------------------------------------------------


def receptive_field_growth(layers) -> list[dict]:
    """Per layer of (kind, window, stride): the input span one output cell sees, and its jump.

    Each layer adds (window − 1) × jump input pixels, where jump is the product of the
    strides below it; that is why pooling between convolutions widens the view so fast.
    """
    size, jump, rows = 1, 1, []
    for kind, window, stride in layers:
        if kind not in ("conv", "pool"):
            raise ValueError(f"layer kind must be 'conv' or 'pool', got {kind!r}")
        size += (window - 1) * jump
        jump *= stride
        rows.append({"kind": kind, "window": window, "stride": stride, "size": size, "jump": jump})
    return rows


def receptive_field(layers) -> int:
    """Side of the input square one cell of the last layer sees (three 3x3 convs: 7)."""
    growth = receptive_field_growth(layers)
    return growth[-1]["size"] if growth else 1


# --- kernels and a sample input ------------------------------------------------------------


def _preset(rows, scale: float = 1.0) -> np.ndarray:
    kernel = np.asarray(rows, dtype=np.float64) * scale
    kernel.flags.writeable = False  # shared by every page: nobody edits them in place
    return kernel


_BINOMIAL_5 = np.array([1.0, 4.0, 6.0, 4.0, 1.0])

KERNEL_PRESETS: dict[str, np.ndarray] = {
    "identity": _preset([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "edge": _preset([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),  # Laplacian
    "sobel_x": _preset([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),  # bright to the right: positive
    "sobel_y": _preset([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),  # bright below: positive
    "blur": _preset(np.ones((3, 3)), 1 / 9),
    "gaussian": _preset([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
    "sharpen": _preset([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "emboss": _preset([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    "blur_5x5": _preset(np.ones((5, 5)), 1 / 25),
    "gaussian_5x5": _preset(np.outer(_BINOMIAL_5, _BINOMIAL_5), 1 / 256),
    "edge_5x5": _preset(np.where(np.arange(25).reshape(5, 5) == 12, 24, -1)),
}

# Strokes in a unit box (x right, y down), one polyline per stroke: legible, MNIST-like.
_DIGIT_STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "0": [[(0.5, 0), (0.18, 0.18), (0.1, 0.5), (0.18, 0.82), (0.5, 1), (0.82, 0.82),
           (0.9, 0.5), (0.82, 0.18), (0.5, 0)]],
    "1": [[(0.3, 0.2), (0.55, 0), (0.55, 1)]],
    "2": [[(0.15, 0.2), (0.4, 0), (0.75, 0.05), (0.85, 0.3), (0.1, 1), (0.9, 1)]],
    "3": [[(0.15, 0.05), (0.7, 0), (0.85, 0.2), (0.75, 0.42), (0.4, 0.5), (0.75, 0.58),
           (0.88, 0.78), (0.72, 0.97), (0.15, 1)]],
    "4": [[(0.65, 1), (0.65, 0), (0.1, 0.7), (0.9, 0.7)]],
    "5": [[(0.85, 0), (0.2, 0), (0.15, 0.45), (0.6, 0.4), (0.85, 0.6), (0.8, 0.9),
           (0.5, 1), (0.15, 0.92)]],
    "6": [[(0.75, 0), (0.35, 0.2), (0.15, 0.6), (0.25, 0.95), (0.6, 1), (0.85, 0.75),
           (0.7, 0.5), (0.35, 0.5), (0.17, 0.65)]],
    "7": [[(0.1, 0), (0.9, 0), (0.4, 1)]],
    "8": [[(0.5, 0.5), (0.2, 0.3), (0.3, 0.03), (0.7, 0.03), (0.8, 0.3), (0.5, 0.5),
           (0.15, 0.72), (0.3, 0.97), (0.7, 0.97), (0.85, 0.72), (0.5, 0.5)]],
    "9": [[(0.85, 0.3), (0.6, 0.5), (0.25, 0.45), (0.15, 0.2), (0.4, 0), (0.75, 0.05),
           (0.85, 0.3), (0.75, 1)]],
}


def sample_digit(digit=7, size: int = 28) -> np.ndarray:
    """A size x size uint8 digit (0 background, 255 ink) drawn from line segments.

    Gives the pages an input without any dataset on disk. Like MNIST, the digit fills a box
    of 20/28 of the image, centred, with anti-aliased strokes about 2.5 px wide at 28 x 28.
    """
    strokes = _DIGIT_STROKES[str(digit)]
    box = size * 20 / 28
    offset = (size - box) / 2
    half_width = size * 1.25 / 28
    centres = np.arange(size) + 0.5
    x, y = np.meshgrid(centres, centres)
    distance = np.full((size, size), np.inf)
    for stroke in strokes:
        points = np.asarray(stroke) * box + offset
        for (ax, ay), (bx, by) in zip(points[:-1], points[1:]):
            dx, dy = bx - ax, by - ay
            t = np.clip(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
            distance = np.minimum(distance, np.hypot(x - ax - t * dx, y - ay - t * dy))
    ink = np.clip(half_width + 0.5 - distance, 0.0, 1.0)
    return np.round(ink * 255).astype(np.uint8)
