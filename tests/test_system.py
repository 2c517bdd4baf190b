"""Home's "GPU" is the provider an opened onnxruntime session uses, not what onnxruntime lists:
onnxruntime-gpu lists CUDA on a machine where CUDA cannot load, and its sessions run on the CPU."""
import onnxruntime as ort
import pytest

from core import paths
from core.serving import inference, system


@pytest.fixture
def fresh_sessions(monkeypatch):
    monkeypatch.setattr(inference, "_cache", {})  # every session opened anew, with the providers below


def test_a_listed_cuda_provider_that_sessions_do_not_use_is_not_a_gpu(monkeypatch, fresh_sessions):
    monkeypatch.setattr(ort, "get_available_providers", lambda: ["CUDAExecutionProvider", "CPUExecutionProvider"])
    assert inference.providers()[0] == "CUDAExecutionProvider"  # what a listing-based check saw
    machine = system.describe()  # this onnxruntime has no CUDA: the opened session runs on the CPU
    assert (machine["device"], machine["provider"], machine["known"]) == ("CPU", "CPUExecutionProvider", True)


def test_the_opened_session_decides_the_device(monkeypatch, fresh_sessions):
    monkeypatch.setattr(ort, "get_available_providers", lambda: ["CUDAExecutionProvider", "CPUExecutionProvider"])
    monkeypatch.setattr(system, "predictor", lambda path: type("P", (), {"provider": "CUDAExecutionProvider"})())
    assert system.describe()["device"] == "GPU"


def test_without_a_model_a_listed_gpu_provider_is_marked_untried(monkeypatch, tmp_path, fresh_sessions):
    monkeypatch.setattr(ort, "get_available_providers", lambda: ["CUDAExecutionProvider", "CPUExecutionProvider"])
    monkeypatch.setattr(paths, "TRAINED_DIR", tmp_path)
    machine = system.describe()
    assert (machine["provider"], machine["known"]) == ("CUDAExecutionProvider", False)


def test_where_only_the_cpu_is_listed_no_session_is_opened_to_say_so(monkeypatch, fresh_sessions):
    """Home's first paint does not wait for a session (or the models' hashes) to say "CPU"."""
    monkeypatch.setattr(ort, "get_available_providers", lambda: ["AzureExecutionProvider", "CPUExecutionProvider"])
    monkeypatch.setattr(system, "session_provider", lambda: pytest.fail("a session was opened"))
    machine = system.describe()
    assert (machine["device"], machine["provider"], machine["known"]) == ("CPU", "CPUExecutionProvider", True)
