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


def test_lowest_loss_epoch_is_the_first_lowest_validation_loss():
    history = {"epoch": [2, 3, 4, 5], "accuracy": [0.5] * 4, "val_accuracy": [0.5] * 4,
               "loss": [1, 1, 1, 1], "val_loss": [0.9, 0.4, 0.6, 0.4]}
    assert curves.lowest_loss_epoch(curves.Curves("x", "scratch", "book", history)) == 3
    assert curves.lowest_loss_epoch(curves.Curves("x", "mnist", "book", load_reference("mnist")["history"])) is None


def test_summary_reads_the_numbers_the_charts_mark():
    history = {"accuracy": [0.6, 0.8, 0.95], "val_accuracy": [0.55, 0.75, 0.7],
               "loss": [1, 0.5, 0.2], "val_loss": [0.9, 0.6, 0.8]}
    s = curves.summary(curves.Curves("x", "scratch", "run", history, test_accuracy=0.72))
    assert (s.epochs, s.best_epoch, s.best_accuracy, s.lowest_loss_epoch) == (3, 2, 0.75, 2)
    assert (s.final_accuracy, s.final_val_accuracy, s.test_accuracy) == (0.95, 0.7, 0.72)
    assert s.final_gap == pytest.approx(0.25) and s.gap_points == pytest.approx(25)
    assert curves.summary(curves.Curves("x", "mnist", "book", load_reference("mnist")["history"])) is None


def test_the_books_scratch_run_bottoms_out_at_epoch_ten():
    """The number issue 11 found contradicted by the story's old text ("after about five epochs")."""
    s = curves.summary(curves.Curves("book", "scratch", "book", load_reference("scratch")["history"]))
    assert s.lowest_loss_epoch == 10 and s.best_epoch == 28


def test_spread_leaves_labels_that_fit_where_they_are():
    np.testing.assert_allclose(curves.spread([10, 100, 50], 30, 0, 200), [10, 100, 50])


def test_spread_parts_close_labels_around_their_middle():
    places = curves.spread([100, 101, 99], 30, 0, 300)
    np.testing.assert_allclose(sorted(places), [70, 100, 130])  # centred on the targets' mean
    assert np.argsort(places).tolist() == [2, 0, 1]  # the order of the targets is kept


def test_spread_keeps_labels_inside_and_apart():
    rng = np.random.default_rng(0)
    for _ in range(50):
        targets = rng.uniform(0, 300, rng.integers(1, 10))
        places = np.sort(curves.spread(targets, 30, 15, 285))
        assert np.all(np.diff(places) >= 30 - 1e-9)
        assert places[0] >= 15 - 1e-9 and places[-1] <= 285 + 1e-9


def test_facts_quote_the_step_and_its_gain():
    from core.explainers.story import STORY, Facts

    step = next(s for s in STORY if s.key == "augmentation")  # scratch, then scratch_augmented
    runs = {r: curves.summary(curves.Curves("book", r, "book", load_reference(r)["history"])) for r in step.recipes}
    facts = Facts(runs, step)
    assert facts["scratch"] is runs["scratch"]
    assert facts.gain_points == pytest.approx((runs["scratch_augmented"].best_accuracy - runs["scratch"].best_accuracy) * 100)
    assert facts.relative_gain == pytest.approx(0.846 / 0.731 - 1)  # the book's "15% relative improvement"
    assert "{book[scratch].best_accuracy:.1%}".format(book=facts) == "73.1%"  # as the lessons quote it
