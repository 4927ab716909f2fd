"""``presslens eval entities``: names found, labelled and joined, in and across articles (ECB+)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from presslens.cli_common import cells, out, run_scorer

__all__ = ["eval_entities_cmd", "register"]


@click.command("entities")
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
def eval_entities_cmd(data: Path, limit: int | None, as_json: bool) -> None:
    """Score entities on ECB+: whether the names of people, organisations and places it
    annotates are found and labelled right, and whether the mentions of one participant
    are joined, in an article (its entity clusters) and across the corpus (the corpus
    entities `presslens corpus` builds), as pairwise precision/recall/F1 and B³.

    Only annotated mentions that name someone are scored ("Tara Reid", "Reid"; not "the
    actress"); pairs whose names differ ("Tara Reid" / "Reid") are counted apart as
    name variants. `--json` adds the names missed and the chains split or joined wrongly.

    \b
    Example:
      presslens eval entities --data ../shared/data/ecbplus
    """
    from presslens.eval.entities import eval_entities

    report = run_scorer(eval_entities, data, limit=limit, as_json=as_json)
    if report is None:
        return
    found = Table(
        "kind", "gold names", "found", "recall", "label agrees", "label accuracy",
        title="Names on ECB+", title_justify="left",
    )  # fmt: skip
    for kind, row in report["detection"].items():
        found.add_row(
            *cells(
                kind,
                str(row["gold"]),
                str(row["found"]),
                f"{row['recall']:.3f}",
                str(row["label_agrees"]),
                f"{row['label_accuracy']:.3f}",
            )
        )
    out.print(found)
    joined = Table(
        "scope", "mentions", "pairwise P", "pairwise R", "pairwise F1", "B³ F1",
        "variant pairs joined", title="One participant, one entity", title_justify="left",
    )  # fmt: skip
    scopes = (("within a document", "within_document"), ("across documents", "across_documents"))
    for label, key in scopes:
        if key in report:
            _scope_row(joined, label, report[key])
    out.print(joined)
    for key, label in scopes:
        for ex in report.get(label, {}).get("joined_wrongly", [])[:3]:
            out.print(f"joined wrongly ({key}): {ex['name']!r} holds {ex['gold']}")
        for ex in report.get(label, {}).get("split", [])[:3]:
            out.print(f"split ({key}): {ex['parts']}")
    out.print(f"{report['documents']} documents; {len(report['skipped'])} skipped.")


def _scope_row(table: Table, label: str, r: dict[str, Any]) -> None:
    pw, b3, var = r["pairwise"], r["b3"] or {"f1": 0.0}, r["variant_pairs"]
    table.add_row(
        *cells(
            label,
            str(r["mentions"]),
            f"{pw['precision']:.3f}",
            f"{pw['recall']:.3f}",
            f"{pw['f1']:.3f}",
            f"{b3['f1']:.3f}",
            f"{var['joined']} / {var['gold']} ({var['recall']:.3f})",
        )
    )


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach ``eval entities`` to the ``eval`` group (``main`` is unused, kept for symmetry)."""
    eval_group.add_command(eval_entities_cmd, "entities")
