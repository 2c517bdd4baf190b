"""Live training from the app: `python -m core train` in a background process group.

Training never runs inside a Streamlit script run (a rerun would kill or duplicate it).
One run at a time per server: an exclusive lock file under runs_dir() holds the trainer's
pid; a lock whose pid is gone (the run ended, the server died) is stale and is replaced.
The page learns everything else from the run's own log.jsonl (`core.artifacts.log.read_log`).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from core import recipes
from core.artifacts.files import atomic_write_json
from core.artifacts.log import Event, Phase, RunLog, event_reason, read_log
from core.artifacts.rundir import HISTORY_KEYS, new_run_dir
from core.data.manifest import MANIFEST_NAME
from core.paths import REPO, runs_dir
from core.reasons import Code, Reason

LOCK_NAME = ".training.lock"
OUTPUT_NAME = "output.log"  # the trainer's stdout and stderr
TRAIN_COMMAND = (sys.executable, "-m", "core", "train")
GRACE_SECONDS = 10.0  # between SIGTERM and SIGKILL


class Busy(RuntimeError):
    """A second start while a run is going; `run` names the running one."""

    def __init__(self, run: Path):
        super().__init__(f"{run.name} is training; wait for it or cancel it")
        self.run = run


def _alive(pid: int) -> bool:
    """Whether pid is a live process (a finished child of ours is reaped, zombies are dead)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child: the kernel's answer below is enough
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _lock_path(root: Path | None) -> Path:
    return Path(root or runs_dir()) / LOCK_NAME


