"""Requests and articles that once made the web app answer 500, stall, or show wrong things.

Each case was found by probing a running server; each test fails on the code before its fix.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

MakeClient = Any  # the make_client fixture (tests/web/conftest.py)

AUTH = {"authorization": "Bearer tok"}
ARTICLE = (
    "Rivermouth – The Rivermouth Water Board said on Monday that 1,200 homes were without "
    "water after a pipe burst. “Crews are working through the night,” board director Ilse "
    "Varnholt said.\n"
)


def _error(response: Any, code: str, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    "query",
    [
        "page=%C2%B2",  # a superscript two: str.isdigit() says yes, int() says no
        "page=" + "9" * 5000,  # past int()'s digit limit
        "per_page=%D9%A1",  # an Arabic-Indic one
        "date_from=20210301",  # date.fromisoformat reads it; the parameter is YYYY-MM-DD
        "date_from=2021-W09-1",
    ],
)
def test_odd_parameters_are_refused_not_crashed(client: Any, query: str) -> None:
    for path in ("/articles.json", "/search.json"):
        _error(client.get(f"{path}?{query}"), "P604", 422)


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "Angela Merkel spoke in Berlin.", "n": ' + b"1" * 5000 + b"}",
    ],
)
def test_json_beyond_python_limits_is_a_bad_body(
    make_client: MakeClient, store_copy: Path, body: bytes
) -> None:
    client = make_client(store=store_copy, token="tok")
    response = client.post(
        "/api/articles", content=body, headers={**AUTH, "content-type": "application/json"}
    )
    _error(response, "P610", 422)


def test_unpaired_surrogates_become_replacement_characters(
    make_client: MakeClient, store_copy: Path
) -> None:
    client = make_client(store=store_copy, token="tok")
    body = json.dumps({"text": "\ud800" + ARTICLE, "title": "Pipe \udc00burst"})
    response = client.post(
        "/api/articles", content=body, headers={**AUTH, "content-type": "application/json"}
    )
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert article["text"].startswith("\ufffd") and article["title"] == "Pipe \ufffdburst"
    assert "Ilse Varnholt" in article["text"]


def test_a_byte_order_mark_is_no_part_of_the_article(
    make_client: MakeClient, store_copy: Path
) -> None:
    client = make_client(store=store_copy, token="tok")
    body = "\ufefftitle Pipe burst\noutlet Harbour Wire\n\n" + ARTICLE
    response = client.post(
        "/api/articles", content=body.encode(), headers={**AUTH, "content-type": "text/plain"}
    )
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert article["title"] == "Pipe burst" and article["outlet"] == "Harbour Wire"
    assert not article["text"].startswith("\ufeff")
    only_mark = client.post(
        "/api/articles", content=b"\xef\xbb\xbf", headers={**AUTH, "content-type": "text/plain"}
    )
    _error(only_mark, "P610", 422)


def test_an_anchor_at_the_calendar_edge_still_analyses(
    make_client: MakeClient, store_copy: Path
) -> None:
    client = make_client(store=store_copy, token="tok")
    text = ARTICLE + "The repairs end next week, and the board meets again on Monday.\n"
    response = client.post(
        "/api/articles?date=9999-12-31",
        content=text.encode(),
        headers={**AUTH, "content-type": "text/plain"},
    )
    assert response.status_code == 201, response.text
    timexes = response.json()["article"]["layers"]["timexes"]
    assert {t["text"] for t in timexes} >= {"next week", "Monday"}


def test_control_characters_leave_titles_and_keep_highlights_true(
    make_client: MakeClient, store_copy: Path
) -> None:
    client = make_client(store=store_copy, token="tok")
    response = client.post(
        "/api/articles",
        json={"text": ARTICLE, "title": "Budget \u0002vote\u0003 delayed: zyxwv row"},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    assert response.json()["article"]["title"] == "Budget vote delayed: zyxwv row"
    hits = client.get("/search.json?q=zyxwv").json()["results"]
    assert len(hits) == 1
    marked = [text for text, hit in hits[0]["snippet_parts"] if hit]
    assert marked == ["zyxwv"]
    page = client.get("/search?q=zyxwv").text
    assert "<mark>vote</mark>" not in page and "<mark>zyxwv</mark>" in page


@pytest.mark.parametrize("query", ["12:30", "Update:", "passed^"])
def test_colons_and_carets_are_plain_words(client: Any, query: str) -> None:
    response = client.get("/search.json", params={"q": query})
    assert response.status_code == 200, response.text


def test_a_word_repeated_thousands_of_times_gets_a_short_snippet(
    make_client: MakeClient, store_copy: Path
) -> None:
    """FTS5's snippet() cost the square of the hits (60,000: 50 s); ours reads the text once."""
    client = make_client(store=store_copy, token="tok")
    text = "Repeated words\n\nThe mayor said it was fine. " + "the " * 30_000 + "\n"
    response = client.post(
        "/api/articles", content=text.encode(), headers={**AUTH, "content-type": "text/plain"}
    )
    assert response.status_code == 201, response.text
    found = client.get("/search.json?q=mayor%20the").json()["results"]
    row = next(r for r in found if r["id"] == response.json()["article"]["id"])
    marked = [t.lower() for t, hit in row["snippet_parts"] if hit]
    assert "mayor" in marked and "the" in marked and len(marked) <= 16
    assert len(row["snippet"]) < 300


