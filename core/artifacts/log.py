"""The live-training log (`log.jsonl`): the trainer appends one JSON object per line, the
pages and the launcher only read it. Events: start, phase, batch, epoch, warning, done, error."""
from __future__ import annotations

import json
import time
from pathlib import Path


class RunLog:
    """Appends one JSON object per line to log.jsonl (the live-training contract)."""

    def __init__(self, path: Path):
        self.path = path

    def __call__(self, event: str, **fields) -> None:
        fields = {"event": event, "time": round(time.time(), 3), **fields}
        with open(self.path, "a") as f:
            f.write(json.dumps(fields) + "\n")
            f.flush()


def read_log(path: Path) -> list[dict]:
    """Every complete line of a run's log (a line being written is ignored)."""
    events = []
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return events
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    return events
