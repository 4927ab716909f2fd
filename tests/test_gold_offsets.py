"""Gold spans annotated on raw files map into normalised text (PolNeAR BRAT standoff)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from presslens.readers import read_articles
from presslens.settings import Settings

POLNEAR_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear" / "dev"
BRAT_SPAN = re.compile(r"^T\d+\t(\w+) (\d+) (\d+)\t(.*)$")


@pytest.fixture(scope="module")
def polnear_dev() -> Path:
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"PolNeAR dev set not found at {POLNEAR_DEV} (../shared is absent)")
    return POLNEAR_DEV


def test_polnear_gold_spans_map_onto_normalised_text(polnear_dev: Path) -> None:
    texts = sorted((polnear_dev / "text").glob("*.txt"))[:25]
    articles = {
        Path(a.source).stem: a
        for a in read_articles([str(p) for p in texts], Settings())
        if not isinstance(a, Exception)
    }
    assert len(articles) == len(texts)
    checked = lost = 0
    for ann in sorted((polnear_dev / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        art = articles.get(stem)
        if art is None:
            continue
        offsets = art.offsets
        for line in ann.read_text(encoding="utf-8").splitlines():
            m = BRAT_SPAN.match(line)
            if not m:
                continue
            start, end = offsets.span_to_norm(int(m.group(2)), int(m.group(3)))
            surface = art.text[start:end]
            if not surface.strip():
                lost += 1  # the gold span lies in text normalisation removed (kept in meta)
                continue
            # Normalisation only changes whitespace inside a span, never its words.
            assert surface.split() == m.group(4).split(), (ann.name, line)
            checked += 1
    assert checked > 500
    assert lost <= checked // 100
