"""core.data.split (Listing 5.4 as `python -m core prepare-data`): generated Kaggle folders and Microsoft
zips with the real 2,000-per-class numbering, tiny 8x8 JPEGs tagged with their source name."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from core.__main__ import main
from core.data import split
from core.data.folders import DataFolderError, cats_dogs_root

EXPECTED = {"train": range(0, 1000), "validation": range(1000, 1500), "test": range(1500, 2000)}


def jpeg(tag: str) -> bytes:
    """An 8x8 JPEG whose comment names its source, so an output file tells where it came from."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (len(tag) * 20 % 256, 90, 160)).save(buffer, "JPEG", comment=tag)
    return buffer.getvalue()


def tag_of(path: Path) -> str:
    with Image.open(path) as image:
        return image.info["comment"].decode()


def make_kaggle(folder: Path, cats=2005, dogs=2005) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, count in (("cat", cats), ("dog", dogs)):
        for n in range(count):
            (folder / f"{prefix}.{n}.jpg").write_bytes(jpeg(f"{prefix}.{n}"))
    (folder / "sampleSubmission.csv").write_text("id,label\n")
    return folder


CORRUPT = {  # Microsoft's kinds of broken files: empty, cut short, not an image at all
    "Cat": {7: b"", 10: jpeg("Cat/10")[:60], 1500: b"<html>not found</html>"},
    "Dog": {0: b"", 999: jpeg("Dog/999")[:100]},
}


