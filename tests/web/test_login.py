"""Logging in to a private server: the cookie holds a keyed hash of the token, never the
token; ``next`` brings the reader back to the page that asked, but only on this host; logging
out ends reading."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

MakeClient = Any  # the make_client fixture (tests/web/conftest.py)
TOKEN = "s3cret-token"


@pytest.fixture
def private(make_client: MakeClient) -> Any:
    return make_client(token=TOKEN, private=True)


def test_the_cookie_is_not_the_token_and_cannot_write(private: Any) -> None:
    login = private.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert login.status_code == 303
    cookie = login.headers["set-cookie"]
    assert TOKEN not in cookie and "httponly" in cookie.lower()
    value = private.cookies.get("presslens_token")
    assert value and value != TOKEN
    assert private.get("/index.json").status_code == 200  # the cookie reads
    write = private.post(
        "/api/articles",
        content=b"Some text about a harbour.",
        headers={"authorization": f"Bearer {value}", "content-type": "text/plain"},
    )
    assert write.status_code == 401  # the cookie's value is no write token
    private.cookies.set("presslens_token", TOKEN)  # the raw token as a cookie reads nothing
    assert private.get("/index.json").status_code == 401


def test_a_refused_page_links_to_a_login_that_comes_back(private: Any) -> None:
    refused = private.get("/articles?page=1")
    assert refused.status_code == 401
    assert f"/login?next={quote('/articles?page=1', safe='/')}" in refused.text
    form = private.get("/login", params={"next": "/articles?page=1"})
    assert 'name="next" value="/articles?page=1"' in form.text
    login = private.post(
        "/login", data={"token": TOKEN, "next": "/articles?page=1"}, follow_redirects=False
    )
    assert login.status_code == 303 and login.headers["location"] == "/articles?page=1"
    assert private.get(login.headers["location"]).status_code == 200


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
     "/articles\r\nSet-Cookie: x=1", ""],
)  # fmt: skip
def test_login_never_sends_the_reader_to_another_host(private: Any, target: str) -> None:
    login = private.post("/login", data={"token": TOKEN, "next": target}, follow_redirects=False)
    assert login.status_code == 303
    assert login.headers["location"] == "/"
    form = private.get("/login", params={"next": target})
    assert 'name="next" value="/"' in form.text


def test_a_failed_login_keeps_where_to_go(private: Any) -> None:
    failed = private.post("/login", data={"token": "nope", "next": "/stories"})
    assert failed.status_code == 401
    assert 'name="next" value="/stories"' in failed.text


def test_logging_out_ends_reading(private: Any) -> None:
    private.post("/login", data={"token": TOKEN})
    assert private.get("/index.json").status_code == 200
    page = private.get("/")
    assert 'action="/logout"' in page.text
    out = private.post("/logout", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert "presslens_token" in out.headers["set-cookie"]
    assert private.get("/index.json").status_code == 401


def test_a_server_without_a_token_lets_nobody_log_in(make_client: MakeClient) -> None:
    client = make_client()
    assert client.post("/login", data={"token": "anything"}).status_code == 401


@pytest.mark.parametrize("at", ["/news", ""], ids=["path-with-prefix", "path-without-prefix"])
def test_behind_a_path_prefix_the_login_comes_back_under_it(web_store: Any, at: str) -> None:
    """A bare ASGI scope may leave the prefix out of the path; the way back keeps it."""
    from starlette.testclient import TestClient

    from presslens.web import WebConfig, create_app

    app = create_app(WebConfig(store_url=str(web_store), token=TOKEN, private=True))
    with TestClient(app, root_path="/news", raise_server_exceptions=False) as client:
        refused = client.get(f"{at}/stories?page=1")
        assert refused.status_code == 401
        assert 'href="/news/login?next=/news/stories%3Fpage%3D1"' in refused.text
        login = client.post(
            f"{at}/login", data={"token": TOKEN, "next": "/news/stories?page=1"},
            follow_redirects=False,
        )  # fmt: skip
        assert login.headers["location"] == "/news/stories?page=1"
