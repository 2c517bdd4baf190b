"""A zip of class folders uploaded in the browser (core.data.unpack): a good one becomes a data set
under the data root; every bad one is refused whole with a Reason both languages can say, and
leaves the data root exactly as it was."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core import quota
from core.data import unpack
from core.data.folders import DataFolderError
from core.reasons import Code, reason_of
from pages.strings import CATALOG


def jpeg(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (6, 6, 3), dtype=np.uint8)).resize((32, 32)).save(buffer, "JPEG")
    return buffer.getvalue()


def make_zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = 0o120777 << 16  # a Unix symbolic link to /etc/passwd
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def classes_zip(prefix: str = "", names=("cirrus 卷雲", "☁️ stratus")) -> dict[str, bytes]:
    return {f"{prefix}{name}/images/{i}.jpg": jpeg(10 * k + i) for k, name in enumerate(names) for i in range(3)}


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.is_dir()) for p in root.rglob("*")}


@pytest.fixture
def root(tmp_path) -> Path:
    """A data root that already holds a data set."""
    data = tmp_path / "data"
    (data / "clouds" / "a").mkdir(parents=True)
    (data / "clouds" / "a" / "0.jpg").write_bytes(jpeg(0))
    return data


def test_a_zip_wrapping_its_class_folders_becomes_a_data_set(root):
    members = classes_zip("My Sky 🌤/") | {"My Sky 🌤/notes.pdf": b"%PDF", "__MACOSX/My Sky 🌤/._0.jpg": b"x",
                                         "My Sky 🌤/cirrus 卷雲/.DS_Store": b"\x00"}
    done = unpack.unpack(io.BytesIO(make_zip(members)), "My Sky 🌤.zip", root)
    assert done.path == root / "My_Sky" and done.path.is_dir()
    assert done.found.classes == ("cirrus 卷雲", "☁️ stratus") and done.found.images == 6
    assert done.skipped == 3
    assert sorted(p.name for p in root.iterdir()) == ["My_Sky", "clouds"]  # no temp folder left


@pytest.mark.parametrize("case, code", [
    ("traversal", Code.ZIP_TRAVERSAL),
    ("absolute", Code.ZIP_TRAVERSAL),
    ("bomb", Code.ZIP_BOMB),
    ("too_big", Code.UPLOAD_TOO_LARGE),
    ("too_many", Code.UPLOAD_TOO_MANY_FILES),
    ("symlink", Code.ZIP_LINK),
    ("one_class", Code.TOO_FEW_CLASSES),
    ("no_images", Code.ZIP_NO_IMAGES),
    ("not_a_zip", Code.ZIP_DAMAGED),
    ("exists", Code.DATASET_EXISTS),
    ("reserved", Code.DATASET_EXISTS),
])
def test_a_bad_zip_is_refused_whole_with_a_translated_reason(root, monkeypatch, case, code):
    name, links, members = "upload.zip", (), classes_zip()
    if case == "traversal":
        members["../../evil.jpg"] = jpeg(1)
    elif case == "absolute":
        members["/tmp/evil.jpg"] = jpeg(1)
    elif case == "bomb":
        members["cirrus 卷雲/huge.jpg"] = bytes(5 << 20)  # 5 MB of zeros deflate about 1000-fold
    elif case == "too_big":
        monkeypatch.setattr(quota, "MAX_UPLOAD_MB", 4 * len(jpeg(0)) / quota.MB)  # core.quota: one place
    elif case == "too_many":
        monkeypatch.setattr(quota, "MAX_UPLOAD_FILES", 3)
    elif case == "symlink":
        links = ("cirrus 卷雲/passwd.jpg",)
    elif case == "one_class":
        members = classes_zip(names=("cirrus",))
    elif case == "no_images":
        members = {"cirrus/readme.txt": b"hello", "stratus/data.csv": b"a,b"}
    elif case == "exists":
        name = "clouds.zip"
    elif case == "reserved":
        name = "cats_and_dogs_small.zip"
    data = b"PK\x03\x04 not really a zip" if case == "not_a_zip" else make_zip(members, links)
    before = snapshot(root)
    with pytest.raises(DataFolderError) as refused:
        unpack.unpack(io.BytesIO(data), name, root)
    assert snapshot(root) == before  # nothing written, nothing changed, no temp folder left
    why = reason_of(refused.value)
    assert why.code == code and "nothing was written" in why
    for lang in ("en", "zh-TW"):
        sentence = CATALOG[lang][f"reasons.{code}"].format(**why.params)
        assert "{" not in sentence.replace("{\"", "")
    if case == "one_class":
        assert why.params["folder"] == name and "unpacking" not in why  # the zip, not the temp folder


def test_folder_names_keep_letters_of_any_script():
    assert unpack.folder_name("雲 的 照片.zip") == "雲_的_照片"
    assert unpack.folder_name("C:\\Users\\me\\sky/../🌧.ZIP") == "upload"
    assert unpack.folder_name("sky-2026.zip") == "sky-2026"
