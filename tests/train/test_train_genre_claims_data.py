"""Extra training data of the genre and claims models: PolNeAR's wire articles as reporting,
the other ClaimBuster files as more labelled sentences (never test or dev sentences), and a
tiny genre run that uses the wire articles and reports a cross-validated figure."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from presslens.eval.claims import load_sentences
from presslens.settings import Settings
from presslens.stages.linear import load_model
from presslens.train.claims import extra_sentences
from presslens.train.genre import train_genre, wire_articles
from presslens.train.linear import split_ids

HEADER = "compartment\tfilename\tpublisher\twire\n"


def _polnear(root: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A PolNeAR-like folder: metadata rows (compartment, filename, wire) and train texts."""
    (root / "train" / "text").mkdir(parents=True)
    lines = [HEADER] + [f"{c}\t{name}\tnyt\t{wire}\n" for c, name, wire in rows]
    (root / "metadata.tsv").write_text("".join(lines), encoding="utf-8")
    for c, name, _ in rows:
        if c == "train":
            text = "WASHINGTON — The council met on Tuesday, officials said.\n"
            (root / "train" / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    return root


def test_wire_articles_are_train_articles_credited_to_an_agency(tmp_path: Path) -> None:
    polnear = _polnear(
        tmp_path / "polnear",
        [
            ("train", "a_ap", "AP"),
            ("train", "b_reuters", "reuters"),
            ("train", "c_staff", "None"),
            ("train", "d_na", "NA"),
            ("dev", "e_dev_ap", "AP"),
        ],
    )
    items = wire_articles(polnear)
    assert [(i, lab) for i, _, lab in items] == [
        ("polnear:a_ap", "reporting"),
        ("polnear:b_reuters", "reporting"),
    ]
    assert all(p.is_file() for _, p, _ in items)
    assert wire_articles(tmp_path / "nowhere") == []


def test_load_sentences_reads_utf16_claimbuster_files(tmp_path: Path) -> None:
    path = tmp_path / "ratio.json"
    rows = [{"sentence_id": 7, "label": 1, "text": "Taxes rose 4 percent — again."}]
    path.write_bytes(codecs.BOM_UTF16_LE + json.dumps(rows, ensure_ascii=False).encode("utf-16-le"))
    assert load_sentences(path) == [("7", "Taxes rose 4 percent — again.", 1)]


def test_extra_sentences_never_bring_test_dev_or_duplicate_sentences(tmp_path: Path) -> None:
    ids = [str(1000 + k) for k in range(60)]
    dev_like = set(split_ids(ids))
    free = [i for i in ids if i not in dev_like]
    hashed_dev = sorted(dev_like)[0]
    rows = [
        {"sentence_id": int(free[0]), "label": 1, "text": "Unemployment fell to 4 percent."},
        {"sentence_id": int(free[1]), "label": 0, "text": "Thank you all."},
        {"sentence_id": int(free[2]), "label": 1, "text": "A test sentence, word for word."},
        {"sentence_id": int(free[3]), "label": 0, "text": "In the train file already."},
        {"sentence_id": int(hashed_dev), "label": 1, "text": "Would land in the dev split."},
    ]
    (tmp_path / "kfold_x.json").write_text(json.dumps(rows))
    (tmp_path / "kfold_y.json").write_text(json.dumps(rows[:2]))  # same ids again: once only
    (tmp_path / "train.json").write_text(json.dumps(rows))  # never read as extra
    got = extra_sentences(tmp_path, {free[3]}, {"a test sentence, word for word."})
    assert got == [
        (free[0], "Unemployment fell to 4 percent.", 1),
        (free[1], "Thank you all.", 0),
    ]


@pytest.mark.slow
def test_train_genre_adds_wire_articles_and_cross_validates(tmp_path: Path) -> None:
    data = tmp_path / "semeval2023"
    arts = data / "train-articles-subtask-3"
    arts.mkdir(parents=True)
    labels = []
    for k in range(12):
        genre = "opinion" if k % 3 else "reporting"
        text = (
            "I think we must stop this. Why would anyone accept it?\n"
            if genre == "opinion"
            else "PARIS — The minister said on Monday that the plan was approved.\n"
        )
        (arts / f"article{k}.txt").write_text(text, encoding="utf-8")
        labels.append(f"{k}\t{genre}")
    (data / "train-labels-subtask-1.txt").write_text("\n".join(labels) + "\n")
    _polnear(tmp_path / "polnear", [("train", "w1", "AP"), ("train", "w2", "AFP")])
    summary = train_genre(data, tmp_path / "models", Settings())
    assert summary["wire_articles"] == 2
    assert summary["train_articles"] + summary["dev_articles"] == 14
    assert summary["cv"]["n"] == 12 - summary["dev_articles"]  # wire articles never scored
    cv_auc = summary["cv"]["reporting_auc"]
    assert cv_auc["reporting"] + cv_auc["opinion"] == summary["cv"]["n"]
    assert cv_auc["auc"] > 0.75  # the two kinds of text differ in every word (tiny folds)
    model = load_model(tmp_path / "models" / "genre.zip")
    assert model.meta["wire_articles"] == 2
    assert model.meta["labels"] == ["reporting", "opinion"]
    without = train_genre(data, tmp_path / "m2", Settings(), with_wire=False)
    assert without["wire_articles"] == 0
