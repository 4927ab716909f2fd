"""Training the rhetoric models: the numpy fitters, artifacts, splits, and tiny end-to-end runs
into tmp_path (the shipped artifacts are never retrained by tests)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from presslens.settings import Settings
from presslens.stages.linear import LinearModel, Rows, load_model, save_model, sigmoid
from presslens.train.linear import best_threshold, dev_ids, fit_binary, fit_softmax, split_ids


def test_fit_binary_separates_a_toy_problem() -> None:
    # feature 1 means positive, feature 2 negative; feature 0 is always on
    x = Rows.from_lists([[0, 1], [0, 1], [0, 2], [0, 2], [0, 2]])
    y = np.array([1, 1, 0, 0, 0], dtype=float)
    w, b = fit_binary(x, y, buckets=8, l2=1e-4, steps=200, step_size=0.5)
    p = sigmoid(LinearModel(w, np.array([b]), {}).scores(x))
    assert (p[:2] > 0.8).all() and (p[2:] < 0.2).all()


def test_fit_softmax_learns_three_classes() -> None:
    x = Rows.from_lists([[0], [0], [1], [1], [2], [2]])
    y = np.array([0, 0, 1, 1, 2, 2])
    w, b = fit_softmax(x, y, classes=3, buckets=4, l2=1e-4, steps=200, step_size=0.5)
    pred = LinearModel(w, b, {}).scores(x).argmax(axis=1)
    assert pred.tolist() == y.tolist()


def test_rows_take_renumbers_kept_rows() -> None:
    x = Rows.from_lists([[1], [2, 3], [4]])
    kept = x.take(np.array([False, True, True]))
    assert kept.n == 2
    assert kept.ids.tolist() == [2, 3, 4] and kept.rows.tolist() == [0, 0, 1]


def test_best_threshold_maximises_f1() -> None:
    scores = np.array([0.9, 0.6, 0.4, 0.2])
    gold = np.array([True, True, False, False])
    thr, f1 = best_threshold(scores, gold, (0.1, 0.5, 0.8))
    assert (thr, f1) == (0.5, 1.0)


def test_saved_models_round_trip_with_identical_bytes(tmp_path: Path) -> None:
    model = LinearModel(np.array([0.5, -1.25, 0.0]), np.array([0.1]), {"threshold": 0.4})
    n = save_model(tmp_path / "a.zip", model)
    save_model(tmp_path / "b.zip", model)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert n == (tmp_path / "a.zip").stat().st_size
    back = load_model(tmp_path / "a.zip")
    assert back.w.tolist() == [0.5, -1.25, 0.0]
    assert back.meta == {"threshold": 0.4}


def test_split_is_a_stable_function_of_each_id() -> None:
    ids = [str(100000 + i) for i in range(500)]
    dev = split_ids(ids)
    assert 60 < len(dev) < 140  # about a fifth
    assert split_ids(ids[:250]) == [i for i in dev if i in set(ids[:250])]


def test_shipped_split_matches_the_hash_rule() -> None:
    shipped = dev_ids()
    assert shipped, "the dev split ships with the package"
    assert sorted(shipped) == split_ids(shipped)


# -- tiny end-to-end runs -----------------------------------------------------------------------
LOADED = "The corrupt regime spreads disgusting lies about our brave heroes."
PLAIN = "The council met on Tuesday to discuss the budget for the new school."
LIES = "The council again heard vile smears from the critics on Tuesday."


def _semeval(root: Path, n: int = 6, lies: int = 0) -> Path:
    """A tiny SemEval-2023 folder of ``n`` articles; with ``lies``, every ``lies``-th article
    also has a paragraph with loaded language only (so some paragraphs lack a technique)."""
    arts = root / "train-articles-subtask-3"
    spans = root / "train-labels-subtask-3-spans"
    arts.mkdir(parents=True)
    spans.mkdir()
    lines_1, lines_3 = [], []
    for k in range(1, n + 1):
        extra = bool(lies) and k % lies == 0
        text = f"{PLAIN}\n\n{LOADED}\n" + (f"\n{LIES}\n" if extra else "")
        (arts / f"article{k}.txt").write_text(text)
        s = text.index("corrupt regime")
        d = text.index("disgusting lies")
        gold = f"{k}\tName_Calling-Labeling\t{s}\t{s + 14}\n{k}\tLoaded_Language\t{d}\t{d + 10}\n"
        if extra:
            d2 = text.index("vile smears")
            gold += f"{k}\tLoaded_Language\t{d2}\t{d2 + 11}\n"
            lines_3.append(f"{k}\t5\tLoaded_Language")
        (spans / f"article{k}-labels-subtask-3.txt").write_text(gold)
        lines_3 += [f"{k}\t1\t", f"{k}\t3\tName_Calling-Labeling,Loaded_Language"]
        lines_1.append(f"{k}\t{'opinion' if k % 2 else 'reporting'}")
    (root / "train-labels-subtask-3.txt").write_text("\n".join(lines_3) + "\n")
    (root / "train-labels-subtask-1.txt").write_text("\n".join(lines_1) + "\n")
    return root


@pytest.mark.slow
def test_train_techniques_on_a_tiny_corpus(tmp_path: Path) -> None:
    from presslens.train.techniques import train_techniques

    data = _semeval(tmp_path / "se")
    out = tmp_path / "models"
    summary = train_techniques(data, out, Settings())
    assert summary["articles"] == 6
    assert summary["train_spans"] + 0 > 0
    spans = load_model(out / "techniques_spans.zip")
    labels = load_model(out / "techniques_labels.zip")
    assert labels.meta["labels"] == ["Loaded_Language", "Name_Calling-Labeling"]
    assert 0 < spans.meta["threshold"] < 1
    assert (out / "rhetoric_dev_ids.txt").is_file()


@pytest.mark.slow
def test_train_techniques_fits_the_paragraph_classifier_out_of_fold(tmp_path: Path) -> None:
    """With enough train articles for three out-of-fold parts, training also writes the
    paragraph classifier, with a threshold chosen by cross-validation on train; the stage then
    keeps the techniques it accepts for the loaded paragraph and nothing in the plain one."""
    from presslens.model import Article
    from presslens.nlp import load_nlp
    from presslens.stages.techniques import extract_techniques
    from presslens.train.techniques import train_techniques

    data = _semeval(tmp_path / "se", n=14, lies=2)
    out = tmp_path / "models"
    summary = train_techniques(data, out, Settings())
    assert summary["articles"] == 14
    model = load_model(out / "techniques_paragraphs.zip")
    labels = load_model(out / "techniques_labels.zip")
    assert model.meta["labels"] == labels.meta["labels"]
    assert 0 < model.meta["threshold"] < 1
    assert 0 <= summary["paragraph_cv_f1"] <= 1
    text = f"{PLAIN}\n\n{LOADED}"
    art = Article(text=text, source="<test>")
    art._doc = load_nlp(Settings().spacy_model)(text)
    spans_model = load_model(out / "techniques_spans.zip")
    extract_techniques(art, spans_model, labels, paragraph_model=model)
    art.check()
    found = art.layer("techniques")
    assert found, "the loaded paragraph keeps its techniques"
    assert all(s.start > len(PLAIN) for s in found)  # nothing in the plain paragraph
    assert all(s.attrs["paragraph_score"] >= model.meta["threshold"] for s in found)
    assert {s.label for s in found} <= {"Loaded_Language", "Name_Calling-Labeling"}


@pytest.mark.slow
def test_train_genre_on_a_tiny_corpus(tmp_path: Path) -> None:
    from presslens.train.genre import train_genre

    data = _semeval(tmp_path / "se")
    summary = train_genre(data, tmp_path / "models", Settings())
    model = load_model(tmp_path / "models" / "genre.zip")
    assert model.meta["labels"] == ["reporting", "opinion"]
    assert summary["train_articles"] + summary["dev_articles"] == 6


@pytest.mark.slow
def test_train_claims_on_a_tiny_corpus(tmp_path: Path) -> None:
    from presslens.train.claims import train_claims

    cb = tmp_path / "cw" / "claimbuster"
    cb.mkdir(parents=True)
    rows = []
    for k in range(40):
        if k % 2:
            rows.append({"sentence_id": k, "label": 1, "text": f"Taxes rose {k} percent in 2010."})
        else:
            rows.append({"sentence_id": k, "label": 0, "text": "Thank you all for coming tonight."})
    (cb / "train.json").write_text(json.dumps(rows))
    summary = train_claims(tmp_path / "cw", tmp_path / "models", Settings())
    assert summary["train_sentences"] + summary["dev_sentences"] == 40
    assert summary["dev"]["f1"] == 1.0  # trivially separable
    assert load_model(tmp_path / "models" / "claims.zip").meta["threshold"] > 0


@pytest.mark.slow
def test_train_techniques_learns_from_v4_on_unlabelled_articles(tmp_path: Path) -> None:
    """--unlabelled (two sources): v1's tagger also learns v4's token probabilities on both;
    the gold-only tagger the encoder stages mix with is written beside it, and differs."""
    from presslens.stages.techniques_encoder import v4_missing
    from presslens.train.techniques import TEACHER_L2, train_techniques

    if v4_missing():
        pytest.skip(v4_missing() or "")
    data = _semeval(tmp_path / "se")
    folder = tmp_path / "unlabelled"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "These treacherous cowards betrayed the homeland. The corrupt regime lies again.\n"
    )
    other = tmp_path / "more"
    other.mkdir()
    (other / "b.txt").write_text("The council met on Tuesday to discuss the new school.\n")
    out = tmp_path / "models"
    summary = train_techniques(
        data, out, Settings(), unlabelled=[folder, other], teacher_weight=1.0
    )
    assert summary["unlabelled_articles"] == 2
    taught = load_model(out / "techniques_spans.zip")
    gold = load_model(out / "techniques_spans_gold.zip")
    assert taught.meta["teacher"] == "presslens.techniques.v4"
    assert taught.meta["unlabelled_articles"] == 2 and taught.meta["teacher_weight"] == 1.0
    assert taught.meta["l2"] == TEACHER_L2
    assert gold.meta["gold_only"] is True and "teacher" not in gold.meta
    assert not np.array_equal(taught.w, gold.w)
    assert taught.meta["valence"] is True and "valence" not in gold.meta
    # without unlabelled articles: the same gold-only tagger, and a shipped one with valence
    plain = train_techniques(data, tmp_path / "plain", Settings())
    assert plain["unlabelled_articles"] == 0
    same = load_model(tmp_path / "plain" / "techniques_spans.zip")
    plain_gold = load_model(tmp_path / "plain" / "techniques_spans_gold.zip")
    assert np.array_equal(plain_gold.w, gold.w)  # training is deterministic
    assert same.meta["valence"] is True and "teacher" not in same.meta
    assert not np.array_equal(same.w, plain_gold.w)
