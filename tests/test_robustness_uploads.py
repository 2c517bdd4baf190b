"""Every kind of bad upload gets a BadImage code (a translated message in the pages) or a finite
prediction, never a traceback. All files are generated here; no binary fixtures."""
from __future__ import annotations

import io
import json
import struct
import tomllib
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.__main__ import main
from core.data.images import MAX_FILE_MB, ORIENTATION_FIXED, BadImage, open_image, prepare_image
from core.serving.inference import Predictor

REPO = Path(__file__).resolve().parents[1]
CODES = ("empty", "not_image", "broken", "too_large", "file_too_large")  # the pages translate exactly these


@pytest.fixture(scope="session")
def models(tiny_runs) -> list[Predictor]:
    return [Predictor(run) for run in tiny_runs.values()]


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width: int, height: int, depth: int, colour: int, rows: bytes) -> bytes:
    """A PNG written by hand: lets a file claim any size or bit depth."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(rows))
            + png_chunk(b"IEND", b""))


def png16(width=24, height=16, channels=3) -> bytes:
    """16 bits per channel (RGB 48-bit, or grey 16-bit when channels == 1)."""
    values = np.linspace(0, 65535, width * height * channels).astype(">u2").reshape(height, -1)
    rows = b"".join(b"\0" + row.tobytes() for row in values)
    return raw_png(width, height, 16, {1: 0, 3: 2, 4: 6}[channels], rows)


PHOTO = Image.fromarray(np.random.default_rng(0).integers(0, 256, (30, 40, 3), dtype=np.uint8))
JPEG = encode(PHOTO, "JPEG", quality=90)

BAD = {
    "empty": (b"", "empty"),
    "truncated_jpeg": (JPEG[: len(JPEG) // 2], "broken"),
    "jpeg_header_only": (JPEG[:200], "broken"),
    "text_named_jpg": (b"Dear students,\nhere are the photos.\n" * 5, "not_image"),
    "pdf": (b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <<>>\n%%EOF\n", "not_image"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
            b'<circle cx="32" cy="32" r="20"/></svg>', "not_image"),
    "heic": (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(200), "not_image"),
    # a 300-byte PNG claiming 40000 x 40000 pixels: refused before any pixel is decoded
    "bomb_40000x40000": (raw_png(40_000, 40_000, 8, 2, b"\0" * 100), "too_large"),
    # a real bomb under Pillow's hard limit: 49 M pixels of valid zero rows in ~50 kB
    "bomb_7000x7000": (raw_png(7_000, 7_000, 8, 0, bytes(7_001 * 7_000)), "too_large"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_upload_gets_a_code(case, tmp_path):
    data, code = BAD[case]
    path = tmp_path / "upload.jpg"  # what the name claims does not matter
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data)):  # bytes, a path, Streamlit's file object
        with pytest.raises(BadImage) as caught:
            open_image(source)
        assert caught.value.code == code and caught.value.code in CODES


def frames_gif() -> bytes:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ((250, 0, 0), (0, 250, 0), (0, 0, 250))]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def float_tiff() -> bytes:
    values = np.array([[np.nan, np.inf, -np.inf, 1e9], [0, 64, 128, 255]], dtype=np.float32)
    return encode(Image.fromarray(values), "TIFF")


GOOD = {
    "png_16bit_grey": png16(channels=1),
    "png_16bit_rgb": png16(channels=3),
    "png_16bit_rgba": png16(channels=4),
    "rgba_png": encode(PHOTO.convert("RGBA"), "PNG"),
    "la_png": encode(PHOTO.convert("LA"), "PNG"),
    "p_png": encode(PHOTO.convert("P"), "PNG"),
    "p_transparent_gif": encode(PHOTO.convert("P"), "GIF", transparency=0),
    "cmyk_jpeg": encode(PHOTO.convert("CMYK"), "JPEG"),
    "cmyk_tiff": encode(PHOTO.convert("CMYK"), "TIFF"),
    "i16_tiff": encode(Image.fromarray(np.full((8, 8), 40_000, np.uint16)), "TIFF"),
    "i32_tiff": encode(Image.fromarray(np.full((8, 8), -5, np.int32)), "TIFF"),
    "float_tiff_nan_inf": float_tiff(),
    "lab_tiff": encode(PHOTO.convert("LAB"), "TIFF"),
    "one_bit_png": encode(PHOTO.convert("1"), "PNG"),
    "animated_gif": frames_gif(),
    "webp": encode(PHOTO, "WEBP"),
    "bmp": encode(PHOTO, "BMP"),
    "one_pixel": encode(Image.new("RGB", (1, 1), (200, 10, 10)), "PNG"),
    "strip_1x4000": encode(Image.new("RGB", (1, 4000), (10, 200, 10)), "PNG"),
    "strip_4000x1": encode(Image.new("L", (4000, 1), 128), "PNG"),
}


@pytest.mark.parametrize("case", GOOD)
def test_odd_but_valid_upload_gets_a_finite_prediction(case, models):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. NumPy's "invalid value encountered in cast"
        image = open_image(GOOD[case])
        for model in models:
            prediction = model.predict(image)
            assert np.isfinite(prediction.probabilities).all()
            assert prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-4)
            assert prediction.label in model.labels and 0 <= prediction.confidence <= 1


def test_animated_gif_uses_the_first_frame():
    pixels = prepare_image(open_image(frames_gif()), (4, 4))
    assert pixels[..., 0].min() > 200 and pixels[..., 1:].max() < 50  # red, the first frame


def test_transparency_is_composited_on_white():
    clear = encode(Image.new("RGBA", (8, 8), (255, 0, 0, 0)), "PNG")
    assert (prepare_image(open_image(clear), (8, 8)) == 255).all()
    assert (prepare_image(open_image(clear), (8, 8), grey=True) == 255).all()


def test_sixteen_bit_keeps_its_range():
    grey = prepare_image(open_image(png16(channels=1)), (16, 24), grey=True)
    assert grey.min() == 0 and grey.max() == 255  # scaled from 0..65535, not clipped to white


def sideways(orientation: int | None) -> bytes:
    """A phone photo stored 40 wide x 20 high, red left half, blue right half, with the given
    EXIF orientation (None: no EXIF at all)."""
    stored = np.zeros((20, 40, 3), np.uint8)
    stored[:, :20] = (255, 0, 0)
    stored[:, 20:] = (0, 0, 255)
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    return encode(Image.fromarray(stored), "JPEG", quality=95, exif=exif)


@pytest.mark.parametrize("orientation, top, bottom", [(6, "red", "blue"), (8, "blue", "red"), (3, "blue", "red")])
def test_exif_orientation_is_honoured(orientation, top, bottom):
    image = open_image(sideways(orientation))
    assert image.info[ORIENTATION_FIXED] is True  # so Predict's caption says it was turned
    upright = orientation in (6, 8)  # 90 degrees: the photo is shown 20 wide x 40 high
    assert image.size == ((20, 40) if upright else (40, 20))
    pixels = prepare_image(image, (40, 20) if upright else (20, 40))
    first, last = (pixels[:10], pixels[-10:]) if upright else (pixels[:, :10], pixels[:, -10:])
    channel = {"red": 0, "blue": 2}
    assert first[..., channel[top]].mean() > 200 and last[..., channel[bottom]].mean() > 200


@pytest.mark.parametrize("orientation", [None, 1])
def test_an_upright_photo_is_not_said_to_be_turned(orientation):
    """No EXIF, or EXIF saying "upright": nothing turned, and the caption must not claim it."""
    image = open_image(sideways(orientation))
    assert image.size == (40, 20) and image.info[ORIENTATION_FIXED] is False


def test_every_code_has_a_message_in_both_languages():
    """The pages show t(f"predict.bad.{code}") and t(f"components.bad_image.{code}")."""
    from pages.strings import CATALOG

    for lang in ("en", "zh-TW"):
        for prefix in ("predict.bad", "components.bad_image"):
            assert {f"{prefix}.{code}" for code in CODES} <= CATALOG[lang].keys(), (lang, prefix)


def test_file_size_limit(tmp_path):
    """A file of exactly MAX_FILE_MB is decoded; one byte more is refused before decoding,
    whether it comes as bytes, a path or Streamlit's file object."""
    limit = MAX_FILE_MB * 1024 * 1024
    at_limit = JPEG + bytes(limit - len(JPEG))  # JPEG decoders stop at the end-of-image marker
    assert open_image(at_limit).size == PHOTO.size
    over = at_limit + b"\0"
    path = tmp_path / "huge.jpg"
    path.write_bytes(over)
    for source in (over, path, io.BytesIO(over)):
        with pytest.raises(BadImage) as caught:
            open_image(source)
        assert caught.value.code == "file_too_large"


def test_upload_limits_leave_room_for_phone_photos_and_a_message():
    """Phone photos are 3-15 MB: the app's limit is at least twice that. Streamlit's own limit
    is above the app's, since a file Streamlit refuses never reaches the page's message."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert 30 <= MAX_FILE_MB < config["server"]["maxUploadSize"]


def test_cli_predict_reports_bad_files_as_json(tiny_runs, tmp_path, capsys):
    good, bad = tmp_path / "good.png", tmp_path / "bad.jpg"
    good.write_bytes(GOOD["one_pixel"])
    bad.write_bytes(BAD["pdf"][0])
    assert main(["predict", str(tiny_runs["mnist"]), str(good), str(bad), str(tmp_path / "missing.jpg")]) == 1
    results = json.loads(capsys.readouterr().out)
    assert results[0]["label"] in [str(d) for d in range(10)]
    assert results[1]["error"].startswith("not_image")
    assert "No such file" in results[2]["error"]
