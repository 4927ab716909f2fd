"""Build a pipeline from config, check it when built, and run it on batches of articles."""

from __future__ import annotations

import inspect
import math
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from presslens.errors import ConfigError, PresslensError, StageError
from presslens.model import Article
from presslens.registry import StageFn, StageSpec, build_stage, get_stage
from presslens.settings import Settings, load_settings

#: Layers the readers and the normaliser provide before any stage runs.
READER_ASSIGNS = ("text", "paragraphs", "disclaimers", "datelines")


def default_config() -> dict[str, Any]:
    text = resources.files("presslens").joinpath("default.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    if path is None:
        return default_config()
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read pipeline config: {exc}", where=str(path)) from None


def apply_stage_overrides(
    config: dict[str, Any], overrides: Mapping[str, Any], *, parse: bool = True
) -> dict[str, Any]:
    """Apply ``stage.key=value`` overrides, each checked against the stage's options now.

    With ``parse`` (``--set-stage``), string values are read as TOML scalars when they can
    be; without it (a run config's ``[stage_options]``), values are taken as TOML typed them.
    """
    for dotted, value in overrides.items():
        name, _, key = dotted.partition(".")
        if not key or name not in config.get("stages", {}):
            raise ConfigError(
                f"cannot override {dotted!r}",
                hint="Use STAGE.KEY=VALUE with a stage from the pipeline config.",
            )
        parsed: Any = value
        if parse and isinstance(value, str):
            try:
                parsed = tomllib.loads(f"v = {value}")["v"]
            except tomllib.TOMLDecodeError:
                parsed = value
        impl = config["stages"][name].get("impl")
        if key != "impl" and isinstance(impl, str) and impl:
            parsed = check_stage_options(name, impl, {key: parsed})[key]
        config["stages"][name][key] = parsed
    return config


@dataclass(frozen=True)
class OptionSpec:
    """What one stage option takes: ``kind`` (bool, int, float, str; None: unchecked),
    whether None is allowed, and an inclusive range from the field's ``metadata["range"]``."""

    kind: type | None
    optional: bool = False
    low: float | None = None
    high: float | None = None
    default: Any = None

    def expected(self) -> str:
        words = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
        text = words.get(self.kind, "a value") if self.kind else "a value"
        if self.low is not None and self.high is not None:
            text += f" from {self.low:g} to {self.high:g}"
        elif self.low is not None:
            text += f" of at least {self.low:g}"
        elif self.high is not None:
            text += f" of at most {self.high:g}"
        return text


def stage_option_specs(spec: StageSpec) -> dict[str, OptionSpec] | None:
    """The options a stage implementation takes, so overrides are checked when the pipeline
    is built instead of failing every article.

    Read from the options dataclass its factory builds (``XOptions(**options)``: a dataclass
    the factory's body names), else from the factory's keyword parameters (names only).
    None when the factory takes ``**options`` without such a dataclass: nothing is checked.
    """
    cls = _options_class(spec)
    if cls is not None:
        hints = typing.get_type_hints(cls)
        return {f.name: _option_spec(hints.get(f.name), f) for f in fields(cls) if f.init}
    params = list(inspect.signature(spec.factory).parameters.values())[1:]  # after settings
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return {
        p.name: OptionSpec(None, default=None if p.default is p.empty else p.default)
        for p in params
        if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    }


def _options_class(spec: StageSpec) -> type | None:
    """The one dataclass the factory's own body names (its ``XOptions``), if any."""
    code = getattr(spec.factory, "__code__", None)
    scope = getattr(spec.factory, "__globals__", {})
    found = {
        obj
        for n in (code.co_names if code else ())
        if isinstance(obj := scope.get(n), type) and is_dataclass(obj)
    }
    return found.pop() if len(found) == 1 else None


def _option_spec(hint: Any, f: Any) -> OptionSpec:
    args = typing.get_args(hint)
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    kinds = [a for a in args if a is not type(None)] if union else [hint]
    kind = kinds[0] if len(kinds) == 1 and kinds[0] in (bool, int, float, str) else None
    low, high = f.metadata.get("range", (None, None))
    default = f.default if f.default is not MISSING else None
    return OptionSpec(kind, union and type(None) in args, low, high, default)


def check_stage_options(name: str, impl: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` of stage ``name`` checked and converted (TOML ints to floats, "true"/
    "false" to bools); a ConfigError names the stage, the key and what it takes."""
    spec = get_stage(impl)
    specs = stage_option_specs(spec)
    if specs is None:
        return dict(options)
    out: dict[str, Any] = {}
    for key, value in options.items():
        if key not in specs:
            known = ", ".join(sorted(specs)) or "none (it takes no options)"
            raise ConfigError(
                f"stage {name!r} ({impl}) has no option {key!r}",
                hint=f"Its options: {known}.",
            )
        out[key] = _check_option(name, key, value, specs[key])
    cls = _options_class(spec)
    if cls is not None:
        cls(**out)  # its own checks (__post_init__), e.g. a scorer name, now rather than later
    return out


def _check_option(name: str, key: str, value: Any, spec: OptionSpec) -> Any:
    if value is None and spec.optional:
        return None
    kind = spec.kind
    if kind is bool and isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    elif kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = kind is None or (isinstance(value, kind) and (kind is bool or not isinstance(value, bool)))
    if ok and isinstance(value, float):
        ok = math.isfinite(value)
    if ok and isinstance(value, int | float) and not isinstance(value, bool):
        ok = (spec.low is None or value >= spec.low) and (spec.high is None or value <= spec.high)
    if not ok:
        default = spec.default
        if default is None or isinstance(default, bool):
            shown = str(default).lower()
        else:
            shown = repr(default)
        raise ConfigError(
            f"stage option {name}.{key} must be {spec.expected()}, got {value!r}",
            hint=f"Fix the value, or leave it out for the default ({shown}).",
        )
    return value


def check_config(config: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each stage's implementation and checked options, in order: every name configured,
    every requirement assigned by an earlier stage, every option known and well typed.
    Nothing is built, so a run config is checked at load time."""
    names = config.get("pipeline", {}).get("stages", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError(
            "[pipeline] stages must be a list of stage names", hint='Example: stages = ["spacy"].'
        )
    if not names:
        raise ConfigError("pipeline config lists no stages", hint="Set [pipeline] stages.")
    available = set(READER_ASSIGNS)
    out: list[tuple[str, dict[str, Any]]] = []
    for name in names:
        table = config.get("stages", {}).get(name)
        if not isinstance(table, dict):
            known = ", ".join(sorted(config.get("stages", {})))
            raise ConfigError(
                f"stage {name!r} is not configured",
                hint=f"Add [stages.{name}] with an impl, or use one of: {known}.",
            )
        options = dict(table)
        impl = options.pop("impl", None)
        if not impl or not isinstance(impl, str):
            raise ConfigError(
                f"stage {name!r} has no impl", hint=f'Add impl = "…" to [stages.{name}].'
            )
        spec = get_stage(impl)
        missing = [r for r in spec.requires if r not in available]
        if missing:
            raise ConfigError(
                f"stage {name!r} ({impl}) requires {', '.join(missing)}, which no earlier "
                "stage assigns",
                hint="Reorder [pipeline] stages or add the stage that provides it.",
            )
        available.update(spec.assigns)
        out.append((impl, check_stage_options(name, impl, options)))
    return out


@dataclass
class FailedArticle:
    """An article a stage could not process: reported, then skipped."""

    article: Article
    error: PresslensError


@dataclass
class Pipeline:
    """An ordered list of named stages, validated against what each requires."""

    settings: Settings
    names: list[str]
    stages: list[StageFn] = field(repr=False)

    @classmethod
    def from_config(
        cls, config: dict[str, Any] | None = None, settings: Settings | None = None
    ) -> Pipeline:
        config = config if config is not None else default_config()
        settings = settings or load_settings()
        names = list(config.get("pipeline", {}).get("stages", []))
        stages = [build_stage(impl, settings, options) for impl, options in check_config(config)]
        return cls(settings, names, stages)

    def run(
        self, articles: list[Article], *, keep_docs: bool = False
    ) -> tuple[list[Article], list[FailedArticle]]:
        """Run every stage over a batch; a failing article is isolated, reported and dropped.
        ``keep_docs`` leaves each spaCy ``Doc`` on its article (for scorers that read the
        parse; the caller frees it)."""
        failed: list[FailedArticle] = []
        for name, fn in zip(self.names, self.stages, strict=True):
            articles, bad = _run_stage(name, fn, articles)
            failed.extend(bad)
        if not keep_docs:
            for art in articles:
                art._doc = None  # the Doc is transient; free it before results leave the process
        return articles, failed

    def __call__(self, article: Article) -> Article:
        """Analyse one article, raising on failure (for library use)."""
        done, failed = self.run([article])
        if failed:
            raise failed[0].error
        return done[0]


def _run_stage(
    name: str, fn: StageFn, articles: list[Article]
) -> tuple[list[Article], list[FailedArticle]]:
    """Run a stage on a batch; on failure, split the batch to find and report the culprit."""
    try:
        return list(fn(articles)), []
    except Exception as exc:  # noqa: BLE001 - isolated below, then reported as a StageError
        if len(articles) == 1:
            return [], [FailedArticle(articles[0], _stage_error(name, articles[0], exc))]
    ok: list[Article] = []
    bad: list[FailedArticle] = []
    for art in articles:
        done, failed = _run_stage(name, fn, [art])
        ok.extend(done)
        bad.extend(failed)
    return ok, bad


def _stage_error(name: str, article: Article, exc: Exception) -> PresslensError:
    """Map any exception from a stage to a PresslensError, at this one boundary."""
    if isinstance(exc, PresslensError):
        return exc
    err = StageError(
        f"stage {name!r} failed: {type(exc).__name__}: {exc}",
        where=f"{article.source} (article {article.id})",
        hint="The article was skipped; please report this with the input file.",
    )
    err.__cause__ = exc
    return err
