"""``presslens numbers``, ``presslens eval quantities``, ``presslens eval timex`` and
``presslens timeline``.

:func:`register` attaches the scorers to the ``eval`` group and ``timeline`` to ``main``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from presslens.cli_common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    PRF,
    articles_from,
    cells,
    fail,
    json_option,
    out,
    print_skipped,
    run_scorer,
    store_option,
)
from presslens.errors import PresslensError
from presslens.lexicons_numbers import NUMBER_KINDS

__all__ = ["eval_quantities_cmd", "eval_timex_cmd", "numbers_cmd", "register", "timeline_cmd"]


#: Characters of the event sentence shown in the table (JSON has it whole).
TABLE_SENTENCE_CHARS = 90


@click.command("quantities")
@click.option(
    "--data",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="NewsQuant JSON: a list of {text, quantities: [{value, normalized_unit, …}]}.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N sentences."
)
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

    report = run_scorer(eval_quantities, data, limit=limit, as_json=as_json)
    if report is None:
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
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score only the first N documents."
)
@click.option(
    "--split",
    type=click.Choice(["all", "train", "dev"]),
    default="all",
    show_default=True,
    help="Score a fixed part: dev = documents whose name's CRC-32 is divisible by 4; the rules "
    "were adjusted looking at train errors only.",
)
@json_option
def eval_timex_cmd(data: Path, limit: int | None, split: str, as_json: bool) -> None:
    """Strict and relaxed extent P/R/F1, type and value accuracy and F1, as in TempEval-3.

    Each document's creation time (DCT) is the date relative expressions are anchored on.

    \b
    Example:
      presslens eval timex --data ../shared/data/tempeval3/TBAQ-cleaned
      presslens eval timex --data ../shared/data/tempeval3/TBAQ-cleaned --split dev
    """
    from functools import partial

    from presslens.eval.timex import eval_timex

    report = run_scorer(partial(eval_timex, split=split), data, limit=limit, as_json=as_json)
    if report is None:
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
        f"documents ({report['split']}), {report['gold']} gold, {report['predicted']} predicted."
    )


def _table(title: str, report: dict[str, Any], rows: tuple[tuple[str, str], ...]) -> None:
    table = Table("", "P", "R", "F1", "tp", title=title, title_justify="left")
    for key, label in rows:
        r = report[key]
        table.add_row(*cells(label, *(f"{r[m]:.3f}" for m in PRF), str(r["tp"])))
    out.print(table)


@click.command("timeline")
@click.argument("entity")
@click.argument("paths", nargs=-1)
@store_option
@click.option(
    "--all-languages",
    is_flag=True,
    help="Also read articles not in English (P128), whose events and names come from an "
    "English parser reading another language.",
)
@json_option
def timeline_cmd(
    entity: str, paths: tuple[str, ...], store_url: str, all_languages: bool, as_json: bool
) -> None:
    """Dated events about ENTITY in date order: date, what, sentence, who, source, where.

    ENTITY matches an entity's name or any of its variants, ignoring case, accents and small
    spelling differences. With PATHs, analyse those files without storing them; otherwise read
    every article in the store. Articles not in English are left out (--all-languages keeps
    them).

    \b
    Example:
      presslens timeline "Anna Koval" article.txt --json
    """
    from presslens.views.timeline import not_english, timeline_rows

    if not any(c.isalnum() for c in entity):
        # "", "%" or "*" fold to no name at all and would match every event
        raise click.BadParameter(
            "give a name with at least one letter or digit.", param_hint="ENTITY"
        )
    articles, errors = articles_from(paths, store_url, as_json)
    rows = timeline_rows(articles, entity, all_languages=all_languages)
    left_out = 0 if all_languages else sum(not_english(a) for a in articles)
    print_skipped(errors)
    if as_json:
        out.print_json(data=rows)
    else:
        table = Table(title=f"Timeline: {entity}", title_justify="left")
        table.add_column("date", no_wrap=True)
        table.add_column("what", min_width=8, max_width=16, overflow="fold")
        table.add_column("event", min_width=30, ratio=1, overflow="fold")
        table.add_column("who", max_width=28, overflow="fold")
        table.add_column("source", max_width=24, overflow="fold")
        table.add_column("where", no_wrap=True)
        for r in rows:
            sentence = " ".join(r["text"].split())
            if len(sentence) > TABLE_SENTENCE_CHARS:
                sentence = sentence[: TABLE_SENTENCE_CHARS - 1].rstrip() + "…"
            date = r["date"] + (" (published)" if r["date_source"] == "published" else "")
            table.add_row(
                *cells(
                    date,
                    r["what"],
                    sentence,
                    ", ".join(r["who"]),
                    r["source"] or "-",
                    f"{r['article'][:8]}:{r['start']}",
                )
            )
        out.print(table)
        out.print(
            f"{len(rows)} event(s) in {len(articles) - left_out} article(s)"
            + (
                f"; {left_out} article(s) not in English left out (P128; --all-languages "
                "keeps them)."
                if left_out
                else "."
            )
        )
    sys.exit(EXIT_SOME_FAILED if errors else EXIT_OK)


@click.command("numbers")
@click.argument("paths", nargs=-1)
@store_option
@click.option(
    "--counted",
    metavar="WORDS",
    help='Only numbers whose counted phrase holds these words ("terrorism cells", "dead"; '
    "case and accents ignored).",
)
@click.option(
    "--cited",
    metavar="NAME",
    help="Only numbers the article gives on the word of NAME (a speaker or source, matched as "
    "quotes --speaker matches).",
)
@click.option(
    "--sourced/--unsourced",
    default=None,
    help="Only numbers an attribution holds (a speaker, or an unresolved pronoun), or only "
    "those none does: the figures an article gives on nobody's word.",
)
@click.option("--outlet", metavar="NAME", help="Only numbers of this outlet's articles.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(NUMBER_KINDS),
    help="Only numbers of this kind. Repeatable.",
)
@json_option
def numbers_cmd(
    paths: tuple[str, ...],
    store_url: str,
    counted: str | None,
    cited: str | None,
    sourced: bool | None,
    outlet: str | None,
    kinds: tuple[str, ...],
    as_json: bool,
) -> None:
    """List numbers: what each counts, when, and whom the article cites for it.

    With PATHs, analyse those files without storing them (numbers in file and text order);
    otherwise list the numbers of the articles in the store, newest article first, read from
    its numbers table (no document is loaded, so a large store answers at once).

    \b
    Examples:
      presslens numbers article.txt
      presslens numbers --counted "terrorism cells" --json
      presslens numbers --cited "BCIJ" --kind count
      presslens numbers --unsourced --outlet "The Daily"
    """
    if paths:
        from presslens.views.numbers import listed, number_rows

        articles, errors = articles_from(paths, store_url, as_json)
        by_id = {a.id: a for a in articles}
        found = number_rows(articles, counted=counted, cited=cited, kinds=kinds)
        rows = [
            r
            for r in (listed(row, by_id[row["article"]]) for row in found)
            if (sourced is None or (r["source"] is not None) == sourced)
            and (outlet is None or r["outlet"] == outlet)
        ]
    else:
        rows, errors = _stored_rows(
            store_url,
            as_json,
            counted=counted,
            cited=cited,
            kinds=kinds,
            sourced=sourced,
            outlet=outlet,
        )
    print_skipped(errors)
    if as_json:
        out.print_json(data=rows)
    else:
        table = Table(title="Numbers", title_justify="left")
        table.add_column("number", max_width=18, overflow="fold")
        table.add_column("counts", max_width=24, overflow="fold")
        table.add_column("when", max_width=16, overflow="fold")
        table.add_column("on whose word", max_width=24, overflow="fold")
        table.add_column("sentence", min_width=30, ratio=1, overflow="fold")
        table.add_column("where", no_wrap=True)
        for r in rows:
            sentence = " ".join(r["sentence_text"].split())
            if len(sentence) > TABLE_SENTENCE_CHARS:
                sentence = sentence[: TABLE_SENTENCE_CHARS - 1].rstrip() + "…"
            table.add_row(
                *cells(
                    r["text"] + _unit_note(r),
                    r["counts"],
                    r["when"] or "-",
                    r["cited"] or (f"unresolved “{r['source']}”" if r["source"] else "-"),
                    sentence,
                    f"{r['article'][:8]}:{r['start']}",
                )
            )
        out.print(table)
        cited_rows = sum(r["cited"] is not None for r in rows)
        in_articles = len({r["article"] for r in rows})
        out.print(
            f"{len(rows)} number(s), {cited_rows} with a cited source, in {in_articles} article(s)."
        )
    sys.exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def _stored_rows(
    store_url: str, as_json: bool, **filters: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every number of the store the filters keep, page by page from its numbers table."""
    from presslens.store import open_store
    from presslens.store.base import MAX_PAGE

    rows: list[dict[str, Any]] = []
    try:
        store = open_store(store_url, read_only=True)
        try:
            while True:
                page, total = store.number_page(**filters, limit=MAX_PAGE, offset=len(rows))
                rows.extend(page)
                if not page or len(rows) >= total:
                    return rows, []
        finally:
            store.close()
    except PresslensError as exc:
        fail(exc, as_json)


def _unit_note(row: dict[str, Any]) -> str:
    """The unit after a number whose words do not say it ("5 million (crown)")."""
    unit = row["unit"]
    if not unit or row["kind"] not in ("money", "measure"):
        return ""
    return "" if unit.casefold() in row["text"].casefold() else f" ({unit})"


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add ``numbers`` and ``timeline`` to ``main`` and ``quantities`` and ``timex`` to
    ``eval_group``."""
    main.add_command(numbers_cmd, "numbers")
    main.add_command(timeline_cmd, "timeline")
    eval_group.add_command(eval_quantities_cmd, "quantities")
    eval_group.add_command(eval_timex_cmd, "timex")
