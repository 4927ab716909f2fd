"""What every ``presslens`` command shares: consoles, exit codes, options, error output."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from presslens.errors import ConfigError, PresslensError
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
            print_warnings(result.warnings)  # on stderr: --json output stays the listing
            return result.articles, result.errors
        from presslens.store import open_store

        store = open_store(store_url, read_only=True)
        try:
            return list(store.articles()), []
        finally:
            store.close()
    except PresslensError as exc:
        fail(exc, as_json)


def check_output(path: Path | None, option: str) -> None:
    """Refuse, before any work, an output file that cannot be written: its folder missing or
    read-only, or the path a folder. Found after a long analysis, such a path used to end
    the command with a traceback and leave the corpus results unbuilt."""
    if path is None:
        return
    folder = path.parent
    problem = None
    if not folder.is_dir():
        problem = f"the folder {folder} does not exist"
    elif path.is_dir():
        problem = "it is a folder"
    elif not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        problem = "this user may not write it"
    if problem:
        raise ConfigError(
            f"cannot write {option} {path}: {problem}",
            where=str(path),
            hint="Create the folder or pick another path; nothing was analysed or written.",
        )


def write_output(path: Path, text: str, option: str) -> None:
    """Write an output file; a failure (disk full) is a clear error, not a traceback."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot write {option} {path}: {exc.strerror or exc}",
            where=str(path),
            hint="Check the folder is writable and there is disk space.",
        ) from exc


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


def not_nan(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A float option's check: FloatRange lets "nan" (and with an open end "inf") through,
    and quotes and rhetoric read a nan bar in opposite ways."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number.")
    return value


#: Exit status after Ctrl-C (128 + SIGINT), so a script never takes an interrupted run for
#: one whose inputs partly failed (1).
EXIT_INTERRUPTED = 130


class InterruptibleGroup(click.Group):
    """The command group; Ctrl-C ends any command with a line saying what was kept and exit
    status 130 (click's own "Aborted!" exits 1, the status of "some inputs failed")."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            err.print(
                Text("interrupted", style="yellow")
                + Text(
                    ": articles already stored are kept; run the same command again to "
                    "finish (unchanged articles are skipped)."
                )
            )
            sys.exit(EXIT_INTERRUPTED)


def min_confidence_option(items: str, scorer: str, measured_on: str) -> Callable[[Any], Any]:
    """``--min-confidence P``: list only the ``items`` whose confidence reaches P."""
    return click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        default=None,
        metavar="P",
        callback=not_nan,
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


def print_warnings(warnings: Sequence[dict[str, Any]]) -> None:
    """One line per article that was reported with a warning and analysed all the same."""
    for w in warnings:
        err.print(
            Text("warning ", style="yellow")
            + Text(f"[{w['code']}] {w.get('where') or ''}: {w['message']}. {w.get('hint') or ''}")
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
