"""Serving: any image in, probabilities out, through onnxruntime (no TensorFlow here).

What the outputs mean comes from the model file itself: the labels, their display names, the
data set and the output's kind are in model.onnx's metadata (written at export, see
core.training.export), so a model is served only with them.

`prepare_image` is the one preprocessing function: training (core.data.folders) calls it too, so the
resize a model saw while learning is the resize it gets at prediction time. Scaling and
normalisation live inside the ONNX graph, which takes raw 0-255 pixels (the ONNX contract).
"""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

from core.artifacts.rundir import read_run
from core.data.images import prepare_image
from core.reasons import Code, Reason


class ModelUnavailable(RuntimeError):
    """A model dir that cannot be served; the message, a core.reasons.Reason, says why."""


def _unavailable(name: str, reason: Reason) -> ModelUnavailable:
    """The model's name before the reason in the English (the CLI's), the code and its params kept."""
    return ModelUnavailable(Reason(reason.code, f"{name}: {reason}", **reason.params))


def providers() -> list[str]:
    """CUDA where onnxruntime has it, then the CPU provider."""
    available = ort.get_available_providers()
    chosen = [p for p in ("CUDAExecutionProvider",) if p in available]
    return chosen + ["CPUExecutionProvider"]


@dataclass
class Prediction:
    probabilities: np.ndarray  # one per label
    labels: tuple[str, ...]  # the data set's class names
    latency_ms: float

    @property
    def label(self) -> str:
        return self.labels[int(np.argmax(self.probabilities))]

    @property
    def confidence(self) -> float:
        return float(np.max(self.probabilities))

    def top(self, k: int) -> list[int]:
        """The k most probable labels' indices, most probable first."""
        return [int(i) for i in np.argsort(-self.probabilities, kind="stable")[:k]]


class Predictor:
    """One onnxruntime session for one model dir; safe to share across threads.

    `verified=False` serves a dir before its card exists: the trainer measuring the model it
    has just exported. Everything else serves only verified, finished runs."""

    def __init__(self, model_dir: str | Path, verified: bool = True):
        model_dir = Path(model_dir)
        self.name = model_dir.name
        self.card = None
        if verified:
            info = read_run(model_dir)
            if not info.ok:
                raise _unavailable(self.name, info.problem)
            self.card = info.card
        try:
            self.session = ort.InferenceSession(str(model_dir / "model.onnx"), providers=providers())
        except Exception as error:  # onnxruntime raises its own exception types
            cannot = Reason(Code.ONNX_UNLOADABLE, f"model.onnx cannot be loaded ({error})")
            raise _unavailable(self.name, cannot) from error
        model_input = self.session.get_inputs()[0]
        self.input_name = model_input.name
        _, height, width, channels = model_input.shape
        self.size = (int(height), int(width))
        self.grey = channels == 1
        metadata = self.session.get_modelmeta().custom_metadata_map
        if "labels" not in metadata:
            command = f"python -m core label {model_dir}"
            raise _unavailable(self.name, Reason(Code.ONNX_UNLABELLED, "model.onnx has no labels in its metadata: "
                                                 f"label it with `{command}`", command=command))
        self.labels: tuple[str, ...] = tuple(json.loads(metadata["labels"]))  # class names, label i first
        self.display_names: dict[str, tuple[str, ...]] = {  # language -> one name per label
            language: tuple(names) for language, names in json.loads(metadata["display_names"]).items()}
        self.dataset: str = metadata["dataset"]
        self.output: str = metadata["output"]  # "sigmoid" (the probability of labels[1]) or "softmax"
        self.provider = self.session.get_providers()[0]

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Raw NHWC 0-255 float32 batch -> per-label probabilities (N x labels)."""
        out = self.session.run(None, {self.input_name: np.ascontiguousarray(batch, dtype=np.float32)})[0]
        if self.output == "sigmoid":  # the second label's probability -> both labels'
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


def warm(model_dirs, after_s: float = 0.0) -> threading.Thread | None:
    """Open the sessions of these model dirs in a background thread (about 0.1 s of CPU each),
    `after_s` seconds from now, so a page paints first and the first verdict still finds its
    session open; a dir that cannot be served is left for the caller's predictor() to explain. None
    when all are open already. A verdict asked for sooner opens its session itself (predictor())."""
    keys = [str(Path(model_dir).resolve()) for model_dir in model_dirs]
    with _lock:
        pending = [key for key in keys if key not in _cache or _cache[key][0] != _identity(key)]
    if not pending:
        return None

    def open_all() -> None:
        for key in pending:
            try:
                predictor(key)
            except ModelUnavailable:
                pass

    # not a daemon: the interpreter waits for it at exit (well under a second) instead of killing
    # it inside onnxruntime's session constructor, which aborts the process ("terminate called")
    thread = threading.Timer(after_s, open_all)
    thread.name, thread.daemon = "open-sessions", False
    thread.start()
    return thread


def forget(model_dir: str | Path) -> None:
    """Drop a cached session (tests isolate themselves with it)."""
    with _lock:
        _cache.pop(str(Path(model_dir).resolve()), None)
