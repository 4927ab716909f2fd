"""What probing the running server found: cache headers of a private server, serving under a
path prefix, tokens that could never authenticate, redirects that copied the Host header,
unreadable form bodies, mistyped store paths, JSON links without a twin and 405s without
``Allow``."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.errors import ConfigError
from presslens.web import WebConfig, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette.testclient prefers httpx2 at import
    from fastapi.testclient import TestClient

MakeClient = Any  # the make_client fixture (tests/web/conftest.py)
PREFIX = "/presslens"
TOKEN = "s3cret-token"


def _error(response: Any, code: str, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (code, status)


class _Links(HTMLParser):
    """Every URL a page makes a browser fetch or follow: href, src, action."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action"} and value is not None:
                self.urls.append(value)


def _internal_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [u for u in parser.urls if not u.startswith(("http://", "https://", "#", "?"))]


@pytest.fixture(autouse=True)
def no_uvicorn(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``serve`` returns instead of running a server; what it passed uvicorn is recorded."""
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    return seen


# -- 1. a private server's responses are never kept by a shared cache ----------------------------
@pytest.mark.parametrize("path", ["/", "/articles.json", "/static/app.css", "/login", "/nowhere"])
@pytest.mark.parametrize("auth", [True, False])
def test_private_responses_are_not_cached_and_vary_on_credentials(
    make_client: MakeClient, path: str, auth: bool
) -> None:
    client = make_client(token=TOKEN, private=True)
    headers = {"Authorization": f"Bearer {TOKEN}"} if auth else {}
    response = client.get(path, headers=headers)
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["vary"] == "Cookie, Authorization"


# -- 2. served under a path prefix, every link and redirect carries it ---------------------------
@pytest.fixture
def prefixed(web_store: Path) -> Iterator[TestClient]:
    app = create_app(WebConfig(store_url=str(web_store), token=TOKEN))
    with TestClient(app, root_path=PREFIX, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    "as_uvicorn", [True, False], ids=["path-with-prefix", "path-without-prefix"]
)
def test_every_link_and_redirect_starts_with_the_root_path(
    prefixed: TestClient, as_uvicorn: bool
) -> None:
    """uvicorn (``--root-path``) puts the prefix in front of the path the proxy sent; a bare
    ASGI scope may not: both answer, and every URL written starts with the prefix."""
    at = PREFIX if as_uvicorn else ""
    article = prefixed.get(f"{at}/articles.json").json()["articles"][0]["id"]
    entity = prefixed.get(f"{at}/entities.json").json()["entities"][0]
    story = prefixed.get(f"{at}/stories.json").json()["stories"][0]["id"]
    pages = [
        "/",
        "/articles",
        f"/articles/{article}",
        f"/entities/{entity['id']}",
        f"/stories/{story}",
        "/search?q=harbour",
        "/login",
        "/api",
        "/nowhere",
    ]
    for page in pages:
        response = prefixed.get(at + page)
        assert response.status_code in (200, 404), page
        links = _internal_links(response.text)
        assert links, page
        bad = [u for u in links if not u.startswith(PREFIX + "/")]
        assert not bad, (page, bad)
    redirects = [
        prefixed.get(f"{at}/entity", params={"name": entity["name"]}, follow_redirects=False),
        prefixed.post(f"{at}/login", data={"token": TOKEN}, follow_redirects=False),
        prefixed.get(f"{at}/articles/?page=2", follow_redirects=False),
    ]
    for response in redirects:
        assert response.status_code in (303, 307), response.text
        assert response.headers["location"].startswith(PREFIX + "/"), response.headers
    assert redirects[2].headers["location"] == f"{PREFIX}/articles?page=2"
    cookie = redirects[1].headers["set-cookie"]
    assert f"Path={PREFIX}/" in cookie


def test_article_page_tells_the_script_its_root_path(prefixed: TestClient) -> None:
    article = prefixed.get("/articles.json").json()["articles"][0]["id"]
    html = prefixed.get(f"/articles/{article}").text
    assert f'data-root="{PREFIX}"' in html
    assert f"{PREFIX}/entity?name=" in html


def test_serve_passes_the_root_path_to_uvicorn(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch, no_uvicorn: dict[str, Any]
) -> None:
    monkeypatch.delenv("PRESSLENS_TOKEN", raising=False)
    result = CliRunner().invoke(
        main, ["serve", "--store", str(store_copy), "--root-path", "/presslens/"]
    )
    assert result.exit_code == 0, result.output
    assert no_uvicorn["root_path"] == "/presslens"
    bad = CliRunner().invoke(main, ["serve", "--store", str(store_copy), "--root-path", "x"])
    assert bad.exit_code == 3 and "P400" in bad.output


# -- 3. a token that could never authenticate is refused at startup ------------------------------
@pytest.mark.parametrize("token", ["ключ", " padded ", "tab\there", "caf\u00e9"])
def test_a_token_that_cannot_travel_in_headers_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    with pytest.raises(ConfigError, match="visible ASCII"):
        create_app(WebConfig(store_url=str(tmp_path / "s.db"), token=token))
    monkeypatch.setenv("PRESSLENS_TOKEN", token)
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 3
    assert "P400" in result.output and "visible ASCII" in result.output


# -- 4. redirects never copy the Host header -----------------------------------------------------
def test_trailing_slash_redirect_is_relative_and_ignores_host(client: Any) -> None:
    response = client.get(
        "/articles/?outlet=x", headers={"Host": "evil.example"}, follow_redirects=False
    )
    assert response.status_code == 307
    assert response.headers["location"] == "/articles?outlet=x"
    assert "evil" not in response.headers["location"]
    _error(client.get("/no-such-page/", headers={"Accept": "application/json"}), "P600", 404)


# -- 5. a form body that cannot be parsed is a bad body, not a missing page ----------------------
def test_a_malformed_login_form_is_a_bad_body(make_client: MakeClient) -> None:
    client = make_client(token=TOKEN, private=True)
    response = client.post(
        "/login",
        content=b"x",
        headers={"Content-Type": "multipart/form-data", "Accept": "application/json"},
    )
    _error(response, "P610", 400)


# -- 6. a mistyped store path is refused, not created --------------------------------------------
def test_a_read_only_server_refuses_a_missing_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRESSLENS_TOKEN", raising=False)
    missing = tmp_path / "none" / "x.db"
    result = CliRunner().invoke(main, ["serve", "--store", str(missing)])
    assert result.exit_code == 3
    assert "P300" in result.output
    assert not (tmp_path / "none").exists()


def test_a_writable_server_creates_a_store_but_not_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSLENS_TOKEN", TOKEN)
    missing = tmp_path / "none" / "x.db"
    result = CliRunner().invoke(main, ["serve", "--store", str(missing)])
    assert result.exit_code == 3
    assert "P300" in result.output and "does not exist" in result.output
    assert not (tmp_path / "none").exists()
    fresh = tmp_path / "new.db"
    result = CliRunner().invoke(main, ["serve", "--store", str(fresh)])
    assert result.exit_code == 0, result.output
    assert fresh.is_file()


# -- 7. the JSON link appears only where a twin exists -------------------------------------------
@pytest.mark.parametrize("path", ["/login?next=x", "/api"])
def test_pages_without_a_twin_have_no_json_link(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "json-link" not in response.text


def test_the_json_link_of_a_page_answers(client: Any) -> None:
    html = client.get("/articles?per_page=5").text
    links = [u for u in _internal_links(html) if ".json" in u and "openapi" not in u]
    assert links == ["/articles.json?per_page=5"]
    assert client.get(links[0]).status_code == 200


# -- 8. a 405 says which methods are allowed -----------------------------------------------------
@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_method_not_allowed_names_the_allowed_methods(client: Any, accept: str) -> None:
    response = client.request("DELETE", "/articles", headers={"Accept": accept})
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
