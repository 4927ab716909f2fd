"""``presslens serve``: the web app and JSON API over a store (a thin shell over
:func:`presslens.web.create_app` and uvicorn)."""

from __future__ import annotations

import click

from presslens.cli_common import err, fail, store_option
from presslens.errors import ConfigError, PresslensError

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
    "--max-body",
    "max_body",
    type=click.IntRange(1, None),
    default=None,
    metavar="BYTES",
    help="Largest request body accepted (default 2,000,000).",
)
def serve_cmd(
    store_url: str, host: str, port: int, token: str | None, private: bool, max_body: int | None
) -> None:
    """Serve the corpus in the browser: overview, articles with highlighted layers, entities,
    stories compared across outlets, search; every page has a .json twin; the JSON API is
    documented at /api and /openapi.json.

    \b
    Example:
      presslens serve --store presslens.db
      PRESSLENS_TOKEN=s3cret presslens serve --port 8080 --private
    """
    import uvicorn

    from presslens.store import open_store
    from presslens.web import DEFAULT_MAX_BODY, WebConfig, create_app

    try:
        if private and not token:
            raise ConfigError(
                "--private needs a token",
                hint="Pass --token TOKEN or set PRESSLENS_TOKEN.",
            )
        open_store(store_url).close()  # fail now, not on the first request
    except PresslensError as exc:
        fail(exc, as_json=False)
    app = create_app(
        WebConfig(
            store_url=store_url,
            token=token or None,
            private=private,
            max_body=max_body or DEFAULT_MAX_BODY,
        )
    )
    mode = "private" if private else "public reads"
    writes = "writes with token" if token else "read-only"
    err.print(f"presslens serving {store_url} on http://{host}:{port}/ ({mode}, {writes})")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach ``serve`` to the main command group."""
    del eval_group  # nothing to evaluate for the web app
    main.add_command(serve_cmd)
