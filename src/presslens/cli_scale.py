"""``presslens run`` and ``presslens load``, and the Parquet path of ``presslens analyze``.

Thin shells over :mod:`presslens.scale`; :func:`register` attaches the commands to the main
group. Consoles, exit codes and error output are shared through :mod:`presslens.cli_common`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.text import Text

from presslens.cli_common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    err,
    json_option,
    out,
    print_skipped,
    print_warnings,
    store_option,
)
from presslens.cli_common import fail as _fail
from presslens.cli_common import progress as _progress
from presslens.errors import ConfigError, PresslensError
from presslens.scale.codes import BAD_RUN_CONFIG
from presslens.settings import Settings

__all__ = ["analyze_to_parquet", "load_cmd", "register", "run_cmd", "run_to_parquet"]

#: Articles per shard for `presslens analyze --out-parquet` (the run config can change it).
DEFAULT_SHARD_SIZE = 500
#: Failures listed on the terminal after a run (all of them are in errors.jsonl); warnings
#: likewise (all of them in warnings.jsonl).
SHOWN_ERRORS = 20


def run_to_parquet(
    inputs: list[str],
    out_dir: Path,
    *,
    config: dict[str, Any],
    settings: Settings,
    engine: str,
    scheduler: str | None,
    workers: int,
    shard_size: int,
    force: bool,
    as_json: bool,
) -> NoReturn:
    """Run the scale-out path, print its summary and exit with the run's status."""
    from presslens.scale import run_scale

    try:
        with _progress(enabled=not as_json) as bar:
            task = bar.add_task("shards", total=None)
            result = run_scale(
                inputs,
                out_dir,
                config=config,
                settings=settings,
                engine=engine,
                scheduler=scheduler,
                workers=workers,
                shard_size=shard_size,
                force=force,
                on_progress=lambda done, total, _n: bar.update(task, completed=done, total=total),
            )
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=result.to_dict())
    else:
        print_skipped(result.errors[:SHOWN_ERRORS])
        if len(result.errors) > SHOWN_ERRORS:
            err.print(f"… and {len(result.errors) - SHOWN_ERRORS} more in {out_dir}/errors.jsonl")
        print_warnings(result.warnings[:SHOWN_ERRORS])
        if len(result.warnings) > SHOWN_ERRORS:
            err.print(
                f"… and {len(result.warnings) - SHOWN_ERRORS} more in {out_dir}/warnings.jsonl"
            )
        rss = max(result.worker_peak_rss_mb.values(), default=0.0)
        out.print(
            f"{result.articles:,} articles in {out_dir} ({result.new_articles:,} new in "
            f"{result.committed} shards, {result.skipped} shards already done, "
            f"{result.duplicates} duplicates dropped); {result.shards} shards; engine "
            f"{result.engine} with {result.workers} workers; {result.seconds:.1f} s"
            + (f"; peak worker memory {rss:.0f} MB" if rss else "")
            + (
                f"; {len(result.warnings):,} not in English (analysed, results unreliable; see "
                f"{out_dir}/warnings.jsonl)"
                if result.warnings
                else ""
            )
            + (
                f"; {len(result.errors)} failures, see {out_dir}/errors.jsonl"
                if result.errors
                else ""
            )
            + "."
        )
        if result.failed_shards:
            err.print(
                Text(
                    f"{result.failed_shards} shards were lost with their worker; run the same "
                    "command again to redo them.",
                    style="yellow",
                )
            )
    sys.exit(EXIT_SOME_FAILED if result.errors or result.failed_shards else EXIT_OK)


def analyze_to_parquet(
    paths: list[str],
    out_dir: Path | None,
    config: dict[str, Any],
    settings: Settings,
    engine: str,
    scheduler: str | None,
    *,
    force: bool,
    as_json: bool,
    store_outputs: bool = False,
) -> NoReturn:
    """``presslens analyze … --out-parquet DIR [--engine dask] [--scheduler ADDRESS]``."""
    if store_outputs:
        _fail(
            ConfigError(
                "--jsonl, --html and --errors are not written by Parquet runs (failures go "
                "to DIR/errors.jsonl)",
                hint="Drop them, then `presslens load DIR --store URL` and `presslens report "
                "--html FILE` (or read the Parquet files directly).",
                code=BAD_RUN_CONFIG,
            ),
            as_json,
        )
    if out_dir is None:
        _fail(
            ConfigError(
                f"--engine {engine} needs --out-parquet DIR"
                if engine != "local"
                else "--scheduler needs --engine dask and --out-parquet DIR",
                hint="Cluster runs write Parquet shards; add --out-parquet out/parquet, then "
                "`presslens load out/parquet` to fill the store.",
                code=BAD_RUN_CONFIG,
            ),
            as_json,
        )
    run_to_parquet(
        paths,
        out_dir,
        config=config,
        settings=settings,
        engine=engine,
        scheduler=scheduler,
        workers=settings.workers,
        shard_size=DEFAULT_SHARD_SIZE,
        force=force,
        as_json=as_json,
    )


