"""Learning-curve maths: the book's EMA (Listing 5.24), TensorBoard's debiased EMA, the best
epoch and the overfitting gap."""
import numpy as np
import pytest

from core.artifacts.rundir import load_reference
from core.explainers import curves


def listing_5_24(points, factor=0.8):
    """The book's smooth_curve, verbatim in spirit."""
    smoothed_points = []
    for point in points:
        if smoothed_points:
            previous = smoothed_points[-1]
            smoothed_points.append(previous * factor + point * (1 - factor))
        else:
            smoothed_points.append(point)
    return smoothed_points


def test_book_ema_is_listing_5_24():
    rng = np.random.default_rng(0)
    values = rng.uniform(0, 1, 40)
    np.testing.assert_allclose(curves.book_ema(values), listing_5_24(values))
    np.testing.assert_allclose(curves.book_ema([1.0, 0.0, 0.0]), [1.0, 0.8, 0.64])


def test_book_ema_keeps_the_first_point_and_factor_zero_is_identity():
    values = [0.3, 0.9, 0.1]
    assert curves.book_ema(values)[0] == 0.3
    np.testing.assert_allclose(curves.book_ema(values, 0.0), values)


def test_debiased_ema_is_tensorboards():
    # TensorBoard: last = last * w + (1 - w) * v; smoothed = last / (1 - w ** n)
    np.testing.assert_allclose(curves.debiased_ema([1.0, 0.0, 0.0], 0.8),
                               [1.0, 0.16 / 0.36, 0.128 / 0.488])
    np.testing.assert_allclose(curves.debiased_ema([0.7] * 5, 0.9), [0.7] * 5)  # no pull towards 0


def test_debiased_start_is_not_dragged_by_the_first_point():
    values = [0.0] + [1.0] * 9
    assert curves.debiased_ema(values, 0.8)[3] > curves.book_ema(values, 0.8)[3]


def test_smooth_dispatch_and_bad_input():
    values = [0.1, 0.5, 0.2]
    np.testing.assert_allclose(curves.smooth(values, "none"), values)
    np.testing.assert_allclose(curves.smooth(values, "book", 0.5), curves.book_ema(values, 0.5))
    np.testing.assert_allclose(curves.smooth(values, "tensorboard", 0.5), curves.debiased_ema(values, 0.5))
    with pytest.raises(ValueError):
        curves.smooth(values, "median")
    with pytest.raises(ValueError):
        curves.smooth(values, "book", 1.0)


def test_best_epoch_is_the_first_highest_validation_accuracy():
    history = {"accuracy": [0.5, 0.7, 0.9, 0.95], "val_accuracy": [0.5, 0.72, 0.72, 0.7],
               "loss": [1, 1, 1, 1], "val_loss": [1, 1, 1, 1]}
    assert curves.best_epoch(curves.Curves("x", "scratch", "run", history)) == 2


def test_best_epoch_uses_the_runs_own_epoch_numbers():
    history = {"epoch": [3, 4, 7], "accuracy": [0.1, 0.2, 0.3], "val_accuracy": [0.1, 0.4, 0.2]}
    assert curves.best_epoch(curves.Curves("x", "scratch", "book", history)) == 4


def test_without_validation_there_is_no_best_epoch_nor_gap():
    reference = load_reference("mnist")  # the book's MNIST run did not validate
    c = curves.Curves("book", "mnist", "book", reference["history"])
    assert c.epochs == reference["history"]["epoch"]
    assert curves.best_epoch(c) is None and curves.overfitting_gap(c) is None


def test_overfitting_gap_is_train_minus_validation():
    history = {"accuracy": [0.6, 0.9], "val_accuracy": [0.55, 0.7]}
    np.testing.assert_allclose(curves.overfitting_gap(curves.Curves("x", "s", "run", history)), [0.05, 0.2])


def test_the_books_scratch_run_overfits():
    c = curves.Curves("book", "scratch", "book", load_reference("scratch")["history"])
    gap = curves.overfitting_gap(c)
    assert gap[-1] > 0.2 > gap[0]  # the chapter's point: the curves part ways
    assert 5 <= curves.best_epoch(c) <= 30
