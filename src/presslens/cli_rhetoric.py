"""``presslens rhetoric``, ``presslens eval techniques|claims`` and ``presslens train
techniques|genre|claims``: thin shells over the rhetoric stages, scorers and trainers.

:func:`rhetoric_summary` (importable, no printing) computes what ``presslens rhetoric`` shows:
each article's techniques and a per-outlet profile in techniques per 1,000 words.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import click
import numpy as np
from rich.table import Table
from rich.text import Text

from presslens.cli_common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    PRF,
    articles_from,
    confidence_bars_option,
    interval_text,
    min_confidence_option,
    not_nan,
    out,
    print_skipped,
    run_scorer,
    store_option,
)
from presslens.cli_common import cells as _cells
from presslens.cli_common import fail as _fail
from presslens.cli_common import progress as _progress
from presslens.errors import InputError, PresslensError
from presslens.eval.metrics import bootstrap_interval
from presslens.model import Article, Span
from presslens.settings import load_settings
from presslens.views.technique_text import PARAGRAPH_LEGEND, certainty_text, from_paragraph

__all__ = ["register", "rhetoric_summary"]

#: Where the training commands read data by default (a checkout next to ../shared).
DEFAULT_DATA = Path("../shared/data")
#: Span text is shortened to this many characters in the table (never in JSON).
TABLE_SPAN_CHARS = 80
#: Techniques listed per outlet in the profile table.
PROFILE_TOP = 4
#: The text cell of a further technique on the span of the row above.
SAME_SPAN = "(same words)"
#: Fewer articles than this give an outlet no interval: resampling two or three articles
#: only spans the range of their own rates, too few to say where two outlets differ.
MIN_INTERVAL_ARTICLES = 5
#: The interval cell of an outlet with fewer articles.
NO_INTERVAL = "—"


def _words(text: str) -> int:
    return len(text.split())


def rhetoric_summary(
    articles: list[Article], *, min_confidence: float | None = None
) -> dict[str, Any]:
    """Techniques per article and per outlet (techniques per 1,000 words), as plain data.

    Rates are given for all spans and for those outside quotation marks: the writer's own
    rhetoric, as opposed to the quoted sources' (an opinion piece and a report quoting angry
    people differ mostly there). ``min_confidence`` counts only the spans whose confidence
    reaches it, rates included; it is read on the score the table shows: ``confidence`` for a
    span-basis technique, ``paragraph_score`` for a paragraph-basis one (whose confidence is
    low by construction)."""
    rows: list[dict[str, Any]] = []
    outlets: dict[str, dict[str, Any]] = {}
    for art in articles:
        spans = [
            s
            for s in art.layer("techniques")
            if min_confidence is None or _shown_score_reaches(s, min_confidence)
        ]
        words = _words(art.text)
        counts = Counter(s.label for s in spans)
        own = sum(1 for s in spans if not s.attrs.get("quoted"))
        genre = (art.meta.get("genre") or {}).get("label")
        rows.append(
            {
                "article": art.id,
                "source": art.source,
                "title": art.title,
                "outlet": art.outlet,
                "genre": genre,
                "words": words,
                "techniques": len(spans),
                "per_1000_words": round(1000 * len(spans) / words, 2) if words else 0.0,
                "outside_quotes": own,
                "outside_quotes_per_1000_words": round(1000 * own / words, 2) if words else 0.0,
                "claims": len(art.layer("claims")),
                "by_technique": dict(counts.most_common()),
                "spans": [
                    {
                        "technique": s.label,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                        "confidence": s.attrs.get("confidence"),
                        "basis": s.attrs.get("basis"),
                        "paragraph_score": s.attrs.get("paragraph_score"),
                        "explanation": s.attrs.get("explanation"),
                        "quoted": bool(s.attrs.get("quoted")),
                    }
                    for s in spans
                ],
            }
        )
        o = outlets.setdefault(
            art.outlet or "(unknown outlet)", {"rows": [], "by_technique": Counter()}
        )
        o["rows"].append((len(spans), own, words))  # per article: the interval resamples these
        o["by_technique"].update(counts)
    profile = []
    for name, o in sorted(outlets.items()):
        techniques, own, words = (sum(col) for col in zip(*o["rows"], strict=True))
        profile.append(
            {
                "outlet": name,
                "articles": len(o["rows"]),
                "words": words,
                "techniques": techniques,
                "per_1000_words": round(1000 * techniques / words, 2) if words else 0.0,
                "outside_quotes_per_1000_words": round(1000 * own / words, 2) if words else 0.0,
                "per_1000_words_interval": rate_interval(o["rows"], 0),
                "outside_quotes_per_1000_words_interval": rate_interval(o["rows"], 1),
                "by_technique_per_1000_words": {
                    t: round(1000 * k / words, 2) for t, k in o["by_technique"].most_common()
                },
            }
        )
    return {"articles": rows, "outlets": profile}


def _shown_score_reaches(span: Span, bar: float) -> bool:
    """Whether the score shown for the technique (``¶`` paragraph score for basis
    ``paragraph``, else confidence) reaches ``bar``."""
    if span.attrs.get("basis") == "paragraph":
        score = span.attrs.get("paragraph_score")
        return score is not None and float(score) >= bar
    return span.reaches(bar)


def rate_interval(rows: list[tuple[int, int, int]], column: int) -> dict[str, Any] | None:
    """95 % bootstrap interval of an outlet's rate per 1,000 words, its articles resampled
    whole: how far the rate would move on another draw of that outlet's articles, which is
    what decides whether two outlets' rates differ. None below ``MIN_INTERVAL_ARTICLES``
    articles (with two or three, the resampled rates only span those articles' own range)."""
    if len(rows) < MIN_INTERVAL_ARTICLES:
        return None
    counts = np.array([(r[column], r[2]) for r in rows], dtype=np.float64)

    def rate(sums: np.ndarray) -> np.ndarray:
        words = sums[:, 1]
        return np.where(words > 0, 1000 * sums[:, 0] / np.maximum(words, 1.0), 0.0)

    interval = bootstrap_interval(counts, rate)
    return {**interval, "low": round(interval["low"], 2), "high": round(interval["high"], 2)}


@click.command("rhetoric")
@click.argument("paths", nargs=-1)
@store_option
@min_confidence_option(
    "technique spans (the rates count only those)",
    "the score shown: tagger × classifier, or the ¶ paragraph score",
    "PTC dev",
)
@click.option("--json", "as_json", is_flag=True, help="Print the techniques and profile as JSON.")
def rhetoric_cmd(
    paths: tuple[str, ...], store_url: str, min_confidence: float | None, as_json: bool
) -> None:
    """Persuasion techniques per article and a per-outlet profile (techniques per 1,000 words).

    With PATHs, analyse those files without storing them; otherwise read every article in
    the store (analysed with a pipeline that has the techniques stage).

    \b
    Examples:
      presslens rhetoric articles/
      presslens rhetoric --store presslens.db --min-confidence 0.5 --json
    """
    articles, errors = articles_from(paths, store_url, as_json)
    summary = rhetoric_summary(articles, min_confidence=min_confidence)
    print_skipped(errors)
    if as_json:
        out.print_json(data=summary)
    else:
        _print_summary(summary)
    sys.exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def _span_table(spans: list[dict[str, Any]]) -> Table:
    """One row per technique; a span's further techniques follow its first row with its
    text and offsets not repeated."""
    table = Table("technique", "conf.", "text", "where", show_header=True)
    previous: tuple[int, int] | None = None
    for s in spans:
        where = (s["start"], s["end"])
        text = " ".join(s["text"].split())
        if len(text) > TABLE_SPAN_CHARS:
            text = text[: TABLE_SPAN_CHARS - 1] + "…"
        table.add_row(
            *_cells(
                s["technique"].replace("_", " "),
                certainty_text(s),
                SAME_SPAN if where == previous else text,
                "" if where == previous else f"{where[0]}-{where[1]}",
            )
        )
        previous = where
    if any(from_paragraph(s) for s in spans):
        table.caption = Text(PARAGRAPH_LEGEND)
        table.caption_justify = "left"
    return table


def _rate_text(rate: float, interval: dict[str, Any] | None) -> str:
    """``24.5`` over ``(18.1–31.0)``; over ``(—)`` when there are too few articles."""
    if interval is None:
        return f"{rate:.1f}\n({NO_INTERVAL})"
    return f"{rate:.1f}\n({interval['low']:.1f}–{interval['high']:.1f})"


def _print_summary(summary: dict[str, Any]) -> None:
    for row in summary["articles"]:
        head = row["title"] or row["source"] or row["article"]
        out.print(
            f"{row['article'][:8]}  {head}  — {row['outlet'] or '-'}, {row['genre'] or '-'}, "
            f"{row['words']} words: {row['techniques']} techniques "
            f"({row['per_1000_words']:.1f} per 1,000 words; outside quotations "
            f"{row['outside_quotes_per_1000_words']:.1f}), {row['claims']} check-worthy claims"
        )
        if row["spans"]:
            out.print(_span_table(row["spans"]))
    table = Table("outlet", "articles", "words", "techniques")
    table.add_column("per 1,000\nwords", no_wrap=True)
    table.add_column("outside\nquotes", no_wrap=True)
    table.add_column("most used")
    table.title = "Outlet profile"
    table.caption = Text(
        "Rates per 1,000 words; in brackets the 95 % interval over the outlet's articles "
        "(resampled), so two outlets differ only where their intervals part; "
        f"{NO_INTERVAL}: fewer than {MIN_INTERVAL_ARTICLES} articles, too few for an interval."
    )
    table.caption_justify = "left"
    for o in summary["outlets"]:
        top = list(o["by_technique_per_1000_words"].items())[:PROFILE_TOP]
        table.add_row(
            *_cells(
                o["outlet"],
                str(o["articles"]),
                str(o["words"]),
                str(o["techniques"]),
                _rate_text(o["per_1000_words"], o["per_1000_words_interval"]),
                _rate_text(
                    o["outside_quotes_per_1000_words"], o["outside_quotes_per_1000_words_interval"]
                ),
                ", ".join(f"{t.replace('_', ' ')} {v:.1f}" for t, v in top) or "-",
            )
        )
    out.print(table)


# -- eval -------------------------------------------------------------------------------------
@click.command("techniques")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="PTC folder (train-articles/, train-task1-SI.labels, train-task2-TC.labels) or "
    "SemEval-2023 Task 3 folder (train-articles-subtask-3/, train-labels-subtask-3.txt).",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "train", "all"]),
    default="dev",
    show_default=True,
    help="Which articles of the fixed split (data/rhetoric_dev_ids.txt) to score.",
)
@click.option(
    "--impl",
    default=None,
    help="Score this techniques implementation (e.g. presslens.techniques.v3) instead of the "
    "default pipeline's.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N articles."
)
@confidence_bars_option("technique spans", "presslens rhetoric --min-confidence")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def eval_techniques_cmd(
    data: Path,
    split: str,
    impl: str | None,
    limit: int | None,
    bars: tuple[float, ...],
    as_json: bool,
) -> None:
    """Score the techniques stage: on PTC, span-identification P/R/F1 with partial-overlap
    credit and technique micro-F1 on gold spans (SemEval-2020 Task 11); on SemEval-2023,
    micro-F1 of techniques per paragraph.

    \b
    Examples:
      presslens eval techniques --data ../shared/data/ptc
      presslens eval techniques --data ../shared/data/semeval2023 --split dev
      presslens eval techniques --data ../shared/data/ptc --impl presslens.techniques.v3
      presslens eval techniques --data ../shared/data/ptc --confidence-bars 0.3,0.5,0.7
    """
    from presslens.eval.techniques import eval_techniques

    scorer = partial(eval_techniques, split=split, impl=impl, confidence_bars=bars)
    report = run_scorer(scorer, data, limit=limit, as_json=as_json)
    if report is None:
        return
    if report["format"] == "ptc":
        table = Table(
            "task",
            "gold",
            "predicted",
            *PRF,
            "F1 95 % interval",
            title="PTC (SemEval-2020 Task 11)",
        )
        rows = [
            ("span identification", report["si"]),
            ("span and technique", report["labelled"]),
            ("technique (gold spans)", report["tc"]),
        ]
        for name, s in rows:
            if s is not None:
                table.add_row(
                    *_cells(
                        name,
                        str(s["gold"]),
                        str(s["predicted"]),
                        *(f"{s[m]:.3f}" for m in PRF),
                        interval_text(s.get("f1_interval")).strip(" ()"),
                    )
                )
        out.print(table)
        _print_bars(report.get("by_confidence", []))
        out.print(
            f"{report['articles']} articles ({report['split']} split), "
            f"{report['techniques_per_1000_words']:.1f} predicted techniques per 1,000 words."
        )
        return
    table = Table("technique", "gold", "predicted", "F1", title="SemEval-2023 per paragraph")
    for label, c in report["per_class"].items():
        table.add_row(*_cells(label, str(c["gold"]), str(c["predicted"]), f"{c['f1']:.3f}"))
    out.print(table)
    p = report["paragraph"]
    out.print(
        f"paragraph micro P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f}"
        f"{interval_text(p.get('f1_interval'))} over "
        f"{report['paragraphs']} paragraphs of {report['articles']} articles "
        f"({report['split']} split)."
    )
    _print_bars(report.get("by_confidence", []))


