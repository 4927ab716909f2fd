"""Coverage-guided fuzzing of every reader and the normaliser with atheris (libFuzzer).

Each target gets bytes, reads them as a file of its format and checks what comes out: nothing
may escape but a documented, coded ``InputError``, and every accepted article keeps the span
and offset invariants (``Article.check``, offset pieces inside the raw text, verbatim pieces
equal to the raw characters). A target that hangs past ``--timeout`` seconds on one input
(catastrophic regex backtracking, a quadratic loop) counts as a crash too.

Every target runs in its own process (libFuzzer runs one target per process), seeded with
valid inputs of its format, and prints ``inputs tried`` and ``crashes``::

    python tools/fuzz.py                 # a bounded run: 2,000 inputs or 5 s per target
    python tools/fuzz.py --runs 500      # what `make test` runs (tests/security)
    python tools/fuzz.py --long          # `make fuzz`: 100,000 inputs or 10 min per target
    python tools/fuzz.py --target feed --runs 10000

A crashing input is saved under ``--artifacts`` (default ``fuzz-artifacts/``) and its traceback
printed, so it can be replayed with ``python tools/fuzz.py --target T --replay FILE``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from functools import partial
from pathlib import Path

#: target -> file name the bytes are written under (the extension picks the reader)
TARGETS: dict[str, str] = {
    "text": "fuzz.txt",
    "html": "fuzz.html",
    "jsonl": "fuzz.jsonl",
    "json": "fuzz.json",
    "csv": "fuzz.csv",
    "feed": "fuzz.rss",
    "warc": "fuzz.warc",
    "gzip": "fuzz.jsonl.gz",
    "normalise": "",  # bytes -> text -> RawDocument -> normalise, no file
}
#: Small limits keep each input fast; the code paths are the same as with the defaults.
MAX_BYTES = 200_000
_DONE_RE = re.compile(r"Done (\d+) runs in (\d+) second")
_STAT_RE = re.compile(r"^#(\d+)\s", re.MULTILINE)


def seeds(target: str) -> list[bytes]:
    """Valid inputs of each format, so the fuzzer starts inside the parsers."""
    text = (
        "date 2021-03-01\nsource Example News\n\nCouncil approves plan\n\n"
        "LONDON – The council approved the plan on Tuesday, the mayor said.\n"
        "“It is a good day,” she said\u202e, according to officials.\n"
    )
    html = (
        "<!DOCTYPE html><html><head><title>Plan</title>"
        '<meta property="og:site_name" content="Example"></head><body><article>'
        "<h1>Plan approved</h1><p>LONDON – The council approved the plan on Tuesday.</p>"
        "<p>“It is a good day,” the mayor said.</p></article></body></html>"
    )
    records = [
        {"text": "The council met on Tuesday.", "title": "Met", "url": "https://x.example/1"},
        {"text": html, "date": "2021-03-01", "author": ["A B", "C D"]},
    ]
    jsonl = "".join(json.dumps(r) + "\n" for r in records)
    feed = (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
        "<item><title>A</title><link>https://x.example/a</link>"
        "<pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate>"
        "<description>The river rose by two metres, officials said.</description></item>"
        "<item><content:encoded><![CDATA[<p>Some <b>HTML</b> text here.</p>]]>"
        "</content:encoded></item></channel></rss>"
    )
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>S</title>'
        '<link href="https://a.example/s"/><published>2021-03-05</published>'
        '<content type="xhtml"><div><p>A storm hit the coast.</p></div></content></entry></feed>'
    )
    if target == "text" or target == "normalise":
        return [text.encode(), text.encode("utf-16"), "Café crème".encode("cp1252")]
    if target == "html":
        return [html.encode()]
    if target == "jsonl":
        return [jsonl.encode()]
    if target == "json":  # an array, one object, an API's wrapper
        return [
            json.dumps(records).encode(),
            json.dumps(records[0]).encode(),
            json.dumps({"response": {"docs": records}, "status": "ok"}).encode(),
        ]
    if target == "csv":
        return [b'title,text\nA,"The council met, on Tuesday."\nB,Second row.\n']
    if target == "feed":
        return [feed.encode(), atom.encode()]
    if target == "warc":
        return [_warc(html.encode()), _warc(b"Plain text body.", "text/plain")]
    if target == "gzip":
        return [gzip.compress(jsonl.encode())]
    raise ValueError(target)


def _warc(payload: bytes, ctype: str = "text/html") -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://x.example/p", "response", payload=io.BytesIO(payload), http_headers=http
    )
    writer.write_record(record)
    record.raw_stream.close()
    return out.getvalue()


def make_checker(target: str, workdir: Path) -> Callable[[bytes], int]:
    """A function that reads ``data`` as ``target`` and raises on any broken invariant.

    Returns how many articles were accepted (for the caller's curiosity only).
    """
    from presslens.errors import InputError
    from presslens.readers import RawDocument, normalise, read_articles
    from presslens.readers.codes import CODES
    from presslens.readers.lines import INVISIBLE_RE
    from presslens.settings import Settings

    settings = Settings(max_article_bytes=MAX_BYTES)
    nfc = partial(unicodedata.normalize, "NFC")
    path = workdir / (TARGETS[target] or "unused")

    def check_article(art: object, raw: str | None) -> None:
        from presslens.model import Article

        assert isinstance(art, Article), art
        art.check()  # every span's text is text[start:end]
        text = art.text
        assert text == text.strip() and "\n\n\n" not in text, repr(text[:80])
        assert unicodedata.is_normalized("NFC", text), repr(text[:80])
        covered = 0
        for ns, ne, rs, re_ in art.offset_map:
            assert 0 <= ns <= ne <= len(text) and ns >= covered, (ns, ne, covered)
            covered = ne
            if raw is None:
                continue
            assert 0 <= rs <= re_ <= len(raw), (rs, re_, len(raw))
            if ne - ns == re_ - rs:  # copied, or rewritten in place character by character
                for t, r in zip(text[ns:ne], raw[rs:re_], strict=True):
                    # whitespace (and invisible controls) between words and paragraphs may be
                    # rewritten as the separator; letters only ever by their NFC form
                    spacing = t.isspace() and (r.isspace() or INVISIBLE_RE.fullmatch(r))
                    assert t == r or spacing or nfc(r) == t, (t, r)
        assert covered == len(text), (covered, len(text))

    def check_error(err: InputError) -> None:
        assert err.code in CODES, err.code
        assert err.where and err.hint, err

    if target == "normalise":

        def run(data: bytes) -> int:
            raw = data.decode("utf-8", "replace")
            doc = RawDocument(source="<fuzz>", key="k", raw=raw, format="text")
            try:
                art = normalise(doc, settings)
            except InputError as exc:
                check_error(exc)
                assert exc.code == "P117"
                return 0
            check_article(art, raw)
            return 1

        return run

    def run_file(data: bytes) -> int:
        path.write_bytes(data)
        accepted = 0
        for item in read_articles([str(path)], settings):
            if isinstance(item, InputError):
                check_error(item)
            else:
                # raw (decoded file, record field, extracted text) is not kept on the article
                check_article(item, None)
                accepted += 1
        return accepted

    return run_file


def child(
    target: str, runs: int, max_time: int, timeout: int, artifacts: Path, workdir: Path
) -> None:
    """Run libFuzzer on one target (never returns: libFuzzer exits the process)."""
    import atheris

    with atheris.instrument_imports(include=["presslens"]):
        import presslens.readers  # noqa: F401 - instrumented for coverage feedback

    corpus = workdir / "corpus"
    corpus.mkdir()
    for i, seed in enumerate(seeds(target)):
        (corpus / f"seed{i}").write_bytes(seed)
    check = make_checker(target, workdir)

    def one_input(data: bytes) -> None:
        check(data)

    artifacts.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.argv[0],
        str(corpus),
        f"-runs={runs}",
        f"-max_total_time={max_time}",
        f"-timeout={timeout}",
        f"-artifact_prefix={artifacts}/{target}-",
        "-max_len=20000",
        "-rss_limit_mb=3072",
        "-print_final_stats=1",
    ]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def replay(target: str, file: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="presslens-replay-") as workdir:
        check = make_checker(target, Path(workdir))
        accepted = check(file.read_bytes())
    print(f"{target}: no crash on {file} ({accepted} articles accepted)")
    return 0


def orchestrate(targets: list[str], runs: int, max_time: int, timeout: int, artifacts: Path) -> int:
    """Run each target in a subprocess and print what it tried and what broke."""
    print(f"{'target':<10} {'inputs tried':>12} {'crashes':>8} {'seconds':>8}")
    total_inputs = total_crashes = 0
    failures: list[str] = []
    for target in targets:
        start = time.monotonic()
        workdir = tempfile.TemporaryDirectory(prefix=f"presslens-fuzz-{target}-")
        cmd = [
            sys.executable,
            os.path.abspath(__file__),
            "--child",
            target,
            "--runs",
            str(runs),
            "--max-time",
            str(max_time),
            "--timeout",
            str(timeout),
            "--artifacts",
            str(artifacts),
            "--workdir",
            workdir.name,
        ]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=max_time * 3 + 120, check=False
            )
        finally:
            workdir.cleanup()
        out = proc.stdout + proc.stderr
        done = _DONE_RE.search(out)
        stats = _STAT_RE.findall(out)
        inputs = int(done.group(1)) if done else int(stats[-1]) if stats else 0
        crashes = 0 if proc.returncode == 0 else 1
        total_inputs += inputs
        total_crashes += crashes
        seconds = time.monotonic() - start
        print(f"{target:<10} {inputs:>12,} {crashes:>8} {seconds:>8.1f}", flush=True)
        if crashes:
            failures.append(f"--- {target} (exit {proc.returncode}) ---\n{out[-4000:]}")
    print(f"{'total':<10} {total_inputs:>12,} {total_crashes:>8}")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if total_crashes else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    parser.add_argument("--runs", type=int, default=2000, help="inputs per target")
    parser.add_argument("--max-time", type=int, default=5, help="seconds per target")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--long", action="store_true", help="100,000 inputs or 10 min each")
    parser.add_argument("--artifacts", type=Path, default=Path("fuzz-artifacts"))
    parser.add_argument("--child", choices=sorted(TARGETS), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--replay", type=Path, help="check one saved input (with --target)")
    args = parser.parse_args(argv)
    if args.long:
        args.runs, args.max_time = 100_000, 600
    if args.child:
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="presslens-fuzz-"))
        child(args.child, args.runs, args.max_time, args.timeout, args.artifacts.resolve(), workdir)
        return 0
    if args.replay:
        (target,) = args.target or ["text"]
        return replay(target, args.replay)
    targets = args.target or list(TARGETS)
    return orchestrate(targets, args.runs, args.max_time, args.timeout, args.artifacts.resolve())


if __name__ == "__main__":
    sys.exit(main())
