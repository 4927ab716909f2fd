"""``presslens corpus``, ``entity``, ``stories``, ``compare`` and ``eval stories``: thin shells
over :mod:`presslens.corpus` and :mod:`presslens.eval.stories`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.table import Table
from rich.text import Text

from presslens.cli_common import cells as _cells
from presslens.cli_common import (
    check_output,
    err,
    interval_text,
    json_option,
    out,
    run_scorer,
    store_option,
    write_output,
)
from presslens.cli_common import fail as _fail
from presslens.cli_common import progress as _progress
from presslens.errors import PresslensError

if TYPE_CHECKING:
    from presslens.model import Article

__all__ = ["register", "update_after_analyze"]

F = TypeVar("F", bound=Callable[..., Any])

#: Statement text is shortened to this many characters in tables (never in JSON).
TABLE_TEXT_CHARS = 110


@click.command("corpus")
@store_option
@click.option("--rebuild", is_flag=True, help="Forget the stored stories and start afresh.")
@json_option
def corpus_cmd(store_url: str, rebuild: bool, as_json: bool) -> None:
    """Resolve entities across articles, find near-duplicates and cluster stories for the
    articles in the store (incremental: new articles join existing stories).

    \b
    Examples:
      presslens corpus
      presslens corpus --store other.db --rebuild --json
    """
    from presslens.corpus import update_corpus
    from presslens.store import open_store

    try:
        store = open_store(store_url)
        with _progress(enabled=not as_json) as bar:
            task = bar.add_task("corpus", total=None)
            summary = update_corpus(
                store,
                rebuild=rebuild,
                on_progress=lambda d, t: bar.update(task, completed=d, total=t),
            )
        store.close()
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=summary)
        return
    _print_summary(summary)


def _print_summary(summary: dict[str, Any]) -> None:
    for e in summary["errors"]:
        err.print(
            Text(f"skipped [{e['code']}] {e.get('where') or ''}: {e['message']}", style="yellow")
        )
    out.print(
        f"corpus: {summary['articles']} articles ({summary['new_articles']} new to stories), "
        f"{summary['entities']} entities ({summary['merged_entities']} merged from spelling "
        f"variants), {summary['stories']} stories ({summary['multi_outlet_stories']} told by "
        f"several outlets), {summary['near_duplicate_groups']} near-duplicate groups."
    )
    left_out = summary.get("not_english", 0)
    if left_out:
        out.print(
            f"{left_out} article{'s' if left_out != 1 else ''} not in English left out of "
            "entity resolution (their entities are unreliable; kept in stories)."
        )


def update_after_analyze(
    store_url: str, *, quiet: bool, articles: Sequence[Article] | None = None
) -> None:
    """Called at the end of ``presslens analyze`` with the articles it analysed: update the
    corpus; a failure is reported, never fatal (the articles are already stored)."""
    from presslens.corpus import update_corpus
    from presslens.store import open_store

    try:
        store = open_store(store_url)
        summary = update_corpus(store, articles)
        store.close()
    except Exception as exc:  # noqa: BLE001 - boundary: the articles are already stored, so no
        # corpus failure (a bug, a full disk under put_corpus) may turn the run into a crash
        err.print(Text(f"corpus update failed (articles are stored): {exc}", style="yellow"))
        err.print(Text("Run `presslens corpus --rebuild` to retry.", style="yellow"))
        return
    if not quiet:
        _print_summary(summary)


@click.command("entity")
@click.argument("name")
@store_option
@json_option
def entity_cmd(name: str, store_url: str, as_json: bool) -> None:
    """Everything the corpus says about one entity, however it is spelled: variants with
    counts, merges and why, statements by and about it, numbers it gave, its timeline and
    mentions per outlet.

    \b
    Examples:
      presslens entity "Josef Karlan"
      presslens entity "Josef Karlan" --json
    """
    from presslens.corpus import CorpusError, entity_profile, find_entity
    from presslens.store import open_store

    try:
        store = open_store(store_url, read_only=True)
        found = find_entity(store, name)
        if found is None:
            raise CorpusError(
                f"no entity named {name!r} (nor a spelling variant of it)",
                where=store.url,
                hint="Check the spelling, or run `presslens corpus` after analysing.",
                code="P802",
            )
        profile = entity_profile(store, found["id"])
        store.close()
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=profile)
        return
    _print_profile(profile)


def _print_profile(p: dict[str, Any]) -> None:
    out.print(Text(f"{p['name']} ({p['label']}) — {p['id']}", style="bold"))
    out.print(Text("variants: " + ", ".join(f"{v} ×{n}" for v, n in p["variants"].items())))
    for m in p["merges"]:
        out.print(Text(f"merged: {m['a']} + {m['b']}: {m['why']}"))
    out.print(
        Text(
            "mentions per outlet: " + ", ".join(f"{o} {n}" for o, n in p["outlet_mentions"].items())
        )
    )
    for title, rows in (
        ("Statements by", p["statements_by"]),
        ("Statements about", p["statements_about"]),
    ):
        if not rows:
            continue
        table = Table("outlet", "speaker", "statement", "where", title=title, title_justify="left")
        for r in rows:
            table.add_row(
                *_cells(
                    r["outlet"], r["speaker"], _short(r["text"]), f"{r['article'][:8]}:{r['start']}"
                )
            )
        out.print(table)
    if p["numbers"]:
        table = Table(
            "outlet", "number", "unit", "where", title="Numbers it gave", title_justify="left"
        )
        for n in p["numbers"]:
            table.add_row(
                *_cells(
                    n["outlet"], n["text"], n["unit"] or "-", f"{n['article'][:8]}:{n['start']}"
                )
            )
        out.print(table)
    if p["timeline"]:
        table = Table("date", "what", "sentence", "where", title="Timeline", title_justify="left")
        for t in p["timeline"]:
            table.add_row(
                *_cells(
                    str(t["date"]),
                    t["what"] or "-",
                    _short(t["text"]),
                    f"{t['article'][:8]}:{t['start']}",
                )
            )
        out.print(table)
    out.print(f"{len(p['articles'])} articles, {p['mentions']} mentions.")


@click.command("stories")
@store_option
@json_option
def stories_cmd(store_url: str, as_json: bool) -> None:
    """List the stories of the corpus: articles about the same event, across outlets.

    \b
    Examples:
      presslens stories
      presslens stories --json
    """
    from presslens.corpus import load_stories
    from presslens.store import open_store

    try:
        store = open_store(store_url, read_only=True)
        stories = load_stories(store)
        store.close()
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=stories)
        return
    table = Table(
        "story", "articles", "outlets", "dates", "title", title="Stories", title_justify="left"
    )
    for s in stories:
        dates = s["first_published"] or "-"
        if s["last_published"] and s["last_published"] != s["first_published"]:
            dates += f" – {s['last_published']}"
        table.add_row(
            *_cells(
                s["id"],
                str(len(s["articles"])),
                ", ".join(s["outlets"]) or "-",
                dates,
                _short(s["title"] or ""),
            )
        )
    out.print(table)
    multi = sum(1 for s in stories if len(s["outlets"]) > 1)
    out.print(f"{len(stories)} stories, {multi} told by several outlets.")


@click.command("compare")
@click.argument("story_id")
@store_option
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the comparison as a self-contained HTML page to FILE.",
)
@json_option
def compare_cmd(story_id: str, store_url: str, html_path: Path | None, as_json: bool) -> None:
    """Compare how each outlet tells one story: whose statements it carries and how much
    space each speaker gets, its numbers (disagreements flagged), techniques and genre, shared
    phrases with who used them first, and accusations against denials.

    \b
    Examples:
      presslens stories                      # find the story id
      presslens compare S14d74c65 --html compare.html
      presslens compare S14d74c65 --json
    """
    from presslens.corpus import compare_story
    from presslens.store import open_store

    try:
        check_output(html_path, "--html")
        store = open_store(store_url, read_only=True)
        result = compare_story(store, story_id)
        store.close()
        if html_path is not None:
            from presslens.views.compare import render_compare

            write_output(html_path, render_compare(result), "--html")
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=result)
        return
    _print_compare(result)
    if html_path is not None:
        out.print(f"comparison written to {html_path}")


def _print_compare(c: dict[str, Any]) -> None:
    st = c["story"]
    out.print(Text(f"{st['title']} — {st['id']}", style="bold"))
    table = Table("outlet", "articles", "genre", "speakers (share of statement characters)",
                  "numbers", "techniques",
                  title="Outlets side by side", title_justify="left")  # fmt: skip
    for o in c["outlets"]:
        speakers = "; ".join(f"{s['name']} {s['share']:.0%}" for s in o["speakers"][:6]) or "-"
        tech = (
            "not analysed"
            if o["techniques"] is None
            else (", ".join(f"{k} {v}" for k, v in o["techniques"].items()) or "none")
        )
        nums = ", ".join(n["text"] for n in o["numbers"][:8]) or "-"
        arts = f"{len(o['articles'])} ({o['independent_articles']} independent)"
        table.add_row(
            *_cells(o["outlet"], arts, ", ".join(o["genre"]) or "-", speakers, nums, tech)
        )
    out.print(table)
    flagged = [n for n in c["numbers"] if n["disagree"]]
    for n in flagged:
        if n.get("match", "key") == "key":
            vals = "; ".join(
                f"{o}: {', '.join(_figure(v) for v in vs)}" for o, vs in n["values"].items()
            )
            out.print(Text(f"numbers disagree on {n['counted']}: {vals}", style="yellow"))
            continue
        vals = "; ".join(
            f"{o}: {_figure(v)} (“{_short(v.get('clause') or '')}”)"
            for o, vs in n["values"].items()
            for v in vs
        )
        out.print(Text(f"worded differently, may disagree (similarity {n['similarity']}): {vals}"))
    for s in c["stances"]:
        if s["relation"] == "contradiction":
            out.print(Text(f"contradiction about {s['name']}: {len(s['accusations'])} accusing, "
                           f"{len(s['denials'])} denying ({', '.join(s['outlets'])})"))  # fmt: skip
    for q in c.get("quotations") or []:
        if not (q["speakers_differ"] or q["wording_differs"]):
            continue
        # "speakers as read": who spoke is presslens's reading, wrong in every flagged pair of
        # the annotated ECB+ sample (README, eval quotations): a place to check, not a finding
        what = " and ".join(
            w
            for w, on in (
                ("speakers as read", q["speakers_differ"]),
                ("wording", q["wording_differs"]),
            )
            if on
        )
        versions = "; ".join(
            f"{v['source']}: {v['speaker'] or 'no speaker named'} {_short(v['text'])}"
            + (f" (+{', '.join(v['added'])})" if v["added"] else "")
            + (f" (−{', '.join(v['dropped'])})" if v["dropped"] else "")
            for v in q["versions"]
        )
        verb = "differs" if what == "wording" else "differ"
        out.print(Text(f"one quotation, {what} {verb}: {versions}", style="yellow"))
    for t in c["talking_points"][:10]:
        out.print(
            Text(
                f"shared by {', '.join(t['outlets'])} (first: {t['first_outlet']}"
                + (f"; the same day: {', '.join(t['same_day'])}" if t.get("same_day") else "")
                + "): "
                f"“{_short(t['text'])}”"
            )
        )
    for t in c["terms"]:
        if len(t["variants"]) > 1 or len(t["outlets"]) > 1:
            out.print(
                Text(
                    f"term {t['name']}: " + ", ".join(f"{v} ×{n}" for v, n in t["variants"].items())
                )
            )


@click.command("voices")
@store_option
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="Speakers per outlet."
)
@json_option
def voices_cmd(store_url: str, top: int, as_json: bool) -> None:
    """Whose voices each outlet carries across the store: the speakers (one entity however
    spelled) with the largest share of its attributed statement characters.

    \b
    Example:
      presslens voices --top 5
    """
    from presslens.corpus import outlet_voices
    from presslens.store import open_store

    try:
        store = open_store(store_url, read_only=True)
        rows = outlet_voices(store, top=top)
        store.close()
    except PresslensError as exc:
        _fail(exc, as_json)
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("outlet", "articles", "statements", "unresolved", "top speakers (share)",
                  title="Voices by outlet", title_justify="left")  # fmt: skip
    for r in rows:
        speakers = "; ".join(f"{s['name']} {s['share']:.0%}" for s in r["speakers"])
        table.add_row(*_cells(r["outlet"], str(r["articles"]), str(r["statements"]),
                              f"{r['unresolved_share']:.0%}", speakers))  # fmt: skip
    out.print(table)


@click.command("stories")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The ECB+ folder (ECB+/<topic>/*.xml, standard_splits.json).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N documents."
)
@click.option(
    "--cache",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep the analysed documents' digests in FILE (JSON lines) and reuse them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def eval_stories_cmd(data: Path, limit: int | None, cache: Path | None, as_json: bool) -> None:
    """Score story clustering on ECB+ sub-topics (topics 1–35 without 15 and 17): B³ and
    pairwise P/R/F1, next to a TF-IDF + average-link agglomerative baseline.

    \b
    Example:
      presslens eval stories --data ../shared/data/ecbplus
    """
    from functools import partial

    from presslens.eval.stories import eval_stories

    report = run_scorer(partial(eval_stories, cache=cache), data, limit=limit, as_json=as_json)
    if report is None:
        return
    table = Table("topics", "docs", "gold", "system", "stories", "B³ P", "B³ R", "B³ F1",
                  "pair P", "pair R", "pair F1", title="Stories on ECB+ sub-topics",
                  title_justify="left")  # fmt: skip
    for split in ("all", "train", "dev"):
        if split not in report:
            continue
        r = report[split]
        for system in ("presslens", "baseline"):
            s = r[system]
            table.add_row(
                *_cells(
                    split, str(r["documents"]), str(r["gold_stories"]), system, str(s["stories"]),
                    *(f"{s['b3'][m]:.3f}" for m in ("precision", "recall", "f1")),
                    *(f"{s['pairwise'][m]:.3f}" for m in ("precision", "recall", "f1")),
                )
            )  # fmt: skip
    out.print(table)
    out.print(
        f"baseline: TF-IDF cosine, average-link agglomerative, distance threshold "
        f"{report['baseline_threshold']} (best on train)."
    )


def _pair_eval_options(gold_file: str) -> Callable[[F], F]:
    """The options of a scorer on annotated ECB+ pairs (``eval figures``, ``eval
    quotations``): --data, --gold, --limit, --split and --json."""
    options = [
        click.option(
            "--data",
            "data",
            required=True,
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="The ECB+ folder (ECB+/<topic>/*.xml).",
        ),
        click.option(
            "--gold",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help=f"Gold pairs (JSON lines); default: the package's {gold_file}.",
        ),
        click.option(
            "--limit",
            type=click.IntRange(min=1),
            default=None,
            help="Score only the gold pairs of the first N stories (sub-topics, in name order).",
        ),
        click.option(
            "--split",
            type=click.Choice(["all", "train", "dev"]),
            default="all",
            show_default=True,
            help="Score the pairs of the train or dev topics of standard_splits.json (rules "
            "are changed looking at train pairs only).",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON."),
    ]

    def apply(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


@click.command("figures")
@_pair_eval_options("figure_pairs_ecbplus.jsonl")
def eval_figures_cmd(
    data: Path, gold: Path | None, limit: int | None, split: str, as_json: bool
) -> None:
    """Score how compare groups numbers across outlets, on annotated pairs of numbers from
    two documents of one ECB+ story: precision of the pairs it groups (by key, by clause,
    and those it says disagree) and an estimate of its recall.

    \b
    Example:
      presslens eval figures --data ../shared/data/ecbplus
    """
    from functools import partial

    from presslens.eval.figures import eval_figures

    report = run_scorer(
        partial(eval_figures, gold_path=gold, split=split), data, limit=limit, as_json=as_json
    )
    if report is None:
        return
    table = Table("pairs compare groups", "pairs", "same quantity", "precision",
                  title="Numbers grouped across outlets (ECB+)", title_justify="left")  # fmt: skip
    labels = {"all": "all", "key": "by key", "clause": "by clause", "disagree": "said to disagree"}
    for name, label in labels.items():
        p = report["precision"].get(name)
        if p is None:
            continue
        table.add_row(
            *_cells(label, str(p["pairs"]), str(p["same"]), f"{p['precision']:.3f}"
                    + interval_text(p.get("interval")))
        )  # fmt: skip
    out.print(table)
    out.print(
        f"recall (estimated from the drawn strata): {report['recall_estimate']:.3f}"
        + interval_text(report["recall_interval"])
        + f"; {report['scored']} gold pairs scored ({report['gold_same']} same), "
        f"{report['missing']} missing, {report['documents']} documents, "
        f"{report['stories']} stories ({report['split']})."
    )


@click.command("quotations")
@_pair_eval_options("quotation_pairs_ecbplus.jsonl")
def eval_quotations_cmd(
    data: Path, gold: Path | None, limit: int | None, split: str, as_json: bool
) -> None:
    """Score how compare finds one quotation in several outlets, on annotated pairs of
    quotations from two documents of one ECB+ story: precision of the pairs it groups, of
    its "speakers differ" flag, and an estimate of its recall.

    \b
    Example:
      presslens eval quotations --data ../shared/data/ecbplus
    """
    from functools import partial

    from presslens.eval.quotations import eval_quotations

    report = run_scorer(
        partial(eval_quotations, gold_path=gold, split=split), data, limit=limit, as_json=as_json
    )
    if report is None:
        return
    table = Table("", "pairs", "right", "precision",
                  title="Quotations in several outlets (ECB+)", title_justify="left")  # fmt: skip
    for key, label, right in (
        ("grouped", "grouped as one quotation", "same"),
        ("speakers_differ", "speakers said to differ", "right"),
    ):
        p = report[key]
        table.add_row(
            *_cells(label, str(p["pairs"]), str(p[right]),
                    f"{p['precision']:.3f}" + interval_text(p.get("interval")))
        )  # fmt: skip
    out.print(table)
    out.print(
        f"recall of grouping (estimated from the drawn strata): {report['recall_estimate']:.3f}"
        + interval_text(report["recall_interval"])
        + f"; {report['scored']} gold pairs scored ({report['gold_same']} one quotation), "
        f"{report['missing']} missing, {report['documents']} documents, "
        f"{report['stories']} stories ({report['split']})."
    )


def _figure(value: dict[str, Any]) -> str:
    """A number as printed in a comparison, with whom the article cites for it."""
    cited = value.get("cited")
    return f"{value['text']} (per {cited})" if cited and cited != "unresolved" else value["text"]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TABLE_TEXT_CHARS else text[: TABLE_TEXT_CHARS - 1].rstrip() + "…"


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``corpus``, ``entity``, ``stories`` and ``compare`` to ``main`` and ``stories`` to
    ``eval_group``."""
    main.add_command(corpus_cmd, "corpus")
    main.add_command(entity_cmd, "entity")
    main.add_command(stories_cmd, "stories")
    main.add_command(compare_cmd, "compare")
    main.add_command(voices_cmd, "voices")
    eval_group.add_command(eval_stories_cmd, "stories")
    eval_group.add_command(eval_figures_cmd, "figures")
    eval_group.add_command(eval_quotations_cmd, "quotations")
