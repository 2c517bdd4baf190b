"""core.explainers.mechanics against TensorFlow itself: same numbers, same shapes, same padding."""
import os
import zlib

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402  (TF only here: the module under test is numpy-only)

from core.explainers import mechanics as m  # noqa: E402

COMBOS = [(p, s, w) for p in m.PADDINGS for s in (1, 2, 3) for w in (2, 3, 5)]
SHAPES = [(7, 7), (8, 8), (9, 6)]
TOL = dict(rtol=1e-5, atol=1e-5)


def _rng(*key):
    """A generator seeded by the test's parameters: random inputs, reproducible failures."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def _nhwc(image):
    """A 2-D or H x W x C numpy image as TF's batch of one."""
    image = np.asarray(image, np.float32)
    return tf.constant(image[None, :, :, None] if image.ndim == 2 else image[None])


# --- against TF ops ------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("padding,stride,window", COMBOS)
def test_conv2d_single_channel_matches_tf(padding, stride, window, shape):
    rng = _rng("conv1", padding, stride, window, shape)
    image = rng.standard_normal(shape).astype(np.float32)
    kernel = rng.standard_normal((window, window)).astype(np.float32)
    expected = tf.nn.conv2d(_nhwc(image), kernel[:, :, None, None], stride, padding.upper())
    ours = m.conv2d(image, kernel, stride, padding)
    np.testing.assert_allclose(ours, expected[0, :, :, 0], **TOL)


@pytest.mark.parametrize("shape", [(8, 8), (9, 6)])
@pytest.mark.parametrize("padding,stride,window", COMBOS)
def test_conv2d_many_filters_matches_tf(padding, stride, window, shape):
    rng = _rng("conv3", padding, stride, window, shape)
    image = rng.standard_normal((*shape, 3)).astype(np.float32)
    kernel = rng.standard_normal((window, window, 3, 4)).astype(np.float32)
    expected = tf.nn.conv2d(_nhwc(image), kernel, stride, padding.upper())[0]
    np.testing.assert_allclose(m.conv2d(image, kernel, stride, padding), expected, **TOL)


def test_conv2d_rectangular_window_and_stride_match_tf():
    rng = _rng("rect")
    image = rng.standard_normal((10, 9, 2)).astype(np.float32)
    kernel = rng.standard_normal((3, 2, 2, 3)).astype(np.float32)
    for padding in m.PADDINGS:
        expected = tf.nn.conv2d(_nhwc(image), kernel, (2, 3), padding.upper())[0]
        np.testing.assert_allclose(m.conv2d(image, kernel, (2, 3), padding), expected, **TOL)


@pytest.mark.parametrize("channels", [None, 3])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("padding,stride,window", COMBOS)
@pytest.mark.parametrize("ours,theirs", [(m.max_pool2d, tf.nn.max_pool2d),
                                         (m.average_pool2d, tf.nn.avg_pool2d)],
                         ids=["max", "average"])
def test_pools_match_tf(ours, theirs, padding, stride, window, shape, channels):
    rng = _rng("pool", ours.__name__, padding, stride, window, shape, channels)
    image = rng.standard_normal(shape if channels is None else (*shape, channels))
    expected = theirs(_nhwc(image), window, stride, padding.upper())[0].numpy()
    if channels is None:
        expected = expected[:, :, 0]
    np.testing.assert_allclose(ours(image, window, stride, padding), expected, **TOL)


def test_pool_stride_defaults_to_window_like_keras():
    image = _rng("default").standard_normal((9, 8))
    assert m.max_pool2d(image).shape == (4, 4)
    np.testing.assert_array_equal(m.max_pool2d(image), m.max_pool2d(image, 2, 2))


# --- sizes and padding ---------------------------------------------------------------------


@pytest.mark.parametrize("padding", m.PADDINGS)
def test_output_size_matches_tf_shapes(padding):
    for n in range(1, 13):
        for window in (1, 2, 3, 5):
            if padding == "valid" and window > n:
                with pytest.raises(ValueError):
                    m.output_size(n, window, 1, padding)
                continue
            for stride in (1, 2, 3):
                out = tf.nn.conv2d(tf.zeros((1, n, 1, 1)), tf.zeros((window, 1, 1, 1)),
                                   stride, padding.upper())
                ours = m.output_size(n, window, stride, padding)
                assert ours == out.shape[1], (n, window, stride)


