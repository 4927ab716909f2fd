"""The README documents every command, setting, layer, stage and error code."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from presslens.cli import main
from presslens.model import LAYERS
from presslens.registry import STAGES, load_builtins
from presslens.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, cmd in sorted(main.commands.items()):
        if isinstance(cmd, click.Group):
            out.extend((f"{name} {sub}", c) for sub, c in sorted(cmd.commands.items()))
        else:
            out.append((name, cmd))
    return out


@pytest.mark.parametrize(("command", "cmd"), _commands(), ids=lambda v: str(v))
def test_every_command_is_documented_with_help_and_example(
    command: str, cmd: click.Command
) -> None:
    assert f"`presslens {command}" in README
    assert cmd.help and cmd.help.strip()
    if command not in {"schema", "settings", "stages"}:
        assert "Example" in cmd.get_help(click.Context(cmd))


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_in_the_readme_table(setting: object) -> None:
    name, default = setting.name, setting.default  # type: ignore[attr-defined]
    assert f"| `{name}` | `{default!r}` |" in README


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_every_layer_is_documented(layer: str) -> None:
    assert f"| `{layer}` |" in README


def test_every_registered_stage_is_documented() -> None:
    load_builtins()
    for impl in STAGES:
        if impl.startswith("presslens."):
            assert f"`{impl}`" in README, impl


def test_every_error_code_is_documented() -> None:
    codes = set()
    for path in (ROOT / "src" / "presslens").rglob("*.py"):
        codes.update(re.findall(r"\"(P\d{3})\"", path.read_text(encoding="utf-8")))
    assert codes, "no error codes found"
    missing = sorted(c for c in codes if f"`{c}`" not in README)
    assert not missing, f"undocumented error codes: {missing}"
