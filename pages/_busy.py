"""What a second user of Train live is told while someone else's run holds the server: which
recipe, since when, and when it should end (estimated from the run's log)."""
from __future__ import annotations

import time
from pathlib import Path

from core.training import launcher
from pages._i18n import t


def clock(moment: float) -> str:
    """A time of day on the server's clock, as a classroom reads it."""
    return time.strftime("%H:%M", time.localtime(moment))


def running_note(lock: dict) -> str:
    """The sentence for a run held by `lock` (launcher.current())."""
    run = Path(lock["run"])
    finish = launcher.estimated_finish(run)
    words = dict(recipe=t(f"recipe.{lock.get('recipe')}"), since=clock(lock["started"]), run=run.name)
    if finish is None:
        return t("train.running_since_no_estimate", **words)
    return t("train.running_since", finish=clock(finish), **words)
