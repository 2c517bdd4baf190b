"""Zip members cannot leave the archive or inflate without bound (core.split.unsafe_member; the
whole build is in test_split)."""
from __future__ import annotations

import zipfile

import pytest

from core.data.split import MAX_FILE_BYTES, MAX_RATIO, unsafe_member


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