def _print_bars(rows: list[dict[str, Any]]) -> None:
    """The ``--confidence-bars`` table: PTC rows have span scores, SemEval rows paragraphs."""
    if not rows:
        return
    ptc = "si" in rows[0]
    heads = (
        ("spans", "SI P", "SI R", "SI F1", "span+technique F1")
        if ptc
        else ("paragraph P", "paragraph R", "paragraph F1")
    )
    table = Table("min conf", *heads, title="By confidence", title_justify="left")
    for r in rows:
        if ptc:
            labelled = r["labelled"]
            values = [
                str(r["spans"]),
                *(f"{r['si'][m]:.3f}" for m in PRF),
                "-" if labelled is None else f"{labelled['f1']:.3f}",
            ]
        else:
            values = [f"{r['paragraph'][m]:.3f}" for m in PRF]
        table.add_row(*_cells(f"{r['min_confidence']:.2f}", *values))
    out.print(table)


@click.command("claims")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="A ClaimBuster JSON file (a folder means its test.json) or a CheckThat! 2019 CSV.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N sentences."
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def eval_claims_cmd(data: Path, limit: int | None, as_json: bool) -> None:
    """P/R/F1 of the check-worthy class (and average precision) of the claims model on
    labelled sentences.

    \b
    Example:
      presslens eval claims --data ../shared/data/checkworthiness/claimbuster/test.json
    """
    from presslens.eval.claims import eval_claims

    report = run_scorer(eval_claims, data, limit=limit, as_json=as_json)
    if report is None:
        return
    c, base = report["checkworthy_class"], report["baseline_all_checkworthy"]
    out.print(
        f"check-worthy class: P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f} at "
        f"threshold {report['threshold']}; accuracy {report['accuracy']:.3f}; average precision "
        f"{report['average_precision']:.3f}; {report['sentences']} sentences, "
        f"{report['checkworthy']} check-worthy (all-check-worthy baseline F1 {base['f1']:.3f})."
    )


