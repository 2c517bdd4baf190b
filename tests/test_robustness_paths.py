"""Folder inputs stay inside their roots (core.artifacts.confine); zip members cannot leave the
archive or inflate without bound (core.split.unsafe_member; the whole build is in test_split)."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from core.artifacts import confine
from core.split import MAX_FILE_BYTES, MAX_RATIO, unsafe_member


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "runs" / "mnist").mkdir(parents=True)
    (tmp_path / "runs-old" / "x").mkdir(parents=True)  # a sibling whose name starts like root
    (tmp_path / "secret").mkdir()
    return tmp_path / "runs"


@pytest.mark.parametrize("inside", ["mnist", "mnist/", "./mnist", "mnist/../mnist", "", "not-yet-made/a"])
def test_paths_inside_the_root_are_accepted(root, inside):
    resolved = confine(inside, root)
    assert resolved == root.resolve() or root.resolve() in resolved.parents


@pytest.mark.parametrize("outside", ["..", "../secret", "mnist/../../secret", "../runs-old/x", "/etc", "/"])
def test_escapes_are_refused(root, outside):
    with pytest.raises(PermissionError, match="outside"):
        confine(outside, root)


def test_an_absolute_path_inside_the_root_is_accepted(root):
    assert confine(root / "mnist", root) == (root / "mnist").resolve()


def test_symlinks_out_of_the_root_are_refused(root):
    (root / "link").symlink_to(root.parent / "secret")
    (root / "mnist" / "deep").symlink_to("../../secret")
    for path in ("link", "link/file", "mnist/deep"):
        with pytest.raises(PermissionError, match="outside"):
            confine(path, root)


def test_symlinks_within_the_root_are_followed(root):
    (root / "latest").symlink_to(root / "mnist")
    assert confine("latest", root) == (root / "mnist").resolve()


def test_a_symlinked_root_still_confines(root, tmp_path):
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    assert confine("mnist", alias) == (root / "mnist").resolve()
    with pytest.raises(PermissionError):
        confine("../secret", alias)


def test_unresolvable_paths_are_refused_not_crashed(root):
    (root / "loop_a").symlink_to(root / "loop_b")
    (root / "loop_b").symlink_to(root / "loop_a")
    with pytest.raises(PermissionError, match="cannot be resolved"):
        confine("loop_a", root)  # Python 3.11 raises RuntimeError here
    with pytest.raises(PermissionError, match="cannot be resolved"):
        confine("mnist\0/../../secret", root)  # ValueError: embedded null byte


def member(name: str, size: int = 1_000, compressed: int = 1_000) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, compressed
    return info


@pytest.mark.parametrize("name", ["../evil.jpg", "PetImages/Cat/../../evil.jpg", "/etc/evil.jpg",
                                  "C:/evil.jpg", "c:evil.jpg", "PetImages\\..\\..\\evil.jpg", "\\evil.jpg"])
def test_zip_members_leaving_the_archive_are_refused(name):
    assert unsafe_member(member(name)) == "path leaves the archive"


def test_zip_size_bombs_are_refused():
    assert "declared size" in unsafe_member(member("PetImages/Cat/1.jpg", MAX_FILE_BYTES + 1, MAX_FILE_BYTES))
    assert "zip bomb" in unsafe_member(member("PetImages/Cat/1.jpg", 1_000_000, 1_000_000 // (MAX_RATIO + 1)))
    assert "zip bomb" in unsafe_member(member("PetImages/Cat/1.jpg", 200, 0))


@pytest.mark.parametrize("name", ["PetImages/Cat/1.jpg", "PetImages/Dog/12499.jpg", "readme..txt", "a/b..c/d"])
def test_ordinary_zip_members_pass(name):
    assert unsafe_member(member(name)) is None


def test_confine_is_what_it_says_for_real_folders(root):
    """Guard against a check that only compares strings: '..' inside a name is fine."""
    (root / "a..b").mkdir()
    assert confine("a..b", root).name == "a..b"
    assert os.path.isdir(confine("a..b", root))