def current(root: Path | None = None) -> dict | None:
    """The running run's lock ({"pid", "run", "recipe", "started"}; "owner", the starting
    server, until the trainer's pid is known), or None. A stale lock (its process gone) is removed."""
    path = _lock_path(root)
    try:
        lock = json.loads(path.read_text())
        pid = int(lock.get("pid") or lock["owner"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        lock, pid = {}, 0  # unreadable: treat as stale
    if pid > 0 and _alive(pid):
        return lock
    path.unlink(missing_ok=True)
    return None


def _acquire(path: Path, lock: dict) -> None:
    """Create the lock with its content in one step (a hard link of a written temp file), so
    no reader ever sees a half-written lock; a stale one is removed and the link retried."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{LOCK_NAME}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(lock, f)
        for _ in range(2):
            try:
                os.link(tmp, path)
                return
            except FileExistsError:
                held = current(path.parent)
                if held:
                    raise Busy(Path(held["run"])) from None
        raise RuntimeError(f"could not take the training lock {path}")
    finally:
        os.unlink(tmp)


def start(recipe_id: str, epochs: int, base: str | None = None, start_from: Path | None = None,
          root: Path | None = None, data: Path | None = None) -> Path:
    """Start training in a new process group; return its run dir. Raises Busy while another
    run holds the lock. `data`: a labelled folder for a cats/dogs recipe (`--data`), named in the run's name."""
    recipe = recipes.get(recipe_id)
    root = Path(root or runs_dir())
    root.mkdir(parents=True, exist_ok=True)
    run = new_run_dir(f"{recipe.id}-{Path(data).name}" if data else recipe.id, root)
    path = _lock_path(root)
    lock = {"owner": os.getpid(), "run": str(run), "recipe": recipe.id, "started": time.time()}
    _acquire(path, lock)
    try:
        run.mkdir(parents=True)
        command = [*TRAIN_COMMAND, recipe.id, "--epochs", str(epochs), "--out", str(run)]
        if base and recipe.pretrained:
            command += ["--base", base]
        if start_from:
            command += ["--from", str(start_from)]
        if data:
            command += ["--data", str(data)]
        with open(run / OUTPUT_NAME, "wb") as output:
            process = subprocess.Popen(command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True,
                                       env={**os.environ, "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "2"})
        atomic_write_json(path, {**lock, "pid": process.pid})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return run


def cancel(root: Path | None = None, grace: float = GRACE_SECONDS) -> Path | None:
    """Stop the running run (SIGTERM to its group, SIGKILL after `grace` s); its dir keeps
    the last epoch's checkpoint, if one finished, for `resume_command`. Returns the run dir, or None."""
    held = current(root)
    if not held or not held.get("pid"):  # nothing, or a trainer not started yet
        return None
    pid = int(held["pid"])
    try:
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            os.killpg(pid, sig)
            deadline = time.monotonic() + wait
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if not _alive(pid):
                break
        os.killpg(pid, signal.SIGKILL)  # stragglers of the group, if any
    except ProcessLookupError:
        pass
    run = Path(held["run"])
    log = run / "log.jsonl"
    if status(run, running=False).state != State.DONE:  # it may have finished while we asked
        if log.is_file() and not log.read_bytes().endswith(b"\n"):  # a line cut by the kill
            with open(log, "a") as f:
                f.write("\n")
        RunLog(log)(Event.ERROR, message="cancelled", code=Code.CANCELLED, params={}, recipe=held.get("recipe"))
    _lock_path(root).unlink(missing_ok=True)
    return run


class State(StrEnum):
    """A run's state as the Train page shows it."""

    STARTING = "starting"  # the trainer has not logged yet
    RUNNING = "running"
    DONE = "done"
    ERROR = "error"
    CANCELLED = "cancelled"
    STOPPED = "stopped"  # the process is gone without a last word


@dataclass
class Status:
    """A run as its log tells it."""

    state: State = State.STARTING
    recipe: str | None = None
    base: str | None = None
    phase: Phase | None = None
    epoch: int = 0  # epochs finished
    epochs: int = 0
    batch: int = 0  # within the epoch being trained
    steps: int = 0
    history: dict = field(default_factory=dict)
    test_accuracy: float | None = None
    message: Reason | None = None  # the error, or the last warning: its English, its code for the page


def status(run: Path, running: bool) -> Status:
    """Fold the run's log.jsonl into a Status; `running` (the lock is this run's) tells a
    run that just has not logged yet from one that died without a word."""
    result = Status()
    for event in read_log(Path(run) / "log.jsonl"):
        kind = event.get("event")
        if kind == Event.START:
            result.recipe, result.base, result.state = event.get("recipe"), event.get("base"), State.RUNNING
            result.epochs = event.get("epochs", 0)
        elif kind == Event.PHASE and event.get("name") in set(Phase):
            result.phase = Phase(event["name"])
        elif kind == Event.BATCH:
            result.batch, result.steps = event.get("batch", 0), event.get("steps", 0)
        elif kind == Event.EPOCH:
            result.epoch, result.batch = event.get("epoch", 0), 0
            for key in HISTORY_KEYS:
                result.history.setdefault(key, []).append(event.get(key))
        elif kind == Event.WARNING:
            result.message = event_reason(event)
        elif kind == Event.DONE:
            result.state, result.test_accuracy = State.DONE, event.get("test_accuracy")
        elif kind == Event.ERROR:
            result.recipe = result.recipe or event.get("recipe")  # cancelled before the trainer's start event
            result.message = event_reason(event)
            result.state = State.CANCELLED if result.message.code == Code.CANCELLED else State.ERROR
    if result.state in (State.STARTING, State.RUNNING) and not running:
        result.state = State.STOPPED
    return result


def estimated_finish(run: Path) -> float | None:
    """When the run should end (a Unix time), from its log: the epochs left at the pace of the
    ones done since its start event; None before the first epoch (no pace yet)."""
    start, epochs, done, last = None, 0, 0, None
    for event in read_log(Path(run) / "log.jsonl"):
        if event.get("event") == Event.START:
            start, epochs = event.get("time"), event.get("epochs", 0)
        elif event.get("event") == Event.EPOCH:
            done, last = event.get("epoch", 0), event.get("time")
    if start is None or last is None or done <= 0:
        return None
    return last + max(epochs - done, 0) * (last - start) / done


def output_tail(run: Path, chars: int = 3000) -> str:
    """The end of the trainer's console output (for an error that happened before logging)."""
    try:
        return (Path(run) / OUTPUT_NAME).read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def shown_path(run: Path) -> str:
    """A run dir as the CLI lines show it: relative to the repository when inside it."""
    run = Path(run).resolve()
    return str(run.relative_to(REPO)) if run.is_relative_to(REPO) else str(run)


def resume_command(run: Path) -> str | None:
    """The CLI line that continues a stopped run from its last checkpoint (state.json, written
    after each epoch, names the recipe, epochs and base); None before an epoch finished."""
    try:
        state = json.loads((Path(run) / "state.json").read_text())
        recipe, epochs = recipes.get(state["recipe"]).id, int(state["epochs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    base = f" --base {state['base']}" if state.get("base") else ""
    try:  # a labelled folder's run: its split manifest names the folder
        data = f" --data {json.loads((Path(run) / MANIFEST_NAME).read_text(encoding='utf-8'))['root']}"
    except (OSError, ValueError, KeyError, TypeError):
        data = ""
    return f"python -m core train {recipe} --epochs {epochs}{base}{data} --out {shown_path(run)} --resume"


def promote_command(run: Path) -> str:
    """The CLI line that copies a finished run into trained/ (promotion is never automatic)."""
    return f"python -m core promote {shown_path(run)}"
