"""What this machine offers the serving path (no TensorFlow: the home page must paint fast)."""
from __future__ import annotations

import os
import platform

import onnxruntime as ort

from core import __version__
from core.serving.inference import providers


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def describe() -> dict:
    chosen = providers()
    return {
        "version": __version__,
        "device": "GPU" if "CUDAExecutionProvider" in chosen else "CPU",
        "provider": chosen[0],
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "onnxruntime": ort.__version__,
    }
