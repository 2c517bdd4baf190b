"""Sample photos (samples/<dataset>/, core.data.folders): small, credited, regenerated from the
data sets' own images by `python -m core samples`; on Predict a sample gets every model's
verdict, as an upload would."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import paths
from core.artifacts.rundir import list_runs
from core.data import folders
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
MAX_KB = 400  # "a few hundred KB in all"


def test_the_samples_are_small_and_every_file_is_indexed_with_its_credit():
    files = [f for f in SAMPLES.rglob("*") if f.is_file()]
    assert sum(f.stat().st_size for f in files) <= MAX_KB * 1024
    for index in SAMPLES.glob("*/index.json"):
        entries = json.loads(index.read_text(encoding="utf-8"))
        assert {e["file"] for e in entries} == {f.name for f in index.parent.iterdir()} - {"index.json"}
        assert all(e["credit"] and e["class"] for e in entries)
    assert {sample.label for sample in folders.sample_photos("cats_and_dogs")} == {"cats", "dogs"}
    assert {sample.label for sample in folders.sample_photos("mnist")} == {str(d) for d in range(10)}


def test_every_sample_is_a_test_photo_no_shipped_model_trained_on():
    """Each sample names its source; a cloud sample lies in the test split of every shipped cloud
    model's manifest (so a student's "it got my sample right" is not a photo it memorised)."""
    sources = {dataset: [e["source"] for e in json.loads((SAMPLES / dataset / "index.json").read_text("utf-8"))]
               for dataset in ("cats_and_dogs", "mnist", "ccsn")}
    assert all(source.startswith("test/") for source in sources["cats_and_dogs"])
    assert all(source.startswith("x_test[") for source in sources["mnist"])
    manifests = [json.loads((run / paths.MANIFEST_NAME).read_text("utf-8"))
                 for run in paths.TRAINED_DIR.glob("ccsn-*") if (run / paths.MANIFEST_NAME).is_file()]
    assert manifests and len(sources["ccsn"]) == 11
    for manifest in manifests:
        test = {name for names in manifest["files"]["test"].values() for name in names}
        assert set(sources["ccsn"]) <= test


def test_a_data_set_without_samples_shows_none(tmp_path):
    assert folders.sample_photos("no_such_data_set") == []
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "index.json").write_text("not json")
    assert folders.sample_photos("broken", root=tmp_path) == []


def test_the_samples_regenerate_from_the_data(shared_data, tmp_path):
    counts = folders.write_samples(shared_data, tmp_path)
    assert counts["cats_and_dogs"] == 6 and counts["mnist"] == 10
    for dataset in counts:
        assert [(s.label, s.path.name) for s in folders.sample_photos(dataset, tmp_path)] == [
            (s.label, s.path.name) for s in folders.sample_photos(dataset)]  # what the repository ships


@pytest.mark.slow  # every shipped model judges the photo: over 2 s
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_sample_on_predict_gets_every_models_verdict(monkeypatch, tmp_path, lang):
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(str(REPO / "pages" / "predict.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.run()
    sample = folders.sample_photos("cats_and_dogs")[0]
    at.selectbox(key="photo_sample").set_value(f"cats_and_dogs/{sample.path.name}").run()
    assert not at.exception
    models = [run for run in list_runs(paths.TRAINED_DIR) if run.ok and run.card.dataset == "cats_and_dogs"]
    verdicts = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert models and len(verdicts) == len(models)
    assert CATALOG[lang]["samples.credit"].format(credit=sample.credit) in [c.value for c in at.caption]


@pytest.mark.slow  # the MNIST model judges the digit: over 2 s
def test_a_sample_digit_gets_a_verdict(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(str(REPO / "pages" / "predict.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.query_params["predict_tab"] = CATALOG["en"]["predict.tab.digit"]  # only the chosen tab runs
    at.run()
    at.segmented_control(key="digit_how").set_value("upload").run()
    at.selectbox(key="digit_sample").set_value("mnist/7-8.png").run()
    assert not at.exception
    assert [m.value for m in at.markdown if m.value.startswith("### ")]
