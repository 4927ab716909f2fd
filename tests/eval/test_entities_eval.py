"""eval entities: which ECB+ mentions are names, whether the entities stage finds and labels
them, and whether one participant's names land in one cluster and one corpus entity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.corpus.resolve import resolve_entities
from presslens.eval.entities import GOLD_KINDS, eval_entities, gold_names_of, score_entities
from presslens.eval.speakers import EcbDocument, Mention, read_ecb_document
from presslens.model import Article, Cluster
from presslens.settings import Settings

ECBPLUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecbplus"


def _mention(text: str, surface: str, chain: str | None, tag: str = "HUMAN_PART_PER", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start, start + len(surface), surface, chain, tag, chain)


def test_only_mentions_whose_head_is_a_name_are_gold() -> None:
    text = (
        "Man held after crash.\n\n"
        "Police said Tara Reid met Lohan's lawyer near a mountain in New Zealand.\n\n"
        "Reid flew to Baytown, Texas, where the actress said “I'm fine.”"
    )
    doc = EcbDocument(
        "d",
        text,
        [
            _mention(text, "Man", "c1"),
            _mention(text, "Tara Reid", "c2"),
            _mention(text, "Lohan's lawyer", "c3"),
            _mention(text, "a mountain in New Zealand", "c4", "LOC_GEO"),
            _mention(text, "Reid", "c2", nth=1),
            _mention(text, "to Baytown, Texas", "c5", "LOC_GEO"),
            _mention(text, "the actress", "c2"),
            _mention(text, "I'm", "c2"),
            _mention(text, "Police", "c6", "HUMAN_PART_ORG"),
            _mention(text, "Tara Reid", "c7", "NON_HUMAN_PART"),
        ],
    )
    golds = gold_names_of(doc)
    assert [(g.text, text[g.head_start : g.head_end], g.kind) for g in golds] == [
        ("Tara Reid", "Reid", "person"),
        ("Reid", "Reid", "person"),  # first in its sentence, written capitalised elsewhere
        ("to Baytown, Texas", "Baytown", "place"),  # the part before the comma is the head
    ]  # "Man" and "Police" open their sentences only; the lawyer and the mountain are heads
    assert [g.key for g in golds] == ["tara reid", "reid", "baytown"]
    assert golds[0].chain == golds[1].chain == "d:c2"


def _article(text: str, spans: list[tuple[str, str, str, int]]) -> Article:
    """An article whose entities layer holds ``(surface, cluster, label, nth occurrence)``."""
    art = Article(text=text, source="t.txt").ensure_id()
    names: dict[str, tuple[str, str]] = {}
    for surface, cid, label, nth in spans:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        art.add("entities", art.span(start, start + len(surface), label, entity=cid))
        names.setdefault(cid, (surface, label))
    for cid, (name, label) in names.items():
        art.clusters.append(Cluster(id=cid, label=label, name=name, mentions=[], variants={}))
    return art


TEXT = "Yesterday Tara Reid and Jack Roe met. Later Reid left and Roe stayed with Ann Lee."


def _doc(name: str = "d") -> EcbDocument:
    return EcbDocument(
        name,
        TEXT,
        [
            _mention(TEXT, "Tara Reid", "reid"),
            _mention(TEXT, "Jack Roe", "roe"),
            _mention(TEXT, "Reid", "reid", nth=1),
            _mention(TEXT, "Roe", "roe", nth=1),
            _mention(TEXT, "Ann Lee", None),  # not annotated for coreference
        ],
    )


def test_detection_and_labels_are_counted_per_kind() -> None:
    art = _article(TEXT, [("Tara Reid", "e1", "PERSON", 0), ("Jack Roe", "e2", "ORG", 0)])
    report = score_entities([(art, _doc())])
    person = report["detection"]["person"]
    assert (person["gold"], person["found"], person["label_agrees"]) == (5, 2, 1)
    assert person["recall"] == 0.4 and person["label_accuracy"] == 0.5
    assert {m["name"] for m in report["missed"]} == {"Reid", "Roe", "Ann Lee"}


def test_within_document_pairs_count_joins_and_splits() -> None:
    """Reid joined to Tara Reid (a variant pair, right); Roe left apart from Jack Roe (a
    missed variant pair); Ann Lee is in no chain and scores nothing."""
    spans = [
        ("Tara Reid", "e1", "PERSON", 0),
        ("Jack Roe", "e2", "PERSON", 0),
        ("Reid", "e1", "PERSON", 1),
        ("Roe", "e3", "PERSON", 1),
        ("Ann Lee", "e4", "PERSON", 0),
    ]
    within = score_entities([(_article(TEXT, spans), _doc())])["within_document"]
    assert within["mentions"] == 4
    pw = within["pairwise"]
    assert (pw["pairs_gold"], pw["pairs_predicted"], pw["pairs_right"]) == (2, 1, 1)
    assert (pw["precision"], pw["recall"]) == (1.0, 0.5)
    assert within["variant_pairs"] == {"gold": 2, "joined": 1, "recall": 0.5}
    (split,) = within["split"]
    assert split["parts"] == [{"Jack Roe": 1}, {"Roe": 1}]
    # one cluster for both people is a wrong join
    wrong = [(s, "e1", "PERSON", n) for s, _, _, n in spans[:4]]
    joined = score_entities([(_article(TEXT, wrong), _doc())])["within_document"]
    assert joined["pairwise"]["precision"] == round(2 / 6, 4)
    assert joined["joined_wrongly"][0]["name"] == "Tara Reid"


def test_across_documents_pairs_use_the_corpus_entities() -> None:
    """Two articles name Tara Reid (one as "Reid" only): only pairs in different documents
    count, scored against the shared ECB+ instance through the corpus resolution."""
    spans = [("Tara Reid", "e1", "PERSON", 0), ("Jack Roe", "e2", "PERSON", 0)]
    a1 = _article(TEXT, [*spans, ("Reid", "e1", "PERSON", 1), ("Roe", "e2", "PERSON", 1)])
    a2 = _article(TEXT, spans)
    a2.id = "other"
    digests = [
        {
            "id": a.id,
            "outlet": None,
            "clusters": [[c.id, c.label, c.name, {c.name: 1}] for c in a.clusters],
        }
        for a in (a1, a2)
    ]
    resolution = resolve_entities(digests)
    report = score_entities([(a1, _doc("d1")), (a2, _doc("d2"))], resolution=resolution)
    across = report["across_documents"]
    assert across["documents"] == 2 and across["mentions"] == 6
    # Reid: 2 × 1 pairs across documents; Roe the same
    assert across["pairwise"]["pairs_gold"] == 4
    assert across["pairwise"]["precision"] == 1.0 and across["pairwise"]["recall"] == 1.0
    assert across["variant_pairs"] == {"gold": 2, "joined": 2, "recall": 1.0}
    # without the resolution the across-documents block is left out
    assert "across_documents" not in score_entities([(a1, _doc("d1"))])


def _release(root: Path) -> Path:
    words = [
        ["Tara", "Reid", "arrived", "in", "Malibu", "on", "Monday", "."],
        ["Friends", "said", "Reid", "was", "tired", "."],
    ]
    tokens, t_id = [], 1
    for n, sentence in enumerate(words):
        for w in sentence:
            tokens.append(f'<token t_id="{t_id}" sentence="{n}" number="{t_id}">{w}</token>')
            t_id += 1
    markables = (
        '<HUMAN_PART_PER m_id="1"><token_anchor t_id="1"/><token_anchor t_id="2"/>'
        '</HUMAN_PART_PER><HUMAN_PART_PER m_id="2"><token_anchor t_id="11"/></HUMAN_PART_PER>'
        '<LOC_GEO m_id="3"><token_anchor t_id="5"/></LOC_GEO>'
        '<HUMAN_PART_PER m_id="9" TAG_DESCRIPTOR="tara_reid" instance_id="HUM1"/>'
    )
    relations = (
        '<CROSS_DOC_COREF r_id="1" note="HUM1"><source m_id="1"/><source m_id="2"/>'
        '<target m_id="9"/></CROSS_DOC_COREF>'
    )
    folder = root / "ECB+" / "1"
    folder.mkdir(parents=True)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document doc_name="x">'
        + "".join(tokens)
        + f"<Markables>{markables}</Markables><Relations>{relations}</Relations></Document>"
    )
    (folder / "1_1ecb.xml").write_text(xml, encoding="utf-8")
    return root


def test_reader_keeps_tags_and_instances(tmp_path: Path) -> None:
    path = _release(tmp_path) / "ECB+" / "1" / "1_1ecb.xml"
    doc = read_ecb_document(path, tuple(GOLD_KINDS))
    assert [(m.text, m.tag, m.instance) for m in doc.mentions] == [
        ("Tara Reid", "HUMAN_PART_PER", "HUM1"),
        ("Reid", "HUMAN_PART_PER", "HUM1"),
        ("Malibu", "LOC_GEO", None),
    ]
    # the default still reads participants only
    assert [m.text for m in read_ecb_document(path).mentions] == ["Tara Reid", "Reid"]


def test_eval_entities_on_a_real_parse_and_its_command(tmp_path: Path) -> None:
    data = _release(tmp_path / "ecb")
    report = eval_entities(data, Settings())
    assert report["documents"] == 1
    assert report["detection"]["person"]["found"] == 2
    assert report["within_document"]["variant_pairs"] == {"gold": 1, "joined": 1, "recall": 1.0}
    json.dumps(report)
    result = CliRunner().invoke(main, ["eval", "entities", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["detection"]["all"]["gold"] == 3
    table = CliRunner().invoke(main, ["eval", "entities", "--data", str(data)])
    assert table.exit_code == 0 and "Names on ECB+" in table.output
    bad = CliRunner().invoke(main, ["eval", "entities", "--data", str(tmp_path)])
    assert bad.exit_code == 3 and "no ECB+/ folder" in bad.output


def test_ecbplus_gold_names_slice_to_their_words() -> None:
    if not ECBPLUS.is_dir():
        pytest.skip(f"ECB+ not found at {ECBPLUS} (../shared is absent)")
    docs = [read_ecb_document(p, tuple(GOLD_KINDS)) for p in sorted(ECBPLUS.glob("ECB+/1/*.xml"))]
    golds = [(d, g) for d in docs for g in gold_names_of(d)]
    assert len(golds) > 100
    for doc, g in golds:
        assert doc.text[g.start : g.end] == g.text
        head = doc.text[g.head_start : g.head_end]
        assert head[:1].isupper() and head.casefold() in g.key.split()
    assert any(g.key == "tara reid" for _, g in golds)
