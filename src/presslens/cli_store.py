"""``presslens export``: a thin shell over :func:`presslens.export.export_store`."""

from __future__ import annotations

from pathlib import Path

import click

from presslens.cli_common import fail, json_option, out, progress, store_option
from presslens.errors import PresslensError
from presslens.export import FORMATS
from presslens.store import open_store

__all__ = ["export_cmd", "register"]


@click.command("export")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="jsonl: one article JSON per line (the full analysis); csv: one row per article "
    "(metadata and text); parquet: a folder with articles, spans and clusters tables.",
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write (a folder for parquet).",
)
@click.option("--outlet", help="Only articles of this outlet.")
@json_option
def export_cmd(store_url: str, fmt: str, out_path: Path, outlet: str | None, as_json: bool) -> None:
    """Export the articles of a store (SQLite or PostgreSQL) as JSON Lines, CSV or Parquet.

    \b
    Examples:
      presslens export --format jsonl --out articles.jsonl
      presslens export --store postgresql://news@127.0.0.1:5433/news --format parquet --out pq/
      presslens export --format csv --out articles.csv --outlet "Harbour Gazette"

    Parquet spans satisfy text == articles.text[start:end]; JSON-valued fields (meta, attrs,
    variants) are JSON text columns.
    """
    from presslens.export import export_store

    try:
        store = open_store(store_url, read_only=True)
        try:
            with progress(enabled=not as_json) as bar:
                task = bar.add_task("exporting", total=store.count())
                summary = export_store(
                    store,
                    fmt,
                    out_path,
                    outlet=outlet,
                    on_progress=lambda n: bar.update(task, completed=n),
                )
        finally:
            store.close()
    except PresslensError as exc:
        fail(exc, as_json)
    if as_json:
        out.print_json(data=summary)
        return
    extra = (
        f", {summary['spans']} spans, {summary['clusters']} clusters" if fmt == "parquet" else ""
    )
    out.print(f"{summary['articles']} articles{extra} written to {out_path} ({fmt}).")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach ``export`` to the main group (``eval_group`` is unused: no scorer here)."""
    del eval_group
    main.add_command(export_cmd)
