"""The performance suite (bench/) in --quick smoke mode: every benchmark runs and writes a
well-formed results file. Timings are not checked here: `python -m bench` is a command."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import bench
from bench.__main__ import main


@pytest.mark.slow  # each trains, exports, serves real models or drives chromium in a fresh interpreter (1 s-5 min)
@pytest.mark.parametrize("name", bench.BENCHMARKS)
def test_quick_run_writes_a_well_formed_result(name, tmp_path):
    """In a fresh interpreter, as `python -m bench` runs them (and away from this test
    session's own browser, which Playwright's sync API cannot share)."""
    reason = importlib.import_module(f"bench.{name}").missing()
    if reason:
        pytest.skip(f"{name}: {reason}")
    done = subprocess.run([sys.executable, "-m", "bench", name, "--quick", "--results", str(tmp_path)],
                          capture_output=True, text=True, timeout=900)  # the browser benches take minutes under load
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((tmp_path / f"{name}.smoke.json").read_text())
    bench.validate(result)
    assert result["name"] == name and result["quick"] is True
    assert result["tables"] and all(t["rows"] for t in result["tables"])
    assert result["machine"]["cores"] and result["machine"]["versions"]["onnxruntime"]
    assert f"## {name}:" in done.stdout  # the tables printed
    assert not (tmp_path / f"{name}.json").exists()  # a smoke run never stands in for real numbers


def test_readme_is_generated_from_full_results_only(tmp_path):
    machine = {"cpu": "test cpu", "cores": 2, "versions": {"numpy": "1"}}
    full = {"name": "serving", "title": "T", "quick": False, "date": "d", "seconds": 1.0, "machine": machine,
            "tables": [bench.table("tab", ["a", "b"], [[1, 2.5]])],
            "targets": [bench.target("speed", "≥ 3×", "4×", True), bench.target("gpu", "≤ 10 min", "not run", None)],
            "notes": ["a note"], "data": {}}
    (tmp_path / "serving.json").write_text(json.dumps(full))
    (tmp_path / "startup.smoke.json").write_text(json.dumps({**full, "name": "startup", "quick": True}))
    text = bench.write_readme(tmp_path, tmp_path / "README.md").read_text()
    assert "| serving | speed | ≥ 3× | 4× | ✅ met |" in text and "– not run" in text
    assert "## startup" not in text and "test cpu" in text and "a note" in text


def test_a_floor_page_shows_as_many_elements_of_each_kind_as_counted(tmp_path):
    """bench startup's floor app: every kind it knows, written out and run by Streamlit itself."""
    from streamlit.testing.v1 import AppTest

    from bench import startup

    counts = {kind: 2 for kind in startup.KINDS}
    startup._floor_app(tmp_path, {"start": {"stPageLink": 1}, "busy": counts}, "start")
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60).run()  # the router, "start" its default
    assert not at.exception and [t.value for t in at.title] == ["start"]
    at.switch_page("busy.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["busy"]
    for element in ("metric", "slider", "selectbox", "multiselect", "checkbox", "number_input", "button", "code",
                    "info", "caption", "expander"):
        assert len(at.get(element)) == 2, element
    assert len(at.tabs) == 4  # two tab bars of two tabs
    assert len(at.get("plotly_chart")) == len(at.dataframe) == len(at.get("image")) == 2


def test_malformed_results_are_refused():
    with pytest.raises(ValueError, match="rows do not match"):
        bench.validate({"name": "x", "title": "x", "quick": True, "date": "d", "seconds": 0, "notes": [], "data": {},
                        "machine": {"cpu": "c", "cores": 1, "versions": {}}, "targets": [],
                        "tables": [bench.table("t", ["a", "b"], [[1]])]})


def test_unknown_benchmark_is_a_clear_error(capsys):
    assert main(["nonsense", "--quick"]) == 2
    assert "unknown benchmark nonsense" in capsys.readouterr().err


def test_gpu_script_is_valid_bash():
    assert subprocess.run(["bash", "-n", str(bench.HERE / "gpu.sh")]).returncode == 0


def test_gpu_timings_are_collected_from_the_gpu_scripts_runs_folder(tmp_path):
    from bench.training import collect
    from core.artifacts.files import atomic_write_json

    run = tmp_path / "runs" / "mnist"
    run.mkdir(parents=True)
    atomic_write_json(run / "history.json", {k: [0.9, 0.95] for k in ("accuracy", "val_accuracy", "loss", "val_loss")})
    (run / "log.jsonl").write_text(
        '{"event": "start", "time": 100.0, "backend": "jax", "device": "GPU", "precision": "mixed_bfloat16"}\n'
        '{"event": "epoch", "time": 102.5, "seconds": 2.5}\n{"event": "epoch", "time": 106.0, "seconds": 3.5}\n'
        '{"event": "done", "time": 107.0, "test_accuracy": 0.99, "seconds": 9.0, "exported": false}\n')
    result = json.loads(collect(tmp_path / "runs", tmp_path / "results", setup_s=60, train_s=None).read_text())
    bench.validate(result)
    mnist = result["data"]["recipes"]["mnist"]
    assert mnist["epoch_s"] == 3.0 and mnist["epochs"] == 2 and mnist["book_epochs"] == 5
    assert mnist["backend"] == "jax" and mnist["test_accuracy"] == 0.99 and mnist["history"]["val_accuracy"] == [0.9, 0.95]
    assert result["data"]["total_s"] == 69.0
    assert result["targets"][0]["met"] is False  # one recipe of six, two epochs of five: not the full schedule


@pytest.mark.slow  # exports a model
def test_a_stand_in_model_is_exported_where_no_model_is_here(tmp_path, monkeypatch):
    """A fresh clone before any training: the serving benchmarks measure a random-weight export."""
    from bench import _models

    monkeypatch.setattr(_models, "present", lambda: [])
    assert main(["concurrency", "--quick", "--results", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "concurrency.smoke.json").read_text())
    assert result["data"]["scratch"]["source"] == "stand-in (random weights)"
