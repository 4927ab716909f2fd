"""eval speakers: ECB+ documents rebuilt with offsets, gold names from coreference chains,
and statements' speakers scored right / wrong / unresolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.eval.speakers import (
    EcbDocument,
    Mention,
    eval_speakers,
    gold_names,
    read_ecb_document,
    score_pronouns,
    score_speakers,
)
from presslens.model import Article, Cluster
from presslens.settings import Settings

ECBPLUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecbplus"

#: Two sentences: a named actress, then a quote whose speaker is only "she".
SENTENCES = [
    ["Tara", "Reid", "arrived", "in", "Malibu", "."],
    ["``", "I", "am", "fine", ",", "''", "she", "said", "."],
]


def _xml(sentences: list[list[str]], markables: str, relations: str) -> str:
    tokens, t_id = [], 1
    for n, words in enumerate(sentences):
        for w in words:
            tokens.append(f'<token t_id="{t_id}" sentence="{n}" number="{t_id}">{w}</token>')
            t_id += 1
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document doc_name="x">'
        + "".join(tokens)
        + f"<Markables>{markables}</Markables><Relations>{relations}</Relations></Document>"
    )


MARKABLES = (
    '<HUMAN_PART_PER m_id="1"><token_anchor t_id="1"/><token_anchor t_id="2"/></HUMAN_PART_PER>'
    '<HUMAN_PART_PER m_id="2"><token_anchor t_id="13"/></HUMAN_PART_PER>'
    '<LOC_GEO m_id="3"><token_anchor t_id="5"/></LOC_GEO>'
    '<HUMAN_PART_PER m_id="9" TAG_DESCRIPTOR="tara_reid" instance_id="HUM1"/>'
)
RELATIONS = (
    '<CROSS_DOC_COREF r_id="1" note="HUM1"><source m_id="1"/><source m_id="2"/>'
    '<target m_id="9"/></CROSS_DOC_COREF>'
)


def _release(root: Path) -> Path:
    folder = root / "ECB+" / "1"
    folder.mkdir(parents=True)
    (folder / "1_1ecb.xml").write_text(_xml(SENTENCES, MARKABLES, RELATIONS), encoding="utf-8")
    return root


def test_document_is_rebuilt_with_mention_offsets_and_chains(tmp_path: Path) -> None:
    doc = read_ecb_document(_release(tmp_path) / "ECB+" / "1" / "1_1ecb.xml")
    assert doc.text == "Tara Reid arrived in Malibu.\n\n“I am fine,” she said."
    assert [(m.text, m.chain) for m in doc.mentions] == [
        ("Tara Reid", "CROSS_DOC_COREF:9"),
        ("she", "CROSS_DOC_COREF:9"),
    ]  # the place is not a participant; the chain's instance has no tokens
    assert all(doc.text[m.start : m.end] == m.text for m in doc.mentions)


def test_a_first_line_that_is_a_url_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "1_2ecbplus.xml"
    sentences = [["http", ":", "/", "/", "example.org"], *SENTENCES]
    shifted = MARKABLES.replace('t_id="13"', 't_id="18"').replace('t_id="1"/>', 't_id="6"/>')
    shifted = shifted.replace('t_id="2"/>', 't_id="7"/>')
    path.write_text(_xml(sentences, shifted, RELATIONS), encoding="utf-8")
    doc = read_ecb_document(path)
    assert doc.text.startswith("Tara Reid arrived")
    assert [m.text for m in doc.mentions] == ["Tara Reid", "she"]


def test_possessive_split_in_two_tokens_is_joined(tmp_path: Path) -> None:
    path = tmp_path / "1_3ecb.xml"
    path.write_text(_xml([["KYW", "’", "s", "Pat", "Loeb", "said", "so", "."]], "", ""))
    assert read_ecb_document(path).text == "KYW’s Pat Loeb said so."


def test_bad_xml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "1_1ecb.xml"
    bad.write_text("<Document><token>", encoding="utf-8")
    with pytest.raises(Exception, match="not well-formed XML") as err:
        read_ecb_document(bad)
    assert str(bad) in str(err.value)


def test_gold_names_keep_mentions_that_name_someone() -> None:
    texts = ("She", "the actress's rep", "Reid", "Her family", "Prime Minister", "Minister Reid")
    mentions = [Mention(0, 1, t, "c") for t in texts]
    assert gold_names(mentions) == ["Reid", "Minister Reid"]


def _article(text: str, speaker: str | None, res: str) -> Article:
    art = Article(text=text, source="t.txt").ensure_id()
    art.clusters.append(
        Cluster(id="e1", label="PERSON", name="Tara Reid", mentions=[], variants={})
    )
    art.clusters.append(
        Cluster(id="e2", label="PERSON", name="Jack Ketsoyan", mentions=[], variants={})
    )
    start = text.index("she")
    src = art.add("sources", art.span(start, start + 3, "source"))
    art.add(
        "attributions",
        art.span(0, 12, "direct", kind="direct", source=src, speaker=speaker, resolution=res),
    )
    return art


@pytest.mark.parametrize(
    ("speaker", "outcome"), [("e1", "right"), ("e2", "wrong"), (None, "unresolved")]
)
def test_score_counts_right_wrong_and_unresolved(speaker: str | None, outcome: str) -> None:
    text = "“I am fine,” she said."
    start = text.index("she")
    doc = EcbDocument(
        "d", text, [Mention(start, start + 3, "she", "c1"), Mention(0, 1, "Tara Reid", "c1")]
    )
    resolution = "pronoun" if speaker else "unresolved"
    report = score_speakers([(_article(text, speaker, resolution), doc)])
    row = report["by_resolution"][resolution]
    assert row[outcome] == 1 and row["scored"] == 1
    assert report["all"]["precision"] == (1.0 if outcome == "right" else 0.0)
    if outcome == "wrong":
        (ex,) = report["examples"]["pronoun"]
        assert (ex["speaker"], ex["gold"]) == ("Jack Ketsoyan", "Tara Reid")


def test_chain_without_a_name_is_counted_not_scored() -> None:
    text = "“I am fine,” she said."
    start = text.index("she")
    doc = EcbDocument("d", text, [Mention(start, start + 3, "she", "c1")])
    report = score_speakers([(_article(text, "e1", "pronoun"), doc)])
    assert report["all"]["scored"] == 0 and report["all"]["no_gold_name"] == 1


def test_eval_speakers_resolves_the_pronoun_of_a_real_parse(tmp_path: Path) -> None:
    report = eval_speakers(_release(tmp_path), Settings())
    assert report["documents"] == 1 and report["statements"] >= 1
    assert report["by_resolution"]["pronoun"]["right"] == 1
    # the same "she" is also scored as a subject pronoun on its own
    assert report["pronouns"]["by_resolution"]["she"]["right"] == 1
    json.dumps(report)


def test_subject_pronoun_given_to_the_wrong_person_is_counted_wrong(tmp_path: Path) -> None:
    """Nothing tells the stage that Jack Brandt is not "she", and he is the latest subject:
    the pronoun scorer must count that as wrong, with the case to read."""
    sentences = [
        ["Tara", "Reid", "arrived", "in", "Malibu", "."],
        ["Jack", "Brandt", "left", "early", "."],
        ["She", "waved", "at", "the", "crowd", "."],
    ]
    markables = (
        '<HUMAN_PART_PER m_id="1"><token_anchor t_id="1"/><token_anchor t_id="2"/>'
        '</HUMAN_PART_PER><HUMAN_PART_PER m_id="2"><token_anchor t_id="12"/></HUMAN_PART_PER>'
        '<HUMAN_PART_PER m_id="9" TAG_DESCRIPTOR="tara_reid" instance_id="HUM1"/>'
    )
    folder = tmp_path / "ECB+" / "1"
    folder.mkdir(parents=True)
    (folder / "1_1ecb.xml").write_text(_xml(sentences, markables, RELATIONS), encoding="utf-8")
    rows = eval_speakers(tmp_path, Settings())["pronouns"]
    assert rows["by_resolution"]["she"]["wrong"] == 1
    (case,) = rows["examples"]["she"]
    assert (case["speaker"], case["gold"]) == ("Jack Brandt", "Tara Reid")


def test_pronoun_scorer_needs_the_parse() -> None:
    art = Article(text="She said so.", source="t.txt").ensure_id()
    with pytest.raises(ValueError, match="keep_docs"):
        score_pronouns([(art, EcbDocument("d", art.text, []))])


def test_eval_speakers_command(tmp_path: Path) -> None:
    data = _release(tmp_path / "ecb")
    result = CliRunner().invoke(main, ["eval", "speakers", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["all"]["right"] == 1
    table = CliRunner().invoke(main, ["eval", "speakers", "--data", str(data)])
    assert table.exit_code == 0 and "Speakers on ECB+" in table.output
    bad = CliRunner().invoke(main, ["eval", "speakers", "--data", str(tmp_path)])
    assert bad.exit_code == 3 and "no ECB+/ folder" in bad.output
    assert "Example:" in CliRunner().invoke(main, ["eval", "speakers", "--help"]).output


def test_ecbplus_release_reads_and_every_mention_matches_its_text() -> None:
    if not ECBPLUS.is_dir():
        pytest.skip(f"ECB+ not found at {ECBPLUS} (../shared is absent)")
    topic = ECBPLUS / "ECB+" / "1"
    docs = [read_ecb_document(p) for p in sorted(topic.glob("*.xml"))]
    mentions = [m for d in docs for m in d.mentions]
    assert len(mentions) > 100
    assert all(d.text[m.start : m.end] == m.text for d in docs for m in d.mentions)
    assert any(m.text.lower() in ("she", "he") and m.chain for m in mentions)


def test_acronym_and_shared_word_count_as_the_same_name() -> None:
    text = "“We are ready,” the CHP said."
    start = text.index("CHP")
    art = Article(text=text, source="t.txt").ensure_id()
    art.clusters.append(
        Cluster(id="e1", label="ORG", name="California Highway Patrol", mentions=[], variants={})
    )
    src = art.add("sources", art.span(start, start + 3, "source"))
    art.add("attributions", art.span(0, 15, "direct", source=src, speaker="e1", resolution="named"))
    doc = EcbDocument("d", text, [Mention(start, start + 3, "CHP", None)])
    report = score_speakers([(art, doc)])
    assert report["by_resolution"]["named"]["right"] == 1  # a mention in no chain is its own


def test_source_whose_only_participant_follows_a_preposition_is_not_scored() -> None:
    text = "“We are ready,” the commission of Turkmenistan said."
    start = text.index("the commission")
    place = text.index("Turkmenistan")
    art = Article(text=text, source="t.txt").ensure_id()
    art.clusters.append(Cluster(id="e1", label="ORG", name="Commission", mentions=[], variants={}))
    src = art.add("sources", art.span(start, place + len("Turkmenistan"), "source"))
    art.add("attributions", art.span(0, 15, "direct", source=src, speaker="e1", resolution="named"))
    doc = EcbDocument("d", text, [Mention(place, place + 12, "Turkmenistan", "c")])
    row = score_speakers([(art, doc)])["by_resolution"]["named"]
    assert row["scored"] == 0 and row["head_not_annotated"] == 1


def test_a_quoted_title_before_the_role_modifies_it() -> None:
    """ "“Pie” actress Tara Reid": the film's title is a modifier, the actress is the head."""
    text = "“I am fine,” “Pie” actress Tara Reid said."
    title, name = text.index("Pie"), text.index("Tara Reid")
    art = Article(text=text, source="t.txt").ensure_id()
    art.clusters.append(
        Cluster(id="e1", label="PERSON", name="Tara Reid", mentions=[], variants={})
    )
    src = art.add("sources", art.span(text.index("“Pie"), name + 9, "source"))
    art.add("attributions", art.span(0, 12, "direct", source=src, speaker="e1", resolution="named"))
    doc = EcbDocument(
        "d",
        text,
        [Mention(title, title + 3, "Pie", "c1"), Mention(name, name + 9, "Tara Reid", "c2")],
    )
    row = score_speakers([(art, doc)])["by_resolution"]["named"]
    assert row["scored"] == 1 and row["right"] == 1
