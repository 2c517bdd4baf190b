"""The model card as a type (core.artifacts.card) and the one results row every table uses
(core.artifacts.results)."""
from __future__ import annotations

import hashlib
import json

import pytest

from core import datasets, recipes
from core.artifacts.card import CARD_VERSION, Card, CardError, untrained
from core.artifacts.results import result_rows
from core.artifacts.rundir import list_runs, models, read_run
from core.paths import TRAINED_DIR


def test_a_card_writes_and_reads_itself(tmp_path):
    card = untrained(recipes.get("scratch"), "ab" * 32, epochs=20, test_accuracy=0.7, steps_per_epoch=100)
    card.write(tmp_path)
    data = json.loads((tmp_path / "card.json").read_text())
    assert data["version"] == CARD_VERSION and data["epochs"] == 20
    assert Card.read(tmp_path) == card
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temp file left behind"


def test_version_1_cards_still_read():
    """The shipped cards were written before the type existed: no version, some without steps."""
    data = json.loads((TRAINED_DIR / "scratch" / "card.json").read_text())
    data.pop("version", None)
    data.pop("steps_per_epoch", None)
    card = Card.from_dict(data)
    assert card.version == 1 and card.steps_per_epoch is None and card.recipe == "scratch"
    assert Card.from_dict(card.to_dict()).version == CARD_VERSION


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("sha256"), "lacks sha256"),
    (lambda d: d.update(epochs="30"), "epochs that is not a finite number"),
    (lambda d: d.update(test_accuracy=float("nan")), "test_accuracy that is not a finite number"),
    (lambda d: d.update(seconds=True), "seconds that is not a finite number"),
    (lambda d: d.update(hardware="CPU"), "hardware is not an object"),
])
def test_a_bad_card_says_what_is_wrong(change, message):
    data = untrained(recipes.get("mnist"), "0" * 64).to_dict()
    change(data)
    with pytest.raises(CardError, match=message):
        Card.from_dict(data)


def test_unknown_keys_of_a_newer_card_are_ignored():
    data = {**untrained(recipes.get("mnist"), "0" * 64).to_dict(), "something_new": 1}
    assert Card.from_dict(data).recipe == "mnist"


def test_fewer_epochs_than_the_book_is_flagged_the_same_in_every_table(tmp_path):
    for name, epochs in (("a", 5), ("b", 3)):
        run = tmp_path / name
        run.mkdir()
        (run / "model.onnx").write_bytes(b"onnx")
        (run / "history.json").write_text(json.dumps({k: [0.5] * epochs for k in
                                                      ("accuracy", "val_accuracy", "loss", "val_loss")}))
        untrained(recipes.get("mnist"), hashlib.sha256(b"onnx").hexdigest(), epochs=epochs,
                  test_accuracy=0.9, seconds=60.0, hardware={"device": "CPU", "cpu": "test cpu"}).write(run)
    rows = result_rows(list_runs(tmp_path))
    assert [row.recipe for row in rows] == ["mnist", "mnist", *recipes.RECIPE_IDS[1:]]
    assert [row.epochs("!") for row in rows[:2]] == ["5 / 5", "3 / 5 !"]
    assert rows[0].hardware == "CPU · test cpu" and rows[0].minutes == 1.0
    assert rows[0].book_accuracy == recipes.get("mnist").book_test_accuracy
    assert not rows[2].ok and rows[2].problem is None and rows[2].epochs("!") == ""
    assert len(result_rows(list_runs(tmp_path), every_recipe=False)) == 2


def test_every_shipped_model_makes_a_row_in_the_chapters_order():
    shipped, _ = models(root=TRAINED_DIR / "no-runs-here")
    chapter = [info for info in shipped if info.dataset in datasets.CHAPTER]
    assert [info.recipe for info in chapter] == list(recipes.RECIPE_IDS)
    assert shipped[:len(chapter)] == chapter  # the book's data sets first, then a user's (trained/ccsn-*)
    digits, _ = models("mnist", root=TRAINED_DIR / "no-runs-here")
    assert [info.recipe for info in digits] == ["mnist"]
    row = result_rows(shipped)[0]
    assert row.ok and row.accuracy == read_run(TRAINED_DIR / "mnist").card.test_accuracy
