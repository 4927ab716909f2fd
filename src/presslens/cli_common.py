"""What every ``presslens`` command shares: consoles, exit codes, options, error output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from presslens.errors import PresslensError
from presslens.model import Article
from presslens.settings import load_settings
from presslens.store.base import DEFAULT_STORE

EXIT_OK, EXIT_SOME_FAILED, EXIT_ERROR = 0, 1, 3

#: The columns every scorer table prints, in order.
PRF = ("precision", "recall", "f1")

# markup=False everywhere: article text must never be read as rich markup.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

store_option = click.option(
    "--store",
    "store_url",
    default=DEFAULT_STORE,
    show_default=True,
    metavar="URL",
    help="Where analyses are kept: a SQLite path, sqlite:///path.db or "
    "postgresql://user@host:port/db.",
)
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of tables."
)


def progress(*, enabled: bool) -> Progress:
    """A transient progress bar on stderr (disabled for ``--json``)."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not enabled,
    )


def articles_from(
    paths: Sequence[str], store_url: str, as_json: bool
) -> tuple[list[Article], list[dict[str, Any]]]:
    """The articles a listing command shows: ``paths`` analysed without storing them, or
    every article in the store; with the input errors of the analysis. Fails cleanly."""
    try:
        if paths:
            from presslens.run import analyze_corpus

            result = analyze_corpus(list(paths), store=None, settings=load_settings())
            return result.articles, result.errors
        from presslens.store import open_store

        store = open_store(store_url)
        try:
            return list(store.articles()), []
        finally:
            store.close()
    except PresslensError as exc:
        fail(exc, as_json)


def fail(exc: PresslensError, as_json: bool) -> NoReturn:
    """Print the error (as the JSON error envelope with ``--json``) and exit 3."""
    if as_json:
        out.print_json(data={"error": exc.to_dict()})
    else:
        err.print(Text("error ", style="red") + Text(str(exc)))
    sys.exit(EXIT_ERROR)


def _parse_bars(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, ...]:
    """``"0.5,0.7"`` → ``(0.5, 0.7)``; anything else is a usage error naming the bad item."""
    if not value:
        return ()
    bars = []
    for item in value.split(","):
        try:
            bar = float(item)
        except ValueError:
            bar = -1.0
        if not 0.0 <= bar <= 1.0:
            raise click.BadParameter(
                f"{item.strip()!r} is not a number from 0 to 1; write bars like 0.5,0.7,0.9",
                ctx=ctx,
                param=param,
            )
        bars.append(bar)
    return tuple(bars)


def confidence_bars_option(items: str, lister: str) -> Callable[[Any], Any]:
    """``--confidence-bars P,P,…``: also score only the ``items`` whose confidence reaches each
    bar, as ``lister`` lists them (the precision/recall trade-off, from the same analysis)."""
    return click.option(
        "--confidence-bars",
        "bars",
        default=None,
        metavar="P,P,…",
        callback=_parse_bars,
        help=f"Also score only the {items} whose confidence reaches each bar (comma-separated, "
        f"0-1), as `{lister}` lists them: the precision/recall trade-off, from the same "
        "analysis.",
    )


def min_confidence_option(items: str, scorer: str, measured_on: str) -> Callable[[Any], Any]:
    """``--min-confidence P``: list only the ``items`` whose confidence reaches P."""
    return click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        default=None,
        metavar="P",
        help=f"Only {items} whose confidence ({scorer}) reaches P (0-1). Higher bars trade "
        f"recall for precision; README, Measured, has the trade-off on {measured_on}.",
    )


def cells(*values: str) -> list[Text]:
    """Table cells as plain Text, so article-derived strings are never read as markup."""
    return [Text(v) for v in values]


def print_skipped(errors: Sequence[dict[str, Any]]) -> None:
    """One line per input that was reported and skipped."""
    for e in errors:
        err.print(
            Text("skipped ", style="yellow")
            + Text(f"[{e['code']}] {e.get('where') or ''}: {e['message']}. {e.get('hint') or ''}")
        )


def run_scorer(
    scorer: Callable[..., dict[str, Any]], data: Path, *, limit: int | None, as_json: bool
) -> dict[str, Any] | None:
    """Run an ``eval_*`` scorer with a progress bar. With ``--json`` print its report and
    return None; otherwise return the report for the command to print as tables."""
    try:
        with progress(enabled=not as_json) as bar:
            task = bar.add_task("scoring", total=None)
            report = scorer(
                data,
                load_settings(),
                limit=limit,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except PresslensError as exc:
        fail(exc, as_json)
    if as_json:
        out.print_json(data=report)
        return None
    return report


def interval_text(interval: dict[str, Any] | None) -> str:
    """`` (95 % interval 0.31–0.44)`` for a scorer's bootstrap interval; empty without one."""
    if not interval or not interval.get("resamples"):
        return ""
    level = round(100 * float(interval["level"]))
    return f" ({level} % interval {interval['low']:.3f}–{interval['high']:.3f})"
