"""10. Choosing fine_tuning's learning rate and epochs for CCSN on its validation split only (the
test split is never looked at to choose). fine_tuning continues the clean feature_extraction run
(bench/leak.py makes or reuses it; its head is trained already) with Lite0's last stage unfrozen
(Listing 5.22) at each learning rate for RANGE epochs; each run is a whole `core train` run
whose history records validation accuracy per epoch. The rate with the best validation
accuracy at its last epoch is chosen, as ccsn_tuning chose feature_extraction's; the best epoch
of each curve is shown to judge the epoch count. Every run stays in runs/ (ccsn-ft-<rate>), so
the chosen one is promoted as it is: `python -m core promote runs/ccsn-ft-<rate>`."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench import leak, table

TITLE = "CCSN: fine_tuning's learning rate and epochs, chosen on the validation split"
RECIPE = "fine_tuning"
RATES = (1e-4, 3e-5)
EPOCHS = 30  # three times the first, untuned 10: long enough to see each curve turn


def missing() -> str | None:
    return leak.missing()


def run(quick: bool) -> dict:
    import dataclasses
    import tempfile

    from core import recipes
    from core.artifacts.card import Card
    from core.paths import runs_dir
    from core.training.train import train

    epochs = 1 if quick else EPOCHS
    curves, runs = {}, {}
    with tempfile.TemporaryDirectory() as scratch:
        data = leak.data_folder(quick, Path(scratch))
        parent = None if quick else leak.finished("clean")
        if parent is None:
            parent = train(leak.RECIPE, data_dir=data, epochs=1 if quick else None, verbose=0,
                           out=Path(scratch) / "fe" if quick else None)
        tuned = recipes.TUNINGS[(leak.DATA, RECIPE)]
        try:
            for rate in RATES:
                recipes.TUNINGS[(leak.DATA, RECIPE)] = dataclasses.replace(tuned, learning_rate=rate, epochs=epochs)
                out = (Path(scratch) if quick else runs_dir()) / f"{leak.DATA}-ft-{rate:g}"
                done = not quick and (out / "card.json").is_file() and Card.read(out).epochs == epochs
                run_dir = out if done else train(RECIPE, data_dir=data, start_from=parent, out=out,
                                                 resume=out.is_dir(), verbose=2)
                history = json.loads((run_dir / "history.json").read_text())
                curves[rate], runs[rate] = history["val_accuracy"][-epochs:], run_dir.name
        finally:
            recipes.TUNINGS[(leak.DATA, RECIPE)] = tuned
    best = max(RATES, key=lambda r: curves[r][-1])
    rows = [[f"{r:g}", round(max(c), 4), int(np.argmax(c)) + 1, round(c[-1], 4), runs[r]] for r, c in curves.items()]
    return {
        "tables": [table(f"{RECIPE} on {leak.DATA} from {Path(parent).name}: validation accuracy (seed 0, "
                         f"{epochs} epochs)", ["learning rate", "best val accuracy", "at epoch",
                                              f"at epoch {epochs}", "run"], rows)],
        "targets": [],
        "notes": [f"Chosen: learning rate {best:g} for {epochs} epochs (the highest validation accuracy at the last "
                  "epoch); core/recipes.py TUNINGS holds it. The test split was not looked at to choose."],
        "data": {"learning_rate": best, "epochs": epochs, "parent": Path(parent).name,
                 "val_accuracy": {f"{r:g}": [round(v, 4) for v in c] for r, c in curves.items()}},
    }
