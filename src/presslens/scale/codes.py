"""Error codes of scale-out runs (P700–P719) and the errors that carry them.

The classes stay inside the one exception tree: a missing extra or a bad run config is a
:class:`ConfigError`, an unreadable input shard an :class:`InputError`, an unusable output
folder a :class:`ScaleError` (a :class:`StoreError`, since the Parquet folder is a store).
"""

from __future__ import annotations

from presslens.errors import ConfigError, StoreError


class ScaleError(StoreError):
    """A scale-out run could not read or write its Parquet output or reach its engine."""

    code = "P700"


#: Dask (``presslens[dask]``) is not installed.
DASK_MISSING = "P701"
#: The run config (TOML) cannot be read or has a wrong, unknown or missing key.
BAD_RUN_CONFIG = "P702"
#: The Dask scheduler cannot be reached.
SCHEDULER_UNREACHABLE = "P703"
#: A Parquet article shard given as input cannot be read or lacks the text column.
BAD_PARQUET_INPUT = "P704"
#: The output folder holds shards of a different presslens version, config, model or settings.
PIPELINE_MISMATCH = "P705"
#: The output folder cannot be created or written, or a shard's output cannot be committed.
OUTPUT_UNWRITABLE = "P706"
#: A folder given to ``presslens load`` or the DuckDB readers holds no presslens Parquet run.
NOT_A_RUN = "P707"
#: A shard task died or its worker was lost (the shard is retried on the next run).
SHARD_FAILED = "P708"
#: A committed shard's rows do not rebuild into a valid article (the files were altered).
BAD_SHARD = "P709"


def dask_missing(exc: ImportError) -> ConfigError:
    return ConfigError(
        f"the Dask engine needs the 'dask' extra, which is not installed ({exc})",
        code=DASK_MISSING,
        hint="Install it with `pip install 'presslens[dask]'`, or use --engine local.",
    )


def bad_config(message: str, *, where: str, hint: str) -> ConfigError:
    return ConfigError(message, where=where, hint=hint, code=BAD_RUN_CONFIG)
