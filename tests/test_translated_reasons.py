"""Why a model or the data is unavailable, said in the page's language: core's reasons reach
Predict and Compare as codes (core.reasons) and are worded by the catalog, never in English
inside a translated sentence."""
import io

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import paths, recipes
from core.artifacts.card import untrained
from core.data import folders
from pages.strings import CATALOG

ZH = CATALOG["zh-TW"]


@pytest.fixture
def broken(monkeypatch, tmp_path):
    """A trained/ whose only cats/dogs model has its card but no model.onnx, and no data."""
    folder = tmp_path / "trained" / "scratch"
    folder.mkdir(parents=True)
    untrained(recipes.get("scratch"), sha256="0" * 64).write(folder)
    (folder / "history.json").write_text('{"accuracy": [0.5], "val_accuracy": [0.5], "loss": [1], "val_loss": [1]}')
    monkeypatch.setattr(paths, "TRAINED_DIR", folder.parent)
    monkeypatch.setenv("CONVNET_DATA", str(tmp_path / "no data"))
    monkeypatch.setenv("CONVNET_RUNS", str(tmp_path / "runs"))
    monkeypatch.setattr(folders, "SHARED_DATA", tmp_path / "no shared data")
    return folder


def opened(page: str, tab: str | None = None) -> AppTest:
    """A page in 繁體中文, on its tab `tab` (a key of its strings: Predict runs only the chosen tab)."""
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=60)
    at.session_state["lang"] = "zh-TW"
    if tab:
        at.query_params[f"{page}_tab"] = ZH[f"{page}.tab.{tab}"]
    return at.run()


def test_predict_says_why_a_model_is_unavailable_in_chinese(broken):
    at = opened("predict")
    photo = io.BytesIO()
    Image.new("RGB", (64, 64), (120, 90, 60)).save(photo, "PNG")
    at.file_uploader(key="photo").upload("cat.png", photo.getvalue(), "image/png")
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [ZH["predict.unavailable"].format(reason=ZH["reasons.onnx_missing"])]


def test_predict_says_why_batch_mode_is_off_in_chinese(broken):
    infos = " ".join(i.value for i in opened("predict", tab="batch").info)
    missing = ZH["reasons.cats_dogs_missing"].split("{where}")[1]
    assert missing in infos and "no cats-vs-dogs folder" not in infos


def test_compare_says_why_a_model_is_unavailable_in_chinese(broken):
    at = opened("compare", tab="table")
    assert not at.exception
    cells = str(at.dataframe[0].value.to_dict())
    assert ZH["compare.unavailable"].format(reason=ZH["reasons.onnx_missing"]) in cells
    assert "is missing" not in cells
