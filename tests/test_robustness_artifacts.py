"""Broken run dirs: read_run says why, Predictor raises ModelUnavailable, the results table
still lists every other model. Each case breaks a copy of a tiny exported MNIST run."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from core.artifacts.files import sha256_file
from core.artifacts.rundir import list_runs, read_run
from core.artifacts.shipped import table_markdown
from core.serving import inference
from core.serving.inference import ModelUnavailable, Predictor, predictor


@pytest.fixture
def run(tiny_mnist_run, tmp_path) -> Path:
    copy = tmp_path / "mnist"
    shutil.copytree(tiny_mnist_run, copy)
    return copy


def rehash(run: Path) -> None:
    """Make the card's sha256 match model.onnx again (a damaged file with an honest card)."""
    card = json.loads((run / "card.json").read_text())
    card["sha256"] = sha256_file(run / "model.onnx")
    (run / "card.json").write_text(json.dumps(card))


def write_history_with(run: Path, literal: str) -> None:
    history = json.loads((run / "history.json").read_text())
    text = json.dumps(history).replace(str(history["val_loss"][0]), literal, 1)
    (run / "history.json").write_text(text)


BREAKS = {
    "onnx_missing": (lambda r: (r / "model.onnx").unlink(), "model.onnx is missing"),
    "onnx_empty": (lambda r: (r / "model.onnx").write_bytes(b""), "model.onnx is empty"),
    "onnx_truncated": (lambda r: (r / "model.onnx").write_bytes((r / "model.onnx").read_bytes()[:500]),
                       "does not match the sha256"),
    "onnx_replaced": (lambda r: (r / "model.onnx").write_bytes(b"\x08\x07garbage" * 50), "does not match the sha256"),
    "card_missing": (lambda r: (r / "card.json").unlink(), "did not finish"),
    "card_not_json": (lambda r: (r / "card.json").write_text('{"recipe": "mnist", '), "not valid JSON"),
    "card_empty": (lambda r: (r / "card.json").write_text(""), "not valid JSON"),
    "card_binary": (lambda r: (r / "card.json").write_bytes(b"\xff\xfe\x00garbage"), "not valid JSON"),
    "card_a_list": (lambda r: (r / "card.json").write_text("[1, 2]"), "not a JSON object"),
    "card_without_keys": (lambda r: (r / "card.json").write_text('{"recipe": "mnist"}'), "card.json lacks"),
    "card_accuracy_text": (lambda r: (r / "card.json").write_text(json.dumps(
        {**json.loads((r / "card.json").read_text()), "test_accuracy": "high"})), "not a finite number"),
    "card_sha_wrong": (lambda r: (r / "card.json").write_text(json.dumps(
        {**json.loads((r / "card.json").read_text()), "sha256": "0" * 64})), "does not match the sha256"),
    "history_missing": (lambda r: (r / "history.json").unlink(), "history.json cannot be read"),
    "history_not_json": (lambda r: (r / "history.json").write_text("accuracy: high"), "history.json cannot be read"),
    "history_nan": (lambda r: write_history_with(r, "NaN"), "non-finite val_loss"),
    "history_infinity": (lambda r: write_history_with(r, "-Infinity"), "non-finite val_loss"),
    "history_empty_lists": (lambda r: (r / "history.json").write_text(
        json.dumps({"accuracy": [], "loss": []})), "no accuracy values"),
}


@pytest.mark.parametrize("case", BREAKS)
def test_broken_run_is_unavailable_with_its_reason(case, run):
    breaker, reason = BREAKS[case]
    breaker(run)
    info = read_run(run)
    assert not info.ok and reason in info.problem
    with pytest.raises(ModelUnavailable, match="mnist: .*" + reason.split()[0]):
        Predictor(run)
    with pytest.raises(ModelUnavailable):
        predictor(run)  # the app's cached path
    assert str(run.resolve()) not in inference._cache  # a failure is not cached: fixing the dir is enough


def test_an_onnx_file_that_is_not_a_model_is_unavailable(run):
    """Corrupt bytes whose card was rehashed pass the checksum; onnxruntime's refusal is caught."""
    (run / "model.onnx").write_bytes(b"\x08\x07" + b"not a protobuf graph" * 40)
    rehash(run)
    assert read_run(run).ok
    with pytest.raises(ModelUnavailable, match="model.onnx cannot be loaded"):
        Predictor(run)


def test_a_repaired_run_is_served_again(run, tiny_mnist_run):
    (run / "model.onnx").unlink()
    with pytest.raises(ModelUnavailable):
        predictor(run)
    shutil.copy(tiny_mnist_run / "model.onnx", run / "model.onnx")
    assert predictor(run).labels[0] == "0"
    inference.forget(run)


def test_a_replaced_model_gets_a_new_session(run, tmp_path):
    """`promote` replaces a model dir while the app serves it: the shared cache notices and
    loads the new model instead of serving the old session."""
    from core.artifacts.shipped import promote

    trained = tmp_path / "trained"
    first = predictor(promote(run, trained))
    assert predictor(trained / "mnist") is first  # cached while the dir is unchanged
    promote(run, trained)  # the same run again: new files, new times
    second = predictor(trained / "mnist")
    assert second is not first and predictor(trained / "mnist") is second
    inference.forget(trained / "mnist")