@click.command("run")
@click.argument("config_path", metavar="CONFIG", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Delete the output folder's shards first and start over."
)
@json_option
def run_cmd(config_path: Path, force: bool, as_json: bool) -> None:
    """Analyse a large corpus as configured in CONFIG (TOML) into Parquet shards.

    Inputs (files, folders, globs, JSONL/Parquet shards, WARC) are cut into shards; each
    shard is analysed by a local worker pool or a Dask cluster and committed as Parquet
    (articles, spans, entities). A shard already committed is skipped, so a killed run
    resumes where it stopped and never writes an article twice. Failures go to
    OUT/errors.jsonl; articles not in English are analysed, counted in the summary and
    listed in OUT/warnings.jsonl (P128).

    \b
    Example config (run.toml):
      [run]
      inputs = ["feeds/*.jsonl.gz", "crawl/"]
      output = "out/parquet"
      engine = "dask"                      # or "local"
      scheduler = "tcp://10.0.0.5:8786"    # omit for a local cluster
      workers = 8
      shard_size = 500
      [settings]
      text_field = "body"

    \b
    Example:
      presslens run run.toml
      presslens load out/parquet --store presslens.db
    """
    from presslens.scale import load_run_config

    try:
        spec = load_run_config(config_path)
    except PresslensError as exc:
        _fail(exc, as_json)
    run_to_parquet(
        spec.inputs,
        spec.output,
        config=spec.config,
        settings=spec.settings,
        engine=spec.engine,
        scheduler=spec.scheduler,
        workers=spec.workers,
        shard_size=spec.shard_size,
        force=force,
        as_json=as_json,
    )


@click.command("load")
@click.argument(
    "parquet_dir", metavar="PARQUET_DIR", type=click.Path(file_okay=False, path_type=Path)
)
@store_option
@click.option(
    "--no-corpus",
    is_flag=True,
    help="Do not update the corpus results (entities across articles, stories) afterwards.",
)
@json_option
def load_cmd(parquet_dir: Path, store_url: str, no_corpus: bool, as_json: bool) -> None:
    """Fill a store (SQLite or PostgreSQL) from the Parquet output of a run, for the web app.

    Only committed shards are read; each article is checked and upserted, so loading twice
    changes nothing. Then the corpus results are brought up to date, as after `presslens
    analyze` (skip with --no-corpus).

    \b
    Example:
      presslens load out/parquet --store presslens.db
    """
    from presslens.scale import load_parquet
    from presslens.store import open_store

    try:
        store = open_store(store_url)
        with _progress(enabled=not as_json) as bar:
            task = bar.add_task("loading", total=None)
            result = load_parquet(
                parquet_dir, store, on_progress=lambda n: bar.update(task, completed=n)
            )
        store.close()
    except PresslensError as exc:
        _fail(exc, as_json)
    if not no_corpus and result.loaded:
        from presslens.cli_corpus import update_after_analyze

        update_after_analyze(store_url, quiet=True)
    counts = dict(result.counts)
    if as_json:
        out.print_json(data={"loaded": result.loaded, "counts": counts, "errors": result.errors})
    else:
        print_skipped(result.errors[:SHOWN_ERRORS])
        out.print(
            f"{result.loaded:,} articles loaded into {store_url} ({counts.get('inserted', 0)} "
            f"new, {counts.get('updated', 0)} updated, {counts.get('unchanged', 0)} unchanged)"
            + (f"; {len(result.errors)} failed" if result.errors else "")
            + "."
        )
    sys.exit(EXIT_SOME_FAILED if result.errors else EXIT_OK)


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``run`` and ``load`` to ``main`` (``eval_group`` is unused: nothing to score)."""
    main.add_command(run_cmd, "run")
    main.add_command(load_cmd, "load")