@pytest.mark.parametrize("n,window,stride,padding,expected", [
    (5, 3, 2, "same", 3),  # tf.nn 'Notes on padding': output_height = ceil(5 / 2)
    (2, 2, 1, "same", 2),  # same example: output_width = ceil(2 / 1)
    (5, 3, 2, "valid", 2),  # figure 5.7: 3x3 windows, stride 2, on a 5x5 input
    (5, 3, 1, "valid", 3),  # figure 5.5: 5x5 input, 3x3 windows -> 3x3
    (5, 3, 1, "same", 5),  # 'same' keeps 5x5
    (3, 2, 1, "valid", 2),  # keras MaxPooling2D docs, strides=(1, 1), padding="valid"
    (4, 2, 2, "valid", 2),  # keras MaxPooling2D docs, 3x4 input, strides=(2, 2)
    (3, 2, 2, "valid", 1),
    (3, 2, 1, "same", 3),  # keras MaxPooling2D docs, strides=(1, 1), padding="same"
    (28, 3, 1, "valid", 26),  # listing 5.1's model.summary(): 26, 13, 11, 5, 3
    (26, 2, 2, "valid", 13),
    (13, 3, 1, "valid", 11),
    (11, 2, 2, "valid", 5),
    (5, 3, 1, "valid", 3),
])
def test_documented_output_sizes(n, window, stride, padding, expected):
    assert m.output_size(n, window, stride, padding) == expected


def test_keras_max_pooling_doc_values():
    x = np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(m.max_pool2d(x, 2, 1), [[5, 6], [8, 9]])
    np.testing.assert_array_equal(m.max_pool2d(x, 2, 1, "same"), [[5, 6, 6], [8, 9, 9], [8, 9, 9]])
    np.testing.assert_array_equal(m.max_pool2d(np.arange(1.0, 13.0).reshape(3, 4)), [[6, 8]])


def test_output_size_formula_strings():
    assert m.output_size_formula(28, 3, 2, "valid") == "⌊(28 − 3) / 2⌋ + 1 = 13"
    assert m.output_size_formula(28, 3, 2, "same") == "⌈28 / 2⌉ = 14"


def test_same_padding_puts_the_extra_pixel_after():
    assert m.same_padding(5, 6, 1) == (2, 3)  # the docs: 5 pixels of padding -> 2 top, 3 bottom
    assert m.same_padding(6, 4, 1) == (1, 2)
    assert m.same_padding(5, 3, 1) == (1, 1)
    assert m.same_padding(13, 6, 5) == (1, 2)
    assert m.same_padding(8, 2, 2) == (0, 0)


