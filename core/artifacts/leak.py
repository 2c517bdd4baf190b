"""The leak lesson: what a random split of a labelled folder would have claimed, against the
leakage-free split, from bench/leak.py's results (the Compare page says it in one sentence)."""
from __future__ import annotations

import json
from pathlib import Path

from core.paths import LEAK_RESULT


def leak_lesson(path: Path = LEAK_RESULT) -> dict | None:
    """{dataset, recipe, clean, random (top-1 accuracy, 0-1), points (random minus clean, in
    percentage points)}; None when the benchmark has not been run here (or its file is damaged)."""
    try:
        data = json.loads(Path(path).read_text())["data"]
        clean, leaky = float(data["clean"]["top1"]), float(data["random"]["top1"])
        return {"dataset": str(data["dataset"]), "recipe": str(data["recipe"]), "clean": clean, "random": leaky,
                "points": round((leaky - clean) * 100, 1)}
    except (OSError, ValueError, KeyError, TypeError):
        return None