# -- train ------------------------------------------------------------------------------------
def _train(
    name: str,
    trainer: Callable[..., dict[str, Any]],
    data: Path,
    out_dir: Path | None,
    as_json: bool,
    **kwargs: Any,
) -> dict[str, Any] | None:
    if out_dir is None:
        out_dir = Path(str(resources.files("presslens").joinpath("data")))
    try:
        if not data.is_dir():
            raise InputError(
                "data folder not found",
                where=str(data),
                hint=f"Pass --data, the folder holding the {name} training data.",
                code="P533",
            )
        with _progress(enabled=not as_json) as bar:
            task = bar.add_task("training", total=None)

            def progress(phase: str, done: int, total: int) -> None:
                bar.update(task, description=phase, completed=done, total=total)

            summary = trainer(data, out_dir, load_settings(), on_progress=progress, **kwargs)
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=summary)
        return None
    return summary


_out_option = click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the artifact into [default: the package's data/ folder].",
)


@click.command("techniques")
@click.option(
    "--data",
    default=DEFAULT_DATA / "semeval2023",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="SemEval-2023 Task 3 folder (articles, subtask-3 spans and paragraph labels).",
)
@_out_option
@click.option(
    "--unlabelled",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Unlabelled articles (a SemEval-2019 Task 4 articles XML or a folder of .txt; "
    "repeat for more) on which techniques.v4 teaches the tagger (needs `make install-mpnet`; "
    "~2 s an article).",
)
@click.option(
    "--teacher-weight",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.0),
    callback=not_nan,
    help="Weight of an unlabelled token against a gold one.",
)
@click.option(
    "--teacher-cache",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep v4's targets on the unlabelled articles in this .npz file and reuse them while "
    "the articles, v4 and the features are unchanged (a rerun skips v4's pass).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def train_techniques_cmd(
    data: Path,
    out_dir: Path | None,
    unlabelled: tuple[Path, ...],
    teacher_weight: float,
    teacher_cache: Path | None,
    as_json: bool,
) -> None:
    """Train the technique span tagger and classifier on SemEval-2023 train (which holds
    PTC's articles) minus the fixed dev split; choose decoding on out-of-fold train; write the
    artifacts. With --unlabelled the tagger also learns techniques.v4's token probabilities
    on those articles (distillation: better spans at v1's speed).

    \b
    Example:
      presslens train techniques --data ../shared/data/semeval2023 --out /tmp/models
      presslens train techniques --unlabelled \\
        ../shared/data/hyperpartisan/articles-training-byarticle-20181122.xml
    """
    from presslens.train.techniques import train_techniques

    s = _train(
        "techniques",
        train_techniques,
        data,
        out_dir,
        as_json,
        unlabelled=unlabelled,
        teacher_weight=teacher_weight,
        teacher_cache=teacher_cache,
    )
    if s is not None:
        out.print(
            f"wrote {s['out']} ({s['bytes']:,} bytes): {s['train_tokens']:,} train tokens, "
            f"{s['train_spans']:,} train spans; threshold {s['threshold']}, extend "
            f"{s['extend']}; dev SI F1 {s['dev_si_f1_semeval_spans']:.3f}, dev technique "
            f"accuracy {s['dev_technique_accuracy_semeval_spans']:.3f}"
        )


