"""The FastAPI application: server-rendered pages, each with a ``.json`` twin, and the JSON API.

Every page handler computes one JSON-able dict; the HTML route renders it with a template and
the ``.json`` route returns it as is, so the two cannot drift apart. Every failure — ours,
validation errors, unknown routes — becomes the one error envelope (or an HTML page with the
same fields). Handlers are plain ``def`` functions: FastAPI runs them in a thread pool, and each
thread opens its own store connection (SQLite connections stay in their thread).
"""

from __future__ import annotations

import math
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from presslens import __version__
from presslens.errors import PresslensError, StoreError
from presslens.readers.dates import iso_day
from presslens.store import Store, open_store
from presslens.views.controls import visible
from presslens.views.report import ENTITY_COLOURS, LAYER_COLOURS
from presslens.web import charts, queries
from presslens.web.article_view import (
    article_context,
    article_data,
    article_warnings,
    entity_href,
)
from presslens.web.corpus_data import CorpusIndex
from presslens.web.errors import (
    ARTICLE_NOT_FOUND,
    BAD_BODY,
    BAD_PARAMETER,
    BAD_QUERY,
    ENTITY_NOT_FOUND,
    INTERNAL,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    STORE_FAILED,
    STORY_NOT_FOUND,
    UNAUTHORISED,
    WRITES_DISABLED,
    WebError,
    envelope,
)
from presslens.web.ingest import Ingester
from presslens.web.security import (
    TOKEN_COOKIE,
    HeadMiddleware,
    SecurityMiddleware,
    bearer,
    check_token,
    response_headers,
    safe_next,
    session_value,
    token_matches,
)

__all__ = ["DEFAULT_MAX_BODY", "WebConfig", "create_app"]

#: Largest request body accepted (bytes): a long article as HTML fits easily.
DEFAULT_MAX_BODY = 2_000_000
#: Rows per page of lists and search results, and the most a client may ask for.
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: What ``/numbers?sourced=`` accepts: an attribution holds the number (yes) or none does.
SOURCED_CHOICES = {"yes": True, "no": False}
#: Longest search query accepted (characters).
MAX_QUERY_CHARS = 500
#: Store error codes that mean the user's query was bad (not that the store failed).
QUERY_ERRORS = frozenset({"P301", "P302"})
#: Static files served, by name: nothing else can be reached through /static/.
STATIC_FILES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


@dataclass(frozen=True)
class WebConfig:
    """How the server runs: which store, the write token, whether reads need it too."""

    store_url: str
    token: str | None = None
    private: bool = False
    max_body: int = DEFAULT_MAX_BODY


