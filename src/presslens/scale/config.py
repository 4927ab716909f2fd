"""The run config of ``presslens run``: one TOML file says what to read, how, and where to.

Example::

    [run]
    inputs = ["feeds/**/*.jsonl.gz", "crawl/"]   # files, folders, globs
    output = "out/parquet"                       # the Parquet output folder
    engine = "dask"                              # "local" (default) or "dask"
    scheduler = "tcp://10.0.0.5:8786"            # Dask only; omitted: a local cluster
    workers = 8                                  # local pool size / local Dask cluster size
    shard_size = 500                             # articles per shard
    pipeline = "pipeline.toml"                   # optional; default: the built-in pipeline
    stages = ["spacy", "entities", "genre"]      # optional: run only these stages

    [settings]                                   # like --set
    text_field = "body"

    [stage_options]                              # like --set-stage
    "attributions.scorer" = "rules"

Relative paths (inputs, output, pipeline) are relative to the config file's folder, so a
config and its data can move together.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presslens.errors import ConfigError
from presslens.pipeline import apply_stage_overrides, check_config, load_config
from presslens.scale.codes import BAD_RUN_CONFIG, bad_config
from presslens.scale.engines import ENGINES
from presslens.settings import Settings, load_settings

_RUN_KEYS = {"inputs", "output", "engine", "scheduler", "workers", "shard_size", "pipeline",
             "stages"}  # fmt: skip
_TOP_KEYS = {"run", "settings", "stage_options"}


@dataclass
class RunSpec:
    """A parsed run config, with paths resolved and the pipeline config built."""

    inputs: list[str]
    output: Path
    engine: str = "local"
    scheduler: str | None = None
    workers: int = 1
    shard_size: int = 500
    config: dict[str, Any] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)


def load_run_config(path: str | Path) -> RunSpec:
    """Parse and check a run config (errors are ConfigError P702 naming the key)."""
    path = Path(path)
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise bad_config(
            f"cannot read the run config: {exc.strerror or exc}",
            where=where,
            hint="Check the path.",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise bad_config(
            f"the run config is not valid TOML: {exc}", where=where, hint="Fix the TOML syntax."
        ) from None
    unknown = set(data) - _TOP_KEYS
    run = data.get("run")
    if unknown or not isinstance(run, dict):
        raise bad_config(
            f"unknown tables {sorted(unknown)}" if unknown else "no [run] table",
            where=where,
            hint="A run config has [run], and optionally [settings] and [stage_options].",
        )
    bad = set(run) - _RUN_KEYS
    if bad:
        raise bad_config(
            f"unknown keys in [run]: {sorted(bad)}",
            where=where,
            hint=f"Known keys: {', '.join(sorted(_RUN_KEYS))}.",
        )
    base = path.resolve().parent
    inputs = _get(run, "inputs", list, where)
    if not inputs or not all(isinstance(i, str) for i in inputs):
        raise bad_config(
            "[run] inputs must be a non-empty list of paths or globs",
            where=where,
            hint='Example: inputs = ["articles/", "feeds/*.jsonl"].',
        )
    if "output" not in run:
        raise bad_config(
            "[run] has no output folder", where=where, hint='Add output = "out/parquet".'
        )
    if isinstance(run["output"], str) and run["output"].strip() in ("", "."):
        # it would be the config's own folder, which --force may then clear
        raise bad_config(
            "[run] output must name a folder of its own, not the config's folder",
            where=where,
            hint='Use output = "out/parquet".',
        )
    engine = _get(run, "engine", str, where, "local")
    if engine not in ENGINES:
        raise bad_config(
            f"[run] engine {engine!r} is not one of {', '.join(ENGINES)}",
            where=where,
            hint='Use engine = "local" or engine = "dask".',
        )
    table = data.get("settings")
    in_settings = table.get("workers") if isinstance(table, dict) else None
    if "workers" in run and in_settings is not None and in_settings != run["workers"]:
        raise bad_config(
            f"[settings] workers = {in_settings!r} contradicts [run] workers = {run['workers']!r}",
            where=where,
            hint="Set the pool size once, as [run] workers.",
        )
    if in_settings is not None and (
        isinstance(in_settings, bool) or not isinstance(in_settings, int)
    ):
        raise bad_config(
            f"[settings] workers must be an integer, got {in_settings!r}",
            where=where,
            hint="Set the pool size as [run] workers = 4.",
        )
    # [settings] workers alone was silently replaced by [run]'s default of 1
    workers = _get(run, "workers", int, where, 1 if in_settings is None else in_settings)
    shard_size = _get(run, "shard_size", int, where, 500)
    if workers < 1 or shard_size < 1:
        raise bad_config(
            "[run] workers and shard_size must be at least 1", where=where, hint="Fix the value."
        )
    pipeline = _get(run, "pipeline", str, where, "")
    with _run_config_error(where, "[run] pipeline"):
        config = load_config(base / pipeline if pipeline else None)
    stages = run.get("stages")
    if stages is not None:
        if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
            raise bad_config(
                "[run] stages must be a list of stage names", where=where, hint="Fix the value."
            )
        config.setdefault("pipeline", {})["stages"] = list(stages)
    overrides = data.get("stage_options", {})
    settings_table = data.get("settings", {})
    if not isinstance(overrides, dict) or not isinstance(settings_table, dict):
        raise bad_config(
            "[settings] and [stage_options] must be tables", where=where, hint="Fix the TOML."
        )
    with _run_config_error(where, "[settings]"):
        settings = load_settings({**settings_table, "workers": workers})
    with _run_config_error(where, "[stage_options]"):
        config = apply_stage_overrides(config, overrides, parse=False)
    with _run_config_error(where, "[run] stages" if stages is not None else "[run] pipeline"):
        check_config(config)
    return RunSpec(
        inputs=[_resolve(base, i) for i in inputs],
        output=Path(_resolve(base, _get(run, "output", str, where))),
        engine=engine,
        scheduler=_get(run, "scheduler", str, where, "") or None,
        workers=workers,
        shard_size=shard_size,
        config=config,
        settings=settings,
    )


def _get(run: dict[str, Any], key: str, kind: type, where: str, default: Any = None) -> Any:
    value = run.get(key, default)
    if value is None or isinstance(value, bool) or not isinstance(value, kind):
        raise bad_config(
            f"[run] {key} must be a {kind.__name__}, got {value!r}",
            where=where,
            hint="See `presslens run --help` for an example config.",
        )
    return value


def _resolve(base: Path, item: str) -> str:
    """Relative to the config's folder; absolute paths and URLs-like strings unchanged."""
    path = Path(item).expanduser()
    return item if path.is_absolute() else str(base / item)


@contextmanager
def _run_config_error(where: str, table: str) -> Iterator[None]:
    """A settings or pipeline error found in the run config becomes P702, naming the file
    and the table, so it stops the run at load time instead of failing every shard."""
    try:
        yield
    except ConfigError as exc:
        if exc.code == BAD_RUN_CONFIG:
            raise
        raise bad_config(f"{table}: {exc.message}", where=where, hint=exc.hint or "") from None
