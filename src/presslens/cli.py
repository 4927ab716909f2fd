"""The ``presslens`` command: a thin shell over the library. ``print`` lives only here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from presslens import __version__
from presslens.cli_attribution import register as register_attribution
from presslens.cli_common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    InterruptibleGroup,
    check_output,
    interval_text,
    json_option,
    out,
    print_skipped,
    print_warnings,
    run_scorer,
    store_option,
    write_output,
)
from presslens.cli_common import cells as _cells
from presslens.cli_common import fail as _fail
from presslens.cli_common import progress as _progress
from presslens.cli_corpus import register as register_corpus
from presslens.cli_entities_eval import register as register_entities_eval
from presslens.cli_numbers import register as register_numbers
from presslens.cli_rhetoric import register as register_rhetoric
from presslens.cli_scale import analyze_to_parquet
from presslens.cli_scale import register as register_scale
from presslens.cli_speakers import register as register_speakers
from presslens.cli_store import register as register_store
from presslens.cli_techniques_encoder import register as register_techniques_encoder
from presslens.cli_web import register as register_web
from presslens.errors import ConfigError, PresslensError, StoreError
from presslens.language import language_label
from presslens.model import Article, json_schema
from presslens.pipeline import apply_stage_overrides, load_config
from presslens.registry import STAGES, load_builtins
from presslens.run import RunResult, analyze_corpus
from presslens.settings import SETTINGS, load_settings, parse_assignments
from presslens.store import Store, open_store


@click.group(cls=InterruptibleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presslens")
def main() -> None:
    """Who claims what, about whom, with which numbers and which rhetoric.

    \b
    Quick start:
      presslens analyze articles/ --html report.html
      presslens show 3f2a91c0
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--no-store", is_flag=True, help="Analyse without writing to any store.")
@click.option(
    "--jsonl",
    "jsonl_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every analysed article as one JSON line to FILE.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report of the analysed articles to FILE.",
)
@click.option(
    "--errors",
    "errors_path",
    default="errors.jsonl",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where per-article failures are written (one JSON object per line).",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Worker processes for analysis (default: the 'workers' setting, 1).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Pipeline config (TOML); default: the built-in pipeline.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting (see `presslens settings`). Repeatable.",
)
@click.option(
    "--set-stage",
    "stage_sets",
    multiple=True,
    metavar="STAGE.KEY=VALUE",
    help="Override a stage option of the pipeline config. Repeatable.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Re-analyse articles even if the store has them from the same pipeline.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where analysis runs: local processes, or a Dask cluster (needs --out-parquet).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler address (tcp://HOST:8786); without it --engine dask starts a local "
    "cluster of --workers workers.",
)
@click.option(
    "--out-parquet",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write Parquet shards (articles, spans, entities) to DIR instead of the store; a "
    "killed run resumes there. Load them with `presslens load DIR`.",
)
@json_option
def analyze(
    paths: tuple[str, ...],
    store_url: str,
    no_store: bool,
    jsonl_path: Path | None,
    html_path: Path | None,
    errors_path: Path,
    workers: int | None,
    config_path: Path | None,
    sets: tuple[str, ...],
    stage_sets: tuple[str, ...],
    force: bool,
    engine: str,
    scheduler: str | None,
    out_parquet: Path | None,
    as_json: bool,
) -> None:
    """Analyse articles: files, folders, globs (.txt .html .json(l) .csv, feeds, .warc; also .gz).

    \b
    Examples:
      presslens analyze demo/corpus
      presslens analyze 'feeds/*.jsonl' --set text_field=body --workers 2 --jsonl out.jsonl
      presslens analyze page.html --no-store --json
      presslens analyze crawl/ --engine dask --workers 8 --out-parquet out/parquet

    Exit status: 0 all analysed, 1 some inputs failed (see errors.jsonl), 3 fatal error.
    """
    try:
        overrides: dict[str, Any] = parse_assignments(sets)
        if workers is not None:
            overrides["workers"] = workers
        settings = load_settings(overrides)
        config = apply_stage_overrides(load_config(config_path), parse_assignments(stage_sets))
        for path, option in ((jsonl_path, "--jsonl"), (html_path, "--html")):
            check_output(path, option)
        if out_parquet is None and engine == "local" and not scheduler:
            check_output(errors_path, "--errors")
        if out_parquet is not None or engine != "local" or scheduler:
            analyze_to_parquet(list(paths), out_parquet, config, settings, engine, scheduler,
                               force=force, as_json=as_json,
                               store_outputs=bool(jsonl_path or html_path)
                               or _given(("errors_path",)))  # fmt: skip
        store = None if no_store else open_store(store_url)
        with _progress(enabled=not as_json) as bar:
            task = bar.add_task("analysing", total=None)
            result = analyze_corpus(
                list(paths),
                store=store,
                settings=settings,
                config=config,
                jsonl_path=jsonl_path,
                errors_path=errors_path,
                force=force,
                outputs=[html_path],
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        if store is not None:
            store.close()
            from presslens.cli_corpus import update_after_analyze

            update_after_analyze(store_url, quiet=as_json, articles=result.articles)
        if html_path is not None:
            from presslens.views.report import render_report

            report_html = render_report(result.articles, errors=result.errors)
            write_output(html_path, report_html, "--html")
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=_run_json(result, errors_path, html_path))
    else:
        _print_run(result, errors_path, html_path, store_url if not no_store else None)
    sys.exit(EXIT_SOME_FAILED if result.errors else EXIT_OK)


