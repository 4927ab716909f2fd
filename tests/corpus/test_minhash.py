"""Near-duplicates: a lightly edited copy is grouped, an article on the same event is not."""

from __future__ import annotations

from presslens.corpus.minhash import near_duplicate_groups, signature

WIRE = (
    "The death toll from Tuesday's ferry collision in Calder Bay rose to twelve on Thursday, "
    "the regional health directorate said, with two passengers still missing. The ferry Aurelia "
    "Star was carrying 198 passengers and 14 crew when it struck the dredger Kobalt 7 in dense "
    "fog. The Maritime Safety Directorate has opened an inquiry and will publish its findings "
    "within six months, a spokeswoman said. Port officials said radar coverage was normal."
)
COPY = "Ferry toll rises. " + WIRE.replace("Thursday", "Thursday morning") + " (Reuters)"
OTHER = (
    "Twelve people died when the Aurelia Star hit a dredger in fog on Tuesday night. Relatives "
    "gathered at the harbour on Wednesday demanding answers from the port authority, whose "
    "director insisted procedures had been followed. An inquiry has been opened."
)


def test_edited_copy_is_grouped_and_independent_report_is_not() -> None:
    groups = near_duplicate_groups(
        [("wire", signature(WIRE)), ("copy", signature(COPY)), ("other", signature(OTHER))]
    )
    assert [g["articles"] for g in groups] == [["copy", "wire"]]
    assert groups[0]["similarity"] >= 0.6


def test_signatures_are_stable_and_empty_text_is_safe() -> None:
    assert signature(WIRE).tolist() == signature(WIRE).tolist()
    assert near_duplicate_groups([("a", signature("")), ("b", None)]) == []
