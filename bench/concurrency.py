"""6. Concurrency: 20 predictions arriving at once, served from threads through the one cached
session per model (`core.inference.predictor`, as every app user shares it), against the same
20 served one at a time: throughput and latency (p50, p95)."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from bench import _models, median, paired_ratio, table

TITLE = "Concurrency: 20 simultaneous predictions through the cached session vs one at a time"
REQUESTS = 20


def missing() -> str | None:
    return None


def _sequential(app, images) -> tuple[float, list[float]]:
    """Wall time and each request's latency, counted from the moment all 20 were asked for."""
    start = time.perf_counter()
    done = []
    for image in images:
        app.predict(image)
        done.append(time.perf_counter() - start)
    return done[-1], done


def _concurrent(pool, app, images) -> tuple[float, list[float]]:
    start = time.perf_counter()

    def one(image):
        app.predict(image)
        return time.perf_counter() - start

    done = list(pool.map(one, images))
    return max(done), done


def run(quick: bool) -> dict:
    from core.serving.inference import predictor

    models = _models.present() or [_models.stand_in()]
    if quick:
        models = [min(models, key=lambda m: (m.path / "model.onnx").stat().st_size)]
    rounds = 2 if quick else 10
    rows, data = [], {}
    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        list(pool.map(lambda _: None, range(REQUESTS)))  # threads started before timing
        for m in models:
            app = predictor(m.path)
            images = _models.sample_images(REQUESTS, app.grey)
            app.predict(images[0])
            samples = {"one at a time": [], f"{REQUESTS} threads at once": []}
            for round_ in range(rounds):  # in turns, the first one alternating
                order = list(samples) if round_ % 2 == 0 else list(samples)[::-1]
                for mode in order:
                    samples[mode].append(_sequential(app, images) if mode == "one at a time" else _concurrent(pool, app, images))
            stats = {}
            for mode, results in samples.items():
                walls = [w for w, _ in results]
                latencies = np.concatenate([lat for _, lat in results]) * 1e3
                stats[mode] = {"throughput": REQUESTS / median(walls), "p50_ms": float(np.percentile(latencies, 50)),
                               "p95_ms": float(np.percentile(latencies, 95)), "wall_ms": median(walls) * 1e3}
            one_by_one = [w for w, _ in samples["one at a time"]]
            for mode, s in stats.items():
                s["speedup"] = paired_ratio(one_by_one, [w for w, _ in samples[mode]])  # wall-time ratio per round
                rows.append([m.recipe, mode, s["wall_ms"], s["throughput"], s["speedup"], s["p50_ms"], s["p95_ms"]])
            data[m.recipe] = {"source": m.source, **stats}
    columns = ["model", "mode", f"wall ms for {REQUESTS}", "predictions/s", "× one at a time", "p50 latency ms",
               "p95 latency ms"]
    return {
        "tables": [table(f"{REQUESTS} predictions (preprocessing included), medians of {rounds} rounds; "
                         "× one at a time: the median of per-round throughput ratios", columns, rows)],
        "targets": [],
        "notes": [
            f"Each round asks for {REQUESTS} predictions of different photos at once; a request's latency runs from "
            "that moment to its answer, so one at a time the last one waits for all before it. Threads come "
            "from a pool started beforehand; both modes go through `Predictor.predict` on the same cached session.",
            "onnxruntime runs one `session.run` on all cores (its intra-op pool); concurrent calls share them, so "
            "on 2 cores threads can only overlap the Python parts (preprocessing) with inference.",
        ],
        "data": data,
    }