def test_same_padding_matches_the_documented_formula():
    for n in range(1, 15):
        for window in (1, 2, 3, 4, 5, 6):
            for stride in (1, 2, 3):
                rest = n % stride
                total = max(window - (stride if rest == 0 else rest), 0)
                assert m.same_padding(n, window, stride) == (total // 2, total - total // 2)


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("window", [2, 3, 4, 5, 6])
def test_same_padding_reproduces_tf_same(window, stride):
    """TF 'SAME' equals TF with our explicit pads, and not with the pads swapped."""
    rng = _rng("pads", window, stride)
    image = _nhwc(rng.standard_normal((9, 8)))
    kernel = tf.constant(rng.standard_normal((window, window, 1, 1)), tf.float32)
    same = tf.nn.conv2d(image, kernel, stride, "SAME")
    top, bottom = m.same_padding(9, window, stride)
    left, right = m.same_padding(8, window, stride)
    explicit = [[0, 0], [top, bottom], [left, right], [0, 0]]
    np.testing.assert_allclose(tf.nn.conv2d(image, kernel, stride, explicit), same, **TOL)
    if (top, left) != (bottom, right):
        swapped = [[0, 0], [bottom, top], [right, left], [0, 0]]
        assert not np.allclose(tf.nn.conv2d(image, kernel, stride, swapped), same, **TOL)


def test_pad_returns_the_padded_image_and_amounts():
    image = np.ones((5, 6, 2))
    padded, amounts = m.pad(image, (3, 4), 2, "same")
    assert amounts == ((1, 1), (1, 1))
    assert padded.shape == (7, 8, 2) and padded.sum() == image.sum()
    padded, amounts = m.pad(image, 3, 1, "valid")
    assert amounts == ((0, 0), (0, 0)) and padded.shape == image.shape


@pytest.mark.parametrize("n,window,stride,padding,expected", [
    (28, 3, 2, "valid", (27,)),
    (5, 3, 2, "valid", ()),
    (7, 2, 3, "valid", (2, 5, 6)),  # stride > window also skips pixels in between
    (13, 6, 5, "valid", (11, 12)),
    (13, 6, 5, "same", ()),
    (5, 1, 2, "same", (1, 3)),
])
def test_dropped_examples(n, window, stride, padding, expected):
    assert m.dropped(n, window, stride, padding) == expected


@pytest.mark.parametrize("padding,stride,window", COMBOS)
def test_dropped_rows_are_exactly_those_tf_ignores(padding, stride, window):
    rng = _rng("dropped", padding, stride, window)
    image = rng.standard_normal((8, 3)).astype(np.float32)
    kernel = tf.constant(rng.standard_normal((window, 1, 1, 1)), tf.float32)
    base = tf.nn.conv2d(_nhwc(image), kernel, stride, padding.upper())
    ignored = set(m.dropped(8, window, stride, padding))
    for row in range(8):
        changed = image.copy()
        changed[row] += 1.0
        moved = not np.allclose(tf.nn.conv2d(_nhwc(changed), kernel, stride, padding.upper()), base)
        assert moved == (row not in ignored), row


# --- stepping through windows --------------------------------------------------------------


def windows(image_shape, window, stride, padding):
    """Every window in the order the op slides them, from core's window_geometry."""
    rows = m.output_size(image_shape[0], window, stride, padding)
    cols = m.output_size(image_shape[1], window, stride, padding)
    return [m.window_geometry(image_shape, window, stride, padding, r, c) for r in range(rows) for c in range(cols)]


def inside(where) -> tuple[slice, slice]:
    """The window's real pixels in the unpadded image: what a pool reduces."""
    rows, cols = where.image_shape
    return (slice(max(where.top, 0), min(where.top + where.height, rows)),
            slice(max(where.left, 0), min(where.left + where.width, cols)))


def in_padding(where) -> np.ndarray:
    """height x width booleans: True where the window lies on padding."""
    real = np.zeros(where.image_shape, bool)
    real[inside(where)] = True
    padded = np.pad(real, where.pads)
    return ~padded[where.padded]


@pytest.mark.parametrize("channels", [None, 3])
@pytest.mark.parametrize("padding,stride,window", [("same", 2, 3), ("same", 1, 4), ("valid", 3, 2)])
def test_window_at_products_sum_to_the_conv_output(padding, stride, window, channels):
    rng = _rng("steps", padding, stride, window, channels)
    shape = (7, 8) if channels is None else (7, 8, channels)
    image = rng.standard_normal(shape)
    kernel = rng.standard_normal((window, window) + shape[2:])
    conv = m.conv2d(image, kernel if channels is None else kernel[..., None], stride, padding)
    for where in windows(image.shape, window, stride, padding):
        step = m.window_at(image, kernel, stride, padding, where.out_row, where.out_col)
        assert step.window == where
        np.testing.assert_allclose(step.products, step.patch * kernel)
        np.testing.assert_allclose(step.total, conv[where.out_row, where.out_col, ...].item())
        assert not step.patch[in_padding(where)].any()  # padding is zeros
    assert len(windows(image.shape, window, stride, padding)) == conv.shape[0] * conv.shape[1]


def test_window_geometry_coordinates():
    where = m.window_geometry((5, 5), 3, 2, "same", 0, 2)
    assert (where.top, where.left, where.height, where.width) == (-1, 3, 3, 3)
    assert where.pads == ((1, 1), (1, 1))
    assert where.padded == (slice(0, 3), slice(4, 7))
    assert inside(where) == (slice(0, 2), slice(3, 5))
    np.testing.assert_array_equal(
        in_padding(where), [[True, True, True], [False, False, True], [False, False, True]])
    with pytest.raises(IndexError):
        m.window_geometry((5, 5), 3, 2, "same", 3, 0)


@pytest.mark.parametrize("padding,stride,window", COMBOS)
def test_window_inside_is_what_the_pools_reduce(padding, stride, window):
    image = _rng("inside", padding, stride, window).standard_normal((8, 7))
    biggest = m.max_pool2d(image, window, stride, padding)
    mean = m.average_pool2d(image, window, stride, padding)
    for where in windows(image.shape, window, stride, padding):
        cell = where.out_row, where.out_col
        assert image[inside(where)].max() == biggest[cell]
        assert np.isclose(image[inside(where)].mean(), mean[cell])


def test_kernel_shape_mismatch_is_refused():
    with pytest.raises(ValueError):
        m.conv2d(np.zeros((5, 5, 3)), np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError):
        m.window_at(np.zeros((5, 5, 3)), np.zeros((3, 3)))
    with pytest.raises(ValueError):
        m.output_size(5, 3, 1, "full")


# --- receptive fields ----------------------------------------------------------------------

LISTING_5_1 = [("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1)]


def test_receptive_field_of_three_3x3_convs_is_7():
    assert m.receptive_field([("conv", 3, 1)] * 3) == 7
    assert [row["size"] for row in m.receptive_field_growth([("conv", 3, 1)] * 3)] == [3, 5, 7]


def test_receptive_field_grows_faster_with_pooling():
    growth = m.receptive_field_growth(LISTING_5_1)
    assert [row["size"] for row in growth] == [3, 4, 8, 10, 18]
    assert [row["jump"] for row in growth] == [1, 2, 2, 4, 4]
    assert m.receptive_field([]) == 1
    with pytest.raises(ValueError):
        m.receptive_field([("dense", 3, 1)])


def test_receptive_field_is_the_smallest_input_with_one_output():
    """Running listing 5.1's stack: an 18x18 input is the least that gives a 1x1 output."""
    def run(side):
        x = np.ones((side, side))
        for kind, window, stride in LISTING_5_1:
            if kind == "conv":
                x = m.conv2d(x, np.ones((window, window)))
            else:
                x = m.max_pool2d(x, window, stride)
        return x.shape

    assert run(18) == (1, 1)
    with pytest.raises(ValueError):
        run(17)


# --- presets and the sample digit ----------------------------------------------------------


def test_kernel_presets_shapes_and_sums():
    asked = {"identity", "edge", "sobel_x", "sobel_y", "blur", "gaussian", "sharpen", "emboss"}
    assert asked <= set(m.KERNEL_PRESETS)
    for name, kernel in m.KERNEL_PRESETS.items():
        assert kernel.shape in ((3, 3), (5, 5)), name
        assert not kernel.flags.writeable, name
    for name in ("blur", "gaussian", "sharpen", "identity", "emboss", "blur_5x5", "gaussian_5x5"):
        assert np.isclose(m.KERNEL_PRESETS[name].sum(), 1.0), name
    for name in ("edge", "sobel_x", "sobel_y", "edge_5x5"):
        assert np.isclose(m.KERNEL_PRESETS[name].sum(), 0.0), name


def test_identity_preset_leaves_the_digit_unchanged():
    digit = m.sample_digit()
    same = m.conv2d(digit, m.KERNEL_PRESETS["identity"], padding="same")
    np.testing.assert_array_equal(same, digit)


def test_sample_digits_look_like_mnist():
    digits = [m.sample_digit(d) for d in range(10)]
    for digit in digits:
        assert digit.shape == (28, 28) and digit.dtype == np.uint8
        assert digit.max() == 255 and 40 < (digit > 127).sum() < 400
        assert not digit[:2].any() and not digit[-2:].any()  # MNIST's empty border
    assert len({d.tobytes() for d in digits}) == 10
    assert m.sample_digit("3", size=56).shape == (56, 56)


def test_feature_map_is_a_relu_convolution():
    image = _rng("feature").standard_normal((9, 8))
    kernel = m.KERNEL_PRESETS["sobel_x"]
    expected = tf.nn.relu(tf.nn.conv2d(_nhwc(image), kernel[:, :, None, None].astype(np.float32),
                                       2, "SAME"))[0, :, :, 0]
    ours = m.feature_map(image, kernel, 2, "same")
    np.testing.assert_allclose(ours, expected, **TOL)
    assert ours.min() == 0.0
