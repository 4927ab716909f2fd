"""Bad inputs are reported as coded InputErrors with where and a hint; reading goes on."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import RawDocument, read_articles, read_sources
from presslens.readers.codes import CODES
from presslens.settings import Settings

SETTINGS = Settings()
GOOD = "The council met on Tuesday.\n"


def one_error(path: Path | str, settings: Settings = SETTINGS) -> InputError:
    items = list(read_sources([str(path)], settings))
    assert len(items) == 1, items
    (err,) = items
    assert isinstance(err, InputError), err
    assert err.hint and err.where
    assert err.code in CODES
    return err


def test_codes_are_distinct_and_documented() -> None:
    from presslens.readers import codes

    constants = {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str)}
    assert constants == set(CODES)  # every code constant is described, none twice
    for code in CODES:
        assert code in (codes.__doc__ or "")


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    err = one_error(path)
    assert err.code == "P105" and err.where == str(path)


def test_binary_file_reports_nul_position(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"PK\x03\x04abc\x00\x00rest")
    err = one_error(path)
    assert err.code == "P106"
    assert "NUL byte at byte 7" in err.message


def test_control_characters_look_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(bytes(range(1, 32)) * 20)
    assert one_error(path).code == "P106"


def test_invalid_utf8_reports_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    data = "Café ".encode() + b"ok \xff\xfe then more"
    path.write_bytes(data)
    err = one_error(path)
    assert err.code == "P107"
    bad = data.index(b"\xff")
    assert f"byte {bad}" in err.message
    assert err.where == f"{path} byte {bad}"
    assert "--set encoding=cp1252" in (err.hint or "")


def test_explicit_codec_failure_and_unknown_codec(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc \xff")
    assert one_error(path, Settings(encoding="ascii")).code == "P110"
    assert one_error(path, Settings(encoding="no-such-codec")).code == "P109"
    for codec in ("base64", "rot13"):  # known to Python, but not text: was a LookupError
        assert one_error(path, Settings(encoding=codec)).code == "P109"


def test_file_over_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:  # sparse: 50 MB without writing them
        f.truncate(50 * 1024 * 1024)

    def fail_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr("builtins.open", fail_open)
    err = one_error(path)
    assert err.code == "P104"
    assert "52,428,800 bytes" in err.message and "5,000,000" in err.message
    assert "--set max_article_bytes=" in (err.hint or "")


def test_html_without_body(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text("<html><head><title>Only a title</title></head></html>", "utf-8")
    err = one_error(path)
    assert err.code == "P112" and "no main text" in err.message


def test_malformed_jsonl_line_among_good_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "First article text."}\n'
        '{"text": "Second article, broken\n'
        "\n"
        '{"text": "Third article text."}\n',
        encoding="utf-8",
    )
    items = list(read_articles([str(path)], SETTINGS))
    errors = [i for i in items if isinstance(i, InputError)]
    arts = [i for i in items if isinstance(i, Article)]
    assert [a.text for a in arts] == ["First article text.", "Third article text."]
    (err,) = errors
    assert err.code == "P113" and err.where == f"{path}:2"
    assert "other lines" in (err.hint or "")
    assert [a.source for a in arts] == [f"{path}:1", f"{path}:4"]


def test_jsonl_line_nested_past_the_json_parser_depth_is_a_bad_line(tmp_path: Path) -> None:
    """json raises RecursionError, not JSONDecodeError, past its depth: it used to abort the
    whole run."""
    path = tmp_path / "a.jsonl"
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(f'{deep}\n{{"text": "Second article text."}}\n', encoding="utf-8")
    items = list(read_articles([str(path)], SETTINGS))
    (err,) = [i for i in items if isinstance(i, InputError)]
    assert err.code == "P113" and err.where == f"{path}:1" and "deeper" in err.message
    assert [a.text for a in items if isinstance(a, Article)] == ["Second article text."]


def test_jsonl_number_past_the_digit_limit_is_a_bad_line(tmp_path: Path) -> None:
    """json raises a bare ValueError for an integer of over 4,300 digits."""
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "First article text.", "n": ' + "1" * 5000 + "}\n"
        '{"text": "Second article text."}\n',
        encoding="utf-8",
    )
    items = list(read_articles([str(path)], SETTINGS))
    (err,) = [i for i in items if isinstance(i, InputError)]
    assert err.code == "P113" and err.where == f"{path}:1" and "4,300 digits" in err.message
    assert [a.text for a in items if isinstance(a, Article)] == ["Second article text."]


def test_jsonl_unpaired_surrogates_are_replaced_not_fatal(tmp_path: Path) -> None:
    """A "\\ud800" escape decodes to a character no encoder takes: it aborted the whole run
    at the article id. It becomes U+FFFD, one character for one, in every field."""
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "\\ud800 Broken start, then the article.", "title": "A\\udc00B",'
        ' "outlet": "Wire\\ud83d", "desk": "x\\udfff"}\n'
        '{"text": "An emoji pair stays: \\ud83d\\ude00."}\n',
        encoding="utf-8",
    )
    items = list(read_articles([str(path)], SETTINGS))
    assert not [i for i in items if isinstance(i, InputError)]
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == "\ufffd Broken start, then the article."
    assert (first.title, first.outlet) == ("A\ufffdB", "Wire\ufffd")
    assert first.meta["fields"] == {"desk": "x\ufffd"}
    assert second.text == "An emoji pair stays: \U0001f600."
    first.check()


def test_metadata_fields_lose_controls_and_line_breaks(tmp_path: Path) -> None:
    """Search marks hits with \\x02 and \\x03: a title holding them moved every highlight."""
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "Body text.", "title": "Budget \\u0002vote\\u0003\\n delayed\\t now",'
        ' "outlet": "\\u0007", "author": ["Ann\\u0000 Lee", "\\u0002"]}\n',
        encoding="utf-8",
    )
    (art,) = list(read_articles([str(path)], SETTINGS))
    assert isinstance(art, Article)
    assert art.title == "Budget vote delayed now" and art.outlet is None
    assert art.authors == ["Ann Lee"]


def test_jsonl_missing_text_field_names_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"body": "Text here.", "title": "T"}\n', "utf-8")
    err = one_error(path)
    assert err.code == "P115"
    assert "'text'" in err.message and "'body'" in err.message
    assert "--set text_field=body" in (err.hint or "")


def test_jsonl_record_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('["text"]\n', "utf-8")
    assert one_error(path).code == "P114"


def test_jsonl_record_over_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "' + "x" * 500 + '"}\n{"text": "Small one."}\n', "utf-8")
    items = list(read_sources([str(path)], Settings(max_article_bytes=100)))
    assert isinstance(items[0], InputError) and items[0].code == "P104"
    assert items[0].where == f"{path}:1"
    assert isinstance(items[1], RawDocument) and items[1].source == f"{path}:2"


def test_csv_missing_text_column(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("title,body\nT,Text\n", "utf-8")
    err = one_error(path)
    assert err.code == "P115" and err.where == f"{path}:1"


def test_csv_row_with_wrong_field_count(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("title,text\nA,First text.\nB,Second,extra\nC,Third text.\n", "utf-8")
    items = list(read_sources([str(path)], SETTINGS))
    assert [type(i).__name__ for i in items] == ["RawDocument", "InputError", "RawDocument"]
    err = items[1]
    assert isinstance(err, InputError) and err.code == "P114" and err.where == f"{path}:3"


def test_nonexistent_path(tmp_path: Path) -> None:
    err = one_error(tmp_path / "nope.txt")
    assert err.code == "P101" and err.where == str(tmp_path / "nope.txt")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files with mode 000")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    path.chmod(0)
    try:
        err = one_error(path)
    finally:
        path.chmod(0o644)
    assert err.code == "P103"


def test_glob_matching_nothing(tmp_path: Path) -> None:
    err = one_error(str(tmp_path / "*.nothing"))
    assert err.code == "P102"


def test_corrupt_gzip(tmp_path: Path) -> None:
    path = tmp_path / "a.txt.gz"
    data = gzip.compress(GOOD.encode() * 200)
    path.write_bytes(data[: len(data) // 2])
    err = one_error(path)
    assert err.code == "P111" and "byte" in (err.where or "")


def test_not_gzip_at_all(tmp_path: Path) -> None:
    path = tmp_path / "a.txt.gz"
    path.write_bytes(b"this is not gzip data at all")
    assert one_error(path).code == "P111"


def test_gzip_over_limit_when_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress(b"word " * 100_000))
    err = one_error(path, Settings(max_article_bytes=10_000))
    assert err.code == "P104" and "decompressed" in err.message


def test_errors_do_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(GOOD, "utf-8")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01")
    items = list(read_articles([str(tmp_path), str(tmp_path / "missing.txt")], SETTINGS))
    assert sorted(type(i).__name__ for i in items) == ["Article"] + ["InputError"] * 3


@pytest.mark.parametrize("name", ["a.jsonl", "a.csv"])
def test_unknown_codec_for_record_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('{"text": "x"}\n' if name.endswith("jsonl") else "text\nx\n", "utf-8")
    assert one_error(path, Settings(encoding="no-such-codec")).code == "P109"
    for codec in ("base64", "rot13"):  # known to Python, but not text: was a LookupError
        assert one_error(path, Settings(encoding=codec)).code == "P109"


def test_permission_denied_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same mapping as the chmod test, simulated so it also runs as root."""
    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    real_open = open

    def denying_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", denying_open)
    err = one_error(path)
    assert err.code == "P103" and "Permission denied" in err.message


