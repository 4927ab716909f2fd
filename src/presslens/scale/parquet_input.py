"""Parquet article shards as input: one article per row, columns named by the record settings.

The same settings as JSONL and CSV name the columns (``text_field``, ``title_field``,
``url_field``, ``date_field``, ``outlet_field``, ``author_field``, ``id_field``), and each row
goes through the same record reader, so a Parquet row and the equal JSONL line give the same
article. Rows are numbered from 1; ``where`` is ``path:row N``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from presslens.errors import InputError
from presslens.readers.document import RawDocument
from presslens.readers.records import record_document
from presslens.scale.codes import BAD_PARQUET_INPUT
from presslens.settings import Settings

#: Rows are converted to Python in batches of this many, so a shard never holds the file.
BATCH_ROWS = 1024


def read_parquet_rows(
    path: str, first: int, end: int, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Documents of rows ``[first, end)`` (1-based) of a Parquet article file."""
    import pyarrow.parquet as pq

    base = Path(path).name
    row = 0  # rows before the current one
    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        if settings.text_field not in names:
            yield InputError(
                f"Parquet file has no text column {settings.text_field!r} "
                f"(columns: {', '.join(names[:12])})",
                where=path,
                hint="Name the column holding the article text, e.g. --set text_field=body.",
                code=BAD_PARQUET_INPUT,
            )
            return
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            if row + batch.num_rows < first:
                row += batch.num_rows
                continue
            for record in batch.to_pylist():
                row += 1
                if row >= end:
                    return
                if row >= first:
                    yield _document(record, path=path, base=base, row=row, settings=settings)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        yield InputError(
            f"cannot read the Parquet file: {exc}",
            where=f"{path}:row {row + 1}" if row else path,
            hint="Check it is a complete Parquet file (a copy may have been cut short).",
            code=BAD_PARQUET_INPUT,
        )


def _document(
    record: dict[str, Any], *, path: str, base: str, row: int, settings: Settings
) -> RawDocument | InputError:
    date_value = record.get(settings.date_field)
    if isinstance(date_value, (date, datetime)):
        record[settings.date_field] = date_value.isoformat()
    return record_document(
        record, source=f"{path}:row {row}", base=base, line=row, fmt="parquet", settings=settings
    )
