"""How a technique span's certainty reads in the CLI, the HTML report and the web UI.

A technique reaches a span in one of two ways (``attrs.basis``): the classifier's first
choice for the span's words (``span``), or a technique the paragraph classifier finds in the
paragraph, placed on its strongest span there (``paragraph``). The second kind has a low
``confidence`` by construction (the words alone suggested another technique), so a bare
"0.00" beside it reads as "not found"; readers see the paragraph classifier's probability
instead, marked so it is not mistaken for the span confidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Marks a certainty that is the paragraph classifier's, not the span's.
PARAGRAPH_MARK = "¶"
#: One sentence for legends under technique tables.
PARAGRAPH_LEGEND = (
    f"{PARAGRAPH_MARK}: a technique the paragraph classifier finds in this paragraph (its "
    "probability), shown on the span that is its strongest evidence there."
)


def from_paragraph(attrs: Mapping[str, Any]) -> bool:
    """Whether the technique is on this span because its paragraph shows it."""
    return attrs.get("basis") == "paragraph"


def _certainty(attrs: Mapping[str, Any]) -> tuple[str, float] | None:
    """Whose certainty to show and its value: the paragraph classifier's for a technique its
    paragraph placed, else the span's confidence; None when unscored."""
    if from_paragraph(attrs) and _number(attrs.get("paragraph_score")):
        return "paragraph", float(attrs["paragraph_score"])
    if _number(attrs.get("confidence")):
        return "confidence", float(attrs["confidence"])
    return None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def certainty_words(attrs: Mapping[str, Any]) -> str:
    """The certainty in words, for a tooltip: ``confidence 0.26``, ``paragraph classifier
    0.71``; empty when unscored."""
    found = _certainty(attrs)
    if found is None:
        return ""
    kind, value = found
    return f"{'paragraph classifier' if kind == 'paragraph' else 'confidence'} {value:.2f}"


def certainty_text(attrs: Mapping[str, Any]) -> str:
    """``0.26``; ``¶ 0.71`` for a technique placed by its paragraph; ``—`` when unscored."""
    found = _certainty(attrs)
    if found is None:
        return "—"
    kind, value = found
    return f"{PARAGRAPH_MARK} {value:.2f}" if kind == "paragraph" else f"{value:.2f}"
