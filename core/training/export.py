"""Keras -> ONNX through tf2onnx (Keras 3's `model.export(format="onnx")`), checked on the spot:
the exported graph must give the Keras model's outputs to 1e-4 on real inputs, or nothing is
written."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

PARITY_TOLERANCE = 1e-4


class ExportParityError(RuntimeError):
    """The ONNX graph disagrees with the Keras model beyond the tolerance."""


def onnx_outputs(path: Path, batch: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: batch.astype(np.float32)})[0]


def export_onnx(model, path: str | Path, sample: np.ndarray) -> float:
    """Write `model` as ONNX at `path` atomically; return the max |Keras - onnxruntime| on
    `sample` (raw 0-255 NHWC). Raises ExportParityError above PARITY_TOLERANCE."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sample = np.asarray(sample, dtype=np.float32)
    expected = np.asarray(model(sample, training=False))  # also builds the model before export
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".model.", suffix=".onnx")
    os.close(fd)
    try:
        model.export(tmp, format="onnx", verbose=False)
        diff = float(np.max(np.abs(onnx_outputs(Path(tmp), sample) - expected)))
        if not diff <= PARITY_TOLERANCE:
            raise ExportParityError(f"ONNX output differs from Keras by {diff:.2e} (> {PARITY_TOLERANCE:g})")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return diff
