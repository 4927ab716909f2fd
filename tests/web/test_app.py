"""Every page and its .json twin, the error envelope, auth, size limits, path traversal, CSP
and escaping, through FastAPI's TestClient over a store of analysed demo articles."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from presslens.web.security import CSP

MakeClient = Any  # the make_client fixture: make_client(store=..., **WebConfig options)

ENVELOPE_KEYS = {"code", "type", "where", "message", "hint", "status"}


def _ids(store: Path) -> dict[str, str]:
    db = sqlite3.connect(store)
    try:
        rows = db.execute("SELECT id, title, outlet FROM articles ORDER BY id").fetchall()
    finally:
        db.close()
    hostile = next(r[0] for r in rows if r[2] and "<script>" in r[2])
    plain = next(r[0] for r in rows if r[2] == "The Merrow Courier")
    return {"hostile": hostile, "plain": plain}


@pytest.fixture
def ids(web_store: Path) -> dict[str, str]:
    return _ids(web_store)


def _envelope(body: Any, code: str, status: int) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["code"] == code
    assert body["error"]["status"] == status
    assert body["error"]["message"] and body["error"]["hint"]


def _pages(client: Any, ids: dict[str, str]) -> list[str]:
    """Every page path, with real ids taken from the JSON twins."""
    entity = client.get("/entities.json").json()["entities"][0]["id"]
    stories = client.get("/stories.json").json()["stories"]
    pages = [
        "/",
        "/articles",
        "/articles?outlet=The+Merrow+Courier&page=1&per_page=2",
        f"/articles/{ids['plain']}",
        f"/articles/{ids['hostile']}",
        "/entities",
        f"/entities/{entity}",
        "/stories",
        "/search?q=ferry",
        "/search",
        "/numbers",
        "/numbers?counted=dead&sourced=yes&per_page=5",
    ]
    if stories:
        pages.append(f"/stories/{stories[0]['id']}")
    return pages


def _json_twin(path: str) -> str:
    route, _, query = path.partition("?")
    twin = ("/index" if route == "/" else route) + ".json"
    return twin + (f"?{query}" if query else "")


def test_every_page_and_its_json_twin_answer(client: Any, ids: dict[str, str]) -> None:
    pages = _pages(client, ids)
    assert any(p.startswith("/stories/") for p in pages), "the demo corpus should hold a story"
    for path in pages:
        html = client.get(path)
        assert html.status_code == 200, (path, html.text[:300])
        assert html.headers["content-type"].startswith("text/html")
        assert f'href="{_json_twin(path).replace("&", "&amp;")}"' in html.text, path
        data = client.get(_json_twin(path))
        assert data.status_code == 200, (path, data.text[:300])
        assert data.headers["content-type"].startswith("application/json")
        assert isinstance(data.json(), dict)


def test_article_page_shows_text_layers_statements_and_removed_text(
    client: Any, ids: dict[str, str]
) -> None:
    data = client.get(f"/articles/{ids['plain']}.json").json()
    art = data["article"]
    html = client.get(f"/articles/{ids['plain']}").text
    assert data["layers"]["entities"] > 0 and data["statements"]
    for layer in ("entities", "attributions", "quantities", "timexes"):
        assert f'data-toggle-layer="{layer}"' in html
        assert f'data-layer="{layer}"' in html
    first = data["statements"][0]
    assert f'href="#t-attributions-{first["index"]}"' in html
    assert 'id="t-attributions-' in html
    assert 'class="speaker" href="/entity?name=' in html
    assert 0.0 <= first["confidence"] <= 1.0
    conf = f'title="confidence of the attribution scorer">{first["confidence"]:.2f}</span>'
    assert conf in html
    for removed in art["meta"]["removed"]:
        assert removed["kind"] in html
    # every number listed with what it counts, when, and on whose word (views.numbers)
    from markupsafe import escape

    from presslens.model import Article
    from presslens.views.numbers import number_rows

    section = html[html.index('<section id="numbers">') :]
    section = section[: section.index("</section>")]
    assert "<th>when</th><th>on whose word</th>" in section
    rows = number_rows([Article.model_validate(art)])
    assert section.count('<tr><td><a href="#t-quantities-') == len(rows) > 0
    assert any(r["cited"] for r in rows)
    assert all(str(escape(r["cited"])) in section for r in rows if r["cited"])


def test_entity_link_from_an_article_resolves_to_the_entity_page(
    client: Any, ids: dict[str, str]
) -> None:
    rows = client.get(f"/articles/{ids['plain']}.json").json()["statements"]
    speaker = next(r["speaker"] for r in rows if r["speaker_id"])
    hop = client.get("/entity", params={"name": speaker}, follow_redirects=False)
    assert hop.status_code == 303
    page = client.get(hop.headers["location"] + ".json").json()["entity"]
    assert page["statements_by"], "the speaker's statements are on its page"
    assert any(s["article"] == ids["plain"] for s in page["statements_by"])
    assert client.get("/entity", params={"name": "Nobody Whatsoever Xq"}).status_code == 404


def test_overview_counts_match_the_store(client: Any, web_store: Path) -> None:
    data = client.get("/index.json").json()
    db = sqlite3.connect(web_store)
    n = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    db.close()
    assert data["stats"]["articles"] == n
    assert sum(data["stats"]["by_outlet"].values()) == n
    html = client.get("/").text
    assert html.count("<svg") >= 3


def test_search_filters_and_pagination(client: Any) -> None:
    everything = client.get("/search.json", params={"q": "ferry"}).json()
    assert everything["pagination"]["total"] >= 2
    outlet = everything["results"][0]["outlet"]
    only = client.get("/search.json", params={"q": "ferry", "outlet": outlet}).json()
    assert only["results"] and all(r["outlet"] == outlet for r in only["results"])
    assert only["pagination"]["total"] < everything["pagination"]["total"]
    later = client.get("/search.json", params={"q": "ferry", "date_from": "2030-01-01"}).json()
    assert later["results"] == []
    paged = client.get("/search.json", params={"q": "ferry", "per_page": 1, "page": 2}).json()
    assert len(paged["results"]) == 1
    assert paged["pagination"]["pages"] == everything["pagination"]["total"]
    assert (
        paged["results"][0]["id"]
        != client.get("/search.json", params={"q": "ferry", "per_page": 1}).json()["results"][0][
            "id"
        ]
    )
    speaker = client.get("/index.json").json()["stats"]["top_speakers"][0][0]
    by_speaker = client.get("/search.json", params={"speaker": speaker}).json()
    assert (
        0
        < by_speaker["pagination"]["total"]
        < client.get("/search.json").json()["pagination"]["total"]
    )
    nobody = client.get("/search.json", params={"speaker": "Zzyzx Qwerty"}).json()
    assert nobody["results"] == []
    # A query the full-text engine cannot parse is a clear error, not a crash.
    broken = client.get("/search.json", params={"q": 'ferry" OR (NEAR'})
    assert broken.status_code in (200, 400)
    if broken.status_code == 400:
        _envelope(broken.json(), "P605", 400)


def test_numbers_page_filters_and_pages_the_corpus_numbers(client: Any, web_store: Path) -> None:
    from presslens.store import open_store
    from presslens.views.numbers import number_rows

    store = open_store(str(web_store))
    try:
        articles = list(store.articles())
    finally:
        store.close()
    every = client.get("/numbers.json", params={"per_page": 100}).json()
    expected = number_rows(articles)
    assert every["pagination"]["total"] == len(expected) > 20
    assert sorted((r["article"], r["index"]) for r in every["numbers"]) == sorted(
        (r["article"], r["index"]) for r in expected
    )
    texts = {a.id: a.text for a in articles}
    for row in every["numbers"]:
        assert texts[row["article"]][row["start"] : row["end"]] == row["text"]
        assert row["text"] in row["sentence_text"]
    dates = [r["published"] or "" for r in every["numbers"]]
    assert dates == sorted(dates, reverse=True)  # newest article first

    dead = client.get("/numbers.json", params={"counted": "dead"}).json()["numbers"]
    assert dead and len({r["outlet"] for r in dead}) >= 3
    assert all("dead" in (r["class"] or "") or "dead" in (r["counted"] or "") for r in dead)
    # a source by a spelling its article gives (the acronym) and by a misspelt name
    msd = client.get("/numbers.json", params={"cited": "MSD"}).json()["numbers"]
    assert msd and {r["cited"] for r in msd} == {"Maritime Safety Directorate"}
    fuzzy = client.get("/numbers.json", params={"cited": "Castelane"}).json()["numbers"]
    assert fuzzy and {r["cited"] for r in fuzzy} == {"Ruth Castellane"}
    sourced = client.get("/numbers.json", params={"sourced": "yes", "per_page": 100}).json()
    unsourced = client.get("/numbers.json", params={"sourced": "no", "per_page": 100}).json()
    assert all(r["source"] for r in sourced["numbers"])
    assert not any(r["source"] for r in unsourced["numbers"])
    assert (
        sourced["pagination"]["total"] + unsourced["pagination"]["total"]
        == every["pagination"]["total"]
    )
    money = client.get("/numbers.json", params={"kind": "money"}).json()["numbers"]
    assert all(r["kind"] == "money" for r in money)
    outlet = every["numbers"][0]["outlet"]
    only = client.get("/numbers.json", params={"outlet": outlet, "per_page": 100}).json()
    assert only["numbers"] and {r["outlet"] for r in only["numbers"]} == {outlet}
    page2 = client.get("/numbers.json", params={"per_page": 3, "page": 2}).json()["numbers"]
    assert page2 == every["numbers"][3:6]

    html = client.get("/numbers", params={"cited": "MSD"}).text
    assert "Maritime Safety Directorate" in html and 'name="cited" value="MSD"' in html
    first = msd[0]
    assert f'/articles/{first["article"]}#t-quantities-{first["index"]}"' in html
    assert 'href="/numbers"' in client.get("/").text  # in the navigation
    assert "No number matches." in client.get("/numbers", params={"cited": "Zzyzx Qwerty"}).text


@pytest.mark.parametrize(
    ("path", "code", "status"),
    [
        ("/nope.json", "P600", 404),
        ("/articles/ffffffffffffffff.json", "P601", 404),
        ("/entities/no-such-entity.json", "P602", 404),
        ("/stories/no-such-story.json", "P603", 404),
        ("/articles.json?page=abc", "P604", 422),
        ("/articles.json?per_page=100000", "P604", 422),
        ("/search.json?date_from=yesterday", "P604", 422),
        ("/search.json?q=" + "x" * 600, "P604", 422),
        ("/numbers.json?kind=cats", "P604", 422),
        ("/numbers.json?sourced=maybe", "P604", 422),
        ("/numbers.json?cited=" + "x" * 600, "P604", 422),
    ],
)
def test_errors_use_one_envelope(client: Any, path: str, code: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    _envelope(response.json(), code, status)


def test_html_errors_show_the_same_fields(client: Any) -> None:
    response = client.get("/articles/ffffffffffffffff")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "P601" in response.text and "/articles" in response.text


def test_method_not_allowed_uses_the_envelope(client: Any) -> None:
    response = client.delete("/api/articles")
    assert response.status_code == 405
    _envelope(response.json(), "P611", 405)


def test_writes_are_disabled_without_a_token(client: Any) -> None:
    response = client.post(
        "/api/articles", content=b"Some text.", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 403
    _envelope(response.json(), "P607", 403)


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic c2VjcmV0", "Bearer "])
def test_writes_need_the_right_token(make_client: MakeClient, header: str | None) -> None:
    client = make_client(token="s3cret-token")
    headers = {"content-type": "text/plain"}
    if header is not None:
        headers["authorization"] = header
    response = client.post("/api/articles", content=b"Some text.", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    _envelope(response.json(), "P606", 401)


def test_private_server_needs_the_token_to_read(make_client: MakeClient) -> None:
    client = make_client(token="s3cret-token", private=True)
    for path in ("/index.json", "/articles", "/api", "/openapi.json", "/entity?name=Karlan"):
        response = client.get(path)
        assert response.status_code == 401, path
    _envelope(client.get("/index.json").json(), "P606", 401)
    ok = client.get("/index.json", headers={"authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200
    assert client.post("/login", data={"token": "nope"}).status_code == 401
    login = client.post("/login", data={"token": "s3cret-token"}, follow_redirects=False)
    assert login.status_code == 303
    assert "httponly" in login.headers["set-cookie"].lower()
    assert client.get("/index.json").status_code == 200  # the cookie now carries the token


def test_public_server_reads_without_a_token(make_client: MakeClient) -> None:
    client = make_client(token="s3cret-token")
    assert client.get("/index.json").status_code == 200


def test_request_bodies_over_the_limit_are_refused(make_client: MakeClient) -> None:
    client = make_client(token="t", max_body=1000)
    headers = {"content-type": "text/plain", "authorization": "Bearer t"}
    response = client.post("/api/articles", content=b"x" * 5000, headers=headers)
    assert response.status_code == 413
    _envelope(response.json(), "P608", 413)

    def chunks() -> Any:  # no Content-Length: counted while it streams in
        for _ in range(10):
            yield b"y" * 500

    streamed = client.post("/api/articles", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    _envelope(streamed.json(), "P608", 413)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e%2f%2e%2e%2fREADME.md",
        "/static/..%5c..%5cpyproject.toml",
        "/static/app.css/../../../pyproject.toml",
        "/static//etc/passwd",
        "/static/templates%2fbase.html.j2",
        "/static/__init__.py",
    ],
)
def test_no_path_traversal_through_static_files(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    for leaked in ("[build-system]", "root:x:", "{% block", "## Architecture", "from __future__"):
        assert leaked not in response.text


def test_static_files_are_served(client: Any) -> None:
    css = client.get("/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "mark.hl.l-attributions" in css.text  # generated layer colours appended
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "data-toggle-layer" in js.text


def test_security_headers_on_pages_json_and_errors(client: Any, ids: dict[str, str]) -> None:
    for path in ("/", f"/articles/{ids['plain']}.json", "/nope", "/static/app.css"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=\"/static/app\.js\")", re.IGNORECASE)
_EVENT_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_no_page_has_inline_script_or_event_handlers(client: Any, ids: dict[str, str]) -> None:
    for path in [*_pages(client, ids), "/api", "/login", "/nope"]:
        html = client.get(path).text
        assert not _INLINE_SCRIPT.search(html), path
        assert not _EVENT_ATTR.search(html), path
        assert "javascript:" not in re.sub(r">[^<]*<", "><", html).lower() or path.endswith(
            ids["hostile"]
        )


def test_hostile_article_is_escaped_everywhere(client: Any, ids: dict[str, str]) -> None:
    html = client.get(f"/articles/{ids['hostile']}").text
    assert "<script>window" not in html and "<img" not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__pwned" in html
    assert 'href="javascript:' not in html.lower()
    # javascript: URLs are shown as text, never as links
    assert "javascript:window.__pwned=&#39;link&#39;" in html
    for path in ("/", "/articles", "/search?q=harbour", "/entities", "/numbers?per_page=100"):
        page = client.get(path).text
        assert "<script>window" not in page and "<b>Bad</b>" not in page, path
    # the hostile sentence holding "40 ships" is shown, escaped, on the numbers page
    ships = client.get("/numbers", params={"cited": "Calder Bay Port Authority"}).text
    assert "<mark>40</mark>" in ships and "<img" not in ships
    assert "&lt;img src=x onerror=" in ships


def test_openapi_documents_the_api_and_pages(client: Any) -> None:
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/api/articles"]["post"]
    assert set(post["requestBody"]["content"]) == {"text/plain", "text/html", "application/json"}
    assert "/articles/{article_id}.json" in schema["paths"]
    assert "/search.json" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/search.json"]["get"]["parameters"]}
    assert {"q", "outlet", "speaker", "technique", "date_from", "date_to", "page"} <= params
    docs = client.get("/api").text
    assert "/api/articles" in docs and "/openapi.json" in docs
    assert client.get("/docs").status_code == 404  # no CDN-loading docs page
    assert client.get("/redoc").status_code == 404


ARTICLE = (
    "Rivermouth – The Rivermouth Water Board said on Monday that 1,200 homes were without "
    "water after a pipe burst. “Crews are working through the night,” board director Ilse "
    "Varnholt said.\n"
)


def test_post_article_analyses_and_stores_it(make_client: MakeClient, store_copy: Path) -> None:
    client = make_client(store=store_copy, token="tok")
    auth = {"authorization": "Bearer tok"}
    before = client.get("/index.json").json()["stats"]["articles"]
    response = client.post(
        "/api/articles",
        params={"outlet": "Rivermouth Daily", "title": "Pipe burst", "date": "2026-04-01"},
        content=ARTICLE.encode(),
        headers={**auth, "content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "inserted" and body["url"] == f"/articles/{body['id']}"
    assert body["warnings"] == []  # English: nothing to warn about
    art = body["article"]
    assert art["outlet"] == "Rivermouth Daily" and art["published"]["date"] == "2026-04-01"
    assert any(s["text"] == "Ilse Varnholt" for s in art["layers"]["entities"])
    assert art["layers"]["quantities"]
    stored = client.get(f"/articles/{body['id']}.json").json()["article"]
    assert stored["text"] == art["text"]
    assert client.get("/index.json").json()["stats"]["articles"] == before + 1
    again = client.post(
        "/api/articles",
        params={"outlet": "Rivermouth Daily", "title": "Pipe burst", "date": "2026-04-01"},
        content=ARTICLE.encode(),
        headers={**auth, "content-type": "text/plain"},
    )
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    record = client.post(
        "/api/articles",
        json={
            "text": ARTICLE.replace("1,200", "900"),
            "outlet": "Other Wire",
            "date": "2026-04-02",
        },
        headers=auth,
    )
    assert record.status_code == 201 and record.json()["article"]["outlet"] == "Other Wire"
    hostile = client.post(
        "/api/articles",
        json={"text": ARTICLE, "url": "javascript:alert(document.domain)", "title": "<b>x</b>"},
        headers=auth,
    )
    assert hostile.json()["article"]["url"] == "javascript:alert(document.domain)"
    page = client.get(hostile.json()["url"]).text
    assert "javascript:alert(document.domain)" in page  # shown as text …
    assert 'href="javascript:' not in page and "<b>x</b>" not in page  # … never a link or markup
    doc = (
        "<html><head><title>Burst</title></head><body><article><p>"
        + ARTICLE.replace("1,200", "1,500")
        + "</p><p>More text about the burst pipe and the repairs, which the "
        "board said would take two days.</p></article></body></html>"
    )
    html = client.post(
        "/api/articles", content=doc.encode(), headers={**auth, "content-type": "text/html"}
    )
    assert html.status_code == 201, html.text
    assert "1,500" in html.json()["article"]["text"]


FRENCH_ARTICLE = (
    "Le ministre de l'Équipement a présenté mardi un programme de construction de dix "
    "barrages d'ici 2030, selon un communiqué publié par ses services. « Nous devons agir "
    "maintenant, car la sécheresse menace les récoltes », a déclaré le ministre devant les "
    "députés. Les agriculteurs de la région, qui ont perdu une grande partie de leurs cultures "
    "l'an dernier, attendent des mesures concrètes.\n"
)


def test_post_article_not_in_english_is_stored_with_a_p128_warning(
    make_client: MakeClient, store_copy: Path
) -> None:
    client = make_client(store=store_copy, token="tok")
    response = client.post(
        "/api/articles",
        params={"outlet": "Le Journal", "title": "Barrages"},
        content=FRENCH_ARTICLE.encode(),
        headers={"authorization": "Bearer tok", "content-type": "text/plain"},
    )
    assert response.status_code == 201, response.text  # analysed and stored all the same
    body = response.json()
    assert body["article"]["language"] == "fr" and body["article"]["layers"]["entities"]
    (warning,) = body["warnings"]
    assert set(warning) == ENVELOPE_KEYS - {"status"}  # an error envelope's fields
    assert (warning["code"], warning["type"], warning["where"]) == ("P128", "InputError", "<api>")
    assert "French (fr)" in warning["message"] and warning["hint"]
    assert client.get(f"{body['url']}.json").json()["warnings"] == body["warnings"]
    page = client.get(body["url"]).text
    assert "French (fr) — not English: results unreliable" in page


@pytest.mark.parametrize(
    ("content", "ctype", "code", "status"),
    [
        (b"text", "application/pdf", "P609", 415),
        (b"", "text/plain", "P610", 422),
        (b"{not json", "application/json", "P610", 422),
        (b'{"title": "no text"}', "application/json", "P610", 422),
        (b"\xff\xfe broken", "text/plain", "P610", 422),
        (b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json", "P610", 422),
    ],
)
def test_post_article_rejects_bad_bodies(
    make_client: MakeClient, store_copy: Path, content: bytes, ctype: str, code: str, status: int
) -> None:
    client = make_client(store=store_copy, token="tok")
    response = client.post(
        "/api/articles",
        content=content,
        headers={"authorization": "Bearer tok", "content-type": ctype},
    )
    assert response.status_code == status, response.text
    _envelope(response.json(), code, status)


def test_serve_refuses_private_without_a_token(tmp_path: Path, monkeypatch: Any) -> None:
    from click.testing import CliRunner

    from presslens.cli import main

    monkeypatch.delenv("PRESSLENS_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--private", "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 3
    assert "P400" in result.output and "--private needs a token" in result.output


def test_every_get_route_answers_without_a_server_error(client: Any, ids: dict[str, str]) -> None:
    """Walks the app's own route table, so a new route cannot be left untested."""
    entity = client.get("/entities.json").json()["entities"][0]["id"]
    story = client.get("/stories.json").json()["stories"][0]["id"]
    values = {
        "article_id": ids["plain"],
        "entity_ident": entity,
        "story_ident": story,
        "name": "app.css",
    }
    seen = 0
    for route in client.app.routes:
        if "GET" not in getattr(route, "methods", set()):
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route.path)
        if path == "/entity":
            path += "?name=Karlan"
        response = client.get(path, follow_redirects=False)
        assert response.status_code < 400, (path, response.text)
        assert response.headers["content-security-policy"] == CSP
        seen += 1
    assert seen >= 20


