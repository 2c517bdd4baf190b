"""A leakage-free split of a labelled folder, recorded as a manifest (which file went where;
never copies of the photos).

Copies of one photo (the data check's groups) always land on the same side, so no test photo
was trained on in another encoding; a photo filed under two classes (a label conflict) is left
out of training and testing. Groups are dealt to train/validation/test per class, seeded, so
each class keeps its share (stratified) and the same seed gives the same split.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from core.data.check import Report
from core.data.folders import SPLITS, DataFolderError
from core.paths import MANIFEST_NAME, REPO
from core.reasons import Code, Reason

FRACTIONS = (0.7, 0.15, 0.15)  # train, validation, test
MODES = ("clean", "copies", "random")  # "random": what most published splits do (copies and conflicts
# ignored); "copies": copies dealt apart but conflicts still left out, to tell the copies' part of the leak
# from the conflicts' part (bench/leak.py); only "clean" is ever the default


@dataclass(frozen=True)
class Manifest:
    root: str
    classes: tuple[str, ...]
    seed: int
    files: dict[str, dict[str, list[str]]]  # split -> class -> files, relative to root
    left_out: list[str]  # label conflicts, relative to root
    duplicate_groups: int  # groups of copies kept together
    presplit: bool  # the folder's own train/validation/test was used
    mode: str = "clean"  # one of MODES

    def counts(self) -> dict[str, dict[str, int]]:
        return {split: {c: len(files) for c, files in by_class.items()} for split, by_class in self.files.items()}

    def to_json(self) -> dict:
        return {"root": self.root, "classes": list(self.classes), "seed": self.seed, "presplit": self.presplit,
                "fractions": list(FRACTIONS), "counts": self.counts(), "duplicate_groups": self.duplicate_groups,
                "left_out": self.left_out, "mode": self.mode, "files": self.files}


def split(report: Report, seed: int = 0, splits: dict | None = None, mode: str = "clean") -> Manifest:
    """Deal the report's photos to train/validation/test. `splits` (image -> split) keeps a
    pre-split folder's own sides, still leaving conflicts out. mode "random" deals every photo
    on its own, copies and conflicts included: the leaky split, kept only to measure the leak;
    "copies" deals every photo on its own but leaves conflicts out (the copies' leak alone)."""
    if mode not in MODES:
        raise ValueError(f"unknown split mode {mode!r}; choose one of: {', '.join(MODES)}")
    unreadable = [c for c in report.classes if report.counts[c]
                  and not any(p.problem is None for p in report.photos if p.label == c)]
    if unreadable:
        raise DataFolderError(Reason(
            Code.CLASSES_UNREADABLE, f"{report.root}: none of the images in {', '.join(unreadable)} can be read "
            "(the data check lists why): replace them with readable photos or remove the folder",
            folder=str(report.root), classes=", ".join(unreadable)))
    conflicted = set() if mode == "random" else {p.path for g in report.conflicts for p in g}
    readable = [p for p in report.photos if p.problem is None and p.path not in conflicted]
    group_of = {} if mode != "clean" else {p.path: i for i, g in enumerate(report.groups) for p in g}
    units: dict[object, list] = {}
    for photo in readable:
        units.setdefault(group_of.get(photo.path, photo.path), []).append(photo)
    files = {s: {c: [] for c in report.classes} for s in SPLITS}
    rng = random.Random(seed)
    for label in report.classes:
        groups = sorted((u for u in units.values() if u[0].label == label), key=lambda u: str(u[0].path))
        rng.shuffle(groups)
        total = sum(len(g) for g in groups)
        want = {side: max(1, round(share * total)) for side, share in zip(SPLITS, FRACTIONS)}
        have = dict.fromkeys(SPLITS, 0)
        for group in groups:  # a group never splits; each goes where most images are still wanted
            side = splits.get(group[0].path, "train") if splits else max(SPLITS, key=lambda s: want[s] - have[s])
            files[side][label] += [str(p.path.relative_to(report.root)) for p in group]
            have[side] += len(group)
    short = {label: sum(len(files[s][label]) for s in SPLITS) for label in report.classes
             if any(not files[s][label] for s in SPLITS)}
    if short:
        raise DataFolderError(Reason(
            Code.TOO_FEW_TO_SPLIT, "too few usable images to give every split some of: "
            f"{', '.join(f'{c} ({n} images)' for c, n in short.items())}; each class needs at least "
            f"{len(SPLITS)} distinct photos (7 or more for a useful test): add photos",
            classes=", ".join(f"{c} ({n})" for c, n in short.items()), needed=len(SPLITS)))
    return Manifest(str(report.root), report.classes, seed, files,
                    sorted(str(p.relative_to(report.root)) for p in conflicted), len(report.groups), bool(splits), mode)


def held_out(run_dir: Path, classes: tuple[str, ...], data_root: Path | None = None) -> list[tuple[Path, int]] | None:
    """The test photos a run's manifest (split.json) names, with their labels (indices into
    `classes`), where they are on this machine: under the manifest's root (relative to the
    repository when relative), else under data_root/<its folder name>; None when the run has no
    manifest or its photos are not here."""
    try:
        manifest = json.loads((Path(run_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
        recorded = Path(manifest["root"])
        files = manifest["files"]["test"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    places = [recorded if recorded.is_absolute() else REPO / recorded]
    if data_root:
        places.append(Path(data_root) / recorded.name)
    for root in places:
        found = [(root / name, classes.index(label)) for label, names in files.items() if label in classes
                 for name in names]
        if found and all(path.is_file() for path, _ in found):
            return found
    return None
