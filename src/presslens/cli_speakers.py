"""``presslens eval speakers``: whether statements are given to the right entity (ECB+)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from presslens.cli_common import cells, out, run_scorer

__all__ = ["eval_speakers_cmd", "register"]

#: Row order of the table: the stage's resolutions, then everything.
RESOLUTIONS = ("named", "pronoun", "title", "description", "group", "unresolved")


@click.command("speakers")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The ECB+ release folder (holding ECB+/<topic>/*.xml).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N documents."
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def eval_speakers_cmd(data: Path, limit: int | None, as_json: bool) -> None:
    """Score speaker resolution: run the attribution stage on ECB+ documents and check each
    statement whose source is an annotated participant against the names of that
    participant's coreference chain (pronouns, roles and names alike).

    Right: the resolved entity's name shares a word with a gold name; wrong: resolved to
    someone else; unresolved: left open. Precision = right / resolved, coverage = resolved /
    scored. A second table scores the pronoun rule alone on every subject pronoun ECB+
    annotates ("he", "she", "they", "it"), resolved as a pronoun source would be.

    \b
    Example:
      presslens eval speakers --data ../shared/data/ecbplus
    """
    from presslens.eval.speakers import eval_speakers

    report = run_scorer(eval_speakers, data, limit=limit, as_json=as_json)
    if report is None:
        return
    table = Table(
        "resolution", "scored", "right", "wrong", "unresolved", "precision", "coverage",
        "no gold name", title="Speakers on ECB+", title_justify="left",
    )  # fmt: skip
    rows: dict[str, Any] = report["by_resolution"]
    for name in [*RESOLUTIONS, *(r for r in rows if r not in RESOLUTIONS)]:
        if name in rows:
            _row(table, name, rows[name])
    _row(table, "all", report["all"])
    out.print(table)
    pronouns = Table(
        "pronoun", "scored", "right", "wrong", "unresolved", "precision", "coverage",
        "no gold name", title="Subject pronouns on ECB+ (resolved as a source would be)",
        title_justify="left",
    )  # fmt: skip
    for name, row in report["pronouns"]["by_resolution"].items():
        _row(pronouns, name, row)
    _row(pronouns, "all", report["pronouns"]["all"])
    out.print(pronouns)
    for resolution, examples in report["examples"].items():
        for ex in examples[:3]:
            out.print(
                f"wrong ({resolution}): {ex['document']}: source {ex['source']!r} → "
                f"{ex['speaker']!r}, gold {ex['gold']!r}"
            )
    out.print(
        f"{report['documents']} documents, {report['statements']} statements; "
        f"{len(report['skipped'])} skipped."
    )


def _row(table: Table, name: str, r: dict[str, Any]) -> None:
    table.add_row(
        *cells(
            name,
            str(r["scored"]),
            str(r["right"]),
            str(r["wrong"]),
            str(r["unresolved"]),
            f"{r['precision']:.3f}",
            f"{r['coverage']:.3f}",
            str(r["no_gold_name"]),
        )
    )


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach ``eval speakers`` to the ``eval`` group (``main`` is unused, kept for symmetry)."""
    eval_group.add_command(eval_speakers_cmd, "speakers")
