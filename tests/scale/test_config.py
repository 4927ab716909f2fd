"""The run config of `presslens run`: paths, pipeline, settings and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.errors import PresslensError
from presslens.scale import load_run_config
from presslens.scale.plan import file_kind


def test_run_config_resolves_paths_and_builds_pipeline_and_settings(tmp_path: Path) -> None:
    (tmp_path / "pipe.toml").write_text(
        '[pipeline]\nstages = ["spacy", "entities", "genre"]\n'
        '[stages.spacy]\nimpl = "presslens.spacy.v1"\n'
        '[stages.entities]\nimpl = "presslens.entities.v1"\n'
        '[stages.genre]\nimpl = "presslens.genre.v1"\n',
        encoding="utf-8",
    )
    cfg = tmp_path / "run.toml"
    cfg.write_text(
        """
[run]
inputs = ["feeds/*.jsonl", "/abs/folder"]
output = "out/parquet"
engine = "dask"
scheduler = "tcp://10.0.0.5:8786"
workers = 4
shard_size = 250
pipeline = "pipe.toml"

[settings]
text_field = "body"

[stage_options]
"genre.opinion_threshold" = 1.5
""",
        encoding="utf-8",
    )
    spec = load_run_config(cfg)
    assert spec.inputs == [str(tmp_path / "feeds/*.jsonl"), "/abs/folder"]
    assert spec.output == tmp_path / "out" / "parquet"
    assert (spec.engine, spec.scheduler, spec.workers, spec.shard_size) == (
        "dask", "tcp://10.0.0.5:8786", 4, 250,
    )  # fmt: skip
    assert spec.config["pipeline"]["stages"] == ["spacy", "entities", "genre"]
    assert spec.config["stages"]["genre"]["opinion_threshold"] == 1.5
    assert (spec.settings.text_field, spec.settings.workers) == ("body", 4)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('[run]\noutput = "o"\n', "inputs"),
        ('[run]\ninputs = ["a"]\n', "output"),
        ('[run]\ninputs = ["a"]\noutput = "o"\nengine = "spark"\n', "spark"),
        ('[run]\ninputs = ["a"]\noutput = "o"\nworkers = "4"\n', "workers"),
        ('[run]\ninputs = ["a"]\noutput = "o"\nworkers = 0\n', "at least 1"),
        ('[run]\ninputs = ["a"]\noutput = "o"\n[extras]\nx = 1\n', "extras"),
        ("[run\n", "TOML"),
        (
            '[run]\ninputs = ["a"]\noutput = "o"\nworkers = 4\n[settings]\nworkers = 3\n',
            "contradicts",
        ),
    ],
)
def test_bad_run_configs_name_what_is_wrong(tmp_path: Path, body: str, needle: str) -> None:
    cfg = tmp_path / "run.toml"
    cfg.write_text(body, encoding="utf-8")
    with pytest.raises(PresslensError) as info:
        load_run_config(cfg)
    assert info.value.code == "P702" and info.value.where == str(cfg)
    assert needle in info.value.message


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "single"),
        ("a.html.gz", "single"),
        ("README", "single"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson.gz", "jsonl"),
        ("a.parquet", "parquet"),
        ("a.csv", "multi"),
        ("crawl.warc.gz", "multi"),
        ("feed.rss", "multi"),
    ],
)
def test_files_are_sharded_by_kind(name: str, kind: str) -> None:
    assert file_kind(Path(name)) == kind


def test_every_public_name_of_the_scale_package_resolves() -> None:
    import presslens.scale as scale

    assert all(getattr(scale, name) is not None for name in scale.__all__)
    with pytest.raises(AttributeError):
        scale.no_such_name  # noqa: B018 - the attribute access is the test


def test_settings_workers_alone_sizes_the_pool(tmp_path: Path) -> None:
    """[run]'s default of 1 silently replaced a [settings] workers = 3."""
    cfg = tmp_path / "run.toml"
    cfg.write_text('[run]\ninputs = ["a"]\noutput = "o"\n[settings]\nworkers = 3\n')
    spec = load_run_config(cfg)
    assert spec.workers == 3 and spec.settings.workers == 3
