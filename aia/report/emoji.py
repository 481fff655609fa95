"""Colour emoji drawn once per render, not once per emoji.

WeasyPrint draws a glyph of a bitmap colour font (Noto Color Emoji) as an image: for every emoji
it meets it builds a new image object from the glyph's PNG, and that decodes the PNG and encodes
it again (the glyphs are palette images, which it converts), only to find, when it writes the
PDF, that the document already holds that glyph's image under the same name and keep the first.
An answer of ten thousand emoji spent most of a minute encoding the same few images.

``glyph_images()`` wraps one render: while it is open, the image of a glyph (named, as
WeasyPrint names it, by the font's hash and the glyph's number, and checked against the glyph's
PNG bytes) is built once and handed out again. Because WeasyPrint keeps the first image of a
name anyway, the PDF is byte for byte the one it writes without the cache.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

import weasyprint.draw.text as weasyprint_text
from PIL import Image
from weasyprint.images import RasterImage

_images: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "aia_glyph_images", default=None
)


class _GlyphPNGs:
    """Stands for PIL's ``Image`` module in WeasyPrint's text drawer, which uses it only to open
    a glyph's PNG (to read its size and hand it to the image): opened once per render."""

    def __getattr__(self, name: str) -> Any:
        return getattr(Image, name)

    @staticmethod
    def open(file: Any, *args: Any, **kwargs: Any) -> Any:
        cache = _images.get()
        if cache is None or args or kwargs or not hasattr(file, "getvalue"):
            return Image.open(file, *args, **kwargs)
        key = ("png", file.getvalue())
        image = cache.get(key)
        if image is None:
            image = cache[key] = Image.open(file)
        return image


def _glyph_image(pillow_image: Any, image_id: str, image_data: bytes, *args: Any, **kwargs: Any) -> Any:
    cache = _images.get()
    if cache is None or args or kwargs:
        return RasterImage(pillow_image, image_id, image_data, *args, **kwargs)
    key = (image_id, image_data)
    image = cache.get(key)
    if image is None:
        image = cache[key] = RasterImage(pillow_image, image_id, image_data)
    return image


# The text drawer is the only caller that names RasterImage through this module; image files in
# the document (<img>, backgrounds) are built elsewhere and are not affected.
setattr(weasyprint_text, "RasterImage", _glyph_image)  # noqa: B010 - a module attribute
setattr(weasyprint_text, "Image", _GlyphPNGs())  # noqa: B010


@contextlib.contextmanager
def glyph_images() -> Iterator[None]:
    """Within the block, each emoji glyph's image is built once."""
    token = _images.set({})
    try:
        yield
    finally:
        _images.reset(token)