def test_removed_bidi_overrides_are_shown_as_code_points(client: Any, ids: dict[str, str]) -> None:
    page = client.get(f"/articles/{ids['hostile']}").text
    assert "\u202e" not in page and "\u202c" not in page  # would reorder the page around it
    assert "⟨U+202E⟩" in page


def test_article_page_marks_techniques_placed_by_their_paragraph(
    client: Any, web_store: Path
) -> None:
    """A technique the paragraph classifier placed shows its probability marked "¶" and the
    legend, never the near-zero span confidence it has by construction."""
    from presslens.store import open_store
    from presslens.views.technique_text import PARAGRAPH_LEGEND, PARAGRAPH_MARK

    store = open_store(str(web_store))
    try:
        placed = [
            (art.id, span)
            for art in store.articles()
            for span in art.layer("techniques")
            if span.attrs.get("basis") == "paragraph"
        ]
        plain = next(art for art in store.articles() if not art.layer("techniques"))
    finally:
        store.close()
    assert placed, "the demo corpus has techniques its paragraph classifier placed"
    article_id, span = placed[0]
    html = client.get(f"/articles/{article_id}").text
    assert f"{PARAGRAPH_MARK} {span.attrs['paragraph_score']:.2f}" in html
    assert PARAGRAPH_LEGEND.split("(")[0].split(": ")[1] in html
    assert PARAGRAPH_MARK not in client.get(f"/articles/{plain.id}").text
