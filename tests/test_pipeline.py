from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presslens.api import analyze
from presslens.errors import ConfigError, InputError
from presslens.pipeline import Pipeline, apply_stage_overrides, default_config
from presslens.registry import stage

pytestmark = pytest.mark.slow


def test_pipeline_is_checked_when_built_not_halfway_through() -> None:
    config = default_config()
    config["pipeline"]["stages"] = ["entities", "spacy", "genre"]
    with pytest.raises(ConfigError, match="requires doc"):
        Pipeline.from_config(config)


def test_unknown_stage_implementation_is_a_config_error() -> None:
    config = default_config()
    config["stages"]["genre"]["impl"] = "presslens.nope.v9"
    with pytest.raises(ConfigError, match="no stage implementation named"):
        Pipeline.from_config(config)


def test_stage_override_must_name_a_configured_stage() -> None:
    with pytest.raises(ConfigError, match="cannot override"):
        apply_stage_overrides(default_config(), {"nosuch.key": "1"})


@stage("tests.explode.v1", requires=("text",), assigns=())
def _explode(_settings: object) -> object:
    def run(articles: list) -> list:  # type: ignore[type-arg]
        if any("EXPLODE" in a.text for a in articles):
            raise RuntimeError("boom")
        return articles

    return run


def test_a_failing_article_is_isolated_from_its_batch() -> None:
    from presslens.model import Article

    config = default_config()
    config["pipeline"]["stages"] = ["explode"]
    config["stages"]["explode"] = {"impl": "tests.explode.v1"}
    pipe = Pipeline.from_config(config)
    arts = [
        Article(text=t, source=f"{i}.txt").ensure_id()
        for i, t in enumerate(["fine", "EXPLODE here", "also fine"])
    ]
    done, failed = pipe.run(arts)
    assert [a.text for a in done] == ["fine", "also fine"]
    assert len(failed) == 1 and "boom" in str(failed[0].error)
    assert "1.txt" in str(failed[0].error)


words = st.sampled_from(
    [
        "Anna",
        "Koval",
        "said",
        "the",
        "port",
        "“closed”",
        '"no"',
        "14",
        "Kestrava",
        "–",
        "he",
        "?",
        ".",
        "\n\n",
        "  ",
        "Mr.",
        "Directorate",
    ]
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(words, min_size=1, max_size=60).map(" ".join))
def test_every_span_of_the_whole_pipeline_is_true(text: str) -> None:
    try:
        art = analyze(text)
    except InputError:
        return  # whitespace-only inputs are refused, as they should be
    art.check()
    offsets = art.offsets
    for spans in art.layers.values():
        for s in spans:
            assert art.text[s.start : s.end] == s.text
            rs, re_ = offsets.span_to_raw(s.start, s.end)
            assert text[rs:re_].split() == s.text.split()


def test_public_analyze_reads_text_and_returns_checked_layers() -> None:
    import presslens

    art = presslens.analyze("Port Elin – Mayor Anna Koval said the harbour will reopen.")
    assert art.meta["dateline"]["place"] == "Port Elin"
    assert any(c.name == "Anna Koval" and c.label == "PERSON" for c in art.clusters)
    assert art.meta["genre"]["label"] in {"reporting", "opinion", "satire"}
    art.check()


def test_public_analyze_takes_a_long_line_or_a_nul_as_text_not_a_path(tmp_path: Path) -> None:
    """A one-line article longer than a file name (255 bytes here) used to raise "File name
    too long" while analyze asked whether it named a file."""
    import presslens

    line = "Mayor Anna Koval said the harbour will reopen after the storm damage is repaired. " * 5
    assert 255 < len(line) < 4096 and "\n" not in line
    art = presslens.analyze(line)
    assert art.text == line.strip() and art.layer("sentences")
    assert presslens.analyze("Anna Koval\x00 spoke.").text.startswith("Anna Koval")
    path = tmp_path / "short.txt"  # a short line that names a file is still read as a path
    path.write_text("Anna Koval opened the bridge.", encoding="utf-8")
    assert presslens.analyze(str(path)).text == "Anna Koval opened the bridge."


def test_text_over_the_parser_limit_fails_alone_with_a_clear_error() -> None:
    from presslens.model import Article
    from presslens.nlp import load_nlp
    from presslens.settings import Settings

    limit = load_nlp(Settings().spacy_model).max_length
    pipe = Pipeline.from_config(default_config())
    big = Article(text="word " * (limit // 5 + 10), source="big.txt").ensure_id()
    small = Article(text="Anna Koval opened the bridge.", source="small.txt").ensure_id()
    done, failed = pipe.run([big, small])
    assert [a.source for a in done] == ["small.txt"]
    assert "over the parser's limit" in str(failed[0].error)
    assert "big.txt" in str(failed[0].error)
