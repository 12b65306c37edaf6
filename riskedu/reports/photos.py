"""Photo bytes: what they really are (decoded with Pillow, whatever the request claims), and a copy without
metadata for anyone but operators. Pure functions, no app."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# From the sync protocol.
MAX_PHOTO_BYTES = 2 * 1024 * 1024
ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "WEBP": "image/webp", "PNG": "image/png"}
EXTENSIONS = {"image/jpeg": "jpg", "image/webp": "webp", "image/png": "png"}
# Phones send at most 1600 px on the long side; a camera's full resolution is still fine. Far beyond that is
# a decompression bomb, not a photo.
MAX_PIXELS = 40_000_000
# What the form without JavaScript shrinks photos to, like the phone does (static/js/report.js).
SHRINK_LONG_SIDE = 1600
SHRINK_TARGET_BYTES = 300 * 1024


class NotAnImage(ValueError):
    """The bytes are not a whole image of an accepted type (JPEG, WebP, PNG)."""


class TooManyPixels(ValueError):
    pass


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow warns before it refuses a huge image; both mean the same here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise TooManyPixels(str(error)) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            raise NotAnImage(str(error)) from None
    return image


def check_image(data: bytes) -> CheckedImage:
    """Decode the whole image (a header alone proves nothing), or raise NotAnImage / TooManyPixels."""
    image = _open(data)
    if image.format not in ACCEPTED_FORMATS:
        raise NotAnImage(f"{image.format} is not accepted")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise TooManyPixels(f"{width}x{height}")
    try:
        image.verify()  # structure and checksums
        _open(data).load()  # and every pixel decodes: verify() misses truncated data
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise NotAnImage(str(error)) from None
    return CheckedImage(ACCEPTED_FORMATS[image.format], width, height)


def _upright(data: bytes) -> Image.Image:
    image = _open(data)
    image.load()
    # The EXIF orientation goes with the metadata, so it is applied to the pixels first.
    return ImageOps.exif_transpose(image)


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    if content_type == "image/jpeg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True)
    elif content_type == "image/webp":
        image.save(out, format="WEBP", quality=85)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def without_metadata(data: bytes, content_type: str) -> bytes:
    """A copy with the same pixels (turned upright) and no EXIF, XMP, ICC or text chunks: Pillow writes
    only what it is given, and it is given nothing but the pixels."""
    image = _upright(data)
    # A new image from the raw pixels carries no info, EXIF or profile of the old one.
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    palette = image.getpalette() if image.mode in ("P", "PA") else None
    if palette:
        bare.putpalette(palette)
    return _encode(bare, content_type)


def shrunk_for_upload(data: bytes) -> bytes:
    """What the phone does before queueing a photo, for the form without JavaScript: at most 1600 px on the
    long side, as JPEG, stepped down to about 300 KB (quality first, then size). Its metadata goes too."""
    image = _upright(data)
    image.thumbnail((SHRINK_LONG_SIDE, SHRINK_LONG_SIDE))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    quality = 82
    for _attempt in range(12):
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality, optimize=True)
        if out.tell() <= SHRINK_TARGET_BYTES:
            break
        if quality > 50:
            quality -= 10
        else:
            image = image.resize((max(1, image.width * 4 // 5), max(1, image.height * 4 // 5)))
    return out.getvalue()
