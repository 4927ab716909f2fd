"""``presslens eval attribution`` and ``presslens quotes``: thin shells over the library.

:func:`register` attaches both commands to the main group and its ``eval`` group. Consoles, exit
codes and error output are shared with every command through :mod:`presslens.cli_common`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from presslens.cli_common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    PRF,
    articles_from,
    confidence_bars_option,
    err,
    min_confidence_option,
    out,
    print_skipped,
    run_scorer,
    store_option,
)
from presslens.cli_common import cells as _cells
from presslens.cli_common import fail as _fail
from presslens.cli_common import progress as _progress
from presslens.errors import PresslensError
from presslens.settings import load_settings

__all__ = ["eval_attribution_cmd", "quotes_cmd", "register", "train_attribution_cmd"]

#: Span roles of the attribution scores, in table order, with their row labels.
SPAN_ROLES = (
    ("source", "source"),
    ("cue", "cue"),
    ("content", "content"),
    ("content_fragments", "content (fragments)"),
)

#: Statement text is shortened to this many characters in the table (never in JSON).
TABLE_STATEMENT_CHARS = 120


@click.command("attribution")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A PolNeAR-style split folder: text/<article>.txt and "
    "attributions/<article>_<annotator>.ann (BRAT standoff).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N articles."
)
@click.option(
    "--scorer",
    type=click.Choice(["learned", "rules"]),
    default=None,
    help="Score with this attribution scorer instead of the configured one (rules: the "
    "word-list rules with fixed priors, for comparison).",
)
@click.option(
    "--agreement",
    is_flag=True,
    help="Score each annotator against each other annotator of the same article (articles "
    "with several .ann files) with the same metrics, the human ceiling; each annotator against "
    "the majority of the others (leave one out); and the system against each annotator.",
)
@confidence_bars_option("statements", "presslens quotes --min-confidence")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def eval_attribution_cmd(
    data: Path,
    limit: int | None,
    scorer: str | None,
    agreement: bool,
    bars: tuple[float, ...],
    as_json: bool,
) -> None:
    """P/R/F1 of attribution source, cue and content spans (exact and overlap), relation F1
    and the share of sources resolved to an entity.

    Exact: offsets equal after trimming whitespace and punctuation at the edges (strict: equal
    as annotated). Overlap: one-to-one greedy matching of spans sharing a character. One
    annotator file per article is used (the first in sorted name order).

    \b
    Example:
      presslens eval attribution --data ../shared/data/polnear/dev
      presslens eval attribution --data ../shared/data/polnear/dev --scorer rules
      presslens eval attribution --data ../shared/data/polnear/dev --confidence-bars 0.5,0.7,0.9
      presslens eval attribution --data ../shared/data/polnear/train --agreement
    """
    from functools import partial

    from presslens.eval.attribution import eval_agreement, eval_attribution
    from presslens.pipeline import default_config

    config = default_config()
    if scorer is not None:
        config["stages"].setdefault("attributions", {})["scorer"] = scorer
    if agreement:
        found = run_scorer(
            partial(eval_agreement, config=config), data, limit=limit, as_json=as_json
        )
        if found is not None:
            _print_agreement(found)
        return
    report = run_scorer(
        partial(eval_attribution, config=config, confidence_bars=bars),
        data,
        limit=limit,
        as_json=as_json,
    )
    if report is None:
        return
    table = Table(
        "span", "gold", "pred", "exact P", "exact R", "exact F1", "overlap P", "overlap R",
        "overlap F1", "strict F1",
        title="Attribution spans", title_justify="left",
    )  # fmt: skip
    for role, label in SPAN_ROLES:
        s = report["spans"][role]
        table.add_row(
            *_cells(
                label,
                str(s["gold"]),
                str(s["predicted"]),
                *(f"{s[mode][m]:.3f}" for mode in ("exact", "overlap") for m in PRF),
                f"{s['strict']['f1']:.3f}",
            )
        )
    out.print(table)
    rel, spk = report["relations"], report["speakers"]
    out.print(
        f"relations (content and source overlap): P {rel['precision']:.3f} "
        f"R {rel['recall']:.3f} F1 {rel['f1']:.3f} "
        f"(tp {rel['tp']}, fp {rel['fp']}, fn {rel['fn']})"
    )
    out.print(
        f"sources resolved to an entity: {spk['resolved']}/{spk['with_source']} "
        f"({spk['resolved_share']:.1%}); matched speakers named like the gold source: "
        f"{spk['name_overlaps_gold']}/{spk['matched_gold_source']} "
        f"({spk['name_overlap_share']:.1%})"
    )
    if report.get("by_confidence"):
        _print_bars(report["by_confidence"])
    out.print(
        f"{report['articles']} articles, {report['gold_relations']} gold relations, "
        f"{report['predicted_attributions']} predicted; {len(report['skipped'])} skipped; "
        f"{report['annotator_choice']}."
    )


@click.command("quotes")
@click.argument("paths", nargs=-1)
@store_option
@click.option(
    "--speaker",
    help="Only statements whose speaker or source matches NAME (case, accents, punctuation "
    "and small spelling differences ignored).",
    metavar="NAME",
)
@min_confidence_option("statements", "the attribution scorer's", "PolNeAR dev")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of statements.")
def quotes_cmd(
    paths: tuple[str, ...],
    store_url: str,
    speaker: str | None,
    min_confidence: float | None,
    as_json: bool,
) -> None:
    """List attributed statements: speaker, kind, cue, statement and where it is.

    With PATHs, analyse those files without storing them; otherwise list the statements of
    every article in the store.

    \b
    Examples:
      presslens quotes article.txt --speaker "Anna Koval"
      presslens quotes --store presslens.db --min-confidence 0.7 --json
    """
    from presslens.views.quotes import quote_rows

    articles, errors = articles_from(paths, store_url, as_json)
    rows = quote_rows(articles, speaker=speaker, min_confidence=min_confidence)
    print_skipped(errors)
    if articles and not any("attributions" in a.layers for a in articles):
        err.print(
            Text(
                "no article has an attributions layer; analyse with a pipeline that includes "
                "the attribution stage (presslens analyze … --force)",
                style="yellow",
            )
        )
    if as_json:
        out.print_json(data=rows)
    else:
        _print_rows(rows, len(articles))
    sys.exit(EXIT_SOME_FAILED if errors else EXIT_OK)


#: Where ``presslens train attribution`` reads PolNeAR by default (a repository checkout next
#: to ../shared).
DEFAULT_POLNEAR = Path("../shared/data/polnear")


@click.command("attribution")
@click.option(
    "--data",
    "data",
    default=DEFAULT_POLNEAR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="PolNeAR folder with train/ and dev/ splits (text/ and attributions/ in each).",
)
@click.option(
    "--out",
    "out_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the scorer [default: the package's data/attribution_scorer.json].",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def train_attribution_cmd(data: Path, out_path: Path | None, as_json: bool) -> None:
    """Train the attribution scorer (two stages) and its boundary models on PolNeAR train,
    choose its threshold by cross-validation on train, report dev, and write the artifact the
    attribution stage loads (the same data gives the same file).

    \b
    Example:
      presslens train attribution --data ../shared/data/polnear --out /tmp/scorer.json
    """
    from importlib import resources

    from presslens.errors import InputError
    from presslens.stages.attributions import SCORER_RESOURCE
    from presslens.train.attribution import train_attribution

    if out_path is None:
        out_path = Path(str(resources.files("presslens").joinpath(SCORER_RESOURCE)))
    try:
        for split in ("train", "dev"):
            if not (data / split).is_dir():
                raise InputError(
                    f"no {split}/ split folder",
                    where=str(data),
                    hint="Pass --data a PolNeAR folder holding train/ and dev/.",
                )
        with _progress(enabled=not as_json) as bar:
            task = bar.add_task("training", total=None)

            def progress(phase: str, done: int, total: int) -> None:
                bar.update(task, description=phase, completed=done, total=total)

            summary = train_attribution(
                data / "train", data / "dev", out_path, load_settings(), on_progress=progress
            )
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=summary)
        return
    dev = summary["dev"]
    out.print(
        f"wrote {summary['out']} ({summary['bytes']:,} bytes); threshold "
        f"{summary['threshold']}; {summary['train_candidates']:,} train candidates, "
        f"{summary['train_positives']:,} positive"
    )
    for name, figures in (("train (cross-validated)", summary["train_cv"]), ("dev", dev)):
        out.print(
            f"{name}: "
            + ", ".join(f"{k.replace('_', ' ')} {value:.3f}" for k, value in figures.items())
        )
    out.print(f"the threshold dev alone would choose: {summary['dev_best_threshold']}")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``quotes`` to ``main``, ``attribution`` to ``eval_group`` and to the ``train``
    group (created when ``main`` has none)."""
    main.add_command(quotes_cmd, "quotes")
    eval_group.add_command(eval_attribution_cmd, "attribution")
    train_group = main.commands.get("train")
    if not isinstance(train_group, click.Group):
        train_group = click.Group(
            "train", help="Reproduce the package's trained artifacts from their data."
        )
        main.add_command(train_group)
    train_group.add_command(train_attribution_cmd, "attribution")


