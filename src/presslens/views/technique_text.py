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


def certainty_words(attrs: Mapping[str, Any]) -> str:
    """The certainty in words, for a tooltip: ``confidence 0.26``, ``paragraph classifier
    0.71``; empty when unscored."""
    text = certainty_text(attrs)
    if text == "—":
        return ""
    if text.startswith(PARAGRAPH_MARK):
        return f"paragraph classifier {text.removeprefix(PARAGRAPH_MARK).strip()}"
    return f"confidence {text}"


def certainty_text(attrs: Mapping[str, Any]) -> str:
    """``0.26``; ``¶ 0.71`` for a technique placed by its paragraph; ``—`` when unscored."""
    if from_paragraph(attrs):
        score = attrs.get("paragraph_score")
        if isinstance(score, int | float) and not isinstance(score, bool):
            return f"{PARAGRAPH_MARK} {score:.2f}"
    conf = attrs.get("confidence")
    if isinstance(conf, int | float) and not isinstance(conf, bool):
        return f"{conf:.2f}"
    return "—"
