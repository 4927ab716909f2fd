"""The output folder of a run: Parquet shards committed atomically, with done-markers.

Layout::

    OUT/_run.json                      what made this folder (pipeline and settings fingerprint)
    OUT/articles/shard-<hash>.parquet  one file per shard and table (zstd)
    OUT/spans/shard-<hash>.parquet
    OUT/entities/shard-<hash>.parquet
    OUT/_done/shard-<hash>.json        done-marker: ids, counts, errors, warnings, worker
    OUT/errors.jsonl                   every failure of the run (rewritten at the end of a run)
    OUT/warnings.jsonl                 P128 of every article not in English (rewritten likewise)
    OUT/_known_ids.npy                 ids committed before this run, for the workers to skip

A shard is committed in order: each table to a temporary name, renamed into place, and only
then the marker (also written to a temporary name and renamed). A shard *exists* only when its
marker does: readers list markers, never globs, so a run killed between two renames leaves
files nobody reads, and the next run rewrites them.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from presslens.scale.codes import NOT_A_RUN, OUTPUT_UNWRITABLE, PIPELINE_MISMATCH, ScaleError
from presslens.scale.schema import TABLES

RUN_FILE = "_run.json"
DONE_DIR = "_done"
ERRORS_FILE = "errors.jsonl"
#: The P128 warnings of the folder's articles (not in English: analysed, results unreliable).
WARNINGS_FILE = "warnings.jsonl"
#: Ids committed before the current run (sorted uint64, see scale.ids), read by workers.
KNOWN_FILE = "_known_ids.npy"
#: zstd level 3: most of level 9's size at a fraction of its time (text compresses ~4x).
ZSTD_LEVEL = 3
#: Rows per Parquet row group: DuckDB reads row groups in parallel and skips by stats.
ROW_GROUP_ROWS = 8192


class OutputDir:
    """One run's output folder (see the module doc)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # -- run manifest -----------------------------------------------------------------------
    def prepare(self, manifest: dict[str, Any], *, force: bool = False) -> None:
        """Create the folder, or check an existing one was made by the same pipeline.

        ``force`` deletes the shards of a different (or the same) pipeline first.
        """
        old = self.manifest()
        if old is not None and force:
            self.clear()
            old = None
        if old is not None and old.get("fingerprint") != manifest["fingerprint"]:
            raise ScaleError(
                "the output folder holds shards made by a different pipeline (presslens "
                f"version, config, model or reading settings): {old.get('fingerprint')} here, "
                f"{manifest['fingerprint']} now",
                where=str(self.path),
                hint="Write to a new folder, or pass --force to delete these shards and start "
                "over.",
                code=PIPELINE_MISMATCH,
            )
        try:
            for sub in (*TABLES, DONE_DIR):
                (self.path / sub).mkdir(parents=True, exist_ok=True)
            for folder in (self.path, *(self.path / sub for sub in (*TABLES, DONE_DIR))):
                for tmp in folder.glob(".*.tmp"):  # left by a killed run
                    tmp.unlink(missing_ok=True)
            if old is None:
                self._write_json(self.path / RUN_FILE, manifest)
        except OSError as exc:
            raise _unwritable(self.path, exc) from exc

    def manifest(self) -> dict[str, Any] | None:
        path = self.path / RUN_FILE
        if not path.is_file():
            return None
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ScaleError(
                f"cannot read the run manifest: {exc}",
                where=str(path),
                hint="Use a new output folder, or pass --force to start this one over.",
                code=NOT_A_RUN,
            ) from exc
        return data

    def require_run(self) -> None:
        """Raise unless this folder is a presslens Parquet run (for readers and ``load``)."""
        if not (self.path / RUN_FILE).is_file() or not (self.path / DONE_DIR).is_dir():
            raise ScaleError(
                "not a presslens Parquet run folder (no _run.json and _done/)",
                where=str(self.path),
                hint="Pass the --out-parquet folder of `presslens analyze` or the output "
                "folder of `presslens run`.",
                code=NOT_A_RUN,
            )
        self.manifest()  # a _run.json that is not JSON is P707 here too, not "0 articles"

    def clear(self) -> None:
        try:
            for sub in (*TABLES, DONE_DIR):
                shutil.rmtree(self.path / sub, ignore_errors=True)
            (self.path / RUN_FILE).unlink(missing_ok=True)
            (self.path / ERRORS_FILE).unlink(missing_ok=True)
            (self.path / WARNINGS_FILE).unlink(missing_ok=True)
            (self.path / KNOWN_FILE).unlink(missing_ok=True)
        except OSError as exc:
            raise _unwritable(self.path, exc) from exc

    # -- shards -----------------------------------------------------------------------------
    def markers(self) -> Iterator[dict[str, Any]]:
        """Done-markers of committed shards, in name order."""
        folder = self.path / DONE_DIR
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("shard-*.json")):
            try:
                yield json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ScaleError(
                    f"cannot read a shard's done-marker: {exc}",
                    where=str(path),
                    hint="Delete this marker; the next run redoes its shard.",
                    code=NOT_A_RUN,
                ) from exc

    def done_names(self) -> set[str]:
        folder = self.path / DONE_DIR
        return {p.stem for p in folder.glob("shard-*.json")} if folder.is_dir() else set()

    def table_file(self, table: str, shard: str) -> Path:
        return self.path / table / f"{shard}.parquet"

    def done_files(self, table: str) -> list[Path]:
        """The ``table`` files of committed shards only (never a half-written one)."""
        return [self.table_file(table, name) for name in sorted(self.done_names())]

    def commit(self, shard: str, tables: dict[str, pa.Table], marker: dict[str, Any]) -> None:
        """Write a shard's tables and then its marker, each atomically (temp file + rename)."""
        self.write_tables(shard, tables)
        self.write_marker(shard, marker)

    def write_tables(self, shard: str, tables: dict[str, pa.Table]) -> None:
        """Write a shard's tables, each to a temporary file renamed into place.

        A worker does this; the shard is not committed until :meth:`write_marker`."""
        try:
            for name, table in tables.items():
                final = self.table_file(name, shard)
                tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
                pq.write_table(
                    table,
                    tmp,
                    compression="zstd",
                    compression_level=ZSTD_LEVEL,
                    row_group_size=ROW_GROUP_ROWS,
                )
                _fsync(tmp)  # the rename must never expose a file whose bytes are not on disk
                os.replace(tmp, final)
        except OSError as exc:
            raise _unwritable(self.path, exc) from exc

    def write_marker(self, shard: str, marker: dict[str, Any]) -> None:
        """Commit a shard whose tables are written: its done-marker, atomically."""
        try:
            self._write_json(self.path / DONE_DIR / f"{shard}.json", marker)
        except OSError as exc:
            raise _unwritable(self.path, exc) from exc

    def drop_articles(self, shard: str, ids: set[str]) -> int:
        """Rewrite a written (uncommitted) shard's tables without the articles ``ids``; return
        the words of the articles left (for the marker).

        The driver does this for the rare article that two shards in flight both held."""
        keep: dict[str, pa.Table] = {}
        try:
            for name in TABLES:
                table = pq.read_table(self.table_file(name, shard))
                column = "id" if name == "articles" else "article_id"
                gone = pc.is_in(table.column(column), value_set=pa.array(sorted(ids)))
                keep[name] = table.filter(pc.invert(gone))
        except OSError as exc:
            raise _unwritable(self.path, exc) from exc
        self.write_tables(shard, keep)
        return int(pc.sum(keep["articles"].column("words")).as_py() or 0)

    def article_rows(self, shard: str, columns: list[str]) -> list[dict[str, Any]]:
        """Some columns of a committed shard's ``articles`` rows; none when its file is missing
        or damaged (``load`` and the DuckDB readers report that shard, ``P709``)."""
        try:
            table = pq.read_table(self.table_file("articles", shard), columns=columns)
        except (OSError, pa.ArrowException):
            return []
        rows: list[dict[str, Any]] = table.to_pylist()
        return rows

    def write_errors(self, errors: list[dict[str, Any]]) -> None:
        """Rewrite ``errors.jsonl`` (one JSON object per line), atomically."""
        self._write_jsonl(self.path / ERRORS_FILE, errors)

    def write_warnings(self, warnings: list[dict[str, Any]]) -> None:
        """Rewrite ``warnings.jsonl`` (one JSON object per line, shaped like the errors),
        atomically."""
        self._write_jsonl(self.path / WARNINGS_FILE, warnings)

    def _write_jsonl(self, final: Path, records: list[dict[str, Any]]) -> None:
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                for record in records:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            os.replace(tmp, final)
        except OSError as exc:
            raise _unwritable(self.path, exc) from exc

    @staticmethod
    def _write_json(path: Path, data: dict[str, Any]) -> None:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, path)


def _fsync(path: Path) -> None:
    """Flush a finished temporary file to disk, so that after a crash of the machine (not only
    of the process) a renamed file is whole."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unwritable(path: Path, exc: OSError) -> ScaleError:
    return ScaleError(
        f"cannot write the output folder: {exc.strerror or exc}",
        where=str(path),
        hint="Check the folder is writable (by every worker, on a cluster: a shared file "
        "system) and that the disk is not full.",
        code=OUTPUT_UNWRITABLE,
    )
