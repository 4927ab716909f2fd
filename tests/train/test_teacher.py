"""Unlabelled articles and techniques.v4's soft targets for distilling v1's span tagger."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from presslens.errors import InputError
from presslens.nlp import load_nlp
from presslens.settings import Settings
from presslens.stages.linear import sigmoid
from presslens.stages.techniques import _SPC, token_features, token_table
from presslens.stages.techniques_encoder import v4_missing
from presslens.train.teacher import SoftTargets, load_unlabelled, teacher_targets

XML = """<?xml version="1.0" encoding="UTF-8"?><articles>
<article id="0000001" published-at="2017-09-10" title="Kucinich:  Reclaiming the money">
<p>The walls are <a href="x" type="external">closing in</a> on Congress.</p>
<p>   </p><p>Terrifying walls of water.</p></article>
<article id="0000002" title="Only an image"><a type="internal">Details</a></article>
<article id="0000003" title="Second"><p>One paragraph.</p></article>
</articles>
"""


def test_load_unlabelled_reads_semeval2019_xml(tmp_path: Path) -> None:
    path = tmp_path / "articles.xml"
    path.write_text(XML, encoding="utf-8")
    arts = load_unlabelled(path)
    assert [key for key, _ in arts] == ["0000001", "0000003"]  # no <p>: left out
    assert arts[0][1] == (
        "Kucinich: Reclaiming the money\n\nThe walls are closing in on Congress.\n\n"
        "Terrifying walls of water.\n"
    )


def test_load_unlabelled_reads_a_folder_and_names_bad_input(tmp_path: Path) -> None:
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "b.txt").write_text("Second article.", encoding="utf-8")
    (folder / "a.txt").write_text("First article.", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    assert load_unlabelled(folder) == [("a", "First article."), ("b", "Second article.")]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no \.txt articles") as err:
        load_unlabelled(empty)
    assert err.value.code == "P531" and str(empty) in str(err.value)
    broken = tmp_path / "broken.xml"
    broken.write_text("<articles><article id='1'><p>cut off", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the unlabelled articles") as err:
        load_unlabelled(broken)
    assert str(broken) in str(err.value)
    bomb = tmp_path / "dtd.xml"
    bomb.write_text('<!DOCTYPE a [<!ENTITY x "y">]><articles/>', encoding="utf-8")
    with pytest.raises(InputError, match="cannot read"):
        load_unlabelled(bomb)  # a DTD is refused, not expanded
    none = tmp_path / "none.xml"
    none.write_text("<articles><article id='1'/></articles>", encoding="utf-8")
    with pytest.raises(InputError, match="no <article> with <p>"):
        load_unlabelled(none)


PLAIN_TEXT = "The council met on Tuesday to discuss the budget."
LOADED_TEXT = "These treacherous cowards betrayed the homeland."


def _soft(text: str, prob: float) -> SoftTargets:
    doc = load_nlp(Settings().spacy_model)(text)
    t = token_table(doc, text)
    keep = t.a[:, _SPC] == 0
    feats = token_features(t).astype(np.int64)[keep]
    return SoftTargets("k", feats, np.full(len(feats), prob, dtype=np.float32))


def test_soft_targets_teach_the_tagger() -> None:
    """Soft targets alone: the tagger learns to mark the words the teacher marks (0.95) and
    not those it leaves (0.02)."""
    from presslens.train.techniques import _fit_tagger

    plain = _soft(PLAIN_TEXT, 0.02)
    loaded = _soft(LOADED_TEXT, 0.95)
    model = _fit_tagger([], None, [plain, loaded], 1.0)
    assert float(sigmoid(model.dense_scores(loaded.feats)).mean()) > 0.6
    assert float(sigmoid(model.dense_scores(plain.feats)).mean()) < 0.3
    flipped = _fit_tagger([], None, [_soft(PLAIN_TEXT, 0.95), _soft(LOADED_TEXT, 0.02)], 1.0)
    assert float(sigmoid(flipped.dense_scores(loaded.feats)).mean()) < 0.3


@pytest.mark.slow
@pytest.mark.skipif(v4_missing() is not None, reason=v4_missing() or "")
def test_teacher_targets_come_from_v4_per_token() -> None:
    opinion = (
        "This corrupt, treasonous regime keeps feeding us disgusting lies. These so-called "
        "experts are nothing but puppets of a criminal gang. Wake up, people!"
    )
    plain = "The council met on Tuesday to discuss the budget for the new school year."
    out = teacher_targets([("o", opinion), ("p", plain), ("e", "   ")], Settings())
    assert [t.key for t in out] == ["o", "p"]  # the empty article normalises to nothing
    for target in out:
        assert target.feats.shape[0] == target.probs.shape[0] > 0
        assert ((target.probs >= 0) & (target.probs <= 1)).all()
    assert out[0].probs.max() > 0.5 > out[1].probs.max()


@pytest.mark.slow
@pytest.mark.skipif(v4_missing() is not None, reason=v4_missing() or "")
def test_teacher_cache_is_reused_only_for_the_same_articles(tmp_path: Path) -> None:
    """The cache file is read back for the same articles (a marked value in it comes back,
    so v4 did not run again) and recomputed when the articles change."""
    arts = [("p", "The council met on Tuesday to discuss the budget for the new school.")]
    cache = tmp_path / "cache" / "teacher.npz"
    first = teacher_targets(arts, Settings(), cache=cache)
    assert cache.is_file()
    with np.load(cache) as z:
        fields = {k: z[k] for k in z.files}
    fields["probs"] = np.full_like(fields["probs"], 0.123)
    np.savez_compressed(cache, **fields)
    again = teacher_targets(arts, Settings(), cache=cache)
    assert [t.key for t in again] == ["p"]
    assert np.array_equal(again[0].feats, first[0].feats)
    assert np.allclose(again[0].probs, 0.123)
    changed = teacher_targets([("p", arts[0][1] + " It ended at noon.")], Settings(), cache=cache)
    assert not np.allclose(changed[0].probs, 0.123)
    assert len(changed[0].probs) > len(first[0].probs)
    cache.write_bytes(b"not an npz file")  # a broken cache is recomputed, not an error
    assert np.allclose(teacher_targets(arts, Settings(), cache=cache)[0].probs, first[0].probs)
