"""Photo bytes: what they really are (decoded with Pillow, whatever the request claims), and a copy without
metadata for anyone but operators. Pure functions, no app."""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# From the sync protocol.
MAX_PHOTO_BYTES = 2 * 1024 * 1024
ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "WEBP": "image/webp", "PNG": "image/png"}
EXTENSIONS = {"image/jpeg": "jpg", "image/webp": "webp", "image/png": "png"}
# Phones send at most 1600 px on the long side; a phone camera's full resolution (12 M px, 4000 x 3000) is
# still fine. Beyond 16 M px, or a side longer than a camera makes, it is a decompression bomb, not a photo:
# a 69 KB WebP of 6300 x 6300 px costs seconds of CPU and hundreds of MiB to decode (review H-1).
MAX_PIXELS = 16_000_000
MAX_SIDE = 8_000
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
            # Only the accepted formats' parsers ever see the bytes (review I-14).
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
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
    # From the header alone, before a single pixel is decoded.
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise TooManyPixels(f"{width}x{height}")
    try:
        image.verify()  # structure and checksums
        _open(data).load()  # and every pixel decodes: verify() misses truncated data
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise NotAnImage(str(error)) from None
    return CheckedImage(ACCEPTED_FORMATS[image.format], width, height)


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo checked and re-encoded, ready to store: everything slow about it done, nothing stored yet."""

    original: bytes
    public: bytes
    sha256: str
    image: CheckedImage


def prepare_photo(data: bytes) -> PreparedPhoto:
    """Check the bytes and make the copy without metadata. Slow (it decodes every pixel): call it outside
    any database transaction, inside ``image_work()``."""
    image = check_image(data)
    public = without_metadata(data, image.content_type)
    return PreparedPhoto(data, public, hashlib.sha256(data).hexdigest(), image)


class ImageWorkBusy(RuntimeError):
    """Every slot for decoding images is taken and stayed taken: answer "try again later"."""


# Decoding is CPU and memory heavy; a few at a time per process keep the rest of the site answering.
_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


@contextmanager
def image_work(concurrency: int, wait_seconds: float) -> Iterator[None]:
    """At most ``concurrency`` images decoded at once in this process; wait for a slot at most
    ``wait_seconds``, then raise ImageWorkBusy."""
    with _slots_lock:
        slots = _slots.setdefault(concurrency, threading.BoundedSemaphore(concurrency))
    if not slots.acquire(timeout=wait_seconds):
        raise ImageWorkBusy(f"{concurrency} images are being decoded")
    try:
        yield
    finally:
        slots.release()


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
