"""A picture's bytes as each output wants them (Pillow): full resolution and PDF/A-safe
colour for print, a sensible size for reading devices in the EPUB.

Print takes the file itself wherever it can: the PDF carries the picture at its own
resolution. A CMYK picture (a magazine's photo desk sends them) or one of 16 bits per
channel is converted first to 8-bit sRGB, through its own ICC profile when it has one:
the PDF/A's output intent is sRGB, and DeviceCMYK beside it is not valid PDF/A. The EPUB
gets every raster picture at most ``READING_PIXELS`` on its long side (a 2,000-pixel
phone or tablet screen shows no more, and a 24-megapixel photograph would weigh 10 MB in
every copy), in sRGB; an SVG goes as it is (``figures`` has checked it holds no script).
"""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageCms

from dizgi import svgclip, svgfonts
from dizgi.model import Picture

#: the long side of a raster picture in the EPUB, in pixels
READING_PIXELS = 1600
JPEG_QUALITY = 85
#: colour modes that go into the PDF as they are: 8-bit grey, RGB (with or without alpha)
PRINT_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})


def print_address(picture: Picture) -> str:
    """Where the print layout reads the picture: its file, or the converted bytes inline."""
    if picture.width is None:  # an SVG: its text in the shipped faces, clipped to its viewport
        svg = svgclip.clipped(svgfonts.for_print(picture.source.read_bytes()))
        encoded = base64.b64encode(svg).decode("ascii")
        return f"data:{picture.media_type};base64,{encoded}"
    with Image.open(picture.source) as image:
        if image.mode in PRINT_MODES:
            return picture.source.resolve().as_uri()
        converted = _srgb(image)
    encoded = base64.b64encode(_encode(converted, picture.media_type)).decode("ascii")
    return f"data:{picture.media_type};base64,{encoded}"


def reading_bytes(picture: Picture) -> bytes:
    """The picture for the EPUB: scaled down to ``READING_PIXELS`` and in sRGB where needed,
    else the file's own bytes."""
    original = picture.source.read_bytes()
    if picture.width is None or picture.height is None:
        return original
    with Image.open(picture.source) as image:
        if max(image.size) <= READING_PIXELS and image.mode in PRINT_MODES:
            return original
        converted = _srgb(image) if image.mode not in PRINT_MODES else image.copy()
    converted.thumbnail((READING_PIXELS, READING_PIXELS), Image.Resampling.LANCZOS)
    return _encode(converted, picture.media_type)


def _srgb(image: Image.Image) -> Image.Image:
    """The picture in 8-bit sRGB (or grey): through its ICC profile when it carries one."""
    profile = image.info.get("icc_profile")
    if image.mode == "CMYK" and profile:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        assert converted is not None
        return converted
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):
        return image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image, media_type: str) -> bytes:
    buffer = io.BytesIO()
    if media_type == "image/jpeg":
        image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
