"""Decoding any image a user or a data folder gives us, and the one preprocessing function.

`prepare_image` is shared by training (core.data.folders) and serving (core.serving), so the
resize a model saw while learning is the resize it gets at prediction time. Scaling and
normalisation live inside the ONNX graph, which takes raw 0-255 pixels (the ONNX contract).
"""
from __future__ import annotations

import io
import warnings
from enum import StrEnum
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # larger images are refused before decoding (decompression bombs)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Larger files are refused with a message. Phone photos are 3-15 MB. Streamlit's own limit
# (server.maxUploadSize in .streamlit/config.toml) is set well above this one, because a file
# that Streamlit refuses never reaches the page, so the page could not say why.
MAX_FILE_MB = 50
ORIENTATION_FIXED = "orientation_fixed"  # the key open_image sets in image.info (see there)
ORIGINAL_SIZE = "original_size"  # the key for (width, height) upright, before a reduced decode (`fit`)
TURNS_SIDEWAYS = (5, 6, 7, 8)  # EXIF orientations that swap width and height


class BadImageCode(StrEnum):
    """Why an image is refused; each keys a translated message in the pages."""

    EMPTY = "empty"  # a 0-byte file
    NOT_IMAGE = "not_image"  # nothing Pillow can read
    BROKEN = "broken"  # truncated or damaged
    TOO_LARGE = "too_large"  # over MAX_PIXELS (decompression bombs too)
    FILE_TOO_LARGE = "file_too_large"  # over MAX_FILE_MB


class BadImage(ValueError):
    """An upload we cannot use; `code` says why."""

    def __init__(self, code: BadImageCode, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def open_image(source, fit: tuple[int, int] | None = None) -> Image.Image:
    """Decode bytes, a path or a file object (refused over MAX_FILE_MB); first frame only. A
    photo stored sideways is turned upright as its EXIF orientation says, and
    `image.info[ORIENTATION_FIXED]` tells whether that turned (or mirrored) it, so a page says
    so only when it happened; `image.info[ORIGINAL_SIZE]` is its full upright size.

    `fit` (width, height): the photo is only shown and fed to models this large or smaller, so
    a JPEG is decoded at the smallest of 1/1, 1/2, 1/4, 1/8 scale that still covers it (Pillow's
    draft mode: a 12 MP phone photo at 1/8 decodes several times faster), and every model
    resizes from that one small upright copy."""
    limit = MAX_FILE_MB * 1024 * 1024  # MB as Streamlit counts them
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, Path)):
        with open(source, "rb") as file:
            data = file.read(limit + 1)  # enough to know it is too large
    else:
        data = source.read(limit + 1)
    if not data:
        raise BadImage(BadImageCode.EMPTY, "the file is empty")
    if len(data) > limit:
        raise BadImage(BadImageCode.FILE_TOO_LARGE, f"over {MAX_FILE_MB} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise BadImage(BadImageCode.TOO_LARGE, f"{image.width}x{image.height} pixels")
            image.seek(0)
            orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
            upright = image.size[::-1] if orientation in TURNS_SIDEWAYS else image.size
            if fit is not None and image.format == "JPEG":
                image.draft(None, fit[::-1] if orientation in TURNS_SIDEWAYS else fit)  # stored sideways
            image.load()
            image = ImageOps.exif_transpose(image)
            image.info[ORIENTATION_FIXED] = orientation in range(2, 9)  # the values exif_transpose acts on
            image.info[ORIGINAL_SIZE] = upright
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BadImage(BadImageCode.TOO_LARGE, str(error)) from error
    except UnidentifiedImageError as error:
        raise BadImage(BadImageCode.NOT_IMAGE, "not an image format Pillow can read") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:  # truncated or broken data
        raise BadImage(BadImageCode.BROKEN, str(error)) from error
    return image


def to_mode(image: Image.Image, grey: bool) -> Image.Image:
    """Any Pillow mode -> RGB (or L): transparency on white, 16-bit scaled to 8-bit."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        peak = 65535.0 if image.mode.startswith("I;16") or array.max() > 255 else 255.0
        image = Image.fromarray(np.clip(array * 255.0 / peak, 0, 255).astype(np.uint8), "L")
    elif image.mode == "F":  # float TIFFs may hold NaN or infinities
        array = np.nan_to_num(np.asarray(image, dtype=np.float64), nan=0.0, posinf=255.0, neginf=0.0)
        image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), "L")
    elif image.mode in ("LAB", "HSV"):  # Pillow has no direct route from these to L
        image = image.convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L" if grey else "RGB")


def prepare_image(image: Image.Image, size: tuple[int, int], grey: bool = False) -> np.ndarray:
    """The shared preprocessing: mode, then a bilinear resize to (height, width), aspect not
    kept (as the book's flow_from_directory does). Returns float32 HxWxC raw 0-255 pixels."""
    height, width = size
    image = to_mode(image, grey)
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.BILINEAR)
    array = np.asarray(image, dtype=np.float32)
    return array[..., None] if grey else array
