"""1. Serving: the app's prediction path (`core.inference.predictor` + `prepare_image` from a PIL
image, preprocessing included) against bare onnxruntime `session.run` on the prepared array,
Keras `model.predict` and a `tf.function`-wrapped call, at batch 1 and 32, for every model here.
Achieved GFLOP/s is set against a large float32 matmul in numpy measured in the same run."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from bench import _models, interleaved, median, p95, paired_ratio, table, target

TITLE = "Serving: the app's path vs bare onnxruntime, Keras predict and tf.function"
CANDIDATES = ("app path", "bare onnxruntime", "onnxruntime, no spinning", "keras predict", "tf.function")
APP_OVERHEAD_TARGET = 1.2
PREDICT_SPEEDUP_TARGET = 10.0
MATMUL = """
import time, numpy as np
n = {n}
a, b = (np.random.default_rng(i).random((n, n), dtype=np.float32) for i in (0, 1))
a @ b
times = []
for _ in range({repeats}):
    start = time.perf_counter(); a @ b; times.append(time.perf_counter() - start)
print(2 * n**3 / float(np.median(times)) / 1e9)
"""


def missing() -> str | None:
    return None


def matmul_peak(quick: bool) -> dict:
    """GFLOP/s of a float32 n x n matmul: in this process, and in a child without the
    OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides some machines set (they can slow OpenBLAS)."""
    code = MATMUL.format(n=1024 if quick else 2048, repeats=3 if quick else 7)
    here: dict = {}
    exec(code.replace("print(", "result = ("), here)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    child = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    unset = float(child.stdout.strip()) if child.returncode == 0 else None
    return {"in_process": here["result"], "openblas_env_unset": unset}


def _batch_candidates(app, quiet, model, call, images, batch):
    from core.data.images import prepare_image

    arrays = np.stack([prepare_image(image, app.size, app.grey) for image in images[:batch]])
    name = app.input_name
    if batch == 1:
        def app_path():
            return app.predict(images[0])
    else:
        def app_path():
            return app.run(np.stack([prepare_image(image, app.size, app.grey) for image in images[:batch]]))
    return {
        "app path": app_path,
        "bare onnxruntime": lambda: app.session.run(None, {name: arrays}),
        "onnxruntime, no spinning": lambda: quiet.run(None, {name: arrays}),
        "keras predict": lambda: model.predict(arrays, batch_size=batch, verbose=0),
        "tf.function": lambda: call(arrays).numpy(),
    }


def _traced(model, shape):
    """The Keras model's forward pass as one tf.function for any batch size."""
    import tensorflow as tf

    return tf.function(lambda x: model(x, training=False), input_signature=[tf.TensorSpec((None, *shape), tf.float32)])


