"""The base encoder of techniques.v4: the split archive read in place, MPNet's relative
position buckets, and the NumPy forward against the torch training model."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from presslens.encoder import EncoderMissing
from presslens.encoder_mpnet import JoinedParts, relative_buckets


def _installed() -> bool:
    from presslens.encoder_mpnet import part_paths

    try:
        part_paths()
    except EncoderMissing:
        return False
    return True


needs_mpnet = pytest.mark.skipif(
    not _installed(), reason="all-mpnet-base-v2 parts are not installed (make install-mpnet)"
)


def test_joined_parts_read_a_zip_cut_into_pieces(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("root/a.txt", "alpha " * 500)
        zf.writestr("root/b.bin", bytes(range(256)) * 40)
    blob = buf.getvalue()
    cuts = [0, 7, len(blob) // 3, len(blob) // 3 + 1, len(blob)]
    paths = []
    for k in range(len(cuts) - 1):
        p = tmp_path / f"part{k}"
        p.write_bytes(blob[cuts[k] : cuts[k + 1]])
        paths.append(p)
    with JoinedParts(paths) as raw:
        assert raw.seek(0, io.SEEK_END) == len(blob)
        raw.seek(5)
        assert raw.read(10) == blob[5:15]  # across the first cut
        with zipfile.ZipFile(io.BufferedReader(raw)) as zf:
            assert zf.read("root/a.txt") == b"alpha " * 500
            assert zf.read("root/b.bin") == bytes(range(256)) * 40


def test_relative_buckets_are_exact_near_and_logarithmic_far() -> None:
    b = relative_buckets(300)
    # query minus key: a key to the left (positive distance) uses buckets 0-15,
    # to the right 16-31; the first eight distances each way have their own bucket
    assert [b[10, 10 - d] for d in range(8)] == list(range(8))
    assert [b[10, 10 + d] for d in range(1, 8)] == [16 + d for d in range(1, 8)]
    far = [b[299, 299 - d] for d in range(8, 300)]
    assert far == sorted(far) and far[0] == 8 and far[-1] == 15
    assert b[0, 299] == 31 and b[299, 0] == 15
    # logarithmic beyond: each doubling of the distance takes two more buckets, up to 128
    for lo, buckets in ((8, {8, 9}), (16, {10, 11}), (32, {12, 13}), (64, {14, 15})):
        assert {int(b[299, 299 - d]) for d in range(lo, 2 * lo)} == buckets


@needs_mpnet
def test_embeddings_put_paraphrases_closer_than_unrelated_text() -> None:
    from presslens.encoder_mpnet import shared_mpnet

    enc = shared_mpnet()

    def embed(text: str) -> np.ndarray:
        ids = np.concatenate([[enc.cls_id], enc.pieces(text).ids, [enc.sep_id]])[None]
        states = enc.forward(ids, np.ones_like(ids))[0].mean(axis=0)
        return states / np.linalg.norm(states)

    a = embed("The minister resigned after the corruption scandal.")
    b = embed("Following the bribery affair, the minister stepped down.")
    c = embed("Heavy rain is expected in the mountains this weekend.")
    assert float(a @ b) > float(a @ c) + 0.2


@needs_mpnet
def test_padding_does_not_change_the_states_of_real_pieces() -> None:
    from presslens.encoder_mpnet import shared_mpnet

    enc = shared_mpnet()
    ids = np.concatenate(
        [[enc.cls_id], enc.pieces("Officials denied the report.").ids, [enc.sep_id]]
    )
    alone = enc.forward(ids[None], np.ones((1, len(ids)), dtype=np.int64))[0]
    padded = np.concatenate([ids, [1, 1, 1]])[None]
    mask = (np.arange(padded.shape[1]) < len(ids)).astype(np.int64)[None]
    assert np.allclose(enc.forward(padded, mask)[0, : len(ids)], alone, atol=1e-4)


@needs_mpnet
def test_torch_training_model_matches_the_numpy_forward() -> None:
    torch = pytest.importorskip("torch", reason="torch (training extra) is not installed")
    from presslens.encoder_mpnet import shared_mpnet
    from presslens.train.torch_mpnet import load_mpnet

    enc = shared_mpnet()
    text = "The alleged repentance was a lie, critics said, and 40 million citizens know it. " * 4
    ids = np.concatenate([[enc.cls_id], enc.pieces(text).ids, [enc.sep_id]])[None]
    mask = np.ones_like(ids)
    model = load_mpnet().eval()
    with torch.no_grad():
        ti, tm = torch.from_numpy(ids), torch.from_numpy(mask)
        whole = model(ti, tm).numpy()
        split = model.upper(model.lower(ti, tm, 8), tm, 8).numpy()
    assert np.allclose(whole, enc.forward(ids, mask), atol=1e-4)
    assert np.array_equal(whole, split)


def test_a_damaged_archive_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import presslens.encoder_mpnet as em

    parts = []
    for k in range(em.PARTS):
        p = tmp_path / f"all-mpnet-base-v2.zip.00{k + 1}"
        p.write_bytes(b"not a zip archive " * 10)
        parts.append(p)
    monkeypatch.setattr(em, "part_paths", lambda: parts)
    with pytest.raises(EncoderMissing, match=r"damaged or incomplete.*make install-mpnet"):
        em.read_model_files()