@main.command()
@click.argument("article_id")
@store_option
@click.option("--layer", "layers", multiple=True, help="Only show these layers. Repeatable.")
@json_option
def show(article_id: str, store_url: str, layers: tuple[str, ...], as_json: bool) -> None:
    """Show one stored article (an id or a unique id prefix) with its layers.

    \b
    Example:
      presslens show 3f2a91c0 --layer entities --json
    """
    try:
        store = open_store(store_url, read_only=True)
        art = _find(store, article_id)
    except PresslensError as exc:
        _fail(exc, as_json)
    if layers:
        unknown = sorted(set(layers) - set(art.layers))
        if unknown:
            _fail(
                ConfigError(
                    f"article {art.id} has no layer {', '.join(map(repr, unknown))}",
                    hint=f"Its layers: {', '.join(art.layers)}.",
                ),
                as_json,
            )
        art.layers = {k: v for k, v in art.layers.items() if k in layers}
    if as_json:
        out.print_json(art.to_json())
        return
    _print_article(art)


@main.command()
@store_option
@click.option(
    "--html",
    "html_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report file to write.",
)
@click.option("--outlet", help="Only articles of this outlet.")
def report(store_url: str, html_path: Path, outlet: str | None) -> None:
    """Write the HTML report for the articles in the store.

    \b
    Example:
      presslens report --html report.html
    """
    from presslens.views.report import render_report

    try:
        check_output(html_path, "--html")
        store = open_store(store_url, read_only=True)
        articles = list(store.articles(outlet=outlet))
    except PresslensError as exc:
        _fail(exc, False)
    try:
        write_output(html_path, render_report(articles), "--html")
    except PresslensError as exc:
        _fail(exc, False)
    out.print(f"{len(articles)} articles written to {html_path}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the article format (what --json and --jsonl emit)."""
    out.print_json(data=json_schema())


@main.command("settings")
@json_option
def settings_cmd(as_json: bool) -> None:
    """List settings with their defaults (override with --set NAME=VALUE)."""
    if as_json:
        out.print_json(
            data=[{"name": s.name, "default": s.default, "help": s.help} for s in SETTINGS]
        )
        return
    table = Table("setting", "default", "help")
    for s in SETTINGS:
        table.add_row(*_cells(s.name, repr(s.default), s.help))
    out.print(table)


@main.command()
@json_option
def stages(as_json: bool) -> None:
    """List registered stage implementations, with what they require and assign."""
    load_builtins()
    rows: list[dict[str, Any]] = [
        {"impl": s.impl, "requires": list(s.requires), "assigns": list(s.assigns), "doc": s.doc}
        for s in sorted(STAGES.values(), key=lambda s: s.impl)
    ]
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("impl", "requires", "assigns", "what")
    for r in rows:
        table.add_row(
            *_cells(r["impl"], ", ".join(r["requires"]), ", ".join(r["assigns"]), r["doc"])
        )
    out.print(table)


@main.group("eval")
def eval_group() -> None:
    """Score a component on annotated data and print standard metrics."""


@eval_group.command("genre")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="SemEval-2023 Task 3 folder (labels-subtask-1 file + articles folder).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N articles."
)
@click.option(
    "--split",
    type=click.Choice(["all", "dev", "train"]),
    default="all",
    show_default=True,
    help="Which articles: all, or the dev / train part of the fixed split the trained genre "
    "model was fitted on (data/rhetoric_dev_ids.txt); report dev.",
)
@click.option(
    "--impl",
    default=None,
    help="Genre implementation to score instead of the default pipeline's "
    "(e.g. presslens.genre.v2, the trained model).",
)
@json_option
def eval_genre_cmd(
    data: Path, limit: int | None, split: str, impl: str | None, as_json: bool
) -> None:
    """Accuracy and macro-F1 of the genre stage, next to the majority baseline.

    \b
    Example:
      presslens eval genre --data ../shared/data/semeval2023 --split dev
      presslens eval genre --data ../shared/data/semeval2023 --split dev --impl presslens.genre.v2
    """
    from functools import partial

    from presslens.eval.genre import eval_genre

    scorer = partial(eval_genre, split=split, impl=impl)
    report = run_scorer(scorer, data, limit=limit, as_json=as_json)
    if report is None:
        return
    table = Table("class", "gold", "predicted", "precision", "recall", "F1")
    for label, c in report["per_class"].items():
        table.add_row(
            *_cells(
                label,
                str(c["gold"]),
                str(c["predicted"]),
                f"{c['precision']:.3f}",
                f"{c['recall']:.3f}",
                f"{c['f1']:.3f}",
            )
        )
    out.print(table)
    base = report["baseline_majority"]
    out.print(
        f"genre on {report['n']} articles: accuracy {report['accuracy']:.3f}, "
        f"macro-F1 {report['macro_f1']:.3f}{interval_text(report.get('macro_f1_interval'))}; "
        f"majority baseline ({base['label']}): "
        f"accuracy {base['accuracy']:.3f}, macro-F1 {base['macro_f1']:.3f}"
    )


