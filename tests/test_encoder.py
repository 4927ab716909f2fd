"""The NumPy MiniLM encoder: windowing of long texts and parity with the torch training model."""

from __future__ import annotations

import numpy as np
import pytest

from presslens.encoder import HIDDEN, MAX_LEN, Pieces, shared_encoder

TEXT = (
    "The so-called experts lied again, and the corrupt elite will never stop. "
    "Officials said the bridge would reopen on Tuesday after repairs."
)


def test_pieces_carry_offsets_into_the_text() -> None:
    pieces = shared_encoder().pieces(TEXT)
    assert len(pieces.ids) > 20
    for s, e in zip(pieces.starts, pieces.ends, strict=True):
        # uncased word pieces: the surface matches the text ignoring case, "##" aside
        assert 0 <= s < e <= len(TEXT)
        assert TEXT[s:e].strip() == TEXT[s:e]


def test_long_texts_are_windowed_and_every_piece_gets_its_own_state() -> None:
    enc = shared_encoder()
    n = 3 * MAX_LEN + 17
    ids = np.arange(1000, 1000 + n, dtype=np.int64)
    pieces = Pieces(ids, np.arange(n), np.arange(n) + 1)
    seen: list[int] = []

    def forward(window: np.ndarray) -> np.ndarray:
        seen.append(len(window))
        return window.astype(np.float32)[:, None]  # each piece's "state" is its own id

    out = enc.piece_states(pieces, forward=forward, width=1)
    assert out[:, 0].tolist() == ids.tolist()
    assert max(seen) == MAX_LEN and len(seen) > n // MAX_LEN + 1  # half-overlapping windows
    seen.clear()
    out = enc.piece_states(pieces, forward=forward, width=1, step=MAX_LEN - 2)
    assert out[:, 0].tolist() == ids.tolist()
    assert len(seen) == -(-n // (MAX_LEN - 2))  # windows side by side, no overlap


def test_embed_gives_unit_vectors_and_similar_texts_are_closer() -> None:
    vecs = shared_encoder().embed(
        ["The minister resigned on Monday.", "On Monday the minister quit.", "Bake for 20 min."]
    )
    assert vecs.shape == (3, HIDDEN)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_torch_training_model_matches_the_numpy_forward() -> None:
    torch = pytest.importorskip("torch", reason="torch (training extra) is not installed")
    from presslens.train.torch_minilm import load_minilm

    enc = shared_encoder()
    a = enc.pieces(TEXT).ids
    b = enc.pieces("A short one.").ids
    ids = np.zeros((2, len(a) + 2), dtype=np.int64)
    mask = np.zeros_like(ids)
    for j, x in enumerate((a, b)):
        ids[j, : len(x) + 2] = np.concatenate([[enc.cls_id], x, [enc.sep_id]])
        mask[j, : len(x) + 2] = 1
    want = enc.forward(ids, mask)
    with torch.no_grad():
        got = load_minilm().eval()(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    keep = mask.astype(bool)
    assert np.abs(want[keep] - got[keep]).max() < 1e-3
