"""8. The leak: what a random split of CCSN would have claimed. The same recipe
(feature_extraction), seed and schedule train twice on ../shared/data/ccsn: once on the
leakage-free split (copies of one photo on one side, photos filed under two genera left out;
what every shipped cloud model uses) and once on a random split that ignores both, as most
published CCSN numbers do; and a third time on a split that deals copies apart but still leaves
the conflicts out, which tells the copies' part of the difference from the conflicts'. Each is
measured on its own test split; the difference is the leak.
Both runs stay in runs/ and are reused while the recipe's settings are unchanged (the clean one
is what trained/ccsn-feature_extraction/ ships); `python -m core train feature_extraction --data
../shared/data/ccsn --split random` makes the leaky run by hand."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench import table, target

TITLE = "CCSN: a leakage-free split against a random one (what the leak inflates)"
RECIPE = "feature_extraction"
DATA = "ccsn"
QUICK_PHOTOS = 8  # per genus, for a smoke run


def missing() -> str | None:
    from core.data import folders

    root = folders.data_root()
    return None if root and (root / DATA).is_dir() else f"needs {DATA}/ under ../shared/data or $CONVNET_DATA"


def data_folder(quick: bool, scratch: Path) -> Path:
    """CCSN itself; for a smoke run, its first few photos of each genus copied under `scratch`."""
    from core.data import folders

    root = folders.data_root() / DATA
    if not quick:
        return root
    for genus in sorted(p for p in root.iterdir() if p.is_dir()):
        (scratch / DATA / genus.name).mkdir(parents=True)
        for photo in sorted(genus.glob("*.jpg"))[:QUICK_PHOTOS]:
            shutil.copyfile(photo, scratch / DATA / genus.name / photo.name)
    return scratch / DATA


def finished(mode: str):
    """A finished run of RECIPE on DATA with this split mode, seed 0 and the recipe's current
    learning rate and epochs, in runs/ (None when there is none)."""
    from core import recipes
    from core.artifacts.rundir import finished_runs

    recipe = recipes.on_data(recipes.get(RECIPE), DATA)
    for info in finished_runs(RECIPE):
        card = info.card
        if (card.dataset == DATA and (card.data_check or {}).get("split_mode", "clean") == mode and card.seed == 0
                and card.learning_rate == recipe.learning_rate and card.epochs == recipe.epochs):
            return info.path
    return None


def run(quick: bool) -> dict:
    from core.artifacts.card import Card
    from core.data import manifest
    from core.training.train import train

    cards = {}
    with tempfile.TemporaryDirectory() as scratch:
        data = data_folder(quick, Path(scratch))
        for mode in manifest.MODES:
            run_dir = None if quick else finished(mode)
            run_dir = run_dir or train(RECIPE, data_dir=data, split_mode=mode, epochs=1 if quick else None,
                                       verbose=0, out=Path(scratch) / mode if quick else None)
            cards[mode] = (run_dir, Card.read(run_dir))
    data = {mode: {"run": run_dir.name, "top1": card.metrics["top1"], "top3": card.metrics.get("top3"),
                   "macro_f1": card.metrics["macro_f1"], "test_size": card.test_size, "epochs": card.epochs,
                   "learning_rate": card.learning_rate}
            for mode, (run_dir, card) in cards.items()}
    points = round((data["random"]["top1"] - data["clean"]["top1"]) * 100, 1)
    copy_points = round((data["copies"]["top1"] - data["clean"]["top1"]) * 100, 1)
    data.update(recipe=RECIPE, dataset=DATA, points=points)
    rows = [[mode, d["test_size"], d["top1"], d["top3"], d["macro_f1"]] for mode, d in
            ((m, data[m]) for m in manifest.MODES)]
    return {
        "tables": [table(f"{RECIPE} on {DATA}, seed 0, {data['clean']['epochs']} epochs, each on its own test split",
                         ["split", "test photos", "top-1", "top-3", "macro-F1"], rows)],
        "targets": [target("what a random split of CCSN claims (its top-1 minus the clean split's)", "measured",
                           f"{points:+.1f} points", True),
                    target("of which the copies alone (copies dealt apart, conflicts still left out)", "measured",
                           f"{copy_points:+.1f} points", True)],
        "notes": ["A random split does two things to CCSN's numbers: copies of a test photo land in training "
                  "(the model is partly tested on photos it has seen: flattering), and photos filed under two "
                  "genera stay in (one of the two labels must be wrong: harsh). The difference is their sum; "
                  "the 'copies' split measures the first on its own. No number of a leaky split says what the "
                  "model does on new skies."],
        "data": data,
    }
