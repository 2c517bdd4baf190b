"""Batch mode: a whole split judged in batches, confusion matrix, mistakes with probabilities."""
import numpy as np

from core.serving import evaluate
from tests.conftest import make_cats_dogs


class RednessJudge:
    """A stand-in Predictor: says dog in proportion to how red the image is (the generated
    dogs are reddish squares, the cats bluish discs)."""

    size, grey, labels = (16, 16), False, ("cats", "dogs")

    def __init__(self):
        self.batches = []

    def run(self, batch):
        self.batches.append(batch.shape)
        red = batch[..., 0].mean(axis=(1, 2)) - batch[..., 2].mean(axis=(1, 2))
        dog = 1 / (1 + np.exp(-red / 10))
        return np.stack([1 - dog, dog], axis=-1)


def test_confusion_and_mistakes(tmp_path, monkeypatch):
    root = make_cats_dogs(tmp_path, per_split=(1, 1, 40))
    (root / "test" / "dogs" / "dog.broken.jpg").write_bytes(b"\xff\xd8\xff not really")
    judge = RednessJudge()
    seen = []
    monkeypatch.setattr(evaluate, "BATCH", 32)
    result = evaluate.evaluate(judge, root, on_progress=lambda done, total: seen.append((done, total)))
    assert result.total == 80 and result.confusion.shape == (2, 2)
    assert result.confusion[0].sum() == 40 and result.confusion[1].sum() == 40  # rows: the truth
    assert result.accuracy == np.trace(result.confusion) / 80
    assert [p.name for p, _ in result.skipped] == ["dog.broken.jpg"]
    assert seen[-1] == (81, 81) and len(judge.batches) == 3 and judge.batches[0] == (32, 16, 16, 3)
    assert len(result.mistakes) == 80 - np.trace(result.confusion)
    for mistake in result.mistakes:
        assert int(np.argmax(mistake.probabilities)) != mistake.label
    confidences = [m.probabilities.max() for m in result.mistakes]
    assert confidences == sorted(confidences, reverse=True)


def test_a_model_that_always_says_dog_misses_every_cat(tmp_path):
    class AlwaysDog(RednessJudge):
        def run(self, batch):
            return np.tile([0.1, 0.9], (len(batch), 1))

    root = make_cats_dogs(tmp_path, per_split=(1, 1, 5))
    result = evaluate.evaluate(AlwaysDog(), root)
    np.testing.assert_array_equal(result.confusion, [[0, 5], [0, 5]])
    assert result.accuracy == 0.5
    assert {m.path.parent.name for m in result.mistakes} == {"cats"} and len(result.mistakes) == 5
    np.testing.assert_allclose(result.mistakes[0].probabilities, [0.1, 0.9])
