"""The shard planner cuts JSONL at the line feeds of the file's codec, and every range reads in
the whole file's codec: planning and reading only, no analysis, so these are fast."""

from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import read_articles
from presslens.scale import connect, run_scale
from presslens.scale.plan import plan_shards
from presslens.scale.read import read_shard
from presslens.settings import Settings

#: "Ċ" is U+010A: UTF-16 LE writes it 0A 01, so a cut at every byte 0A splits it.
RECORDS = [
    {"text": f"Report {i}. Ċ Mayor Anna Lind said {i} buses will run, café 🙂.", "id": f"r{i}"}
    for i in range(23)
]
BODY = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS) + "\n"


def _shards_and_whole(
    path: Path, settings: Settings, shard_size: int = 5
) -> tuple[list[tuple[str, str, str]], list[InputError], list[object]]:
    plan = plan_shards([str(path)], shard_size=shard_size, encoding=settings.encoding)
    assert not plan.errors
    got: list[tuple[str, str, str]] = []
    errors: list[InputError] = []
    for shard in plan.shards:
        articles, errs = read_shard(shard, settings)
        got.extend((a.id, a.source, a.text) for a in articles)
        errors.extend(errs)
    whole = [
        (a.id, a.source, a.text) if not isinstance(a, InputError) else a
        for a in read_articles([str(path)], settings)
    ]
    return got, errors, whole


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"), "auto"),
        (codecs.BOM_UTF16_BE + BODY.encode("utf-16-be"), "auto"),
        (BODY.encode("utf-16-le"), "utf-16-le"),
        (BODY.encode("utf-16-le"), "utf-16"),
        (BODY.encode("utf-16-be"), "utf-16"),
        (BODY.encode("utf-32"), "auto"),
        (BODY.encode("utf-32-be"), "utf-32-be"),
    ],
)
@pytest.mark.parametrize("gz", [False, True])
def test_wide_jsonl_ranges_read_the_same_articles_as_the_whole_file(
    tmp_path: Path, data: bytes, encoding: str, gz: bool
) -> None:
    """The planner cut at every byte 0A: in UTF-16 half a code unit (and inside "Ċ"), so
    ranges after the first decoded garbage, and BOM-less UTF-16 was refused whole."""
    path = tmp_path / ("news.jsonl.gz" if gz else "news.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    plan = plan_shards([str(path)], shard_size=5, encoding=encoding)
    assert [(p.first, p.end) for s in plan.shards for p in s.pieces] == [
        (1, 6),
        (6, 11),
        (11, 16),
        (16, 21),
        (21, 25),  # 23 records and a blank line
    ]
    got, errors, whole = _shards_and_whole(path, Settings(encoding=encoding))
    assert errors == []
    assert got == whole and len(got) == 23
    assert got[-1][1].endswith(":23") and got[-1][2].startswith("Report 22. Ċ")


def test_a_bad_line_in_a_later_wide_range_is_reported_as_in_the_whole_file(
    tmp_path: Path,
) -> None:
    """Line number and byte offset of a later range are the whole file's (byte offsets used
    to count every earlier line as one byte)."""
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-16-le") + b"\n\x00" for r in RECORDS]
    lines[16] = '{"text": "Lone '.encode("utf-16-le") + b"\x00\xdc" + '"}\n'.encode("utf-16-le")
    path = tmp_path / "news.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + b"".join(lines))
    got, errors, whole = _shards_and_whole(path, Settings())
    (err,) = errors
    (expected,) = [e for e in whole if isinstance(e, InputError)]
    assert (err.code, err.where) == ("P110", expected.where)
    assert err.where == f"{path}:17 byte {2 + len(b''.join(lines[:16])) + 30}"
    assert got == [w for w in whole if not isinstance(w, InputError)] and len(got) == 22


def test_a_utf8_range_reports_exact_byte_offsets_too(tmp_path: Path) -> None:
    lines = [json.dumps(r).encode() + b"\n" for r in RECORDS]
    lines[12] = b'{"text": "Caf\xe9 ' + "é".encode() + b'"}\n'
    path = tmp_path / "news.jsonl"
    path.write_bytes(b"".join(lines))
    _, errors, whole = _shards_and_whole(path, Settings())
    (err,) = errors
    assert err.code == "P107" and err.where == f"{path}:13 byte {len(b''.join(lines[:12])) + 13}"
    assert err.where == next(e.where for e in whole if isinstance(e, InputError))


def test_every_range_reads_the_legacy_codec_detected_for_the_whole_file(tmp_path: Path) -> None:
    """A cp1252 file whose later lines are plain ASCII: each range reads the codec found in
    the file's first block, not one of its own."""
    records = [{"text": f"Report {i}: “quoted” – naïve café."} for i in range(5)]
    records += [{"text": f"Plain report {i}."} for i in range(10)]
    records.append({"text": "Late “smart” quotes."})
    path = tmp_path / "excel.jsonl"
    path.write_bytes(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("cp1252")
    )
    plan = plan_shards([str(path)], shard_size=5)
    assert {(p.codec, p.codec_origin) for s in plan.shards for p in s.pieces} == {
        ("cp1252", "detected")
    }
    got, errors, whole = _shards_and_whole(path, Settings())
    assert errors == [] and got == whole and len(got) == 16
    assert got[-1][2] == "Late “smart” quotes." and "naïve" in got[0][2]


@pytest.mark.parametrize(
    ("data", "encoding", "code"),
    [
        (BODY.encode("utf-8"), "utf-16-le", "P110"),
        (BODY.encode("utf-16-le"), "auto", "P106"),
    ],
)
def test_a_jsonl_file_its_codec_refuses_is_one_shard_reported_once(
    tmp_path: Path, data: bytes, encoding: str, code: str
) -> None:
    path = tmp_path / "news.jsonl"
    path.write_bytes(data)
    plan = plan_shards([str(path)], shard_size=5, encoding=encoding)
    assert [[p.kind for p in s.pieces] for s in plan.shards] == [["file"]]
    articles, errors = read_shard(plan.shards[0], Settings(encoding=encoding))
    assert articles == [] and [e.code for e in errors] == [code]


@pytest.mark.slow
def test_a_run_plans_a_bom_less_utf16_file_with_the_encoding_setting(
    tmp_path: Path, cheap_config: dict[str, Any]
) -> None:
    """The runner hands its ``encoding`` setting to the planner: a BOM-less UTF-16 file named
    by the setting is cut into ranges and every article is written once."""
    path = tmp_path / "news.jsonl"
    path.write_bytes(BODY.encode("utf-16-le"))
    settings = Settings(encoding="utf-16-le")
    result = run_scale(
        [str(path)], tmp_path / "out", config=cheap_config, settings=settings, shard_size=8
    )
    assert (result.shards, result.articles, result.errors) == (3, 23, [])
    expected = {a.id for a in read_articles([str(path)], settings) if isinstance(a, Article)}
    ids = {r[0] for r in connect(tmp_path / "out").execute("SELECT id FROM articles").fetchall()}
    assert ids == expected and len(ids) == 23
