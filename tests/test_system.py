"""Home's "GPU" is the provider an opened onnxruntime session uses, not what onnxruntime lists:
onnxruntime-gpu lists CUDA on a machine where CUDA cannot load, and its sessions run on the CPU.
Where no GPU provider is installed at all, Home says "CPU" without importing onnxruntime."""
import subprocess
import sys
from importlib.machinery import ModuleSpec

import onnxruntime as ort
import pytest

from core import paths
from core.serving import inference, system
from tests.conftest import REPO


@pytest.fixture
def gpu_build(monkeypatch):
    """onnxruntime-gpu as installed: its CUDA provider's library there, CUDA listed (this machine's own
    onnxruntime has neither)."""
    monkeypatch.setattr(system, "gpu_provider_installed", lambda: True)
    monkeypatch.setattr(ort, "get_available_providers", lambda: ["CUDAExecutionProvider", "CPUExecutionProvider"])
    monkeypatch.setattr(inference, "_cache", {})  # every session opened anew, with the providers above


def test_a_listed_cuda_provider_that_sessions_do_not_use_is_not_a_gpu(gpu_build):
    assert inference.providers()[0] == "CUDAExecutionProvider"  # what a listing-based check saw
    machine = system.describe()  # this onnxruntime has no CUDA: the opened session runs on the CPU
    assert (machine["device"], machine["provider"], machine["known"]) == ("CPU", "CPUExecutionProvider", True)


def test_the_opened_session_decides_the_device(monkeypatch, gpu_build):
    monkeypatch.setattr(inference, "predictor", lambda path: type("P", (), {"provider": "CUDAExecutionProvider"})())
    assert system.describe()["device"] == "GPU"


def test_without_a_model_a_listed_gpu_provider_is_marked_untried(monkeypatch, tmp_path, gpu_build):
    monkeypatch.setattr(paths, "TRAINED_DIR", tmp_path)
    machine = system.describe()
    assert (machine["provider"], machine["known"]) == ("CUDAExecutionProvider", False)


@pytest.mark.parametrize("library", [None, "libonnxruntime_providers_cuda.so", "onnxruntime_providers_cuda.dll",
                                     "libonnxruntime_providers_tensorrt.so"])
def test_a_gpu_provider_is_installed_where_its_library_is(monkeypatch, tmp_path, library):
    (tmp_path / "capi").mkdir()
    (tmp_path / "capi" / "libonnxruntime_providers_shared.so").touch()  # in every wheel
    if library:
        (tmp_path / "capi" / library).touch()
    spec = ModuleSpec("onnxruntime", None, is_package=True)
    spec.submodule_search_locations = [str(tmp_path)]
    monkeypatch.setattr(system.importlib.util, "find_spec", lambda name: spec)
    assert system.gpu_provider_installed() is (library is not None)


CPU_WHEEL = pytest.mark.skipif(system.gpu_provider_installed(), reason="onnxruntime-gpu is installed here "
                               "(requirements-gpu.txt): Home opens a session to tell the provider")


@CPU_WHEEL
def test_this_machines_onnxruntime_has_no_gpu_provider():
    """The CPU wheel (requirements.txt) ships no GPU provider's library, so the test below holds here."""
    assert not system.gpu_provider_installed() and ort.get_available_providers()[-1] == "CPUExecutionProvider"
    assert "CUDAExecutionProvider" not in ort.get_available_providers()


@CPU_WHEEL
@pytest.mark.slow  # a fresh interpreter
def test_without_a_gpu_provider_home_says_cpu_without_importing_onnxruntime_or_numpy():
    code = ("import sys\nfrom core.serving import system\nmachine = system.describe()\n"
            "print(machine['device'], machine['known'], 'onnxruntime' in sys.modules, 'numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["CPU", "True", "False", "False"], done.stderr[-2000:]
