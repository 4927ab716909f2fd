"""Build a pipeline from config, check it when built, and run it on batches of articles."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from presslens.errors import ConfigError, PresslensError, StageError
from presslens.model import Article
from presslens.registry import StageFn, build_stage, get_stage
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


def apply_stage_overrides(config: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """Apply ``stage.key=value`` overrides (values parsed as TOML scalars when they can be)."""
    for dotted, value in overrides.items():
        name, _, key = dotted.partition(".")
        if not key or name not in config.get("stages", {}):
            raise ConfigError(
                f"cannot override {dotted!r}",
                hint="Use STAGE.KEY=VALUE with a stage from the pipeline config.",
            )
        try:
            parsed: Any = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            parsed = value
        config["stages"][name][key] = parsed
    return config


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
        if not names:
            raise ConfigError("pipeline config lists no stages", hint="Set [pipeline] stages.")
        available = set(READER_ASSIGNS)
        stages: list[StageFn] = []
        for name in names:
            options = dict(config.get("stages", {}).get(name, {}))
            impl = options.pop("impl", None)
            if not impl:
                raise ConfigError(f"stage {name!r} has no impl", hint=f"Add [stages.{name}] impl.")
            spec = get_stage(impl)
            missing = [r for r in spec.requires if r not in available]
            if missing:
                raise ConfigError(
                    f"stage {name!r} ({impl}) requires {', '.join(missing)}, which no earlier "
                    "stage assigns",
                    hint="Reorder [pipeline] stages or add the stage that provides it.",
                )
            available.update(spec.assigns)
            stages.append(build_stage(impl, settings, options))
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
