"""Fixtures for the web app: one analysed store per test session (demo corpus plus one hostile
article), a TestClient factory and, for browser tests, a real uvicorn server."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from presslens.run import analyze_corpus
from presslens.store import open_store
from presslens.web import WebConfig, create_app
from samples import FRENCH

with warnings.catch_warnings():
    # starlette.testclient warns at import that it prefers httpx2; the pinned httpx works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "corpus"

#: A plain-text article whose header, title and body try every injection the pages must defuse.
HOSTILE = "\n".join(
    [
        "date 2026-03-14",
        'source The <b>Bad</b> "Outlet" <script>window.__pwned = "outlet"</script>',
        'title <script>window.__pwned = "title"</script> Harbour '
        '"><img src=x onerror="window.__pwned=\'img-title\'">',
        "url javascript:window.__pwned='url'",
        "",
        "Port Merrow – Mayor Lena Ostrova said on Friday that the harbour would reopen "
        '<script>window.__pwned = "body"; alert(1)</script> next week.',
        "",
        '"><img src=x onerror="window.__pwned=\'img\';alert(2)"> A spokesman for the Calder '
        "Bay Port Authority said 40 ships were waiting.",
        "",
        "Harbour fees \u202erose sharply\u202c were unchanged, the authority said.",
        "",
        "Read more at <a href=\"javascript:window.__pwned='link'\">"
        "javascript:window.__pwned='link'</a> or [here](javascript:alert(3)).",
        "",
        "“We will publish every recording <svg onload=window.__pwned='svg'>,” Ostrova told "
        "reporters.",
        "",
    ]
)


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the analysed demo corpus and the hostile article (built once per
    test process; the spaCy pipeline takes a few seconds). Tests copy it before writing."""
    base = tmp_path_factory.mktemp("web-store")
    hostile = base / "hostile"
    hostile.mkdir()
    (hostile / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    path = base / "web.db"
    store = open_store(str(path))
    try:
        result = analyze_corpus([str(DEMO), str(hostile)], store=store)
        assert not result.errors, result.errors
        if importlib.util.find_spec("presslens.corpus") is not None:
            from presslens.corpus import update_corpus

            update_corpus(store)
    finally:
        store.close()
    return path


#: A French news paragraph the language check reads as French (``P128``).
#: A language tag no reader would produce (a tampered store), holding markup.
EVIL_LANGUAGE = '"><img src=x onerror="window.__pwned=\'lang\'"><script>window.__pwned=1</script>'


@pytest.fixture
def language_store(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A small store of read but not analysed articles (no pipeline: fast), by name: ``fr``
    (a French text file), ``declared_en`` (a page declaring English whose text is French),
    ``en`` (English) and ``evil`` (a language tag holding markup)."""
    from presslens.model import Article
    from presslens.readers import read_articles
    from presslens.settings import Settings

    folder = tmp_path / "language-inputs"
    folder.mkdir()
    paragraphs = "".join(f"<p>{p}</p>" for p in FRENCH.split(". "))
    (folder / "fr.txt").write_text(f"title Barrages\n\n{FRENCH}\n", encoding="utf-8")
    (folder / "declared_en.html").write_text(
        f'<!doctype html><html lang="en-GB"><head><title>Eau</title></head><body><article>'
        f"{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    (folder / "en.txt").write_text(
        "title Harbour\n\nThe council approved the harbour budget on Tuesday, the mayor "
        "said in a statement released after the vote.\n",
        encoding="utf-8",
    )
    read = [a for a in read_articles([str(folder)], Settings()) if isinstance(a, Article)]
    articles = {Path(a.source).stem: a for a in read}
    evil = Article(text="A short text about the harbour.", title="Evil tag", source="evil.txt")
    evil.language = EVIL_LANGUAGE
    articles["evil"] = evil.ensure_id()
    path = tmp_path / "language.db"
    store = open_store(str(path))
    try:
        for art in articles.values():
            store.upsert(art)
    finally:
        store.close()
    return path, {name: art.id for name, art in articles.items()}


@pytest.fixture
def store_copy(web_store: Path, tmp_path: Path) -> Path:
    """A private copy of the session store, for tests that write."""
    path = tmp_path / "copy.db"
    shutil.copy(web_store, path)
    return path


MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(web_store: Path) -> Iterator[MakeClient]:
    """Build a TestClient over the shared store (or ``store=`` another path) with options."""
    clients: list[TestClient] = []

    def make(*, store: Path | str | None = None, **options: object) -> TestClient:
        app = create_app(WebConfig(store_url=str(store or web_store), **options))
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn serving the app on 127.0.0.1 in a background thread."""

    def __init__(self, store: Path, **options: object) -> None:
        import uvicorn

        self.port = free_port()
        app = create_app(WebConfig(store_url=str(store), **options))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server_class() -> type[LiveServer]:
    """The LiveServer class (tests start it over the store they need)."""
    return LiveServer