# -- helpers ----------------------------------------------------------------------------------
def _print_agreement(report: dict[str, Any]) -> None:
    """Tables for ``eval attribution --agreement``: pooled P/R/F1 and mean pairwise F1."""
    table = Table(
        "span", "exact P", "exact R", "exact F1", "overlap F1",
        "per-pair exact F1", "per-pair overlap F1",
        title="Agreement between annotators (pooled over pairs)", title_justify="left",
    )  # fmt: skip
    for role, label in SPAN_ROLES:
        s = report["spans"][role]
        table.add_row(
            *_cells(
                label,
                *(f"{s['exact'][m]:.3f}" for m in PRF),
                f"{s['overlap']['f1']:.3f}",
                f"{s['mean_f1']['exact']:.3f}",
                f"{s['mean_f1']['overlap']:.3f}",
            )
        )
    out.print(table)
    rel = report["relations"]
    out.print(
        f"relations (content and source overlap): F1 {rel['f1']:.3f} pooled, "
        f"{rel['mean_f1']:.3f} mean per pair"
    )
    _print_consensus(report.get("consensus"))
    system = report.get("system")
    if system is not None:
        out.print(
            f"the system against each annotator of the same articles "
            f"({system['annotator_files']} annotator files): "
            + ", ".join(
                f"{role} exact F1 {system['spans'][role]['exact']['f1']:.3f}"
                f" · overlap {system['spans'][role]['overlap']['f1']:.3f}"
                for role in ("source", "cue", "content")
            )
            + f"; relations F1 {system['relations']['f1']:.3f}"
        )
    out.print(
        f"{report['articles']} articles with several annotators, {report['pairs']} annotator "
        f"pairs; {len(report['skipped'])} skipped."
    )
    if not report["pairs"]:
        err.print(Text("no article under --data has two or more .ann files", style="yellow"))