def test_names_in_other_scripts_are_entities_of_their_own(
    make_client: MakeClient, tmp_path: Path
) -> None:
    """Without built corpus results the web app indexes entities itself; ids kept only
    ASCII letters, so every Cyrillic or Greek name was the one entity "x"."""
    client = make_client(store=tmp_path / "scripts.db", token="tok")
    for text in (
        "Владимир Путин встретился с Сергеем Лавровым в Москве в понедельник.",
        "Ο Γιώργος Παπανδρέου μίλησε στην Αθήνα τη Δευτέρα για την οικονομία.",
        "Angela Merkel met Olaf Scholz in Berlin on Monday to discuss the budget.",
    ):
        response = client.post(
            "/api/articles", content=text.encode(), headers={**AUTH, "content-type": "text/plain"}
        )
        assert response.status_code == 201, response.text
    entities = client.get("/entities.json").json()["entities"]
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids)) and "x" not in ids
    names = {e["name"] for e in entities}
    assert "Angela Merkel" in names
    for e in entities:
        page = client.get(f"/entity?name={e['name']}", follow_redirects=False)
        assert page.status_code == 303, (e, page.text)
        target = client.get(page.headers["location"] + ".json").json()
        assert target["entity"]["name"] == e["name"]


@pytest.mark.parametrize("prefix", ["%%%%", "____", "\\\\\\\\"])
def test_like_wildcards_in_an_id_prefix_match_nothing(
    make_client: MakeClient, tmp_path: Path, prefix: str
) -> None:
    """The store dropped "%" and "_" from a prefix, so "%%%%" became "" and matched the one
    article of a store."""
    client = make_client(store=tmp_path / "one.db", token="tok")
    posted = client.post(
        "/api/articles", content=ARTICLE.encode(), headers={**AUTH, "content-type": "text/plain"}
    )
    assert posted.status_code == 201, posted.text
    assert client.get(f"/articles/{posted.json()['article']['id'][:6]}").status_code == 200
    response = client.get(f"/articles/{prefix}")
    assert response.status_code == 404, response.text


def test_story_number_links_point_at_the_number(client: Any) -> None:
    """The corpus comparison's values carried offsets but no index, so every link under
    "Numbers that disagree" ended in "#t-quantities-" and opened the article at its top."""
    anchors: list[str] = []
    for story in client.get("/stories.json").json()["stories"]:
        page = client.get(f"/stories/{story['id']}").text
        anchors += re.findall(r'href="/articles/[0-9a-f]+#t-quantities-([^"]*)"', page)
    assert anchors, "the demo corpus has a story whose outlets disagree on a number"
    assert all(a.isdigit() for a in anchors), anchors


def test_head_answers_as_get_without_a_body(client: Any) -> None:
    """Routes declared for GET answered HEAD (curl -I, link checkers) with 405."""
    for path, kind in (("/", "text/html"), ("/articles.json", "application/json")):
        got, head = client.get(path), client.head(path)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"].startswith(kind)
        assert head.headers["content-length"] == got.headers["content-length"]
        assert head.headers["content-security-policy"] == got.headers["content-security-policy"]
    assert client.head("/no-such-page").status_code == 404
