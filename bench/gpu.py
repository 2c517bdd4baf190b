"""The Python side of bench/gpu.sh: what a device call would carry, a tiny subset of the data for
a quick dry run, and the six recipes' schedules in dependency order under the Keras backend in
use, each into its own run dir without export (the lent machine has no TensorFlow): histories,
logs and the Keras model's test accuracy, which `python -m bench.training collect` gathers."""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

LIMIT_MIB = 64  # what one device call may carry: working tree and carried paths together


def _git(*args: str, cwd: Path) -> list[str]:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True, text=True).stdout
    return [line for line in out.split("\0") if line]


def travel(repo: Path, carry: list[str]) -> dict:
    """What a device call sends, as the device README counts it: tracked files present in the
    working tree, untracked files git does not ignore, and the carried paths; bytes per top folder."""
    files = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=repo)
    paths = [repo / f for f in files]
    for name in carry:
        root = repo / name
        paths += [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else [root] * root.is_file()
    sizes: dict[str, int] = {}
    for path in set(paths):
        if path.is_file() and not path.is_symlink():  # a tracked file outside the sparse checkout is absent
            top = path.relative_to(repo).parts[0]
            sizes[top] = sizes.get(top, 0) + path.stat().st_size
    total = sum(sizes.values())
    return {"folders": dict(sorted(sizes.items(), key=lambda kv: -kv[1])), "total": total,
            "fits": total <= LIMIT_MIB * 2**20}


def print_travel(repo: Path, carry: list[str]) -> bool:
    found = travel(repo, carry)
    for top, size in found["folders"].items():
        print(f"  {size / 2**20:8.1f} MiB  {top}")
    verdict = "fits" if found["fits"] else "is OVER the limit: see bench/gpu.sh's header (sparse checkout)"
    print(f"  {found['total'] / 2**20:8.1f} MiB  in all, of {LIMIT_MIB} MiB: {verdict}")
    return found["fits"]


def subset(source: Path, out: Path, per_class: int) -> Path:
    """The first `per_class` photos of each class and split of the cats/dogs folder, and MNIST's
    validation rows plus 64 x per_class training and test rows: every recipe's first epoch in
    seconds (the dry run's quick form)."""
    import shutil

    cats_dogs = source / "cats_and_dogs_small"
    for folder in sorted(p for p in cats_dogs.glob("*/*") if p.is_dir()):
        target = out / "cats_and_dogs_small" / folder.relative_to(cats_dogs)
        target.mkdir(parents=True, exist_ok=True)
        for photo in sorted(folder.iterdir())[:per_class]:
            shutil.copy(photo, target / photo.name)
    from core.datasets import get

    validation = get("mnist").validation_from_train
    with np.load(source / "mnist" / "mnist.npz") as mnist:
        rows = {"train": validation + 64 * per_class, "test": 64 * per_class}
        arrays = {f"{k}_{split}": mnist[f"{k}_{split}"][:n] for split, n in rows.items() for k in "xy"}
    (out / "mnist").mkdir(parents=True, exist_ok=True)
    np.savez(out / "mnist" / "mnist.npz", **arrays)
    return out


def train_all(runs: Path, data: Path, epochs: int | None, seed: int = 0) -> None:
    """The six recipes in dependency order (fine_tuning continues feature_extraction_augmented),
    no export, each timed by its own log; a failed recipe leaves the others to run."""
    import keras

    from core import recipes
    from core.training.train import train

    done: dict[str, Path] = {}
    print(f"Keras {keras.__version__} on {keras.backend.backend()}", flush=True)
    for recipe_id in recipes.RECIPE_IDS:
        parent = recipes.get(recipe_id).starts_from
        if parent and parent not in done:
            print(f"{recipe_id}: skipped, {parent} did not finish", flush=True)
            continue
        started = time.time()
        try:
            done[recipe_id] = train(recipe_id, epochs=epochs, data_dir=data, out=runs / recipe_id, seed=seed,
                                    start_from=done.get(parent), verbose=2, to_onnx=False)
            print(f"{recipe_id}: {time.time() - started:.0f} s", flush=True)
        except Exception as error:  # noqa: BLE001  (reported; the next recipes still run)
            print(f"{recipe_id}: FAILED after {time.time() - started:.0f} s: {type(error).__name__}: {error}",
                  flush=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.gpu", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("travel", help="what a device call would carry, and whether it fits")
    t.add_argument("--carry", nargs="*", default=[])
    s = sub.add_parser("subset", help="a tiny copy of the data for a quick dry run")
    s.add_argument("source", type=Path)
    s.add_argument("out", type=Path)
    s.add_argument("--per-class", type=int, default=8)
    r = sub.add_parser("train", help="the six recipes, no export, into RUNS/<recipe>")
    r.add_argument("runs", type=Path)
    r.add_argument("--data", type=Path, required=True)
    r.add_argument("--epochs", type=int, help="every recipe's epochs (default: the book's)")
    args = p.parse_args(argv)
    if args.command == "travel":
        return 0 if print_travel(Path.cwd(), args.carry) else 1
    if args.command == "subset":
        print(subset(args.source, args.out, args.per_class))
        return 0
    train_all(args.runs, args.data, args.epochs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