def _print_consensus(consensus: dict[str, Any] | None) -> None:
    """The leave-one-out consensus table: each annotator against the majority of the others."""
    if not consensus or not consensus["held_out"]:
        return
    table = Table(
        "span", "exact P", "exact R", "exact F1", "overlap F1",
        "+edges exact F1", "+edges overlap F1",
        title="Majority of the other annotators against each annotator (leave one out)",
        title_justify="left",
    )  # fmt: skip
    exact, edges = consensus["majority"], consensus["majority_edges"]
    for role, label in SPAN_ROLES:
        s, e = exact["spans"][role], edges["spans"][role]
        table.add_row(
            *_cells(
                label,
                *(f"{s['exact'][m]:.3f}" for m in PRF),
                f"{s['overlap']['f1']:.3f}",
                f"{e['exact']['f1']:.3f}",
                f"{e['overlap']['f1']:.3f}",
            )
        )
    out.print(table)
    out.print(
        f"relations: F1 {exact['relations']['f1']:.3f} (majority), "
        f"{edges['relations']['f1']:.3f} (+edges); {consensus['held_out']} held-out annotator "
        f"files in {consensus['articles']} articles with three or more annotators."
    )


def _print_rows(rows: list[dict[str, Any]], n_articles: int) -> None:
    table = Table(title="Statements", title_justify="left")
    table.add_column("speaker", max_width=24, overflow="fold")
    table.add_column("kind · cue", max_width=22, overflow="fold")
    table.add_column("statement", min_width=30, ratio=1, overflow="fold")
    table.add_column("conf", no_wrap=True, justify="right")
    table.add_column("where", no_wrap=True)
    for r in rows:
        table.add_row(
            *_cells(
                r["speaker"],
                f"{r['kind'] or '-'} · {r['cue'] or '-'}",
                _shorten(" ".join(r["text"].split()), TABLE_STATEMENT_CHARS),
                "-" if r["confidence"] is None else f"{r['confidence']:.2f}",
                f"{r['article'][:8]}:{r['start']}",
            )
        )
    out.print(table)
    speakers = len({r["speaker"] for r in rows})
    out.print(
        f"{_count(len(rows), 'statement')} by {_count(speakers, 'speaker')} "
        f"in {_count(n_articles, 'article')}."
    )


def _print_bars(rows: list[dict[str, Any]]) -> None:
    table = Table(
        "min conf", "statements", "source P", "source R", "source F1", "cue F1",
        "content P", "content R", "content F1", "overlap F1", "relations F1",
        title="By confidence (exact unless named)", title_justify="left",
    )  # fmt: skip
    for r in rows:
        src, content = r["source_exact"], r["content_exact"]
        table.add_row(
            *_cells(
                f"{r['min_confidence']:.2f}",
                str(r["statements"]),
                *(f"{src[m]:.3f}" for m in PRF),
                f"{r['cue_exact']['f1']:.3f}",
                *(f"{content[m]:.3f}" for m in PRF),
                f"{r['content_overlap']['f1']:.3f}",
                f"{r['relations']['f1']:.3f}",
            )
        )
    out.print(table)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
