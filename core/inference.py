"""Serving: any image in, probabilities out, through onnxruntime (no TensorFlow here).

`prepare_image` is the one preprocessing function: training (core.data) calls it too, so the
resize a model saw while learning is the resize it gets at prediction time. Scaling and
normalisation live inside the ONNX graph, which takes raw 0-255 pixels (the ONNX contract).
"""
from __future__ import annotations

import io
import os
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps, UnidentifiedImageError

from core.artifacts import read_run

MAX_PIXELS = 40_000_000  # larger images are refused before decoding (decompression bombs)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
MNIST_LABELS = tuple(str(d) for d in range(10))
CAT_DOG_LABELS = ("cat", "dog")


class BadImage(ValueError):
    """An upload we cannot use; `code` keys a translated message in the pages."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class ModelUnavailable(RuntimeError):
    """A model dir that cannot be served; the message says why."""


def open_image(source) -> Image.Image:
    """Decode bytes, a path or a file object; honour EXIF orientation; first frame only."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, Path)):
        data = Path(source).read_bytes()
    else:
        data = source.read()
    if not data:
        raise BadImage("empty", "the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise BadImage("too_large", f"{image.width}x{image.height} pixels")
            image.seek(0)
            image.load()
            image = ImageOps.exif_transpose(image)
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BadImage("too_large", str(error)) from error
    except UnidentifiedImageError as error:
        raise BadImage("not_image", "not an image format Pillow can read") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:  # truncated or broken data
        raise BadImage("broken", str(error)) from error
    return image


def to_mode(image: Image.Image, grey: bool) -> Image.Image:
    """Any Pillow mode -> RGB (or L): transparency on white, 16-bit scaled to 8-bit."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        peak = 65535.0 if image.mode.startswith("I;16") or array.max() > 255 else 255.0
        image = Image.fromarray(np.clip(array * 255.0 / peak, 0, 255).astype(np.uint8), "L")
    elif image.mode == "F":  # float TIFFs may hold NaN or infinities
        array = np.nan_to_num(np.asarray(image, dtype=np.float64), nan=0.0, posinf=255.0, neginf=0.0)
        image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), "L")
    elif image.mode in ("LAB", "HSV"):  # Pillow has no direct route from these to L
        image = image.convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L" if grey else "RGB")


def prepare_image(image: Image.Image, size: tuple[int, int], grey: bool = False) -> np.ndarray:
    """The shared preprocessing: mode, then a bilinear resize to (height, width), aspect not
    kept (as the book's flow_from_directory does). Returns float32 HxWxC raw 0-255 pixels."""
    height, width = size
    image = to_mode(image, grey)
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.BILINEAR)
    array = np.asarray(image, dtype=np.float32)
    return array[..., None] if grey else array


def providers() -> list[str]:
    """CUDA where onnxruntime has it, then the CPU provider."""
    available = ort.get_available_providers()
    chosen = [p for p in ("CUDAExecutionProvider",) if p in available]
    return chosen + ["CPUExecutionProvider"]


@dataclass
class Prediction:
    probabilities: np.ndarray  # one per label
    labels: tuple[str, ...]
    latency_ms: float

    @property
    def label(self) -> str:
        return self.labels[int(np.argmax(self.probabilities))]

    @property
    def confidence(self) -> float:
        return float(np.max(self.probabilities))


class Predictor:
    """One onnxruntime session for one model dir; safe to share across threads."""

    def __init__(self, model_dir: str | Path):
        info = read_run(model_dir)
        if not info.ok:
            raise ModelUnavailable(f"{Path(model_dir).name}: {info.problem}")
        self.card = info.card
        self.name = info.name
        try:
            self.session = ort.InferenceSession(str(info.path / "model.onnx"), providers=providers())
        except Exception as error:  # onnxruntime raises its own exception types
            raise ModelUnavailable(f"{info.name}: model.onnx cannot be loaded ({error})") from error
        model_input = self.session.get_inputs()[0]
        self.input_name = model_input.name
        _, height, width, channels = model_input.shape
        self.size = (int(height), int(width))
        self.grey = channels == 1
        self.labels = MNIST_LABELS if self.session.get_outputs()[0].shape[-1] == 10 else CAT_DOG_LABELS
        self.provider = self.session.get_providers()[0]

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Raw NHWC 0-255 float32 batch -> per-label probabilities (N x labels)."""
        out = self.session.run(None, {self.input_name: np.ascontiguousarray(batch, dtype=np.float32)})[0]
        if out.shape[-1] == 1:  # the dog probability (sigmoid) -> [cat, dog]
            out = np.concatenate([1.0 - out, out], axis=-1)
        return out

    def predict(self, image: Image.Image) -> Prediction:
        start = time.perf_counter()
        batch = prepare_image(image, self.size, self.grey)[None]
        probabilities = self.run(batch)[0]
        return Prediction(probabilities, self.labels, (time.perf_counter() - start) * 1000.0)


_cache: dict[str, tuple[tuple, Predictor]] = {}
_lock = threading.Lock()


def _identity(model_dir: str) -> tuple:
    """What changes when a model dir is replaced (promote, retrain): its files' sizes and times."""
    identity = []
    for name in ("model.onnx", "card.json"):
        try:
            stat = os.stat(os.path.join(model_dir, name))
            identity.append((stat.st_size, stat.st_mtime_ns))
        except OSError:
            identity.append(None)
    return tuple(identity)


def predictor(model_dir: str | Path) -> Predictor:
    """One cached Predictor per model dir, shared by every caller (and every app user); a dir
    whose model was replaced since is loaded anew."""
    key = str(Path(model_dir).resolve())
    identity = _identity(key)
    with _lock:
        if key not in _cache or _cache[key][0] != identity:
            _cache.pop(key, None)
            _cache[key] = (identity, Predictor(key))
        return _cache[key][1]


def forget(model_dir: str | Path) -> None:
    """Drop a cached session (tests isolate themselves with it)."""
    with _lock:
        _cache.pop(str(Path(model_dir).resolve()), None)