class _Stores:
    """One open store per thread (SQLite connections may not cross threads); closed at exit.
    ``read_only`` (a server without a write token) never creates a store or its folders."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.url, read_only=self.read_only)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()


def _lifespan(stores: _Stores) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    return lifespan


# -- templates and static files ---------------------------------------------------------------
@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("presslens.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=ChainableUndefined,  # corpus results may lack optional keys
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.filters["entity_href"] = entity_href
    env.filters["visible"] = visible
    return env


@cache
def _static(name: str) -> bytes:
    data = (files("presslens.web") / "static" / name).read_text(encoding="utf-8")
    if name == "app.css":
        data += _layer_css()
    return data.encode("utf-8")


def _layer_css() -> str:
    """Colour rules for the known layers and entity labels (shared with the HTML report)."""
    rules = ["\n/* generated: layer colours */"]
    for label, colour in ENTITY_COLOURS.items():
        rules.append(f"mark.hl.l-entities.t-{label}, .swatch.t-{label} {{ background: {colour}; }}")
    for layer, colour in LAYER_COLOURS.items():
        rules.append(
            f"mark.hl.l-{layer}, .swatch.l-{layer} {{ border-bottom: 2px solid {colour}; "
            f"background-color: {colour}14; }}"
        )
    return "\n".join(rules) + "\n"


def _root(request: Request) -> str:
    """The prefix a reverse proxy serves the app under (``--root-path``), without a final
    slash: every URL the app writes starts with it."""
    return str(request.scope.get("root_path") or "").rstrip("/")


def _route_path(request: Request) -> str:
    """The request path without the root path: uvicorn puts the root path in front of the
    path it received, a test client may not."""
    path = str(request.scope["path"])
    root = _root(request)
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root) :] or "/"
    return path


def _is_json(request: Request) -> bool:
    path = _route_path(request)
    if path.endswith(".json") or path.startswith("/api/") or path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _page(params: dict[str, Any], page: int, per_page: int, total: int) -> dict[str, Any]:
    """Pagination block: current page, page count and links that keep the other filters."""
    pages = max(1, math.ceil(total / per_page))
    keep = {k: v for k, v in params.items() if v not in (None, "")}

    def link(p: int) -> str:
        return "?" + urlencode({**keep, "page": p, "per_page": per_page})

    return {
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "total": total,
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


def create_app(config: WebConfig) -> FastAPI:
    """The presslens web app over the store at ``config.store_url``."""
    check_token(config.token)
    stores = _Stores(config.store_url, read_only=config.token is None)
    corpus = CorpusIndex()
    ingester = Ingester()
    app = FastAPI(
        title="presslens",
        version=__version__,
        description="Read-only pages and their JSON twins over a presslens store, plus "
        "`POST /api/articles` to analyse and store an article (token required). Every error "
        'is `{"error": {code, type, where, message, hint, status}}`.',
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN; /api is ours
        redoc_url=None,
        openapi_url=None,  # served below, behind the read check like every page
        lifespan=_lifespan(stores),
        redirect_slashes=False,  # Starlette's redirect writes the Host header into Location
    )
    app.add_middleware(SecurityMiddleware, max_body=config.max_body, private=config.private)
    app.add_middleware(HeadMiddleware)
    app.state.stores = stores
    app.state.config = config

    # -- errors ---------------------------------------------------------------------------
    def error_response(
        request: Request,
        exc: PresslensError,
        status: int,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        headers = dict(headers or {})
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if _is_json(request):
            return JSONResponse(envelope(exc, status), status_code=status, headers=headers)
        html = (
            _env()
            .get_template("error.html.j2")
            .render(
                title=f"Error {exc.code}",
                error=envelope(exc, status)["error"],
                next=_here(request),
                json_url=None,
                private=config.private,
                query="",
                root=_root(request),
            )
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    @app.exception_handler(WebError)
    def _web_error(request: Request, exc: WebError) -> Response:
        return error_response(request, exc, exc.status)

    @app.exception_handler(StoreError)
    def _store_error(request: Request, exc: StoreError) -> Response:
        return error_response(request, WebError(STORE_FAILED, exc.message, hint=exc.hint), 503)

    @app.exception_handler(PresslensError)
    def _presslens_error(request: Request, exc: PresslensError) -> Response:
        return error_response(request, exc, 500)  # a corpus result that cannot be read, …

    @app.exception_handler(RequestValidationError)
    def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
            for e in exc.errors()
        )
        err = WebError(BAD_PARAMETER, f"bad request parameter ({problems})", hint="See /api.")
        return error_response(request, err, 422)

    def slash_redirect(request: Request) -> Response | None:
        """``/articles/`` → ``/articles`` when that is a route: a relative ``Location`` with
        the root path (Starlette's own redirect copied the Host header into it)."""
        path = _route_path(request)
        target = path.rstrip("/")
        if not path.endswith("/") or not target or target.startswith("//"):
            return None
        probe = {**request.scope, "path": target, "root_path": ""}
        if all(route.matches(probe)[0] == Match.NONE for route in app.router.routes):
            return None
        query = request.url.query
        return RedirectResponse(
            _root(request) + target + (f"?{query}" if query else ""), status_code=307
        )

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        where = _route_path(request)
        if exc.status_code == 405:
            err = WebError(
                METHOD_NOT_ALLOWED,
                f"{request.method} is not allowed here",
                where=where,
                hint="See /api for the methods of each route.",
            )
        elif exc.status_code == 404:
            redirect = slash_redirect(request)
            if redirect is not None:
                return redirect
            err = WebError(NOT_FOUND, "no such page", where=where, hint="Start from / or see /api.")
        else:  # a form body the parser refused (400), …
            err = WebError(
                BAD_BODY,
                f"the request cannot be read: {exc.detail}",
                where=where,
                hint="Send the form as application/x-www-form-urlencoded, as a browser does.",
            )
        return error_response(request, err, exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    def _internal(request: Request, exc: Exception) -> Response:
        err = WebError(
            INTERNAL,
            f"internal error ({type(exc).__name__})",
            hint="This is a bug; please report it with the URL.",
        )
        response = error_response(request, err, 500)
        for key, value in response_headers(private=config.private):
            response.headers[key.decode()] = value.decode()
        return response

    # -- auth -----------------------------------------------------------------------------
    def read_access(request: Request) -> None:
        if not config.private:
            return
        given = bearer(request.headers.get("authorization"))
        session = request.cookies.get(TOKEN_COOKIE)
        if not token_matches(given, config.token) and not (
            config.token and token_matches(session, session_value(config.token))
        ):
            raise WebError(
                UNAUTHORISED,
                "this server is private: a token is required to read",
                hint="Send 'Authorization: Bearer TOKEN', or log in at /login.",
            )

    def write_access(request: Request) -> None:
        if not config.token:
            raise WebError(
                WRITES_DISABLED,
                "writes are disabled on this server",
                hint="Start it with --token TOKEN (or PRESSLENS_TOKEN) to allow them.",
            )
        if not token_matches(bearer(request.headers.get("authorization")), config.token):
            raise WebError(
                UNAUTHORISED,
                "a valid token is required to write",
                hint="Send 'Authorization: Bearer TOKEN'.",
            )

    read = [Depends(read_access)]
    write = [Depends(write_access)]

    def store() -> Store:
        return stores.get()

    def render(
        request: Request,
        template: str,
        data: dict[str, Any],
        *,
        json_twin: bool = True,
        **extra: Any,
    ) -> Response:
        """An HTML page; ``json_twin`` links its ``.json`` twin (pages without one link none)."""
        root = _root(request)
        json_url = None
        if json_twin:
            json_url = root + (_route_path(request).rstrip("/") or "/index") + ".json"
            if request.url.query:
                json_url += "?" + request.url.query
        context = {**data, **extra}
        context.setdefault("query", "")
        html = (
            _env()
            .get_template(template)
            .render(**context, json_url=json_url, private=config.private, root=root)
        )
        return HTMLResponse(html)

    def twin(
        path: str,
        name: str,
        template: str,
        builder: Callable[..., dict[str, Any]],
        extra: Callable[[dict[str, Any], str], dict[str, Any]] | None = None,
    ) -> None:
        """Register ``path`` (HTML) and ``path.json`` for one page builder."""
        json_path = ("/index" if path == "/" else path) + ".json"

        async def as_json(request: Request) -> Response:
            return JSONResponse(jsonable_encoder(await _call(builder, request)))

        async def as_html(request: Request) -> Response:
            from starlette.concurrency import run_in_threadpool

            kwargs = _parse(builder, request)

            def page() -> Response:
                data = builder(**kwargs)
                more = extra(data, _root(request)) if extra else {}
                return render(request, template, data, **more)

            return await run_in_threadpool(page)

        app.add_api_route(
            json_path,
            as_json,
            methods=["GET"],
            name=f"{name}_json",
            dependencies=read,
            summary=f"{name.replace('_', ' ')} (JSON)",
            tags=["pages"],
            openapi_extra={"parameters": _openapi_params(builder)},
        )
        app.add_api_route(
            path,
            as_html,
            methods=["GET"],
            name=name,
            include_in_schema=False,
            dependencies=read,
            response_class=HTMLResponse,
        )

    async def _call(builder: Callable[..., dict[str, Any]], request: Request) -> dict[str, Any]:
        from starlette.concurrency import run_in_threadpool

        kwargs = _parse(builder, request)
        return await run_in_threadpool(builder, **kwargs)

    # -- page builders ----------------------------------------------------------------------
    def overview() -> dict[str, Any]:
        s = store()
        st = queries.stats(s)
        recent, _ = queries.list_articles(s, limit=10)
        return {"stats": st, "recent": recent, "stories": corpus.stories(s)[:10]}

    def overview_extra(data: dict[str, Any], root: str) -> dict[str, Any]:
        st = data["stats"]
        outlets = list(st.get("by_outlet", {}).items())
        tech = st.get("techniques_by_outlet") or {}
        cols = sorted({t for row in tech.values() for t in row})
        per_article = {
            o: {t: n / max(1, st["by_outlet"].get(o, 1)) for t, n in row.items()}
            for o, row in tech.items()
        }
        rows = [o for o, _ in outlets if o in tech]
        return {
            "outlet_chart": charts.bar_chart(
                [(o or "(unknown)", n) for o, n in outlets],
                title="Articles by outlet",
                hrefs=[
                    f"{root}/articles?" + urlencode({"outlet": o}) if o else None
                    for o, _ in outlets
                ],
            ),
            "month_chart": charts.month_chart(st.get("by_month", {}), title="Articles by month"),
            "genre_chart": charts.bar_chart(
                [(g or "(none)", n) for g, n in st.get("genres", {}).items()], title="Genres"
            ),
            "heatmap": charts.heatmap(
                rows,
                cols,
                per_article,
                title="Techniques per article, by outlet",
                fmt="{:.1f}",
                col_hrefs=[f"{root}/search?" + urlencode({"technique": c}) for c in cols],
            )
            if cols
            else None,
            "speaker_chart": charts.bar_chart(
                [(n, c) for n, c in st.get("top_speakers", [])],
                title="Top speakers",
                hrefs=[entity_href(n, root=root) for n, _ in st.get("top_speakers", [])],
            ),
        }

    def articles_list(
        outlet: str | None = None,
        genre: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        page: int = 1,
        per_page: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        rows, total = queries.list_articles(
            store(),
            outlet=outlet or None,
            genre=genre or None,
            date_from=date_from,
            date_to=date_to,
            limit=per_page,
            offset=(page - 1) * per_page,
        )
        params = {
            "outlet": outlet,
            "genre": genre,
            "date_from": _iso(date_from),
            "date_to": _iso(date_to),
        }
        return {
            "articles": rows,
            "filters": params,
            "pagination": _page(params, page, per_page, total),
        }

    def article(article_id: str) -> dict[str, Any]:
        s = store()
        art = s.get(article_id)
        if art is None:
            matches = s.find_ids(article_id) if len(article_id) >= 4 else []
            if len(matches) == 1:
                art = s.get(matches[0])
        if art is None:
            raise WebError(
                ARTICLE_NOT_FOUND,
                f"no article {article_id!r} in the store",
                where=s.url,
                hint="Pick one from /articles or /search.",
            )
        return article_data(art, corpus.story_of(s, art.id))

    def article_extra(data: dict[str, Any], root: str) -> dict[str, Any]:
        from presslens.model import Article

        art = Article.model_validate(data["article"])
        return article_context(art, data["story"], root=root)

    def entities_list(q: str | None = None) -> dict[str, Any]:
        rows = corpus.entities(store(), limit=500)
        if q:
            from presslens.views.quotes import speaker_matches

            rows = [r for r in rows if speaker_matches(q, r.get("name"))]
        return {"entities": rows[:200], "q": q}

    def entity(entity_ident: str, page: int = 1) -> dict[str, Any]:
        found = corpus.entity(store(), entity_ident, page=page)
        if found is None:
            raise WebError(
                ENTITY_NOT_FOUND, f"no entity {entity_ident!r}", hint="Pick one from /entities."
            )
        return {"entity": found}

    def entity_extra(data: dict[str, Any], root: str) -> dict[str, Any]:
        ent = data["entity"]
        points = [
            (
                str(e.get("date")),
                f"{e.get('what')}: {e.get('text', '')[:120]}",
                f"{root}/articles/{e['article']}#t-events-{e['index']}",
            )
            for e in ent.get("timeline", [])
            if e.get("article")
        ]
        outlets = list((ent.get("outlets") or {}).items())
        return {
            "timeline_chart": charts.timeline_chart(
                points, title=f"Dated events: {ent.get('name')}"
            ),
            "outlet_chart": charts.bar_chart(
                [(o or "(unknown)", n) for o, n in outlets], title="Articles by outlet"
            ),
        }

    def stories_list() -> dict[str, Any]:
        return {"stories": corpus.stories(store())}

    def story(story_ident: str) -> dict[str, Any]:
        found = corpus.story(store(), story_ident)
        if found is None:
            raise WebError(
                STORY_NOT_FOUND, f"no story {story_ident!r}", hint="Pick one from /stories."
            )
        return {"story": found}

    def story_extra(data: dict[str, Any], root: str) -> dict[str, Any]:
        del root  # the columns link only within the page
        from presslens.web.story_view import story_columns

        return {"columns": story_columns(store(), data["story"])}

    def search(
        q: str = "",
        outlet: str | None = None,
        speaker: str | None = None,
        technique: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        page: int = 1,
        per_page: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        s = store()
        try:
            rows, total = queries.search_page(
                s,
                q,
                outlet=outlet or None,
                speaker=speaker or None,
                technique=technique or None,
                date_from=date_from,
                date_to=date_to,
                limit=per_page,
                offset=(page - 1) * per_page,
            )
        except StoreError as exc:
            if exc.code not in QUERY_ERRORS:
                raise
            raise WebError(BAD_QUERY, exc.message, hint=exc.hint) from exc
        st = queries.stats(s)
        params = {
            "q": q,
            "outlet": outlet,
            "speaker": speaker,
            "technique": technique,
            "date_from": _iso(date_from),
            "date_to": _iso(date_to),
        }
        techniques = sorted(
            {t for row in (st.get("techniques_by_outlet") or {}).values() for t in row}
        )
        return {
            "query": q,
            "results": rows,
            "filters": params,
            "outlets": sorted(o for o in st.get("by_outlet", {}) if o),
            "techniques": techniques,
            "pagination": _page(params, page, per_page, total),
        }

    def numbers_list(
        kind: str | None = None,
        counted: str | None = None,
        cited: str | None = None,
        sourced: str | None = None,
        outlet: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        page: int = 1,
        per_page: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        from presslens.lexicons_numbers import NUMBER_KINDS

        if kind and kind not in NUMBER_KINDS:
            raise WebError(
                BAD_PARAMETER,
                f"kind must be one of {', '.join(NUMBER_KINDS)}, not {kind[:40]!r}",
                hint="Pass kind=count, or leave it out for every kind.",
            )
        if sourced and sourced not in SOURCED_CHOICES:
            raise WebError(
                BAD_PARAMETER,
                f"sourced must be yes or no, not {sourced[:40]!r}",
                hint="Pass sourced=yes (an attribution holds the number) or sourced=no.",
            )
        s = store()
        rows, total = queries.number_page(
            s,
            kinds=(kind,) if kind else (),
            counted=counted or None,
            cited=cited or None,
            sourced=SOURCED_CHOICES[sourced] if sourced else None,
            outlet=outlet or None,
            date_from=date_from,
            date_to=date_to,
            limit=per_page,
            offset=(page - 1) * per_page,
        )
        params = {
            "kind": kind,
            "counted": counted,
            "cited": cited,
            "sourced": sourced,
            "outlet": outlet,
            "date_from": _iso(date_from),
            "date_to": _iso(date_to),
        }
        return {
            "numbers": rows,
            "filters": params,
            "kinds": list(NUMBER_KINDS),
            "outlets": sorted(o for o in queries.stats(s).get("by_outlet", {}) if o),
            "pagination": _page(params, page, per_page, total),
        }

    twin("/", "overview", "overview.html.j2", overview, overview_extra)
    twin("/articles", "articles", "articles.html.j2", articles_list)
    twin("/articles/{article_id}", "article", "article.html.j2", article, article_extra)
    twin("/entities", "entities", "entities.html.j2", entities_list)
    twin("/entities/{entity_ident}", "entity", "entity.html.j2", entity, entity_extra)
    twin("/stories", "stories", "stories.html.j2", stories_list)
    twin("/stories/{story_ident}", "story", "story.html.j2", story, story_extra)
    twin("/search", "search", "search.html.j2", search)
    twin("/numbers", "numbers", "numbers.html.j2", numbers_list)

    # -- other routes ---------------------------------------------------------------------
    @app.get("/entity", include_in_schema=False, dependencies=read)
    def entity_by_name(request: Request, name: Annotated[str, Query(max_length=300)]) -> Response:
        """Resolve a name to its corpus entity page (links from articles use names)."""
        ident = corpus.find(store(), name)
        if ident is None:
            raise WebError(
                ENTITY_NOT_FOUND, f"no entity is called {name!r}", hint="Pick one from /entities."
            )
        return RedirectResponse(
            f"{_root(request)}/entities/{quote(ident, safe='')}", status_code=303
        )

    @app.post(
        "/api/articles",
        tags=["api"],
        status_code=201,
        dependencies=write,
        summary="Analyse and store an article",
        openapi_extra={"requestBody": _INGEST_BODY},
    )
    async def post_article(
        request: Request,
        title: Annotated[str | None, Query(max_length=1000)] = None,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        url: Annotated[str | None, Query(max_length=2000)] = None,
        date_: Annotated[str | None, Query(alias="date", max_length=10)] = None,
    ) -> JSONResponse:
        """Ingest one article: `text/plain` (header lines like `title …` are read),
        `text/html` (main text extracted) or `application/json` (`{"text", "title",
        "outlet", "url", "date", "author"}`). Query parameters override the metadata. The
        body is limited in size (413 above it). Requires `Authorization: Bearer TOKEN`.
        Returns the analysed article, whether it was inserted, updated or unchanged, and
        its `warnings` (`P128` when it is not in English: analysed and stored, results
        unreliable; each with the error envelope's `code`, `type`, `where`, `message`,
        `hint`)."""
        from starlette.concurrency import run_in_threadpool

        body = await request.body()
        fields = {"title": title, "outlet": outlet, "url": url, "date": date_}

        def work() -> tuple[Any, str]:
            return ingester.ingest(
                store(), body, request.headers.get("content-type", ""), fields=fields
            )

        art, status = await run_in_threadpool(work)
        corpus.forget()
        return JSONResponse(
            {
                "status": status,
                "id": art.id,
                "url": f"{_root(request)}/articles/{art.id}",
                "article": art.to_dict(),
                "warnings": article_warnings(art),
            },
            status_code=201 if status == "inserted" else 200,
        )

    @app.get("/openapi.json", include_in_schema=False, dependencies=read)
    def openapi_schema() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/api", include_in_schema=False, dependencies=read)
    def api_docs(request: Request) -> Response:
        """The API reference, rendered on the server from the OpenAPI schema."""
        schema = app.openapi()
        ops = [
            {
                "method": m.upper(),
                "path": p,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "params": [
                    (x.get("name"), x.get("in"), x.get("description", ""))
                    for x in op.get("parameters", [])
                ],
            }
            for p, methods in schema.get("paths", {}).items()
            for m, op in methods.items()
        ]
        return render(
            request, "api.html.j2", {"ops": ops, "info": schema.get("info", {})}, json_twin=False
        )

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        """Only the files named in STATIC_FILES: no path ever reaches the file system."""
        media = STATIC_FILES.get(name)
        if media is None:
            raise WebError(
                NOT_FOUND,
                "no such static file",
                where=f"/static/{name}",
                hint=f"Static files: {', '.join(sorted(STATIC_FILES))}.",
            )
        return Response(
            _static(name), media_type=media, headers={"Cache-Control": "public, max-age=300"}
        )

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request) -> Response:
        target = safe_next(request.query_params.get("next"), _root(request))
        return render(request, "login.html.j2", {"failed": False, "next": target}, json_twin=False)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        given, wanted = form.get("token"), form.get("next")
        root = _root(request)
        target = safe_next(wanted if isinstance(wanted, str) else None, root)
        if not config.token or not token_matches(
            given if isinstance(given, str) else None, config.token
        ):
            html = (
                _env()
                .get_template("login.html.j2")
                .render(
                    failed=True,
                    next=target,
                    json_url=None,
                    private=config.private,
                    query="",
                    root=root,
                )
            )
            return HTMLResponse(html, status_code=401)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            TOKEN_COOKIE,
            session_value(config.token),
            path=f"{root}/",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        root = _root(request)
        response = RedirectResponse(f"{root}/login", status_code=303)
        response.delete_cookie(TOKEN_COOKIE, path=f"{root}/")
        return response

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    return app


def _here(request: Request) -> str:
    """The requested path under the root path, with its query, for a login link that comes
    back to it."""
    query = request.url.query
    return _root(request) + _route_path(request) + (f"?{query}" if query else "")


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


# -- request parsing for page builders ----------------------------------------------------------
#: What ``POST /api/articles`` accepts, for the OpenAPI schema (the body is read raw).
_INGEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    name: {"type": "string"}
                    for name in ("text", "title", "outlet", "url", "date", "author")
                },
            }
        },
    },
}

