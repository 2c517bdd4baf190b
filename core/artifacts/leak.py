"""The leak lesson: what a random split of a labelled folder would have claimed, against the
leakage-free split, from bench/leak.py's results (the Compare page says it in one sentence)."""
from __future__ import annotations

import json
from pathlib import Path

from core.paths import LEAK_RESULT


def leak_lesson(path: Path = LEAK_RESULT) -> dict | None:
    """{dataset, recipe, clean, random (top-1 accuracy, 0-1), points (random minus clean, in
    percentage points)}, and where the benchmark measured the copies' part on its own, copies
    (top-1 of the split that deals copies apart but leaves conflicts out) and copy_points and
    conflict_points (the two parts of `points`); None when the benchmark has not been run here
    (or its file is damaged)."""
    try:
        data = json.loads(Path(path).read_text())["data"]
        clean, leaky = float(data["clean"]["top1"]), float(data["random"]["top1"])
        lesson = {"dataset": str(data["dataset"]), "recipe": str(data["recipe"]), "clean": clean, "random": leaky,
                  "points": round((leaky - clean) * 100, 1)}
        if "copies" in data:
            copies = float(data["copies"]["top1"])
            lesson.update(copies=copies, copy_points=round((copies - clean) * 100, 1),
                          conflict_points=round((leaky - copies) * 100, 1))
        return lesson
    except (OSError, ValueError, KeyError, TypeError):
        return None
