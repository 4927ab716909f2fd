"""End to end: analyse the demo corpus and the real examples, then corpus, stories, entity and
compare through the `presslens` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.corpus import compare_story, find_entity, load_entities, load_stories
from presslens.store import open_store

pytestmark = pytest.mark.slow


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def run_json(*args: str) -> Any:
    code, stdout = run(*args, "--json")
    assert code == 0, stdout
    return json.loads(stdout)


@pytest.fixture(scope="module")
def demo_db(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("corpus") / "p.db"
    errors = db.parent / "e.jsonl"
    code, _ = run("analyze", str(demo_dir), "--store", str(db), "--errors", str(errors), "--json")
    assert code == 0
    return str(db)


def _ferry(db: str) -> dict[str, Any]:
    stories = run_json("stories", "--store", db)
    return max(stories, key=lambda s: len(s["outlets"]))


def test_analyze_builds_the_corpus_and_the_ferry_story_spans_four_outlets(demo_db: str) -> None:
    ferry = _ferry(demo_db)
    assert len(ferry["outlets"]) == 4
    assert "ferry" in ferry["title"].casefold() or "ferry" in ferry["key_terms"]
    assert ferry["first_published"] <= ferry["last_published"]


def test_compare_shows_outlets_side_by_side_and_flags_the_death_toll(
    demo_db: str, tmp_path: Path
) -> None:
    ferry = _ferry(demo_db)
    html = tmp_path / "c.html"
    c = run_json("compare", ferry["id"][:9], "--store", demo_db, "--html", str(html))
    assert {o["outlet"] for o in c["outlets"]} == set(ferry["outlets"])
    assert all(o["speakers"] for o in c["outlets"])
    dead = [n for n in c["numbers"] if n["counted"] == "dead"]
    assert dead and dead[0]["disagree"]
    assert set(dead[0]["values"]) == set(ferry["outlets"])  # the wire's "death toll … rose to"
    # the wire drops a word of the port director's quotation; it names another fund figure
    (quote,) = [q for q in c["quotations"] if q["wording_differs"]]
    assert not quote["speakers_differ"] and ["twice"] in [v["dropped"] for v in quote["versions"]]
    fund = [n for n in c["numbers"] if n.get("match") == "clause"]
    assert fund and fund[0]["disagree"]
    assert {v["text"] for vs in fund[0]["values"].values() for v in vs} == {
        "3 million",
        "5 million",
    }
    assert c["talking_points"]
    assert not any("twice over the radio" in t["text"] for t in c["talking_points"])
    page = html.read_text(encoding="utf-8")
    assert (
        "Outlets side by side" in page
        and ferry["outlets"]
        and all(o.replace("&", "&amp;") in page for o in ferry["outlets"])
    )
    code, text = run("compare", ferry["id"], "--store", demo_db)
    assert code == 0 and "numbers disagree" in text
    assert "one quotation, wording differs" in text and "may disagree" in text


def test_entity_merges_transliterated_names(demo_db: str) -> None:
    p = run_json("entity", "yosef karlan", "--store", demo_db)
    assert {"Josef Karlan", "Yosef Karlan"} <= set(p["variants"])
    assert len(p["outlet_mentions"]) >= 3
    assert p["statements_by"] and all(
        s["text"] and s["end"] > s["start"] for s in p["statements_by"]
    )
    code, out = run("entity", "Nobody Atall", "--store", demo_db, "--json")
    assert code == 3 and json.loads(out)["error"]["code"] == "P802"


def test_unknown_story_is_p801(demo_db: str) -> None:
    code, out = run("compare", "Snothing", "--store", demo_db, "--json")
    assert code == 3 and json.loads(out)["error"]["code"] == "P801"


def test_real_examples_one_entity_one_term_and_side_by_side(
    examples_dir: Path, demo_dir: Path, tmp_path: Path
) -> None:
    # the examples inside a small corpus (the demo), so word and entity rarity mean something
    db = str(tmp_path / "ex.db")
    err = str(tmp_path / "e")
    code, _ = run(
        "analyze", str(demo_dir), str(examples_dir), "--store", db, "--errors", err, "--json"
    )
    assert code == 0
    store = open_store(db)
    hajib = find_entity(store, "Mohamed Hajib")
    assert hajib is not None and find_entity(store, "Mohammad Hajib") == hajib
    assert {"Mohamed Hajib", "Mohammad Hajib"} <= set(hajib["variants"])
    assert len(hajib["articles"]) == 2
    assert any("spelling" in m["why"] for m in hajib["merges"])
    terms = [e for e in load_entities(store) if "Taqiyya" in e["variants"]]
    assert len(terms) == 1 and set(terms[0]["variants"]) == {"Taqiyya", "Taqqiya"}
    # the two articles form one story (same person, same accusations), compared side by side
    both = [s for s in load_stories(store) if len(s["articles"]) == 2]
    assert both, [s["articles"] for s in load_stories(store)]
    c = compare_story(store, both[0]["id"])
    assert len(c["outlets"]) == 2  # no outlet header: each article stands alone
    for o in c["outlets"]:
        assert o["statements"] and o["numbers"]
        assert o["techniques"] is None or isinstance(o["techniques"], dict)
    assert any(s["entity"] == hajib["id"] for s in c["stances"])
    terms = {t["name"]: t for t in c["terms"]}
    taqiyya = [t for t in terms.values() if "Taqiyya" in t["variants"]]
    assert taqiyya and set(taqiyya[0]["variants"]) == {"Taqiyya", "Taqqiya"}


def test_a_corpus_failure_does_not_fail_analyze(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import presslens.corpus

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(presslens.corpus, "update_corpus", broken)
    src = tmp_path / "a.txt"
    src.write_text("Anna Koval said the harbour would reopen on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["analyze", str(src), "--store", str(tmp_path / "p.db"), "--errors",
               str(tmp_path / "e.jsonl")], catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0
    assert "corpus update failed" in result.stderr and "disk full" in result.stderr
