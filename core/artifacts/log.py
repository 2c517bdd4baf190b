"""The live-training log (`log.jsonl`): the trainer appends one JSON object per line, the
pages and the launcher only read it. Each line is {"event": Event, "time": ..., ...}."""
from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path

from core.reasons import Code, Reason


class Event(StrEnum):
    START = "start"  # recipe, base, epochs, resume
    PHASE = "phase"  # name: a Phase (train: steps; unfreeze: layers)
    BATCH = "batch"  # epoch, batch, steps, loss, accuracy
    EPOCH = "epoch"  # epoch, epochs, seconds and the history keys
    WARNING = "warning"  # message, code, params (files: the skipped images)
    DONE = "done"  # test_accuracy, seconds
    ERROR = "error"  # message (English), code (a core.reasons.Code), params (the launcher's cancel: recipe)


class Phase(StrEnum):
    """The trainer's phases, in order (core.training.train runs one function per phase)."""

    DATA = "data"
    UNFREEZE = "unfreeze"
    FEATURES = "features"
    TRAIN = "train"
    EXPORT = "export"
    EVALUATE = "evaluate"


class RunLog:
    """Appends one JSON object per line to log.jsonl (the live-training contract)."""

    def __init__(self, path: Path):
        self.path = path

    def __call__(self, event: Event, **fields) -> None:
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


def event_reason(event: dict) -> Reason:
    """An error or warning event's Reason, for the page to translate by its code; an event
    without a known code (an older trainer's) is `unexpected`, named by its message's prefix."""
    message = str(event.get("message") or "")
    if event.get("code") in set(Code) and isinstance(event.get("params", {}), dict):
        return Reason(event["code"], message, **event.get("params", {}))
    return Reason(Code.UNEXPECTED, message, type=message.partition(":")[0] or "?")