register_attribution(main, eval_group)
register_techniques_encoder(main, eval_group)
register_corpus(main, eval_group)
register_rhetoric(main, eval_group)
register_store(main, eval_group)
register_web(main, eval_group)
register_numbers(main, eval_group)
register_scale(main, eval_group)
register_speakers(main, eval_group)
register_entities_eval(main, eval_group)


# -- helpers ----------------------------------------------------------------------------------
def _find(store: Store, article_id: str) -> Article:
    art = store.get(article_id)
    if art is not None:
        return art
    ids = store.find_ids(article_id)
    if len(ids) == 1 and (art := store.get(ids[0])) is not None:
        return art
    if ids:
        raise StoreError(
            f"{len(ids)} articles start with {article_id!r}",
            where=store.url,
            hint="Give more characters of the id.",
        )
    raise StoreError(
        f"no article {article_id!r}",
        where=store.url,
        hint="List ids with `presslens analyze … --json` or the HTML report.",
    )


def _names(art: Article, labels: set[str], limit: int = 3) -> list[str]:
    clusters = sorted(
        (c for c in art.clusters if c.label in labels), key=lambda c: (-len(c.mentions), c.name)
    )
    return [c.name for c in clusters[:limit]]


def _article_row(art: Article, status: str) -> dict[str, Any]:
    return {
        "id": art.id,
        "status": status,
        "source": art.source,
        "title": art.title,
        "outlet": art.outlet,
        "published": art.published.date.isoformat() if art.published else None,
        "genre": (art.meta.get("genre") or {}).get("label"),
        "language": art.language,
        "people": _names(art, {"PERSON"}, 5),
        "organisations": _names(art, {"ORG"}, 5),
    }


