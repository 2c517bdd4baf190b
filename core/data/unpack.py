"""A zip of class folders, uploaded in the browser, unpacked into the data root as a new data set.

A zip is a stranger's file, so it is read member by member and refused whole at the first
unsafe member (core.data.split.unsafe_member: a path leaving the archive, a member over 50 MB or
inflating 100-fold), a symbolic link, or a total that would fill the disk. Only images are
written (other files are counted and skipped), under their own names; one folder wrapping the
class folders is stepped into. Everything lands in a hidden temp folder beside the target, is
scanned as a labelled folder (core.data.labelled), and only then renamed into place: a refused
or failed upload leaves nothing behind and never touches a folder that already exists.
"""
from __future__ import annotations

import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core import quota
from core.data.folders import IMAGE_SUFFIXES, DataFolderError
from core.data.labelled import Scan, data_sets, scan
from core.data.split import MEMBER_ERRORS, unsafe_member
from core.datasets import CATS_DOGS, MNIST
from core.reasons import Code, Reason, reason_of

MAX_MEMBERS = 100_000  # entries in one zip: far beyond a class set, short of a bomb of empty files
# how much one upload may put on the disk (size, photos, data sets kept, free space): core.quota
RESERVED = {MNIST.id, Path(MNIST.path).parts[0], CATS_DOGS.id, CATS_DOGS.path}


@dataclass(frozen=True)
class Unpacked:
    path: Path  # the new data set's folder under the data root
    found: Scan  # its classes and images
    skipped: int  # members that were not images (or hidden files), left in the zip


def _refuse(code: Code, text: str, **params) -> DataFolderError:
    return DataFolderError(Reason(code, text + " (nothing was written)", **params))


def folder_name(name: str) -> str:
    """A data set's folder name from an upload's file name: letters and digits of any script kept
    (中文 too), anything else (spaces, slashes, emoji) as one "_"."""
    stem = PurePosixPath(name.replace("\\", "/")).name
    stem = stem[:-4] if stem.lower().endswith(".zip") else stem
    return re.sub(r"[^\w-]+", "_", stem).strip("_-") or "upload"


def _is_link(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)  # made on Unix: its mode bits


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(part.startswith((".", "__")) for part in parts)  # .DS_Store, __MACOSX/, ._photo.jpg


def _members(archive: zipfile.ZipFile) -> tuple[list[tuple[zipfile.ZipInfo, tuple[str, ...]]], int]:
    """(the image members with their path parts, how many others were skipped); refused whole
    at the first unsafe member."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(Code.ZIP_TOO_BIG, f"the zip holds {len(infos):,} entries (limit {MAX_MEMBERS:,})",
                      limit=f"{MAX_MEMBERS:,}")
    images, skipped = [], 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if _is_link(info):
            raise _refuse(Code.ZIP_LINK, f"{name} is a symbolic link", member=name)
        problem = unsafe_member(info)
        if problem:
            code = Code.ZIP_TRAVERSAL if "leaves" in problem else Code.ZIP_BOMB
            raise _refuse(code, f"{name}: {problem}", member=name)
        if info.is_dir():
            continue
        parts = PurePosixPath(name).parts
        if _hidden(parts) or PurePosixPath(name).suffix.lower() not in IMAGE_SUFFIXES or len(parts) < 2:
            skipped += 1  # a class needs a folder: loose images at the top belong to none
            continue
        images.append((info, parts))
    if not images:
        raise _refuse(Code.ZIP_NO_IMAGES, "the zip holds no images inside class folders")
    tops = {parts[0] for _, parts in images}
    if len(tops) == 1 and all(len(parts) > 2 for _, parts in images):  # one folder wrapping the classes
        images = [(info, parts[1:]) for info, parts in images]
    return images, skipped


def _write(archive: zipfile.ZipFile, images, into: Path) -> None:
    for info, parts in images:
        target = into.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as member, open(target, "wb") as out:  # zipfile stops at the declared size
                shutil.copyfileobj(member, out)
        except MEMBER_ERRORS as error:
            raise _refuse(Code.ZIP_DAMAGED, f"{info.filename} cannot be read ({error})") from error


def _scan_as(temp: Path, name: str) -> None:
    """labelled.scan of the temp folder, its Reason naming the zip rather than the temp folder."""
    try:
        scan(temp)
    except DataFolderError as error:
        why = reason_of(error)
        params = {key: str(value).replace(str(temp), name) for key, value in why.params.items()}
        raise _refuse(why.code, str(why).replace(str(temp), name), **params) from None


def unpack(source, name: str, root: Path) -> Unpacked:
    """Unpack the zip `source` (a path or a file-like upload) named `name` into root/<folder_name>;
    a DataFolderError with a Reason says why not, and then nothing under root has changed."""
    root = Path(root)
    target = root / folder_name(name)
    if target.name in RESERVED:
        raise _refuse(Code.DATASET_EXISTS, f"{target.name} is one of the chapter's data sets: rename the zip",
                      name=target.name)
    if target.exists():
        raise _refuse(Code.DATASET_EXISTS, f"{target} exists already: rename the zip", name=target.name)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _refuse(Code.ZIP_DAMAGED, f"{name} is not a readable zip ({error})") from error
    with archive:
        images, skipped = _members(archive)
        too_much = quota.refusal(sum(info.file_size for info, _ in images), len(images), target,
                                 kept=len(data_sets(root)))
        if too_much:
            raise _refuse(too_much.code, str(too_much), **too_much.params)
        try:
            with quota.staged(target) as temp:  # hidden until whole: data_sets() never lists it half-written
                _write(archive, images, temp)
                _scan_as(temp, name)  # two or more classes, none empty: else its Reason, before anything is visible
        except quota.Refused as full:
            why = reason_of(full)
            raise _refuse(why.code, str(why), **why.params) from None
    return Unpacked(target, scan(target), skipped)
