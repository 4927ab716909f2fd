"""``presslens eval quantities`` and ``presslens eval timex``: thin shells over the scorers.

:func:`register` attaches both commands to the ``eval`` group (``main`` gets nothing yet; the
timeline command comes with the events layer).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from presslens.cli_common import cells, fail, json_option, out, progress
from presslens.errors import PresslensError
from presslens.settings import load_settings

__all__ = ["eval_quantities_cmd", "eval_timex_cmd", "register"]

_PRF = ("precision", "recall", "f1")


@click.command("quantities")
@click.option(
    "--data",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="NewsQuant JSON: a list of {text, quantities: [{value, normalized_unit, …}]}.",
)
@click.option("--limit", type=int, default=None, help="Score only the first N sentences.")
@json_option
def eval_quantities_cmd(data: Path, limit: int | None, as_json: bool) -> None:
    """P/R/F1 of quantities at value, value+unit and value+concept, as in the NewsQuant paper.

    Values match with relative tolerance 1e-5 (ranges end to end); matching is one-to-one per
    sentence; units compare with NewsQuant's normalised unit.

    \b
    Example:
      presslens eval quantities --data ../shared/data/newsquant/newsquant-dev.json
    """
    from presslens.eval.quantities import eval_quantities

    try:
        with progress(enabled=not as_json) as bar:
            task = bar.add_task("scoring", total=None)
            report = eval_quantities(
                data,
                load_settings(),
                limit=limit,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except PresslensError as exc:
        fail(exc, as_json)
    if as_json:
        out.print_json(data=report)
        return
    _table(
        "Quantities (NewsQuant)",
        report,
        (("value", "value"), ("value_unit", "value+unit"), ("value_concept", "value+concept")),
    )
    out.print(
        f"{report['sentences']} sentences, {report['gold']} gold quantities, "
        f"{report['predicted']} predicted; {report['skipped']} skipped."
    )


@click.command("timex")
@click.option(
    "--data",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="A folder of TimeML .tml files (searched recursively) or one file.",
)
@click.option("--limit", type=int, default=None, help="Score only the first N documents.")
@json_option
def eval_timex_cmd(data: Path, limit: int | None, as_json: bool) -> None:
    """Strict and relaxed extent P/R/F1, type and value accuracy and F1, as in TempEval-3.

    Each document's creation time (DCT) is the date relative expressions are anchored on.

    \b
    Example:
      presslens eval timex --data ../shared/data/tempeval3/TBAQ-cleaned
    """
    from presslens.eval.timex import eval_timex

    try:
        with progress(enabled=not as_json) as bar:
            task = bar.add_task("scoring", total=None)
            report = eval_timex(
                data,
                load_settings(),
                limit=limit,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except PresslensError as exc:
        fail(exc, as_json)
    if as_json:
        out.print_json(data=report)
        return
    _table(
        "Time expressions (TempEval-3)",
        report,
        (("strict", "strict extent"), ("relaxed", "relaxed extent"), ("type", "type"),
         ("value", "value")),
    )  # fmt: skip
    out.print(
        f"type accuracy {report['type']['accuracy']:.3f}, value accuracy "
        f"{report['value']['accuracy']:.3f} (over relaxed matches); {report['documents']} "
        f"documents, {report['gold']} gold, {report['predicted']} predicted."
    )


def _table(title: str, report: dict[str, Any], rows: tuple[tuple[str, str], ...]) -> None:
    table = Table("", "P", "R", "F1", "tp", title=title, title_justify="left")
    for key, label in rows:
        r = report[key]
        table.add_row(*cells(label, *(f"{r[m]:.3f}" for m in _PRF), str(r["tp"])))
    out.print(table)


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``quantities`` and ``timex`` to ``eval_group``."""
    del main  # nothing top-level yet (the timeline command comes with the events layer)
    eval_group.add_command(eval_quantities_cmd, "quantities")
    eval_group.add_command(eval_timex_cmd, "timex")
