"""Bad settings, stage options and run configs stop a run at start with a clear error (P400,
or P702 for a run config) naming the key and what it takes, never a traceback or a P200
failure per article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.errors import ConfigError, PresslensError
from presslens.pipeline import (
    apply_stage_overrides,
    check_config,
    default_config,
    stage_option_specs,
)
from presslens.registry import STAGES, load_builtins
from presslens.scale import load_run_config
from presslens.settings import SETTINGS, Settings, load_settings


def cli(*args: str) -> tuple[int, dict[str, Any]]:
    """Exit code and the JSON error of a command that must fail before reading any input."""
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)["error"]


# -- settings (--set) ------------------------------------------------------------------------


def test_every_default_setting_loads_and_round_trips_as_text() -> None:
    assert load_settings() == Settings()
    as_text = {s.name: str(s.default) for s in SETTINGS}
    assert load_settings(as_text) == Settings()


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("csv_delimiter", "", "exactly one character"),
        ("csv_delimiter", "ab", "exactly one character"),
        ("csv_delimiter", '"', "not a quote"),
        ("batch_size", "0", "from 1 to 10,000"),
        ("batch_size", "-5", "from 1 to 10,000"),
        ("batch_size", "abc", "integer"),
        ("batch_size", "2.5", "integer"),
        ("workers", "0", "from 1 to 1,024"),
        ("max_article_bytes", "-1", "from 1 to"),
        ("max_article_bytes", "0", "from 1 to"),
        ("repeated_line_min_articles", "0", "at least 2"),
        ("repeated_line_min_articles", "1", "at least 2"),
        ("repeated_line_max_words", "-1", "at least 0"),
        ("title_max_chars", "-1", "at least 0"),
        ("text_field", "", "non-empty"),
        ("id_field", "", "non-empty"),
        ("spacy_model", "", "non-empty"),
        ("spacy_model", "../x", "package name"),
        ("encoding", "no-such-codec", "codec"),
        ("encoding", "base64", "codec"),
    ],
)
def test_bad_setting_is_a_p400_naming_it(name: str, value: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({name: value})
    assert info.value.code == "P400"
    assert f"'{name}'" in info.value.message and needle in info.value.message


@pytest.mark.parametrize(
    ("name", "value"),
    [("batch_size", 2.5), ("batch_size", True), ("text_field", 5), ("csv_delimiter", 9)],
)
def test_typed_setting_values_of_the_wrong_type_are_refused(name: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_settings_built_directly_are_checked_too() -> None:
    with pytest.raises(ConfigError, match="'batch_size'"):
        Settings(batch_size=0)
    with pytest.raises(ConfigError, match="'csv_delimiter'"):
        Settings(csv_delimiter="ab")


def test_a_tab_delimiter_can_be_spelled_out() -> None:
    assert load_settings({"csv_delimiter": "\\t"}).csv_delimiter == "\t"
    assert load_settings({"csv_delimiter": "tab"}).csv_delimiter == "\t"
    assert load_settings({"csv_delimiter": ";"}).csv_delimiter == ";"
    assert load_settings({"batch_size": "1_000", "encoding": "cp1252"}).batch_size == 1000


@pytest.mark.parametrize(
    ("assignment", "needle"),
    [
        ("csv_delimiter=", "csv_delimiter"),
        ("csv_delimiter=ab", "csv_delimiter"),
        ("batch_size=0", "batch_size"),
        ("batch_size=-5", "batch_size"),
        ("max_article_bytes=-1", "max_article_bytes"),
        ("title_max_chars=-1", "title_max_chars"),
    ],
)
def test_cli_refuses_a_bad_setting_before_reading(
    tmp_path: Path, assignment: str, needle: str
) -> None:
    (tmp_path / "a.txt").write_text("Some words.\n", encoding="utf-8")
    code, err = cli("analyze", str(tmp_path), "--no-store", "--set", assignment)
    assert code == 3 and err["code"] == "P400" and needle in err["message"]


def test_cli_workers_option_is_range_checked(tmp_path: Path) -> None:
    code, err = cli("analyze", str(tmp_path), "--no-store", "--workers", "0")
    assert code == 3 and err["code"] == "P400" and "'workers'" in err["message"]


# -- stage options (--set-stage) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ("attributions.min_score=abc", "attributions.min_score must be a number from 0 to 1"),
        ("attributions.speaker_window=abc", "attributions.speaker_window must be an integer"),
        ("attributions.speaker_window=2.5", "attributions.speaker_window must be an integer"),
        ("attributions.epistemic=maybe", "attributions.epistemic must be true or false"),
        ("techniques.threshold=abc", "techniques.threshold must be a number"),
        ("techniques.threshold=nan", "techniques.threshold must be a number"),
        ("techniques.threshold=1.5", "from 0 to 1"),
        ("entities.propagate=1", "entities.propagate must be true or false"),
        ("spacy.model=5", "spacy.model must be a string"),
    ],
)
def test_bad_stage_option_value_is_a_p400_naming_stage_key_and_type(
    override: str, needle: str
) -> None:
    key, _, value = override.partition("=")
    with pytest.raises(ConfigError) as info:
        apply_stage_overrides(default_config(), {key: value})
    assert info.value.code == "P400" and needle in info.value.message


def test_unknown_stage_option_lists_the_valid_keys() -> None:
    with pytest.raises(ConfigError) as info:
        apply_stage_overrides(default_config(), {"attributions.nope": "1"})
    assert "'attributions'" in info.value.message and "'nope'" in info.value.message
    assert "speaker_window" in (info.value.hint or "") and "min_score" in (info.value.hint or "")
    with pytest.raises(ConfigError, match="no option 'x'"):
        apply_stage_overrides(default_config(), {"events.x": "1"})


def test_good_stage_options_are_converted() -> None:
    config = apply_stage_overrides(
        default_config(),
        {
            "attributions.epistemic": "False",
            "attributions.min_score": "1",
            "attributions.scorer": "rules",
            "techniques.paragraphs": "false",
            "genre.opinion_threshold": "-0.5",
        },
    )
    stages = config["stages"]
    assert stages["attributions"]["epistemic"] is False
    assert stages["attributions"]["min_score"] == 1.0
    assert stages["techniques"]["paragraphs"] is False
    assert stages["genre"]["opinion_threshold"] == -0.5
    check_config(config)


def test_an_options_class_check_runs_at_override_time() -> None:
    with pytest.raises(ConfigError, match="unknown attribution scorer"):
        apply_stage_overrides(default_config(), {"attributions.scorer": "bogus"})


def test_every_built_in_stage_declares_its_options_and_the_default_config_checks() -> None:
    load_builtins()
    for impl, spec in STAGES.items():
        if impl.startswith("presslens."):
            assert stage_option_specs(spec) is not None, impl
    check_config(default_config())


def test_a_pipeline_config_with_a_bad_option_fails_when_checked() -> None:
    config = default_config()
    config["stages"]["claims"]["threshold"] = "high"
    with pytest.raises(ConfigError, match=r"claims\.threshold must be a number"):
        check_config(config)


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ("attributions.min_score=abc", "attributions.min_score"),
        ("attributions.nope=1", "no option 'nope'"),
        ("attributions.epistemic=maybe", "true or false"),
    ],
)
def test_cli_refuses_a_bad_stage_option_before_reading(
    tmp_path: Path, override: str, needle: str
) -> None:
    code, err = cli("analyze", str(tmp_path), "--no-store", "--set-stage", override)
    assert code == 3 and err["code"] == "P400" and needle in err["message"]


# -- the run config of `presslens run` --------------------------------------------------------


def write_run_config(tmp_path: Path, extra: str) -> Path:
    cfg = tmp_path / "run.toml"
    cfg.write_text(f'[run]\ninputs = ["in/"]\noutput = "out"\n{extra}', encoding="utf-8")
    return cfg


@pytest.mark.parametrize(
    ("extra", "needles"),
    [
        ("[settings]\nbatch_size = 2.5\n", ["[settings]", "'batch_size'", "integer"]),
        ("[settings]\nbatch_size = 0\n", ["[settings]", "'batch_size'", "from 1"]),
        ("[settings]\ntext_field = 5\n", ["[settings]", "'text_field'", "string"]),
        ('[settings]\ncsv_delimiter = ""\n', ["[settings]", "'csv_delimiter'"]),
        ("[settings]\nnope = 1\n", ["[settings]", "unknown setting 'nope'"]),
        (
            '[stage_options]\n"attributions.min_score" = "abc"\n',
            ["[stage_options]", "attributions.min_score", "number"],
        ),
        (
            '[stage_options]\n"attributions.speaker_window" = "3"\n',
            ["[stage_options]", "attributions.speaker_window", "integer"],
        ),
        (
            '[stage_options]\n"attributions.epistemic" = "maybe"\n',
            ["[stage_options]", "true or false"],
        ),
        ('[stage_options]\n"attributions.nope" = 1\n', ["[stage_options]", "'nope'"]),
        ('[stage_options]\n"nosuch.key" = 1\n', ["[stage_options]", "nosuch.key"]),
        ('stages = ["spacy", "nosuch"]\n', ["[run] stages", "'nosuch'"]),
        ('stages = ["entities"]\n', ["[run] stages", "requires"]),
        ('pipeline = "missing.toml"\n', ["[run] pipeline", "cannot read"]),
    ],
)
def test_bad_run_config_is_p702_naming_file_and_table(
    tmp_path: Path, extra: str, needles: list[str]
) -> None:
    cfg = write_run_config(tmp_path, extra)
    with pytest.raises(PresslensError) as info:
        load_run_config(cfg)
    assert info.value.code == "P702" and info.value.where == str(cfg)
    for needle in needles:
        assert needle in info.value.message


def test_good_run_config_values_keep_their_toml_types(tmp_path: Path) -> None:
    cfg = write_run_config(
        tmp_path,
        '[settings]\nbatch_size = 8\ncsv_delimiter = ";"\n'
        '[stage_options]\n"attributions.epistemic" = false\n"attributions.min_score" = 1\n'
        '"attributions.scorer" = "rules"\n',
    )
    spec = load_run_config(cfg)
    assert (spec.settings.batch_size, spec.settings.csv_delimiter) == (8, ";")
    options = spec.config["stages"]["attributions"]
    assert (options["epistemic"], options["min_score"], options["scorer"]) == (False, 1.0, "rules")


def test_cli_run_reports_a_bad_run_config_as_p702(tmp_path: Path) -> None:
    cfg = write_run_config(tmp_path, "[settings]\nbatch_size = 2.5\n")
    code, err = cli("run", str(cfg))
    assert code == 3 and err["code"] == "P702" and "batch_size" in err["message"]
