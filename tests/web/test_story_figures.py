"""The story page lists figures of different outlets that are worded differently but count
one thing, each in its clause, apart from the numbers whose wording matches."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

MakeClient = Any  # the make_client fixture (tests/web/conftest.py)

AUTH = {"authorization": "Bearer tok"}
STORY = [
    (
        "Northern Echo",
        "2026-03-02",
        "Council cuts library funding",
        "The city council has approved a cut in government funding for public libraries, "
        "leaving 12 branches at risk of closure. Unison said 80 jobs could go at the "
        "<library> service. Council leader Jane Porter called the library closures painful "
        "but unavoidable after the budget vote in Harwick.",
    ),
    (
        "Daily Courier",
        "2026-03-03",
        "Library funding cut by council",
        "Councillors voted on Monday to cut library funding, putting 12 branches in danger "
        "of closing. The union Unison warned that 120 jobs could be lost at the library "
        "service. Council leader Jane Porter said the library closures in Harwick were "
        "unavoidable after the budget vote.",
    ),
]


def test_story_page_lists_differently_worded_figures_with_their_clauses(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client(store=tmp_path / "figures.db", token="tok")
    for outlet, day, title, text in STORY:
        body = {"text": text, "outlet": outlet, "date": day, "title": title}
        response = client.post("/api/articles", json=body, headers=AUTH)
        assert response.status_code == 201, response.text
    stories = client.get("/stories.json").json()["stories"]
    assert len(stories) == 1, stories
    sid = stories[0]["id"]
    data = client.get(f"/stories/{sid}.json").json()["story"]
    possible = data["possible_disagreements"]
    assert len(possible) == 1, possible
    shown = {v["text"]: v for v in possible[0]["values"]}
    assert set(shown) == {"80", "120"}
    assert "80 jobs could go" in shown["80"]["clause"]
    assert all(isinstance(v["index"], int) for v in shown.values())
    page = client.get(f"/stories/{sid}").text
    assert "Figures worded differently that may disagree" in page
    assert "80 jobs could go at the &lt;library&gt;" in page  # the clause, escaped
    assert "<library>" not in page
    # in the text, each of the two numbers is marked as one that may disagree
    marked = re.findall(r'<mark class="maybe" title="([^"]*)">([^<]*)</mark>', page)
    assert sorted(text for _, text in marked) == ["120", "80"]
    assert all(
        "Northern Echo: 80" in title and "Daily Courier: 120" in title for title, _ in marked
    )


def test_story_page_lists_a_quotation_two_outlets_give_to_different_speakers(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client(store=tmp_path / "quotes.db", token="tok")
    texts = [
        ("Harbour Herald", '"We have no choice and we will never back down on these <cuts>," '
         "the council spokesman Mark Ellis said. Council leader Jane Porter called the "
         "library closures in Harwick unavoidable after the budget vote."),
        ("Evening Gazette", 'Council leader Jane Porter defended the library closures in '
         'Harwick after the budget vote. "We have no choice and we will not back down on '
         'these <cuts>," she said.'),
    ]  # fmt: skip
    for outlet, text in texts:
        body = {"text": text, "outlet": outlet, "date": "2026-03-03", "title": "Library cuts"}
        assert client.post("/api/articles", json=body, headers=AUTH).status_code == 201
    sid = client.get("/stories.json").json()["stories"][0]["id"]
    story = client.get(f"/stories/{sid}.json").json()["story"]
    (quote,) = story["quotations"]
    assert quote["speakers_differ"] and quote["wording_differs"]
    assert {v["speaker"] for v in quote["versions"]} == {"Mark Ellis", "Jane Porter"}
    page = client.get(f"/stories/{sid}").text
    assert "speakers read differently" in page and "these &lt;cuts&gt;" in page
    assert "<cuts>" not in page


def test_a_story_comparison_is_computed_once_until_the_store_changes(
    make_client: MakeClient, tmp_path: Path, monkeypatch: Any
) -> None:
    from presslens.web import corpus_data

    client = make_client(store=tmp_path / "cache.db", token="tok")
    for outlet, day, title, text in STORY:
        body = {"text": text, "outlet": outlet, "date": day, "title": title}
        assert client.post("/api/articles", json=body, headers=AUTH).status_code == 201
    sid = client.get("/stories.json").json()["stories"][0]["id"]
    calls: list[str] = []
    real = corpus_data.number_groups

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("numbers")
        return real(*args, **kwargs)

    monkeypatch.setattr(corpus_data, "number_groups", counted)
    first = client.get(f"/stories/{sid}").text
    assert client.get(f"/stories/{sid}.json").status_code == 200
    assert client.get(f"/stories/{sid}").text == first
    assert calls == ["numbers"]  # the page and its JSON twin share one comparison
    body = {"text": "An unrelated note about a ferry timetable change in Port Elin.",
            "outlet": "Third", "date": "2026-03-04", "title": "Timetable"}  # fmt: skip
    assert client.post("/api/articles", json=body, headers=AUTH).status_code == 201
    client.get(f"/stories/{sid}")
    assert calls == ["numbers", "numbers"]  # a new article: computed again
