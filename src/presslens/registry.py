"""Registries of named, versioned implementations (stages, readers), chosen by config.

Built-in stages and readers register exactly as a third-party plugin would: by importing a
module that applies the decorators below. Config names the implementation
(``impl = "presslens.entities.v1"``), so a config alone rebuilds the pipeline in any process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from presslens.errors import ConfigError

if TYPE_CHECKING:
    from presslens.model import Article
    from presslens.settings import Settings


class StageFn(Protocol):
    def __call__(self, articles: list[Article], /) -> list[Article]: ...


@dataclass(frozen=True)
class StageSpec:
    """A registered stage implementation and what it reads and writes."""

    impl: str
    factory: Callable[..., StageFn]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


STAGES: dict[str, StageSpec] = {}


def stage(
    impl: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()
) -> Callable[[Callable[..., StageFn]], Callable[..., StageFn]]:
    """Register a stage factory ``factory(settings, **options) -> (list[Article] -> list)``."""

    def register(factory: Callable[..., StageFn]) -> Callable[..., StageFn]:
        if impl in STAGES and STAGES[impl].factory is not factory:
            raise ConfigError(f"stage implementation {impl!r} is registered twice")
        doc = (factory.__doc__ or "").strip().splitlines()[0] if factory.__doc__ else ""
        STAGES[impl] = StageSpec(impl, factory, requires, assigns, doc)
        return factory

    return register


def get_stage(impl: str) -> StageSpec:
    load_builtins()
    try:
        return STAGES[impl]
    except KeyError:
        known = ", ".join(sorted(STAGES))
        raise ConfigError(
            f"no stage implementation named {impl!r}", hint=f"Registered: {known}."
        ) from None


def build_stage(impl: str, settings: Settings, options: dict[str, Any]) -> StageFn:
    spec = get_stage(impl)
    try:
        return spec.factory(settings, **options)
    except TypeError as exc:
        raise ConfigError(f"bad options for stage {impl!r}: {exc}") from None


def load_builtins() -> None:
    """Import the modules whose decorators register the built-in implementations."""
    from presslens.stages import (  # noqa: F401
        attributions,
        claims,
        entities,
        events,
        genre,
        quantities,
        spacy_stage,
        techniques,
        techniques_encoder,
        timexes,
    )
