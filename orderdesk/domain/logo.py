"""The shop's logo: which images are accepted as one.

Only raster formats recognised by their first bytes: the logo is served from the shop's own
origin and shown in emails, so an SVG (which may carry script) or a file merely named .png
is refused rather than trusted.
"""

from __future__ import annotations

from .errors import InvalidInput

# Big enough for any logo at print resolution; small enough to inline in every email client.
MAX_BYTES = 1_000_000

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def logo_content_type(data: bytes, *, field: str = "logo") -> str:
    """The image type of ``data``; InvalidInput if it is empty, too big or not PNG, JPEG, GIF or WebP."""
    if not data:
        raise InvalidInput("Choose an image file for the logo", field=field)
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"The logo must be at most {MAX_BYTES // 1000} kB; this file is {len(data) // 1000} kB", field=field)
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise InvalidInput("The logo must be a PNG, JPEG, GIF or WebP image", field=field)