def make_microsoft(path: Path, count=2010, extra: dict[str, bytes] | None = None,
                   corrupt=CORRUPT) -> Path:
    """A kagglecatsanddogs-like zip: PetImages/{Cat,Dog}/N.jpg, a few broken, Thumbs.db, a licence."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("CDLA-Permissive-2.0.pdf", b"%PDF-1.4 licence")
        for cls in ("Cat", "Dog"):
            archive.writestr(f"PetImages/{cls}/Thumbs.db", b"\0" * 100)
            for n in range(count):
                archive.writestr(f"PetImages/{cls}/{n}.jpg", corrupt.get(cls, {}).get(n, jpeg(f"{cls}/{n}")))
        for name, data in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def kaggle(tmp_path_factory) -> Path:
    return make_kaggle(tmp_path_factory.mktemp("kaggle") / "train")


@pytest.fixture(scope="module")
def microsoft(tmp_path_factory) -> Path:
    return make_microsoft(tmp_path_factory.mktemp("ms") / "kagglecatsanddogs_5340.zip")


@pytest.fixture
def small_split(monkeypatch):
    """Four images per class (2/1/1) for the tests about refusals and failures, to stay fast."""
    monkeypatch.setattr(split, "PER_CLASS", 4)
    monkeypatch.setattr(split, "SPLIT_RANGES", {"train": range(0, 2), "validation": range(2, 3), "test": range(3, 4)})


def layout(out: Path) -> dict[tuple[str, str], list[str]]:
    return {(s, c): sorted(p.name for p in (out / s / c).iterdir()) for s in EXPECTED for c in ("cats", "dogs")}


def test_kaggle_folder_gives_the_books_split(kaggle, tmp_path, capsys):
    out = tmp_path / "cats_and_dogs_small"
    out.mkdir()  # an empty target is fine
    assert main(["prepare-data", str(kaggle), "--out", str(out)]) == 0  # the CLI prints the report
    report = json.loads(capsys.readouterr().out)

    assert report["kind"] == "kaggle_folder"
    assert report["counts"] == {s: {"cats": len(r), "dogs": len(r)} for s, r in EXPECTED.items()}
    assert report["skipped_corrupt"]["count"] == 0
    files = layout(out)
    seen = set()
    for (split_name, cls), names in files.items():
        prefix = cls[:-1]
        assert names == sorted(f"{prefix}.{n}.jpg" for n in EXPECTED[split_name])
        for name in names:  # the book's numbers: output cat.N is the source's cat.N, byte for byte
            assert (out / split_name / cls / name).read_bytes() == (kaggle / name).read_bytes()
        assert not seen & set(names)  # no image in two splits
        seen |= set(names)
    assert len(seen) == 4000
    assert json.loads((out / "split.json").read_text())["kind"] == "kaggle_folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cats_and_dogs_small"]  # no temp folder left
    assert cats_dogs_root(out) == out
    assert out.stat().st_mode & 0o755 == 0o755  # readable by the app's user, not private like a temp dir


def test_microsoft_zip_skips_corrupt_files_and_keeps_numeric_order(microsoft, tmp_path):
    out = tmp_path / "small"
    report = split.build_split(microsoft, out)

    assert report["kind"] == "microsoft_zip"
    assert report["skipped_corrupt"]["count"] == 5  # every broken one lies among the first 2,000 valid
    assert "PetImages/Cat/7.jpg" in report["skipped_corrupt"]["first"]
    assert report["refused"]["count"] == 0
    for cls, prefix, folder in (("Cat", "cat", "cats"), ("Dog", "dog", "dogs")):
        valid = [n for n in range(2010) if n not in CORRUPT[cls]][:2000]  # numeric, not 1, 10, 100 ...
        for split_name, numbers in EXPECTED.items():
            names = sorted(p.name for p in (out / split_name / folder).iterdir())
            assert names == sorted(f"{prefix}.{i}.jpg" for i in numbers)
            for i in (numbers[0], numbers[-1]):
                assert tag_of(out / split_name / folder / f"{prefix}.{i}.jpg") == f"{cls}/{valid[i]}"


def test_zip_traversal_and_bombs_are_refused_unread(tmp_path, monkeypatch, small_split):
    monkeypatch.setattr(split, "MAX_FILE_BYTES", 40_000)
    evil = {
        "../evil.jpg": jpeg("evil"),
        "PetImages/Cat/../../evil2.jpg": jpeg("evil2"),
        "/tmp/evil3.jpg": jpeg("evil3"),
        "PetImages/Dog/1.jpg": b"\0" * 39_000,  # under the size limit, but inflates ~500-fold
        "PetImages/Dog/2.jpg": bytes(range(256)) * 200,  # 51 kB: over the (patched) size limit
    }
    archive = make_microsoft(tmp_path / "evil.zip", count=1, corrupt={}, extra=evil)
    with zipfile.ZipFile(archive, "a") as more:  # Dog/3 ... are fine, Dog/1 and Dog/2 are refused
        for n in range(3, 8):
            more.writestr(f"PetImages/Dog/{n}.jpg", jpeg(f"Dog/{n}"))
            more.writestr(f"PetImages/Cat/{n}.jpg", jpeg(f"Cat/{n}"))
    out = tmp_path / "work" / "small"
    report = split.build_split(archive, out)

    refused = report["refused"]["first"]
    assert report["refused"]["count"] == 5
    assert any(r.startswith("../evil.jpg: path leaves") for r in refused)
    assert any("zip bomb" in r for r in refused) and any("declared size" in r for r in refused)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert not [p for p in written if "evil" in p and p != "evil.zip"]
    assert all(p == "evil.zip" or p.startswith("work/small/") for p in written)
    assert len(written) == 1 + 8 + 1  # the zip, the split, split.json
    assert [tag_of(out / "train" / "dogs" / f"dog.{i}.jpg") for i in (0, 1)] == ["Dog/0", "Dog/3"]


def test_wrong_sources_say_what_to_pass(tmp_path):
    short = make_kaggle(tmp_path / "short", cats=15, dogs=0)
    with pytest.raises(DataFolderError, match=r"15 cats and 0 dogs.*needs 2000.*Kaggle's train/"):
        split.build_split(short, tmp_path / "out")
    with pytest.raises(DataFolderError, match="does not exist"):
        split.build_split(tmp_path / "nowhere", tmp_path / "out")
    text = tmp_path / "notes.zip"
    text.write_text("not a zip")
    with pytest.raises(DataFolderError, match="neither a folder nor a zip"):
        split.build_split(text, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_too_many_broken_images_leave_nothing_behind(tmp_path, small_split):
    archive = make_microsoft(tmp_path / "ms.zip", count=4, corrupt={"Dog": {2: b""}})
    with pytest.raises(DataFolderError, match=r"only 3 dogs images decode.*PetImages/Dog/2.jpg"):
        split.build_split(archive, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ms.zip"]  # no out, no .out.partial-*


def test_an_interrupted_build_leaves_nothing_behind(kaggle, tmp_path, monkeypatch):
    calls = iter(range(1000))

    def decode_then_interrupt(data):
        if next(calls) == 300:
            raise KeyboardInterrupt
        return True

    monkeypatch.setattr(split, "_decodes", decode_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        split.build_split(kaggle, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_a_non_empty_target_is_never_overwritten(kaggle, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not empty"):
        split.build_split(kaggle, out)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_errors_without_traceback(tmp_path, capsys):
    assert main(["prepare-data", str(tmp_path / "missing"), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err and "Kaggle's train/" in err