@pytest.mark.parametrize(("name", "data"), [("a.jsonl", b"\n\n"), ("a.jsonl.gz", b"")])
def test_jsonl_without_records(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert one_error(path).code == "P105"


def test_folder_links_that_loop_are_walked_once_and_broken_links_reported(
    tmp_path: Path,
) -> None:
    """A link back up the tree used to recurse without end, and a link onto itself crashed
    the whole run with "Too many levels of symbolic links"."""
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (inner / "x.txt").write_text(GOOD, "utf-8")
    (inner / "up").symlink_to(tmp_path / "a", target_is_directory=True)  # a cycle
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a" / "self")  # loops onto itself
    (tmp_path / "a" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # dangling
    (tmp_path / "a" / "gone.png").symlink_to(tmp_path / "nowhere.png")  # not an article
    items = list(read_articles([str(tmp_path)], SETTINGS))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [a.source for a in articles] == [str(inner / "x.txt")]  # once, not per loop
    assert sorted((e.code, Path(e.where or "").name) for e in errors) == [
        ("P103", "gone.txt"),
        ("P103", "self"),
    ]
    assert all(e.hint for e in errors)


JAPANESE_PAGE = (
    "<html><head>{meta}<title>東京の予算</title></head><body><article>"
    "<p>東京都は月曜日、新しい予算案を発表した。知事は「財政は健全だ」と述べた。</p>"
    "<p>予算は前年より3％増えた。関係者によると、議会は来月審議する。</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    ("meta", "codec"),
    [
        ('<meta charset="Shift_JIS">', "shift_jis"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=euc-jp">', "euc_jp"),
        ("<META CHARSET=gbk>", "gbk"),
    ],
)
def test_multibyte_meta_charset_is_followed(tmp_path: Path, meta: str, codec: str) -> None:
    """Found by probing: a Shift_JIS page naming its charset only in ``<meta>`` was refused
    as damaged UTF-8 (P107), because its byte pairs look like UTF-8 sequences."""
    path = tmp_path / "page.html"
    path.write_bytes(JAPANESE_PAGE.format(meta=meta).encode(codec))
    (art,) = read_articles([str(path)], SETTINGS)
    assert art.meta["encoding"] == codec
    assert "知事は「財政は健全だ」と述べた。" in art.text
    assert art.title == "東京の予算"


def test_damaged_utf8_is_still_reported_whatever_meta_says(tmp_path: Path) -> None:
    """A meta charset that cannot decode the bytes, or names a single-byte codec (under which
    nearly any bytes decode), does not hide damage in a UTF-8 page."""
    for meta in ('<meta charset="shift_jis">', '<meta charset="windows-1252">'):
        path = tmp_path / "page.html"
        body = f"<html><head>{meta}</head><body><p>Caf\u00e9 cr\u00e8me \u201cok\u201d</p>"
        path.write_bytes(body.encode() + b"\xff\xfe broken</p></body></html>")
        err = one_error(path)
        assert err.code == "P107", (meta, err)
