"""``presslens serve``: the web app and JSON API over a store (a thin shell over
:func:`presslens.web.create_app` and uvicorn)."""

from __future__ import annotations

from pathlib import Path

import click

from presslens.cli_common import err, fail, store_option
from presslens.errors import ConfigError, PresslensError, StoreError

__all__ = ["register", "serve_cmd"]


@click.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port (0 picks a free one).",
)
@click.option(
    "--token",
    envvar="PRESSLENS_TOKEN",
    default=None,
    metavar="TOKEN",
    help="Token that POST /api/articles requires (Authorization: Bearer TOKEN); "
    "also read from PRESSLENS_TOKEN. Without it the server is read-only.",
)
@click.option(
    "--private", is_flag=True, help="Require the token for reading too (pages, JSON, API docs)."
)
@click.option(
    "--root-path",
    "root_path",
    default="",
    metavar="PREFIX",
    help="Path prefix a reverse proxy serves the app under (e.g. /presslens; the proxy "
    "strips it): every link and redirect starts with it.",
)
@click.option(
    "--max-body",
    "max_body",
    type=click.IntRange(1, None),
    default=None,
    metavar="BYTES",
    help="Largest request body accepted (default 2,000,000).",
)
def serve_cmd(
    store_url: str,
    host: str,
    port: int,
    token: str | None,
    private: bool,
    root_path: str,
    max_body: int | None,
) -> None:
    """Serve the corpus in the browser: overview, articles with highlighted layers, entities,
    stories compared across outlets, search; every page has a .json twin; the JSON API is
    documented at /api and /openapi.json.

    \b
    Example:
      presslens serve --store presslens.db
      PRESSLENS_TOKEN=s3cret presslens serve --port 8080 --private
      presslens serve --root-path /presslens   # behind a proxy at https://host/presslens/
    """
    import uvicorn

    from presslens.store import open_store
    from presslens.web import DEFAULT_MAX_BODY, WebConfig, create_app
    from presslens.web.security import check_token

    try:
        if private and not token:
            raise ConfigError(
                "--private needs a token",
                hint="Pass --token TOKEN or set PRESSLENS_TOKEN.",
            )
        check_token(token or None)
        root_path = _check_root_path(root_path)
        if token:
            _check_store_folder(store_url)
        # fail now, not on the first request; a read-only server never creates a store
        open_store(store_url, read_only=not token).close()
        app = create_app(
            WebConfig(
                store_url=store_url,
                token=token or None,
                private=private,
                max_body=max_body or DEFAULT_MAX_BODY,
            )
        )
    except PresslensError as exc:
        fail(exc, as_json=False)
    mode = "private" if private else "public reads"
    writes = "writes with token" if token else "read-only"
    err.print(
        f"presslens serving {store_url} on http://{host}:{port}/ ({mode}, {writes}"
        + (f", links under {root_path}/" if root_path else "")
        + ")"
    )
    uvicorn.run(
        app, host=host, port=port, log_level="warning", server_header=False, root_path=root_path
    )


def _check_root_path(value: str) -> str:
    """``/presslens`` (a final slash dropped); refuses what is no plain path prefix."""
    root = value.rstrip("/")
    if root and (
        not root.startswith("/")
        or root.startswith("//")
        or not root.isascii()
        or any(ch in root for ch in "?#\\\"'<> ")
        or not root.isprintable()
    ):
        raise ConfigError(
            f"--root-path {value!r} is not a path prefix",
            where="--root-path",
            hint="Give the prefix the proxy serves the app under, e.g. --root-path /presslens.",
        )
    return root


def _check_store_folder(store_url: str) -> None:
    """A writable server may create a new SQLite store, but not the folders of a mistyped
    path (the folder must exist)."""
    if "://" in store_url and not store_url.startswith("sqlite:///"):
        return  # PostgreSQL: the server says what is wrong
    path = store_url.removeprefix("sqlite:///")
    if path == ":memory:":
        return
    folder = Path(path).parent
    if not folder.is_dir():
        raise StoreError(
            f"the folder {folder} of the store does not exist",
            where=path,
            hint="Check the path (--store), or create the folder first.",
        )


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach ``serve`` to the main command group."""
    del eval_group  # nothing to evaluate for the web app
    main.add_command(serve_cmd)
