"""Own data in the browser (AppTest): Train live offers every labelled folder under the data root,
shows its data check, and trains a recipe on it end to end."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.data.labelled import NAMES_FILE
from core.training import launcher
from pages.strings import CATALOG
from tests.test_labelled_data import _photo

REPO = Path(__file__).resolve().parents[1]


def make_sky(root: Path, per_class: int = 8) -> Path:
    """Three classes (one Chinese, one nested in images/), a photo filed under two classes, a
    corrupt JPEG, a CSV; display names in classes.json."""
    seed = 0
    for label in ("cirrus", "積雲", "stratus"):
        folder = root / label / ("images" if label == "stratus" else "")
        folder.mkdir(parents=True)
        for i in range(per_class):
            _photo(seed, size=64).save(folder / f"{i}.jpg", quality=90)
            seed += 1
    (root / "積雲" / "copy.jpg").write_bytes((root / "cirrus" / "0.jpg").read_bytes())  # a label conflict
    (root / "cirrus" / "broken.jpg").write_bytes((root / "cirrus" / "1.jpg").read_bytes()[:200])
    (root / "notes.csv").write_text("file,label\n")
    (root / NAMES_FILE).write_text(json.dumps({"cirrus": {"en": "Cirrus", "zh-TW": "卷雲"}}), encoding="utf-8")
    return root


@pytest.fixture
def data_root(tmp_path, monkeypatch) -> Path:
    """$CONVNET_DATA holding one labelled folder, sky/; runs under tmp_path/runs."""
    root = tmp_path / "data"
    make_sky(root / "sky")
    monkeypatch.setenv("CONVNET_DATA", str(root))
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    yield root
    launcher.cancel(grace=0.5)


def train_page(lang: str, recipe: str = "scratch") -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / "train.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.selectbox(key="train_recipe").set_value(recipe).run()
    return at


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_train_live_offers_the_folder_and_shows_its_check(data_root, lang):
    at = train_page(lang)
    data = at.selectbox(key="train_data")
    strings = CATALOG[lang]
    assert strings["datasets.folder"].format(name="sky", classes=3, images=26) in data.options
    data.set_value(str(data_root / "sky")).run()
    assert not at.exception
    assert [m.label for m in at.metric][:2] == [strings["datasets.metric.images"], strings["datasets.metric.classes"]]
    assert [m.value for m in at.metric][:2] == ["26", "3"]  # 8 + 8 + 8, the copy, the broken file
    assert at.metric[3].value == "1"  # unreadable
    assert at.expander[0].label == strings["datasets.conflicts"].format(n=1)
    assert not at.button(key="train_start").disabled


def test_a_class_too_small_to_split_blocks_start_with_the_reason(data_root):
    for extra in (data_root / "sky" / "stratus" / "images").iterdir():
        if extra.name != "0.jpg":
            extra.unlink()
    at = train_page("zh-TW")
    at.selectbox(key="train_data").set_value(str(data_root / "sky")).run()
    assert not at.exception and at.button(key="train_start").disabled
    assert at.error[0].value.startswith(CATALOG["zh-TW"]["reasons.too_few_to_split"].split("{")[0])


@pytest.mark.slow
def test_train_live_trains_one_epoch_on_the_folder(data_root):
    at = train_page("en")
    at.selectbox(key="train_data").set_value(str(data_root / "sky")).run()
    at.number_input(key="train_epochs_scratch").set_value(1).run()
    at.button(key="train_start").click().run()
    assert not at.exception
    run = Path(at.session_state["train_run"])
    assert run.name.startswith("scratch-sky-")
    deadline = time.monotonic() + 400
    while launcher.current() and time.monotonic() < deadline:
        time.sleep(2)
    assert launcher.status(run, running=False).state == launcher.State.DONE, launcher.output_tail(run)
    at.run()
    assert not at.exception and at.success
    card = json.loads((run / "card.json").read_text())
    assert card["dataset"] == "sky" and card["confusion"] and len(card["confusion"]) == 3


def test_resuming_a_run_on_a_labelled_folder_names_the_folder(tmp_path):
    state = {"recipe": "scratch", "base": None, "seed": 0, "epochs": 3, "epochs_done": 1}
    (tmp_path / "state.json").write_text(json.dumps(state))
    (tmp_path / "split.json").write_text(json.dumps({"root": "../shared/data/ccsn", "files": {}}))
    assert launcher.resume_command(tmp_path) == (f"python -m core train scratch --epochs 3 --data ../shared/data/ccsn "
                                                 f"--out {launcher.shown_path(tmp_path)} --resume")