def _given(names: tuple[str, ...]) -> bool:
    """Whether the user set any of these options (not left them at their defaults)."""
    ctx = click.get_current_context()
    return any(
        ctx.get_parameter_source(n) not in (None, click.core.ParameterSource.DEFAULT) for n in names
    )


def _run_json(result: RunResult, errors_path: Path, html_path: Path | None) -> dict[str, Any]:
    return {
        "articles": [_article_row(a, result.status[a.id]) for a in result.articles],
        "counts": dict(result.counts),
        "failed": result.failed,
        "errors": result.errors,
        "warnings": result.warnings,
        "errors_file": str(errors_path),
        "html": str(html_path) if html_path else None,
    }


def _print_run(
    result: RunResult, errors_path: Path, html_path: Path | None, store_url: str | None
) -> None:
    table = Table(title="Articles", title_justify="left", show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("outlet", max_width=22, overflow="ellipsis", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("genre", no_wrap=True)
    table.add_column("people", ratio=2, overflow="fold")
    table.add_column("organisations", ratio=2, overflow="fold")
    for art in result.articles:
        row = _article_row(art, result.status[art.id])
        table.add_row(
            *_cells(
                row["id"][:8],
                row["outlet"] or "-",
                row["published"] or "-",
                row["genre"] or "-",
                "; ".join(row["people"][:3]) or "-",
                "; ".join(row["organisations"][:2]) or "-",
            )
        )
    out.print(table)
    print_skipped(result.errors)
    print_warnings(result.warnings)
    c = result.counts
    outlets = len({a.outlet for a in result.articles if a.outlet})
    line = (
        f"{len(result.articles)} articles from {outlets} outlets analysed "
        f"({c.get('inserted', 0)} new, {c.get('updated', 0)} updated, "
        f"{c.get('unchanged', 0)} unchanged)"
    )
    if result.warnings:
        line += f"; {len(result.warnings)} not in English (warnings above: analysed, unreliable)"
    if result.errors:
        line += f"; {result.failed} inputs failed, see {errors_path}"
    if store_url:
        line += f"; store: {store_url}"
    if html_path:
        line += f"; report: {html_path}"
    out.print(line + ".")


def _print_article(art: Article) -> None:
    pub = f"{art.published.date} ({art.published.source})" if art.published else "-"
    out.print(Text(art.title or art.text[:80], style="bold"))
    out.print(f"id {art.id}  outlet {art.outlet or '-'}  published {pub}  source {art.source}")
    out.print(f"language {language_label(art.language, art.meta.get('language_from'))}")
    genre = art.meta.get("genre") or {}
    if genre:
        out.print(
            f"genre {genre.get('label')}: "
            + "; ".join(e.get("note", e.get("feature", "")) for e in genre.get("evidence", [])[:4])
        )
    if art.clusters:
        table = Table(
            "entity", "type", "mentions", "variants", title="Entities", title_justify="left"
        )
        for c in sorted(art.clusters, key=lambda c: -len(c.mentions)):
            table.add_row(*_cells(c.name, c.label, str(len(c.mentions)), ", ".join(c.variants)))
        out.print(table)
    for name, spans in art.layers.items():
        out.print(f"layer {name}: {len(spans)} spans")
    for r in art.removed:
        out.print(f"removed {r.kind} at raw {r.raw_start}-{r.raw_end}: {r.text!r}")