def test_table_lists_good_models_and_says_why_others_are_not(tiny_mnist_run, tmp_path):
    trained = tmp_path / "trained"
    shutil.copytree(tiny_mnist_run, trained / "mnist")
    for recipe_id, case in (("scratch", "card_not_json"), ("scratch_augmented", "history_nan"),
                            ("feature_extraction", "onnx_missing")):
        target = trained / recipe_id
        shutil.copytree(tiny_mnist_run, target)
        card = json.loads((target / "card.json").read_text())
        (target / "card.json").write_text(json.dumps({**card, "recipe": recipe_id}))
        BREAKS[case][0](target)
    (trained / "reference").mkdir()  # the book's curves live beside the runs; not a run
    (trained / "fine_tuning").mkdir()  # an empty folder: a promotion that never happened

    table = table_markdown(trained)
    # columns: data, recipe, ...: a row by its recipe
    rows = {line.split("|")[2].strip(): line for line in table.splitlines()[2:]}
    card = json.loads((tiny_mnist_run / "card.json").read_text())
    assert f"{card['test_accuracy']:.4f}" in rows["mnist"]
    assert "not available: card.json is not valid JSON" in rows["scratch"]
    assert "not available: history.json has a non-finite val_loss" in rows["scratch_augmented"]
    assert "not available: model.onnx is missing" in rows["feature_extraction"]
    assert "not available: card.json is missing" in rows["fine_tuning"]
    assert "not available" in rows["feature_extraction_augmented"]
    assert [info.name for info in list_runs(trained)] == sorted(
        ["mnist", "scratch", "scratch_augmented", "feature_extraction", "fine_tuning"])


def test_warm_opens_the_sessions_after_its_delay_and_a_verdict_asked_sooner_opens_its_own(run):
    """Predict opens its models' sessions a second after the page is sent (the paint goes first);
    a photo given sooner is judged at once, by the session it opens, which the late warm-up keeps."""
    key = str(run.resolve())
    thread = inference.warm([run], after_s=0.5)
    assert thread is not None and key not in inference._cache  # nothing opened before the delay
    early = predictor(run)  # a verdict within the delay
    thread.join(10)
    assert predictor(run) is early  # the warm-up found it open
    inference.forget(run)
    thread = inference.warm([run], after_s=0.0)
    thread.join(10)
    assert key in inference._cache and inference.warm([run]) is None  # all open: nothing to do
    inference.forget(run)


@pytest.fixture
def record(tmp_path, monkeypatch):
    """A model file older than the racy window, a cache dir of its own, and no hashes remembered
    by this process: as a fresh server finds them."""
    from core.artifacts import files

    monkeypatch.setenv("CONVNET_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "_sha_cache", {})
    model = tmp_path / "model.onnx"
    model.write_bytes(b"weights" * 1000)
    old = model.stat().st_mtime_ns - 10 * files.RACY_NS
    os.utime(model, ns=(old, old))
    monkeypatch.setattr(files.time, "time_ns", lambda: model.stat().st_ctime_ns + 10 * files.RACY_NS)
    return model


def test_a_verified_hash_is_remembered_across_server_starts(record, monkeypatch):
    """A second server (a fresh _sha_cache) reads the record instead of hashing the file again."""
    from core.artifacts import files

    expected = files.sha256_file(record)
    assert json.loads((files.paths.cache_dir() / files.RECORD_NAME).read_text())[str(record.resolve())][-1] == expected
    monkeypatch.setattr(files, "_sha_cache", {})
    monkeypatch.setattr(files, "_sha256", lambda path: pytest.fail("hashed again"))
    assert files.sha256_file(record) == expected


@pytest.mark.parametrize("change", ["same size and mtime", "replaced by rename"])
def test_a_file_changed_since_it_was_recorded_is_hashed_again(record, monkeypatch, change):
    """Bytes changed in place with the size and mtime put back (its ctime moves, which no user can
    set), or a copy moved over it (a new inode): the record no longer vouches for it."""
    from core.artifacts import files

    files.sha256_file(record)
    stat = record.stat()
    if change == "replaced by rename":
        (record.parent / "new.onnx").write_bytes(b"WEIGHTS" * 1000)
        os.replace(record.parent / "new.onnx", record)
    else:
        time.sleep(0.01)  # the ctime's next tick
        record.write_bytes(b"WEIGHTS" * 1000)
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setattr(files, "_sha_cache", {})
    assert files.sha256_file(record) == files._sha256(record)


def test_a_file_written_moments_ago_is_not_recorded(record, monkeypatch):
    """Within its timestamps' tick a file may change again unseen (git's racy-clean rule)."""
    from core.artifacts import files

    monkeypatch.setattr(files.time, "time_ns", lambda: record.stat().st_ctime_ns + files.RACY_NS // 2)
    files.sha256_file(record)
    assert not (files.paths.cache_dir() / files.RECORD_NAME).exists()


@pytest.mark.parametrize("damage", ["not json", "a list", "an entry of another shape", "unwritable"])
def test_a_damaged_or_unwritable_record_only_costs_a_hashing(record, damage):
    from core.artifacts import files

    cache = files.paths.cache_dir()
    if damage == "unwritable":
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text("a file where the cache dir should be")
    else:
        cache.mkdir(parents=True)
        text = {"not json": "{", "a list": "[1, 2]", "an entry of another shape": json.dumps({str(record.resolve()): 5})}
        (cache / files.RECORD_NAME).write_text(text[damage])
    assert files.sha256_file(record) == files._sha256(record)
