"""Any labelled photo folder: one folder per class (two or more, any names), with or without
train/validation/test folders above them; images anywhere below a class folder.

Published sets nest their images (`class/images/*.png`) and carry other files (CSV, PDF, HTML,
hidden files): those are ignored and counted, never fatal. What each class is called in each
language may be given in `classes.json` beside the class folders (see NAMES_FILE); otherwise
the folder names are shown.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.data.folders import IMAGE_SUFFIXES, SPLITS, DataFolderError
from core.datasets import CATS_DOGS, LANGUAGES, MNIST
from core.reasons import Code, Reason

NAMES_FILE = "classes.json"  # {"Ci": {"en": "cirrus", "zh-TW": "卷雲"}, ...}: a name per class and language
KNOWN_NAMES = Path(__file__).parent / "names"  # <folder name>.json for published sets (CCSN: WMO / CWA names)


@dataclass
class Scan:
    """What a labelled folder holds."""

    root: Path
    classes: tuple[str, ...]  # sorted folder names: label i is classes[i]
    files: dict[str, list[Path]]  # class -> every image under it (all splits together)
    splits: dict[Path, str] = field(default_factory=dict)  # image -> its split, for a pre-split folder
    ignored: list[Path] = field(default_factory=list)  # files that are not images
    display_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> a name per class

    @property
    def presplit(self) -> bool:
        return bool(self.splits)

    @property
    def images(self) -> int:
        return sum(len(paths) for paths in self.files.values())


def _visible(path: Path) -> bool:
    return not any(part.startswith((".", "__")) for part in path.parts)


def _images_under(folder: Path, ignored: list[Path]) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if _visible(path.relative_to(folder)) and path.suffix.lower() in IMAGE_SUFFIXES:
            found.append(path)
        else:
            ignored.append(path)
    return found


def _class_folders(root: Path) -> list[Path]:
    return [p for p in sorted(root.iterdir()) if p.is_dir() and _visible(Path(p.name))]


def _names(root: Path, classes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Display names from NAMES_FILE beside the classes (else a published set's known names) where
    it names a class, else the folder name."""
    path = root / NAMES_FILE if (root / NAMES_FILE).is_file() else KNOWN_NAMES / f"{root.name}.json"
    try:
        given = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        given = {}
    except (OSError, ValueError) as error:
        raise DataFolderError(Reason(Code.NAMES_FILE_INVALID, f"{path} is not valid JSON ({error}): expected "
                                     '{"<class folder>": {"en": "...", "zh-TW": "..."}, ...}', file=str(path))) from error
    if not isinstance(given, dict):
        raise DataFolderError(Reason(Code.NAMES_FILE_INVALID, f"{path} must map each class folder to its names per "
                                     'language: {"<class folder>": {"en": "...", "zh-TW": "..."}, ...}', file=str(path)))
    return {language: tuple(str((given.get(c) or {}).get(language) or c) if isinstance(given.get(c), dict) else c
                            for c in classes) for language in LANGUAGES}


def known_name(dataset_id: str, label: str, language: str) -> str:
    """A published set's name for one of its classes in a language (names/<data set>.json: CCSN's
    genera), else the label: for its shipped samples, shown before any of its folders is read."""
    return _names(KNOWN_NAMES / dataset_id, (label,))[language][0]


def scan(root: str | Path) -> Scan:
    """The classes and images of a labelled folder; DataFolderError says what is wrong with it."""
    root = Path(root)
    if not root.is_dir():
        raise DataFolderError(Reason(Code.NOT_A_FOLDER, f"{root} is not a folder: expected one folder per class, "
                                     "each holding its images", folder=str(root)))
    ignored: list[Path] = []
    top = _class_folders(root)
    if len(top) == 1 and _class_folders(top[0]) and not any(p.suffix.lower() in IMAGE_SUFFIXES for p in root.iterdir()):
        return scan(top[0])  # a zip of one folder wrapping the classes
    presplit = bool(top) and {p.name for p in top} <= set(SPLITS) and "train" in {p.name for p in top}
    splits: dict[Path, str] = {}
    files: dict[str, list[Path]] = {}
    for split_folder in (top if presplit else [root]):
        for folder in _class_folders(split_folder):
            images = _images_under(folder, ignored)
            files.setdefault(folder.name, []).extend(images)
            if presplit:
                splits.update(dict.fromkeys(images, split_folder.name))
    ignored += [p for p in root.iterdir() if p.is_file() and p.name != NAMES_FILE]
    classes = tuple(sorted(files))
    if len(classes) < 2:
        raise DataFolderError(Reason(
            Code.TOO_FEW_CLASSES, f"{root} holds {len(classes)} class folder(s) ({', '.join(classes) or 'none'}): "
            "a classifier needs two or more, one folder per class", folder=str(root), count=len(classes),
            classes=", ".join(classes) or "–"))
    empty = [c for c in classes if not files[c]]
    if empty:
        raise DataFolderError(Reason(Code.CLASSES_EMPTY, f"{root}: class folder(s) {', '.join(empty)} hold no images "
                                     f"({', '.join(IMAGE_SUFFIXES)}): add photos or remove the folder",
                                     folder=str(root), classes=", ".join(empty)))
    return Scan(root, classes, files, splits, ignored, _names(root, classes))


def data_sets(root: Path | None) -> list[Scan]:
    """Every labelled folder directly under the data root, by name: the chapter's own (MNIST, the
    book's cats/dogs split) and hidden folders (an upload being unpacked) left out, as are
    folders that are no data set."""
    if not root or not Path(root).is_dir():
        return []
    own = {Path(MNIST.path).parts[0], CATS_DOGS.path}
    found = []
    for folder in _class_folders(Path(root)):
        if folder.name not in own:
            try:
                found.append(scan(folder))
            except DataFolderError:
                continue
    return found
