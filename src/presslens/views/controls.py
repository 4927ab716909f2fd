"""Show invisible control characters as their code points.

Normalisation removes NUL, other C0 controls and bidi overrides from the article text and keeps
them in ``meta.removed``; displayed raw there, a right-to-left override would reorder the page
around it, and a removed byte-order mark (U+FEFF) would show as nothing at all. Pages show them
as ``⟨U+202E⟩`` instead (a Jinja filter named ``visible``).
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]"
)


def visible(text: object) -> str:
    """``text`` with control and bidi-formatting characters replaced by ``⟨U+XXXX⟩``."""
    return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", str(text))
