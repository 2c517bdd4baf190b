"""What this machine offers the serving path, for Home: no TensorFlow, and where the installed
onnxruntime has no GPU provider, no onnxruntime and no session either (its import took 0.03-0.08 s
of CPU on a fresh server's first page, the first page a class sees: python -m bench startup)."""
from __future__ import annotations

import importlib.util
import os
import platform
from pathlib import Path

from core import __version__, paths
from core.artifacts.rundir import list_runs

CPU = "CPUExecutionProvider"
GPU_LIBRARIES = ("*onnxruntime_providers_cuda*", "*onnxruntime_providers_tensorrt*")  # onnxruntime-gpu's capi/


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def gpu_provider_installed() -> bool:
    """Whether the installed onnxruntime ships a GPU provider's library, found without importing
    it. Without one (the `onnxruntime` wheel) CUDA is never listed and every session runs on the CPU."""
    spec = importlib.util.find_spec("onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        return False
    capi = Path(spec.submodule_search_locations[0]) / "capi"
    return any(any(capi.glob(pattern)) for pattern in GPU_LIBRARIES)


def session_provider() -> str | None:
    """The provider an opened session of a shipped model runs on (the smallest model's, shared
    with Predict's cache), or None when none opens. onnxruntime-gpu lists CUDA even where CUDA
    cannot load, and its sessions then run on the CPU: only an opened session tells."""
    from core.serving.inference import ModelUnavailable, predictor

    runs = sorted((run for run in list_runs(paths.TRAINED_DIR) if run.ok),
                  key=lambda run: (run.path / "model.onnx").stat().st_size)
    for run in runs:
        try:
            return predictor(run.path).provider
        except ModelUnavailable:
            continue
    return None


def describe() -> dict:
    """This machine for Home. `provider` is the one sessions use: certain (`known`) where no GPU
    provider is installed or listed, or where a model opened; else the first one onnxruntime
    would be asked for."""
    listed, used = [CPU], None
    if gpu_provider_installed():
        from core.serving.inference import providers

        listed = providers()
        used = session_provider() if listed[0] != CPU else None
    provider = used or listed[0]
    return {
        "version": __version__,
        "device": "GPU" if provider == "CUDAExecutionProvider" else "CPU",
        "provider": provider,
        "known": used is not None or provider == CPU,
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
    }