_INT_LIMITS = {"page": (1, 100_000), "per_page": (1, MAX_PAGE_SIZE)}


def _kind(annotation: object) -> str:
    """``int``, ``date`` or ``str``: what a page builder's parameter takes (its annotation is
    a string such as ``"date | None"`` under postponed evaluation)."""
    parts = {p.strip() for p in str(annotation).split("|")}
    return "int" if "int" in parts else "date" if "date" in parts else "str"


def _parse(builder: Callable[..., Any], request: Request) -> dict[str, Any]:
    """Path and query parameters for ``builder`` from its annotations (str, int, date)."""
    import inspect

    kwargs: dict[str, Any] = {}
    sig = inspect.signature(builder)
    for name, param in sig.parameters.items():
        if name in request.path_params:
            kwargs[name] = request.path_params[name]
            continue
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            continue
        kind = _kind(param.annotation)
        if kind == "int":
            if not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is true, int() fails
                raise WebError(
                    BAD_PARAMETER,
                    f"{name} must be a whole number, not {raw!r}",
                    hint=f"Pass {name}=1.",
                )
            lo, hi = _INT_LIMITS.get(name, (0, 1_000_000))
            value = int(raw) if len(raw) <= len(str(hi)) else hi + 1  # no 5,000-digit int()
            if not lo <= value <= hi:
                raise WebError(
                    BAD_PARAMETER,
                    f"{name} must be between {lo} and {hi}",
                    hint=f"Pass {name}={lo}.",
                )
            kwargs[name] = value
        elif kind == "date":
            day = iso_day(raw)
            if day is None:
                raise WebError(
                    BAD_PARAMETER,
                    f"{name} must be a date YYYY-MM-DD, not {raw[:40]!r}",
                    hint=f"Pass {name}=2021-03-01.",
                )
            kwargs[name] = day
        else:
            if len(raw) > MAX_QUERY_CHARS:
                raise WebError(
                    BAD_PARAMETER,
                    f"{name} is longer than {MAX_QUERY_CHARS} characters",
                    hint="Shorten it.",
                )
            kwargs[name] = raw
    return kwargs


def _openapi_params(builder: Callable[..., Any]) -> list[dict[str, Any]]:
    """OpenAPI parameter list of a page builder (its signature is the contract)."""
    import inspect

    params = []
    for name, param in inspect.signature(builder).parameters.items():
        kind = _kind(param.annotation)
        schema: dict[str, Any] = {"type": "integer" if kind == "int" else "string"}
        if kind == "date":
            schema["format"] = "date"
        in_path = param.default is inspect.Parameter.empty
        params.append(
            {
                "name": name,
                "in": "path" if in_path else "query",
                "required": in_path,
                "schema": schema,
            }
        )
    return params
