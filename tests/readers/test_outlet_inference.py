from __future__ import annotations

from presslens.readers import infer_outlets, repeated_lines
from presslens.readers.text import text_document
from presslens.settings import Settings

TAGLINE = "Harbour Gazette, independent news since 1998"


def doc(name: str, body: str, outlet: str | None) -> object:
    d = text_document(body, source=name, key=name, meta={})
    d.outlet = outlet
    return d


def test_outletless_article_takes_the_outlet_of_its_signature_line() -> None:
    docs = [
        doc("a.txt", f"First story text here.\n\n{TAGLINE}\n", "Harbour Gazette"),
        doc("b.txt", f"Second story text here.\n\n{TAGLINE}\n", "Harbour Gazette"),
        doc("c.txt", f"Third story with no header.\n\n{TAGLINE}\n", None),
    ]
    infer_outlets(docs, Settings())  # type: ignore[arg-type]
    assert docs[2].outlet == "Harbour Gazette"  # type: ignore[attr-defined]
    assert docs[2].meta["outlet_from"]["rule"] == "signature line"  # type: ignore[attr-defined]
    # ...and then the tagline counts as repeated in three articles of that outlet.
    repeated = repeated_lines(docs, Settings())  # type: ignore[arg-type]
    assert TAGLINE in repeated["Harbour Gazette"]


def test_sentences_widgets_and_lines_of_two_outlets_are_not_signatures() -> None:
    shared = "He declined to comment."
    docs = [
        doc("a.txt", f"A.\n\n{shared}\n\nShare this article\n\nJoint tagline", "Gazette"),
        doc("b.txt", f"B.\n\n{shared}\n\nShare this article\n\nJoint tagline", "Gazette"),
        doc("c.txt", "C.\n\nJoint tagline", "Courier"),
        doc("d.txt", f"D.\n\n{shared}\n\nShare this article\n\nJoint tagline", None),
    ]
    infer_outlets(docs, Settings())  # type: ignore[arg-type]
    assert docs[3].outlet is None  # type: ignore[attr-defined]
    assert "outlet_from" not in docs[3].meta  # type: ignore[attr-defined]


def test_signature_lines_pointing_to_two_outlets_leave_the_outlet_unknown() -> None:
    docs = [
        doc("a.txt", "A.\n\nGazette footer line", "Gazette"),
        doc("b.txt", "B.\n\nGazette footer line", "Gazette"),
        doc("c.txt", "C.\n\nCourier footer line", "Courier"),
        doc("d.txt", "D.\n\nCourier footer line", "Courier"),
        doc("e.txt", "E.\n\nGazette footer line\n\nCourier footer line", None),
    ]
    infer_outlets(docs, Settings())  # type: ignore[arg-type]
    assert docs[4].outlet is None  # type: ignore[attr-defined]
