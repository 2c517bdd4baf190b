"""The explainer pages through Streamlit's AppTest: they render in both languages, and their
controls change what they show."""
import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core.data import augment, folders
from core.recipes import BOOK_AUGMENTATION
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
EXPLAINERS = ["convolution", "padding_stride", "pooling", "architecture", "augmentation"]
EN, ZH = CATALOG["en"], CATALOG["zh-TW"]


def run(page: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / f"{page}.py"), default_timeout=180)
    at.session_state["lang"] = lang
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def png(size=(60, 40), colour=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("page", EXPLAINERS)
def test_page_renders(page, lang):
    at = ok(run(page, lang))
    assert at.title[0].value == CATALOG[lang][f"{page}.title"]
    assert not at.error


# --- convolution ---------------------------------------------------------------------------


@pytest.mark.slow  # over 2 s here, measured twice
def test_convolution_padding_and_window_change_the_output_size():
    at = ok(run("convolution"))
    assert "⌊(28 − 3) / 1⌋ + 1 = 26" in texts(at)
    ok(at.segmented_control(key="convolution.padding").set_value("same").run())
    assert "⌈28 / 1⌉ = 28" in texts(at)
    ok(at.segmented_control(key="convolution.size").set_value(5).run())
    assert "⌈28 / 1⌉ = 28" in texts(at) and at.selectbox(key="convolution.preset.5").value == "blur_5x5"


@pytest.mark.slow  # over 2 s here, measured twice
def test_convolution_steps_show_the_sum_of_products():
    at = ok(run("convolution"))
    label = EN["convolution.sum"].format(row=4, col=21)
    start = metric(at, label)  # the stepper starts where the response is strongest
    assert float(start) != 0
    ok(at.slider(key="convolution.step").set_value(1).run())  # the empty top-left corner
    assert metric(at, EN["convolution.sum"].format(row=0, col=0)) == "0"


@pytest.mark.slow  # over 2 s here, measured twice
def test_convolution_editable_grid_and_many_filters():
    at = ok(run("convolution"))
    ok(at.segmented_control(key="convolution.source").set_value("grid").run())
    assert "**7 × 7**" in texts(at) and len(at.data_editor) == 2  # the grid and the kernel
    assert EN["convolution.maps_caption"].format(count=11) in texts(at)


def test_convolution_uses_an_uploaded_photo_channel():
    at = ok(run("convolution"))
    ok(at.segmented_control(key="convolution.source").set_value("photo").run())
    assert at.info[0].value == EN["components.photo_missing"]
    at.file_uploader(key="convolution.upload").set_value(("photo.png", png(), "image/png"))
    ok(at.segmented_control(key="convolution.channel").set_value("R").run())
    assert "**48 × 48**" in texts(at) and not at.info


@pytest.mark.slow  # over 2 s here, measured twice
@pytest.mark.parametrize("content,code", [(b"", "empty"), (b"not an image at all", "not_image"),
                                          (png()[:60], "broken")])
def test_bad_uploads_get_a_translated_message(content, code):
    at = ok(run("convolution", "zh-TW"))
    ok(at.segmented_control(key="convolution.source").set_value("photo").run())
    ok(at.file_uploader(key="convolution.upload").set_value(("x.png", content, "image/png")).run())
    assert [e.value for e in at.error] == [ZH[f"components.bad_image.{code}"]]
    assert not at.info  # the reason alone, not also "no photo yet"


# --- padding and stride --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_stride_changes_the_output_size(lang):
    words = CATALOG[lang]
    at = ok(run("padding_stride", lang))
    assert metric(at, words["padding_stride.output"]) == "6 × 6"
    assert at.success[0].value == words["padding_stride.all_seen"]
    ok(at.slider(key="padding_stride.stride").set_value(2).run())
    assert metric(at, words["padding_stride.output"]) == "3 × 3"
    assert "⌊(8 − 3) / 2⌋ + 1 = 3" in texts(at)
    assert at.error[0].value == words["padding_stride.dropped"].format(indices="7", count=1)


def test_same_padding_shows_the_extra_pixel_at_the_bottom():
    at = ok(run("padding_stride"))
    at.slider(key="padding_stride.stride").set_value(2)
    ok(at.segmented_control(key="padding_stride.padding").set_value("same").run())
    assert metric(at, EN["padding_stride.output"]) == "4 × 4"
    assert EN["padding_stride.pads"].format(before=0, after=1) in texts(at)
    assert at.warning[0].value == EN["padding_stride.asymmetric"].format(before=0, after=1)
    ok(at.segmented_control(key="padding_stride.window").set_value(5).run())
    assert EN["padding_stride.pads"].format(before=1, after=2) in texts(at)


def test_padding_stride_play_switch_runs():
    at = ok(run("padding_stride"))
    ok(at.toggle(key="padding_stride.play").set_value(True).run())
    assert at.slider(key="padding_stride.step").value >= 1


# --- pooling -------------------------------------------------------------------------------


@pytest.mark.slow  # over 2 s here, measured twice
def test_pooling_compares_max_average_and_strided():
    at = ok(run("pooling"))
    assert "**14 × 14**" in texts(at)
    biggest = float(metric(at, EN["pooling.value.max"]))
    mean = float(metric(at, EN["pooling.value.average"]))
    assert biggest > mean > 0  # the maximal presence survives, the average dilutes it
    ok(at.selectbox(key="pooling.preset.3").set_value("identity").run())
    assert float(metric(at, EN["pooling.value.max"])) == 255  # the digit's own ink
    ok(at.segmented_control(key="pooling.source").set_value("grid").run())
    assert "**7 × 7**" in texts(at) and "**3 × 3**" in texts(at) and "**4 × 4**" in texts(at)


# --- architecture --------------------------------------------------------------------------


def test_architecture_tables_come_from_the_real_models():
    at = ok(run("architecture"))
    assert metric(at, EN["architecture.total"]) == "93,322"
    assert metric(at, EN["architecture.receptive"]) == "18 × 18"
    table = at.dataframe[0].value
    assert "3·3·32·64 + 64 = 18,496" in set(table[EN["architecture.col.formula"]])
    ok(at.selectbox(key="architecture.recipe").set_value("scratch").run())
    assert metric(at, EN["architecture.total"]) == "3,453,121"


def test_architecture_model_no_max_pool_numbers_are_computed():
    at = ok(run("architecture", "zh-TW"))
    values = [m.value for m in at.metric]
    assert {"7 × 7", "18 × 18", "30,976", "576", "15,860,224", "295,424", "22 × 22 × 64"} <= set(values)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_architecture_opens_on_the_base_of_the_served_models(lang):
    """Every shipped pretrained model stands on EfficientNet-Lite0: the table starts there, not on
    the book's VGG16, and says so."""
    words = CATALOG[lang]
    at = ok(run("architecture", lang))
    ok(at.selectbox(key="architecture.recipe").set_value("feature_extraction").run())
    assert at.selectbox(key="architecture.base").value == "efficientnet_lite0"
    assert metric(at, words["architecture.total"]) == "3,741,217"
    recipes_served = words["architecture.list_separator"].join(
        words[f"recipe.{r}"] for r in ("feature_extraction", "feature_extraction_augmented", "fine_tuning"))
    group = words["architecture.served_group"].format(base="EfficientNet-Lite0", recipes=recipes_served)
    assert words["architecture.served"].format(groups=group) in texts(at)



@pytest.mark.slow  # over 2 s here, measured twice
def test_architecture_vgg16_gives_the_books_numbers():
    at = ok(run("architecture"))
    ok(at.selectbox(key="architecture.recipe").set_value("feature_extraction").run())
    ok(at.selectbox(key="architecture.base").set_value("vgg16").run())
    assert metric(at, EN["architecture.total"]) == "16,812,353"
    assert metric(at, EN["architecture.trainable"]) == "2,097,665"
    assert len(at.expander) >= 2  # inside vgg16, inside the classifier
    ok(at.selectbox(key="architecture.recipe").set_value("fine_tuning").run())
    assert metric(at, EN["architecture.trainable"]) == "9,177,089"  # block5 unfrozen + the head


# --- augmentation --------------------------------------------------------------------------


@pytest.mark.slow  # over 2 s here, measured twice
def test_augmentation_defaults_are_the_books_and_the_grid_follows_the_count():
    at = ok(run("augmentation"))
    assert at.slider(key="augmentation.rotation_range").value == BOOK_AUGMENTATION.rotation_range
    assert at.code[0].value == augment.book_code(BOOK_AUGMENTATION)
    assert at.code[1].value == augment.keras3_code(BOOK_AUGMENTATION)
    ok(at.segmented_control(key="augmentation.source").set_value("generated").run())
    assert len(at.get("image")) == 1 + 8  # the original and 8 versions
    ok(at.slider(key="augmentation.count").set_value(4).run())
    assert len(at.get("image")) == 1 + 4
    captions = [image.proto.imgs[0].caption for image in at.get("image")[1:]]
    assert captions[0].startswith("#1 ") and all("↻" in c and " px ×" in c for c in captions)  # what each drew


def test_augmentation_controls_change_the_code_and_reset_to_the_book():
    at = ok(run("augmentation", "zh-TW"))
    ok(at.slider(key="augmentation.rotation_range").set_value(90.0).run())
    assert "rotation_range=90" in at.code[0].value and "RandomRotation(\n        factor=0.2500" in at.code[1].value
    ok(at.button(key="augmentation.reset").click().run())
    assert at.slider(key="augmentation.rotation_range").value == 40.0
    assert "tan(0.2°) = 0.0035" in at.info[-1].value


def test_augmentation_bad_upload_falls_back_to_the_generated_picture():
    at = ok(run("augmentation"))
    ok(at.segmented_control(key="augmentation.source").set_value("upload").run())
    ok(at.file_uploader(key="augmentation.upload").set_value(("x.jpg", b"nope", "image/jpeg")).run())
    assert at.error[0].value == EN["components.bad_image.not_image"]
    assert EN["augmentation.upload_missing"] not in [i.value for i in at.info]  # one message, the reason
    assert len(at.get("image")) == 1 + 8


def test_augmentation_sample_photos_are_the_shipped_samples():
    photos = folders.sample_photos()  # samples/cats_and_dogs/: a fresh clone has them too
    assert photos and all(REPO / "samples" in sample.path.parents for sample in photos)
    at = ok(run("augmentation"))
    assert at.segmented_control(key="augmentation.source").value == "sample"


def test_preview_is_reproducible_per_seed_and_names_what_it_drew():
    picture = augment.demo_picture(64)
    assert picture.shape == (64, 64, 3) and picture.dtype == np.uint8
    assert not np.array_equal(picture, picture[:, ::-1])  # lop-sided: a flip shows
    first, parts = augment.preview(picture, BOOK_AUGMENTATION, 3, seed=1)
    assert np.array_equal(first, augment.preview(picture, BOOK_AUGMENTATION, 3, seed=1)[0])
    assert not np.array_equal(first, augment.preview(picture, BOOK_AUGMENTATION, 3, seed=2)[0])
    assert len(parts) == 3 and all(abs(p["rotation"]) <= 40 and abs(p["shift_x"]) <= 0.2 * 64 and
                                   0.8 <= p["zoom_y"] <= 1.2 for p in parts)
    flipped_only = dataclasses.replace(BOOK_AUGMENTATION, rotation_range=0, width_shift_range=0,
                                       height_shift_range=0, shear_range=0, zoom_range=0)
    versions, parts = augment.preview(picture, flipped_only, 8, seed=0)
    for version, drawn in zip(versions, parts):  # the caption says mirrored exactly when it is
        assert np.array_equal(version, picture[:, ::-1] if drawn["flipped"] else picture)
    assert {p["flipped"] for p in parts} == {True, False}


@pytest.mark.slow  # three pages run in a fresh interpreter
def test_mechanics_pages_never_import_tensorflow():
    """They are on the serving path: numpy only, so they open instantly on any laptop."""
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "for page in ('convolution', 'padding_stride', 'pooling'):\n"
        f"    at = AppTest.from_file({str(REPO)!r} + f'/pages/{{page}}.py', default_timeout=60).run()\n"
        "    assert not at.exception, at.exception\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
