"""What this machine offers the serving path (no TensorFlow: the home page must paint fast)."""
from __future__ import annotations

import os
import platform

import onnxruntime as ort

from core import __version__, paths
from core.artifacts.rundir import list_runs
from core.serving.inference import ModelUnavailable, predictor, providers


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def session_provider() -> str | None:
    """The provider an opened session of a shipped model runs on (the smallest model's, shared
    with Predict's cache), or None when none opens. onnxruntime-gpu lists CUDA even where CUDA
    cannot load, and its sessions then run on the CPU: only an opened session tells."""
    runs = sorted((run for run in list_runs(paths.TRAINED_DIR) if run.ok),
                  key=lambda run: (run.path / "model.onnx").stat().st_size)
    for run in runs:
        try:
            return predictor(run.path).provider
        except ModelUnavailable:
            continue
    return None


def describe() -> dict:
    """This machine for Home. `provider` is the one sessions use: certain (`known`) where
    onnxruntime lists no provider but the CPU, or where a model opened; else the first one
    onnxruntime would be asked for. Only a listed GPU provider needs a session to tell."""
    listed = providers()
    used = session_provider() if listed[0] != "CPUExecutionProvider" else None
    provider = used or listed[0]
    return {
        "version": __version__,
        "device": "GPU" if provider == "CUDAExecutionProvider" else "CPU",
        "provider": provider,
        "known": used is not None or listed == ["CPUExecutionProvider"],
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "onnxruntime": ort.__version__,
    }