def run(quick: bool) -> dict:
    from core.data.images import prepare_image
    from core.serving.inference import predictor

    models = _models.present() or [_models.stand_in()]
    if quick:  # the smallest model is enough to prove the path works
        models = [min(models, key=lambda m: (m.path / "model.onnx").stat().st_size)]
    repeats = {1: (3, 1), 32: (2, 1)} if quick else {1: (40, 3), 32: (16, 2)}
    peaks = [matmul_peak(quick)]
    rows, data, notes = [], {"models": {}}, []
    for m in models:
        app = predictor(m.path)
        images = _models.sample_images(32, app.grey)
        quiet = _models.session(m.path / "model.onnx", spinning=False)
        model, keras_source = _models.keras_model(m.recipe, m.base)
        call = _traced(model, (*app.size, 1 if app.grey else 3))
        gflop = _models.flops(model) / 1e9
        entry = {"source": m.source, "keras": keras_source, "gflop_per_image": gflop, "batches": {}}
        if keras_source.endswith("model.keras"):  # same weights: the candidates must agree
            check = np.stack([prepare_image(image, app.size, app.grey) for image in images[:8]])
            entry["max_abs_diff_onnx_keras"] = float(np.max(np.abs(
                app.session.run(None, {app.input_name: check})[0] - np.asarray(model(check, training=False)))))
        for batch, (reps, warm) in repeats.items():
            samples = interleaved(_batch_candidates(app, quiet, model, call, images, batch), reps, warm)
            stats = {}
            for name in CANDIDATES:
                seconds = median(samples[name])
                stats[name] = {"median_ms": seconds * 1e3, "min_ms": min(samples[name]) * 1e3,
                               "p95_ms": p95(samples[name]) * 1e3, "n": len(samples[name]),
                               "vs_bare": paired_ratio(samples[name], samples["bare onnxruntime"]),
                               "gflops": gflop * batch / seconds}
                rows.append([m.recipe, batch, name, stats[name]["median_ms"], stats[name]["min_ms"],
                             stats[name]["p95_ms"], stats[name]["vs_bare"], batch / seconds, stats[name]["gflops"]])
            stats["app path"]["vs_keras_predict"] = paired_ratio(samples["keras predict"], samples["app path"])
            entry["batches"][str(batch)] = stats
        data["models"][m.recipe] = entry
        peaks.append(matmul_peak(quick))
        agree = entry.get("max_abs_diff_onnx_keras")
        notes.append(f"{m.recipe}: ONNX from {m.source}; Keras model {keras_source}"
                     + (f" (outputs agree with the ONNX model to {agree:.1e})" if agree is not None else "")
                     + f"; {gflop:.3f} GFLOP per image (conv/dense MACs × 2).")
    peak = max(v for p in peaks for v in p.values() if v)
    data["matmul_peak_gflops"] = peaks
    for row in rows:
        row.append(100 * row[-1] / peak)

    overhead = [(e["batches"][b]["app path"]["vs_bare"], r, b,
                 e["batches"][b]["app path"]["median_ms"] - e["batches"][b]["bare onnxruntime"]["median_ms"])
                for r, e in data["models"].items() for b in e["batches"]]
    speedup = [(e["batches"]["1"]["app path"]["vs_keras_predict"], r) for r, e in data["models"].items()]
    worst, best_gflops = max(overhead), max((r[8], r[0], r[1]) for r in rows if r[2] == "app path")
    slowest = min(speedup)
    targets = [
        target("app path vs bare onnxruntime (all models, batch 1 and 32)", f"≤ {APP_OVERHEAD_TARGET}×",
               f"worst {worst[0]:.2f}× ({worst[1]}, batch {worst[2]}); "
               + ", ".join(f"{r} b{b} {v:.2f}× ({extra:+.2f} ms)" for v, r, b, extra in overhead),
               worst[0] <= APP_OVERHEAD_TARGET),
        target("app path vs Keras model.predict, batch 1", f"≥ {PREDICT_SPEEDUP_TARGET:g}× faster",
               f"slowest {slowest[0]:.1f}× ({slowest[1]}); " + ", ".join(f"{r} {v:.1f}×" for v, r in speedup),
               slowest[0] >= PREDICT_SPEEDUP_TARGET),
    ]
    notes += [
        f"numpy float32 matmul peak {peak:.1f} GFLOP/s (the best of {len(peaks)} measurements: before the first "
        "model and after each, in this process and in a child without the OPENBLAS_* overrides; best in process "
        f"{max(p['in_process'] for p in peaks):.1f}, best without the overrides "
        f"{max((p['openblas_env_unset'] or 0) for p in peaks):.1f}). Best app-path rate "
        f"{best_gflops[0]:.1f} GFLOP/s ({best_gflops[1]}, batch {best_gflops[2]}) = {100 * best_gflops[0] / peak:.0f}% of it.",
        "App path = `prepare_image` (mode, bilinear resize from the photo's own size) for every image + "
        "`session.run` + the [cat, dog] columns; decoding the file (`open_image`) is left out of every candidate. "
        "Bare onnxruntime is the app's own cached session called directly on the prepared array, so the ratio "
        "is the app layer's cost alone. The other candidates also get the prepared array (their preprocessing "
        "costs nothing here).",
        "`onnxruntime, no spinning`: a second session of the same model with "
        "`session.intra_op.allow_spinning=0`; by default idle onnxruntime threads busy-wait for the next run, "
        "which on a shared, oversubscribed CPU takes the cores from other work.",
        "Candidates timed in turns (each round in a fresh random order, 10 ms pause before each call), "
        "`× bare ORT` the median of the per-round ratios, `min ms` the fastest round (the nearest to the "
        "model's own cost, with nothing else running), "
        f"{repeats[1][0]} rounds at batch 1 and {repeats[32][0]} at batch 32 after warm-up; medians.",
    ]
    columns = ["model", "batch", "candidate", "median ms", "min ms", "p95 ms", "× bare ORT", "images/s", "GFLOP/s",
               "% of matmul peak"]
    return {"tables": [table("Latency per call (a batch of 1 or 32 images)", columns, rows)],
            "targets": targets, "notes": notes, "data": data}
