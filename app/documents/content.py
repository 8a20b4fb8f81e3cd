"""What an uploaded file really is, from its first bytes (never from its name or the type
the browser claims), and the HEIC photo of a phone or tablet camera turned into a JPEG."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from app.documents.vocab import DocumentType

try:  # pillow-heif reads HEIC/HEIF; without it such photos are refused with a message
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - pinned in requirements.txt
    HEIC_SUPPORTED = False

HEIC = "heic"
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# An image larger than this many pixels is refused rather than decoded (a "pixel bomb").
MAX_PIXELS = 60_000_000


class NotAllowed(ValueError):
    """The content is not one of the types Gezel keeps (or cannot be read)."""


def sniff(data: bytes) -> DocumentType | str | None:
    """The type by content: a ``DocumentType``, ``HEIC``, or None for anything else."""
    if data.startswith(b"%PDF-"):
        return DocumentType.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return DocumentType.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentType.PNG
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIC
    return None


def _open_image(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise NotAllowed("too many pixels")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise NotAllowed("unreadable image") from exc
    return image


def checked(data: bytes) -> tuple[DocumentType, bytes, str | None]:
    """``(type, bytes to store, converted_from)`` for an uploaded file; raises ``NotAllowed``.

    JPEG and PNG must open as images (a file that only starts like one is refused); a HEIC
    photo is converted to a JPEG (without its metadata, such as the place it was taken)."""
    kind = sniff(data)
    if kind is None:
        raise NotAllowed("unknown type")
    if kind == HEIC:
        if not HEIC_SUPPORTED:
            raise NotAllowed("heic")
        image = _open_image(data)
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=90)
        return DocumentType.JPEG, out.getvalue(), HEIC
    if kind in (DocumentType.JPEG, DocumentType.PNG):
        _open_image(data)
    elif b"%%EOF" not in data[-2048:]:  # a PDF ends with its end-of-file marker
        raise NotAllowed("truncated pdf")
    return kind, data, None
