"""The site's own look: the accent colour (and its WCAG contrast), the logo file and
the favicon.

The page is dark text on a white background; the accent colour is used for links
and button text on white and on the panels' pale blue (:data:`BACKGROUNDS`), and as
the background of the main buttons, under white text.  WCAG 2 AA asks 4.5:1 for
text, so an accent must reach that against each of them; :func:`contrast_problem`
says by how much one misses, and suggests the nearest darker shade that passes.

>>> round(contrast("#0b57d0", "#ffffff"), 2)
6.39
>>> contrast_problem("#0b57d0") is None
True
>>> print(contrast_problem("#ffcc00"))  # doctest: +NORMALIZE_WHITESPACE
#ffcc00 has a contrast of 1.3:1 with the page (#f3f6fb); WCAG AA needs 4.5:1
for text on it and under it: use a darker shade, such as #876c00
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

DEFAULT_ACCENT = "#0b57d0"
BACKGROUNDS = ("#ffffff", "#f3f6fb")  # the page's background and its panels'
AA_TEXT = 4.5
MAX_LOGO_BYTES = 1024 * 1024
# A logo file's type, by its name's ending.
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_ACTIVE_SVG = re.compile(rb"<script|<foreignObject|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


@dataclass(frozen=True)
class Logo:
    """The site's logo: an https address, or a file's bytes (copied into the site)."""

    given: str  # as written in the file
    data: bytes | None = None  # the file's bytes; None for an address
    media_type: str = ""

    @property
    def address(self) -> str | None:
        return None if self.data is not None else self.given

    @property
    def suffix(self) -> str:
        """The file's ending, by its type (``.png``): the name it is published under."""
        return next(s for s, t in LOGO_TYPES.items() if t == self.media_type)


def parse_colour(text: str) -> str:
    """``#rgb`` or ``#rrggbb`` (the ``#`` may be left out) as ``#rrggbb``.

    >>> parse_colour("#0B57D0"), parse_colour("a50")
    ('#0b57d0', '#aa5500')
    """
    match = _HEX.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a colour: {text.strip()!r} (write it as #rrggbb, e.g. #0b57d0)")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def _luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a ``#rrggbb`` colour."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two colours (1 to 21)."""
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _worst(colour: str) -> tuple[float, str]:
    return min((contrast(colour, bg), bg) for bg in BACKGROUNDS)


def _darker(colour: str, factor: float) -> str:
    return "#" + "".join(f"{round(int(colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def contrast_problem(colour: str) -> str | None:
    """Why ``colour`` cannot be the accent (too little contrast), or None."""
    ratio, background = _worst(colour)
    if ratio >= AA_TEXT:
        return None
    factor = 1.0
    suggestion = colour
    while _worst(suggestion)[0] < AA_TEXT and factor > 0:
        factor = round(factor - 0.01, 2)
        suggestion = _darker(colour, factor)
    return (
        f"{colour} has a contrast of {int(ratio * 10) / 10:.1f}:1 with the page ({background}); "
        f"WCAG AA needs {AA_TEXT}:1 for text on it and under it: use a darker shade, "
        f"such as {suggestion}"
    )


def logo_problem(data: bytes, media_type: str) -> str | None:
    """Why a logo file cannot be published as it is, or None."""
    if len(data) > MAX_LOGO_BYTES:
        return f"the file is {len(data) / 1024 / 1024:.1f} MB; a logo should be under 1 MB"
    if media_type == "image/svg+xml":
        if b"<svg" not in data[:4096].lower():
            return "not an SVG image (no <svg> element at its start)"
        if _ACTIVE_SVG.search(data):
            return "the SVG holds script or event handlers; save it as a plain image"
        return None
    if not data.startswith(_SIGNATURES[media_type]):
        return f"the file is not a {media_type.removeprefix('image/').upper()} image"
    return None


def favicon_svg(name: str, accent: str) -> bytes:
    """A generated favicon: the calendar's first letter, white on the accent colour."""
    letter = next((c for c in name if c.isalnum()), "A").upper()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{accent}"/>'
        '<text x="32" y="45" font-family="system-ui,sans-serif" font-size="38" '
        f'font-weight="700" text-anchor="middle" fill="#fff">{xml_escape(letter)}</text></svg>\n'
    ).encode()
