"""Fine-tuning the encoder span tagger on a tiny hand-made corpus into tmp_path (needs torch;
the shipped artifact is never retrained by tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from presslens.settings import Settings
from presslens.stages.techniques_encoder import load_encoder_tagger

LOADED = "The corrupt regime spreads disgusting lies about our brave heroes."
PLAIN = "The council met on Tuesday to discuss the budget for the new school."


def _semeval(root: Path, n: int) -> Path:
    arts = root / "train-articles-subtask-3"
    spans = root / "train-labels-subtask-3-spans"
    arts.mkdir(parents=True)
    spans.mkdir()
    lines = []
    for k in range(1, n + 1):
        text = f"{PLAIN}\n\n{LOADED}\n"
        (arts / f"article{k}.txt").write_text(text)
        d = text.index("disgusting lies")
        (spans / f"article{k}-labels-subtask-3.txt").write_text(
            f"{k}\tLoaded_Language\t{d}\t{d + 15}\n"
        )
        lines += [f"{k}\t1\t", f"{k}\t3\tLoaded_Language"]
    (root / "train-labels-subtask-3.txt").write_text("\n".join(lines) + "\n")
    return root


def test_aux_labels_mark_each_technique_and_the_sentences_holding_spans(tmp_path: Path) -> None:
    from presslens.encoder import shared_encoder
    from presslens.eval.techniques import load_semeval_paragraphs
    from presslens.stages.techniques import TECHNIQUES
    from presslens.train.techniques_encoder import _read_docs, _sentence_column

    data = _semeval(tmp_path / "se", n=1)
    [doc] = _read_docs(["1"], load_semeval_paragraphs(data), Settings(), shared_encoder())
    assert doc.aux is not None
    words = [doc.text[s:e] for s, e in zip(doc.pieces.starts, doc.pieces.ends, strict=True)]
    loaded = TECHNIQUES.index("Loaded_Language")
    marked = [w for w, v in zip(words, doc.aux[:, loaded], strict=True) if v]
    assert marked == [w for w, v in zip(words, doc.y, strict=True) if v]
    assert "".join(marked).lower() == "disgustinglies"
    assert doc.aux[:, :loaded].sum() == 0 and doc.aux[:, -1].sum() == 0
    plain_end = doc.text.index("\n")
    _sentence_column(doc, [(0, plain_end), (doc.text.index("The corrupt"), len(doc.text))])
    in_loaded = doc.pieces.starts > plain_end
    assert doc.aux[in_loaded, -1].all() and not doc.aux[~in_loaded, -1].any()


@pytest.mark.slow
def test_train_encoder_tagger_on_a_tiny_corpus(tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="torch (training extra) is not installed")
    from presslens.encoder import shared_encoder
    from presslens.train.techniques_encoder import FROZEN, train_encoder_tagger

    data = _semeval(tmp_path / "se", n=12)
    out = tmp_path / "models"
    summary = train_encoder_tagger(data, out, Settings(), epochs=3, threads=1, aux_weight=0.5)
    assert summary["train_articles"] == 10 and summary["tune_articles"] == 2
    losses = [e["loss"] for e in summary["epochs"]]
    assert losses[-1] < losses[0]
    tagger = load_encoder_tagger(out / "techniques_encoder.npz")
    assert tagger.meta["aux_weight"] == 0.5
    assert tagger.sentence_w is not None and tagger.sentence_w.shape == tagger.head_w.shape
    assert 0 < tagger.meta["extend"] <= tagger.meta["threshold"] < 1
    # only the upper layers are shipped, and training changed them
    base = shared_encoder().w
    name = f"encoder.layer.{FROZEN}.output.dense.weight"
    assert not np.allclose(tagger.encoder.w[name], base[name], atol=1e-4)
    lower = f"encoder.layer.{FROZEN - 1}.output.dense.weight"
    assert np.array_equal(tagger.encoder.w[lower], base[lower])


def test_matrices_shipped_as_int8_differences_load_back_close_to_the_trained_ones(
    tmp_path: Path,
) -> None:
    pytest.importorskip("torch", reason="torch (training extra) is not installed")
    from presslens.encoder import shared_encoder
    from presslens.train.techniques_encoder import _overrides, _write

    base = shared_encoder().w
    rng = np.random.default_rng(0)
    name = "encoder.layer.5.attention.self.query.weight"
    trained = base[name] + rng.normal(0, 0.01, base[name].shape).astype(np.float32)
    bias = base["encoder.layer.5.attention.self.query.bias"] + 0.5
    state = {
        "encoder.layers.5.query.weight": trained,
        "encoder.layers.5.query.bias": bias,
        "encoder.layers.4.query.weight": trained,  # frozen: not shipped
        "head.weight": np.ones((1, 384), np.float32),
        "head.bias": np.zeros(1, np.float32),
    }
    arrays = _overrides(state, "minilm", 5, reference=base)
    assert arrays[name + "::delta_q8"].dtype == np.int8 and name not in arrays
    assert not any(k.startswith("encoder.layer.4.") for k in arrays)
    out = tmp_path / "t.npz"
    _write(out, arrays, {"base": "minilm", "threshold": 0.4, "extend": 0.2})
    tagger = load_encoder_tagger(out)
    step = np.abs(trained - base[name]).max(axis=1, keepdims=True) / 127
    assert np.all(np.abs(tagger.encoder.w[name] - trained) <= step / 2 + 1e-6)
    assert np.allclose(
        tagger.encoder.w["encoder.layer.5.attention.self.query.bias"], bias, atol=1e-2
    )
    lower = "encoder.layer.4.attention.self.query.weight"
    assert np.array_equal(tagger.encoder.w[lower], base[lower])


def test_unlabelled_articles_need_the_mpnet_base(tmp_path: Path) -> None:
    from presslens.errors import InputError
    from presslens.train.techniques_encoder import train_encoder_tagger

    data = _semeval(tmp_path / "se", n=2)
    with pytest.raises(InputError) as err:
        train_encoder_tagger(data, tmp_path / "m", Settings(), base="minilm", unlabelled=data)
    assert err.value.code == "P531" and "--base mpnet" in str(err.value)


def test_unlabelled_articles_carry_the_shipped_v4_probabilities_as_soft_targets(
    tmp_path: Path,
) -> None:
    from presslens.stages.techniques_encoder import MPNET_MODEL, _shipped, v4_missing

    if v4_missing() is not None:
        pytest.skip(v4_missing() or "")
    from presslens.train.techniques_encoder import _pseudo_docs

    folder = tmp_path / "news"
    folder.mkdir()
    for k in range(4):
        (folder / f"n{k}.txt").write_text(f"{PLAIN}\n\n{LOADED} Story {k}.\n")
    (folder / "empty.txt").write_text("   \n")  # unusable: skipped, not fatal
    docs, skipped = _pseudo_docs(folder, None, Settings(), 0, None)
    assert len(docs) == 4 and all(d.aid.startswith("unlabelled:n") for d in docs)
    assert skipped == ["empty"]
    picked = _pseudo_docs(folder, 2, Settings(), 0, None)[0]
    assert len(picked) == 2 and [d.aid for d in picked] == [
        d.aid for d in _pseudo_docs(folder, 2, Settings(), 0, None)[0]
    ]
    teacher = _shipped(MPNET_MODEL)
    doc = docs[0]
    assert doc.spans == [] and doc.y.dtype == np.float32
    assert np.allclose(doc.y, teacher.piece_probs(teacher.encoder.pieces(doc.text)), atol=1e-6)
    # the teacher finds the loaded sentence, not the council meeting
    loaded = doc.pieces.starts > doc.text.index("\n")
    assert doc.y[loaded].max() > 0.5 > doc.y[~loaded].max()