@click.command("genre")
@click.option(
    "--data",
    default=DEFAULT_DATA / "semeval2023",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="SemEval-2023 Task 3 folder (labels-subtask-1 file and articles).",
)
@_out_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def train_genre_cmd(data: Path, out_dir: Path | None, as_json: bool) -> None:
    """Train genre v2 on SemEval-2023 subtask 1 train minus the fixed dev split and write
    data/genre.zip.

    \b
    Example:
      presslens train genre --data ../shared/data/semeval2023 --out /tmp/models
    """
    from presslens.train.genre import train_genre

    s = _train("genre", train_genre, data, out_dir, as_json)
    if s is not None:
        dev = s["dev"]
        out.print(
            f"wrote {s['out']} ({s['bytes']:,} bytes): {s['train_articles']} train articles; "
            f"dev ({s['dev_articles']}): accuracy {dev.get('accuracy', 0):.3f}, macro-F1 "
            f"{dev.get('macro_f1', 0):.3f}"
        )


@click.command("claims")
@click.option(
    "--data",
    default=DEFAULT_DATA / "checkworthiness",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Checkworthiness folder holding claimbuster/train.json (and CT19-T1-Training.csv).",
)
@click.option("--with-checkthat", is_flag=True, help="Also train on the CheckThat! 2019 debates.")
@_out_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def train_claims_cmd(data: Path, with_checkthat: bool, out_dir: Path | None, as_json: bool) -> None:
    """Train the check-worthy claims model on ClaimBuster train minus a fixed dev split, tune
    its threshold on dev and write data/claims.zip.

    \b
    Example:
      presslens train claims --data ../shared/data/checkworthiness --out /tmp/models
    """
    from presslens.train.claims import train_claims

    s = _train("claims", train_claims, data, out_dir, as_json, with_checkthat=with_checkthat)
    if s is not None:
        d = s["dev"]
        out.print(
            f"wrote {s['out']} ({s['bytes']:,} bytes): {s['train_sentences']:,} train "
            f"sentences; threshold {s['threshold']}; dev ({s['dev_sentences']:,}): P "
            f"{d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f}"
        )


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``rhetoric`` to ``main``, ``techniques`` and ``claims`` to ``eval_group``, and
    ``techniques``, ``genre`` and ``claims`` to the ``train`` group (created when missing)."""
    main.add_command(rhetoric_cmd, "rhetoric")
    eval_group.add_command(eval_techniques_cmd, "techniques")
    eval_group.add_command(eval_claims_cmd, "claims")
    train_group = main.commands.get("train")
    if not isinstance(train_group, click.Group):
        train_group = click.Group(
            "train", help="Reproduce the package's trained artifacts from their data."
        )
        main.add_command(train_group)
    train_group.add_command(train_techniques_cmd, "techniques")
    train_group.add_command(train_genre_cmd, "genre")
    train_group.add_command(train_claims_cmd, "claims")
