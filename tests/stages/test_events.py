"""The events stage: dated statements from timexes, coordination, the news peg, quotes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from presslens.model import Article

Analyse = Callable[[str], Article]


def _events(art: Article) -> list[dict[str, Any]]:
    names = {c.id: c.name for c in art.clusters}
    rows = []
    for s in art.layer("events"):
        row = dict(s.attrs, text=s.text)
        row["what"] = art.text[s.attrs["what"][0] : s.attrs["what"][1]]
        row["also"] = [art.text[a:b] for a, b in s.attrs["also"]]
        row["who"] = [names[w] for w in s.attrs["who"]]
        rows.append(row)
    return rows


def test_timex_dates_its_verb_and_coordinated_verbs(analyse_dated: Analyse) -> None:
    art = analyse_dated(
        "Officials spoke on Friday.\n\nThe weather was mild.\n\n"
        "Anna Koval was arrested in 2010 and sentenced to seven years in prison.",
    )
    rows = [r for r in _events(art) if r["date"] == "2010"]
    whats = {r["what"]: r for r in rows}
    assert set(whats) == {"arrested", "sentenced"}
    for r in rows:
        assert r["date_source"] == "timex"
        assert r["who"][0] == "Anna Koval"
    assert whats["arrested"]["also"] == ["sentenced"]
    assert whats["arrested"]["date_prep"] == "in"
    assert art.layer("timexes")[whats["arrested"]["timex"]].text == "2010"


def test_news_peg_uses_the_publication_date(analyse_dated: Analyse) -> None:
    art = analyse_dated(
        "Boris Lund joined the Kestrel Party in its campaign against Anna Koval.\n\n"
        "Nothing else happened.\n\nLater paragraphs mention Carl Moss joining Tern Bank.",
    )
    rows = _events(art)
    peg = [r for r in rows if r["date_source"] == "published"]
    assert peg and peg[0]["date"] == "2021-03-01" and peg[0]["what"] == "joined"
    assert peg[0]["timex"] is None
    assert "Boris Lund" in peg[0]["who"] and "Anna Koval" in peg[0]["who"]
    assert not any("Carl Moss" in r["who"] for r in rows)  # third paragraph: no peg


def test_future_and_dateless_later_sentences_are_not_events(analyse_dated: Analyse) -> None:
    art = analyse_dated("Anna Koval will visit Tern Bank.\n\nShe likes it.")
    assert art.layer("events") == []


def test_unattributed_quotes_are_skipped_attributed_ones_linked(analyse_dated: Analyse) -> None:
    art = analyse_dated(
        "The report was short.\n\nIt had no title.\n\n"
        "“Boris Lund was fired in 2012,” Anna Koval said.\n\n"
        "A banner read “Carl Moss resigned in 2014” for days.",
    )
    rows = _events(art)
    fired = [r for r in rows if r["what"] == "fired"]
    assert fired and fired[0]["date"] == "2012"
    att = fired[0]["attribution"]
    assert att is not None and art.layer("attributions")[att].start <= art.text.index("fired")
    assert not any(r["what"] == "resigned" and r["attribution"] is None for r in rows)


def test_without_doc_the_layer_is_empty() -> None:
    from presslens.stages.events import event_spans

    art = Article(text="Anna Koval was arrested in 2010.")
    event_spans(art)
    assert art.layers["events"] == []


def test_a_duration_up_to_the_article_date_dates_as_past_ref(analyse_dated: Analyse) -> None:
    art = analyse_dated(
        "Officials spoke on Friday.\n\nThe weather was mild.\n\n"
        "Police in Rabat arrested Anna Koval over the past two months."
    )
    rows = {r["what"]: r for r in _events(art)}
    assert rows["arrested"]["date"] == "PAST_REF"
    assert art.layer("timexes")[rows["arrested"]["timex"]].attrs["value"] == "P2M"
