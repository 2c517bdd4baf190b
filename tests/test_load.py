"""Many users at once: concurrent predictions through the app's cached path
(`core.inference.predictor`) give the sequential answers, share one session per model dir, and
do not grow memory."""
from __future__ import annotations

import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from core.data.images import open_image
from core.serving import inference
from core.serving.inference import predictor

USERS = 20


def uploads(count: int, seed: int = 0) -> list[bytes]:
    """Distinct PNG uploads of varied sizes, as users would send them."""
    rng = np.random.default_rng(seed)
    files = []
    for _ in range(count):
        h, w = rng.integers(20, 120, 2)
        buffer = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(buffer, "PNG")
        files.append(buffer.getvalue())
    return files


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_concurrent_users_get_the_sequential_answers(tiny_runs):
    files = uploads(USERS)
    dirs = [tiny_runs["mnist"] if i % 2 else tiny_runs["scratch"] for i in range(USERS)]
    expected = [predictor(d).predict(open_image(f)).probabilities for d, f in zip(dirs, files)]
    start = threading.Barrier(USERS)

    def user(i):
        start.wait()  # all twenty at the same moment
        model = predictor(dirs[i])
        return id(model), id(model.session), model.predict(open_image(files[i])).probabilities

    with ThreadPoolExecutor(USERS) as pool:
        answers = list(pool.map(user, range(USERS)))
    for (_, _, got), want in zip(answers, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    sessions = {answer[1] for answer in answers}
    assert len({answer[0] for answer in answers}) == len(sessions) == 2  # one per model dir, shared


def test_first_load_by_many_users_builds_one_session(tiny_runs, tmp_path, monkeypatch):
    fresh = tmp_path / "mnist-copy"  # not cached yet
    fresh.mkdir()
    for name in ("model.onnx", "card.json", "history.json"):
        (fresh / name).write_bytes((tiny_runs["mnist"] / name).read_bytes())
    built = []

    class Counted(inference.Predictor):
        def __init__(self, model_dir):
            built.append(model_dir)
            super().__init__(model_dir)

    monkeypatch.setattr(inference, "Predictor", Counted)
    start = threading.Barrier(USERS)

    def user(_):
        start.wait()
        return predictor(fresh)

    try:
        with ThreadPoolExecutor(USERS) as pool:
            models = list(pool.map(user, range(USERS)))
        assert len(built) == 1 and all(m is models[0] for m in models)
        # the same dir however it is spelled is the same cache entry
        assert predictor(str(fresh) + "/") is predictor(fresh / ".") is predictor(os.path.relpath(fresh)) is models[0]
        assert len(built) == 1
    finally:
        inference.forget(fresh)


def test_memory_stays_bounded_under_many_predictions(tiny_runs):
    files = uploads(8, seed=1)
    dirs = [tiny_runs["mnist"]] * 7 + [tiny_runs["scratch"]]

    def burst(n):
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: predictor(dirs[i % 8]).predict(open_image(files[i % 8])), range(n)))

    burst(200)  # warm up: sessions, thread pools, allocator arenas
    before, cached = rss_bytes(), len(inference._cache)
    burst(1_600)
    growth = rss_bytes() - before
    assert growth < 40 * 2**20, f"RSS grew {growth / 2**20:.1f} MiB over 1,600 predictions"
    assert len(inference._cache) == cached
