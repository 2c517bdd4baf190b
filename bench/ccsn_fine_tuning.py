"""10. Choosing fine_tuning's learning rate, epochs and unfrozen stages for CCSN on its validation
split only (the test split is never looked at to choose). fine_tuning continues the clean
feature_extraction run (bench/leak.py makes or reuses it; its head is trained already) with
Lite0's last stage unfrozen (Listing 5.22), or its last two, for each setting of CANDIDATES; each
run is a whole `core train` run whose history records validation accuracy per epoch. The setting
with the best mean validation accuracy over its last LAST epochs is chosen: on 341 validation
photos one epoch's accuracy moves by 1-2 points from the next one's (the curves' spread, in the
table), so the last epoch alone is a noisy judge; the best epoch of each curve is shown to judge
the epoch count. Every run stays in runs/ (ccsn-ft-<rate>[-<stages>stages][-<epochs>epochs]), so
the chosen one is promoted as it is: `python -m core promote runs/<that run>`."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench import leak, table

TITLE = "CCSN: fine_tuning's learning rate, epochs and unfrozen stages, chosen on the validation split"
RECIPE = "fine_tuning"
EPOCHS = 30  # three times the first, untuned 10: long enough to see each curve turn
# (learning rate, Lite0 stages unfrozen, epochs): the book's one stage at two rates, then the better rate with
# two stages (stages 6-7 and the head conv: 77 % of Lite0's weights, where the book's block5 is 48 % of VGG16's),
# whose curve peaked at epoch 13; then two stages at the book's own rate (Listing 5.23: 1e-5), slower, so over
# twice the epochs (the book's are 100)
CANDIDATES = ((1e-4, 1, EPOCHS), (3e-5, 1, EPOCHS), (3e-5, 2, EPOCHS), (1e-5, 2, 2 * EPOCHS))
LAST = 10  # the epochs whose mean validation accuracy chooses (a third of the run)


def _name(rate: float, stages: int, epochs: int) -> str:
    return (f"{leak.DATA}-ft-{rate:g}" + (f"-{stages}stages" if stages > 1 else "")
            + (f"-{epochs}epochs" if epochs != EPOCHS else ""))


def missing() -> str | None:
    return leak.missing()


def run(quick: bool) -> dict:
    import dataclasses
    import tempfile

    from core import recipes
    from core.artifacts.card import Card
    from core.paths import runs_dir
    from core.training.train import train

    curves, runs = {}, {}
    with tempfile.TemporaryDirectory() as scratch:
        data = leak.data_folder(quick, Path(scratch))
        parent = None if quick else leak.finished("clean")
        if parent is None:
            parent = train(leak.RECIPE, data_dir=data, epochs=1 if quick else None, verbose=0,
                           out=Path(scratch) / "fe" if quick else None)
        tuned = recipes.TUNINGS[(leak.DATA, RECIPE)]
        try:
            for candidate in CANDIDATES:
                rate, stages, epochs = candidate[0], candidate[1], 1 if quick else candidate[2]
                recipes.TUNINGS[(leak.DATA, RECIPE)] = dataclasses.replace(tuned, learning_rate=rate, epochs=epochs,
                                                                           unfreeze_blocks=stages)
                out = (Path(scratch) if quick else runs_dir()) / _name(*candidate)
                done = not quick and (out / "card.json").is_file() and Card.read(out).epochs == epochs
                run_dir = out if done else train(RECIPE, data_dir=data, start_from=parent, out=out,
                                                 resume=out.is_dir(), verbose=2)
                history = json.loads((run_dir / "history.json").read_text())
                curves[candidate], runs[candidate] = history["val_accuracy"][-epochs:], run_dir.name
        finally:
            recipes.TUNINGS[(leak.DATA, RECIPE)] = tuned
    last = 1 if quick else LAST
    best = max(CANDIDATES, key=lambda c: np.mean(curves[c][-last:]))
    by_last_epoch = max(CANDIDATES, key=lambda c: curves[c][-1])
    rows = [[f"{r:g}", s, len(c), round(float(np.mean(c[-last:])), 4), round(float(np.std(c[-last:])), 4),
             round(max(c), 4), int(np.argmax(c)) + 1, round(c[-1], 4), runs[r, s, e]]
            for (r, s, e), c in curves.items()]
    return {
        "tables": [table(f"{RECIPE} on {leak.DATA} from {Path(parent).name}: validation accuracy (seed 0, "
                         "per candidate)", ["learning rate", "stages unfrozen", "epochs", f"mean of the last {last}",
                                              "their spread (sd)", "best val accuracy", "at epoch",
                                              "at the last epoch", "run"], rows)],
        "targets": [],
        "notes": [f"Chosen: learning rate {best[0]:g}, {best[1]} stage(s) unfrozen, for {best[2]} epochs (the highest "
                  f"mean validation accuracy over the last {last} epochs); core/recipes.py TUNINGS holds it. The test "
                  "split was not looked at to choose.",
                  f"By the validation accuracy of the last epoch alone (this bench's rule until the two-stage run was "
                  f"added, changed once its curve was seen) the choice would be {by_last_epoch[0]:g} with "
                  f"{by_last_epoch[1]} stage(s) for {by_last_epoch[2]} epochs."],
        "data": {"learning_rate": best[0], "unfreeze_blocks": best[1], "epochs": best[2], "parent": Path(parent).name,
                 "val_accuracy": {runs[c]: [round(v, 4) for v in curve] for c, curve in curves.items()}},
    }
