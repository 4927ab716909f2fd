"""Run every regular expression of presslens against adversarial text under a CPU-time bound.

Run as a script (``python tests/security/regex_probe.py``) it prints one JSON object: the
patterns found and the (pattern, input) pairs that went over the budget. It runs in its own
process because a catastrophic pattern is stopped by a CPU-time signal, and because importing
every module of the package must not leak into the test process.

Patterns are collected three ways, so none hides: every ``re`` compilation made while importing
the package's modules whose caller is a presslens file; compiled patterns reachable from module
and class attributes (also inside tuples, lists and dicts, where lexicon-built patterns live);
and the string literals given to ``re.search``/``re.sub``/… calls in the source (compiled only
when the function runs).
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

#: CPU seconds one probe may take; a linear pass over these inputs takes milliseconds.
BUDGET = 1.0
#: One anchored attempt (``match``) over 20,000 characters: catastrophic backtracking within an
#: attempt (nested quantifiers, overlapping alternations) blows far past the budget.
SIZE_MATCH = 20_000
#: ``search``/``finditer`` over 1,000 characters, trying every start position: a pattern
#: quadratic per attempt (cubic in all) goes over; a merely quadratic scan (about a million
#: steps here) does not, and is reported as such by ``--growth``.
SIZE_SEARCH = 1_000

_found: dict[tuple[str, int], str] = {}  # (pattern, flags) -> where it was compiled
_failed: dict[str, str] = {}  # where -> why a pattern or module could not be compiled/imported


def _record(pattern: Any, flags: int, where: str) -> None:
    if not isinstance(pattern, re.Pattern):
        try:
            pattern = re.compile(pattern, flags)
        except (re.error, TypeError, ValueError) as exc:
            _failed[where] = f"bad pattern {pattern!r}: {exc}"
            return
    if isinstance(pattern.pattern, str):  # bytes patterns only see bytes input
        _found.setdefault((pattern.pattern, pattern.flags), where)


def collect(root: Path) -> dict[tuple[str, int], str]:
    """Import every presslens module with ``re`` compilation recorded, then walk attributes and
    the source for the rest."""
    original = re._compile  # type: ignore[attr-defined]
    src = str(root)

    def recording(pattern: Any, flags: Any) -> Any:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename == re.__file__:
            frame = frame.f_back  # type: ignore[assignment]
        if frame is not None and frame.f_code.co_filename.startswith(src):
            where = f"{frame.f_globals.get('__name__')}:{frame.f_lineno}"
            _record(pattern, int(flags), where)
        return original(pattern, flags)

    re._compile = recording  # type: ignore[attr-defined]
    modules = []
    try:
        import presslens

        for info in pkgutil.walk_packages(presslens.__path__, "presslens."):
            try:
                modules.append(importlib.import_module(info.name))
            except Exception as exc:  # noqa: BLE001 - a module that fails to import is reported
                _failed[info.name] = f"import failed: {exc!r}"
    finally:
        re._compile = original  # type: ignore[attr-defined]
    for module in modules:
        for name, value in vars(module).items():
            _walk(value, f"{module.__name__}.{name}", depth=0)
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, inner in vars(value).items():
                    _walk(inner, f"{module.__name__}.{name}.{attr}", depth=1)
    for path in root.rglob("*.py"):
        _literals(path, root)
    return _found


def _walk(value: Any, where: str, depth: int) -> None:
    if isinstance(value, re.Pattern):
        _record(value, value.flags, where)
    elif depth < 3 and isinstance(value, tuple | list | frozenset | set):
        for item in value:
            _walk(item, where, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            _walk(item, where, depth + 1)


_RE_FUNCS = {
    "search",
    "match",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
    "compile",
}


def _literals(path: Path, root: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    module = "presslens." + ".".join(path.relative_to(root).with_suffix("").parts)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_FUNCS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            flags = 0
            for kw in node.keywords:
                if kw.arg == "flags" and isinstance(kw.value, ast.Attribute):
                    flags |= int(getattr(re, kw.value.attr, 0))
            _record(node.args[0].value, flags, f"{module}:{node.lineno}")


def attacks(pattern: str, n: int) -> dict[str, str]:
    """Inputs that make backtracking engines work hardest: long runs of one character class,
    alternations of classes, nested quote marks, the pattern's own words repeated; each ends
    with a character that makes the match fail late."""
    base = {
        "letters": "a" * n + "!",
        "capitals": "A" * n + "!",
        "word space": "ab " * (n // 3) + "!",
        "cap words": "Ab " * (n // 3) + "1",
        "spaces": " " * n + "!",
        "mixed spaces": " \t\u00a0" * (n // 3) + "!",
        "newlines": "\n" * n + "x",
        "blank lines": "\n \n" * (n // 3) + "x",
        "digits": "1" * n + "x",
        "digit space": "1 " * (n // 2) + "x",
        "digit comma": "1," * (n // 2) + "x",
        "digit space comma": "1, " * (n // 3) + "x",
        "digit dot": "1." * (n // 2) + "x",
        "straight quotes": '"' * n + "x",
        "curly quotes": "“”" * (n // 2) + "x",
        "nested quotes": "“‘\"'" * (n // 4) + "x",
        "quote words": '"a ' * (n // 3) + "x",
        "dashes": "–-—" * (n // 3) + "x",
        "dots": "." * n + "x",
        "parens": "(" * n + "x",
        "angle": "<a " * (n // 3) + "x",
        "url": "http://" + "a." * (n // 2) + "/",
        "apostrophes": "a'" * (n // 2) + "1",
        "hyphen words": "a-" * (n // 2) + "1",
        "said": "said " * (n // 5) + "1",
    }
    words = [w for w in re.findall(r"[A-Za-z]{2,}", pattern) if w not in {"d", "s", "w"}][:8]
    if words:
        phrase = " ".join(words) + " "
        base["own words"] = phrase * (n // len(phrase) + 1) + "1"
        cap = " ".join(w.capitalize() for w in words) + " "
        base["own words capitalised"] = cap * (n // len(cap) + 1) + "1"
    return base


class _Slow(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Slow


def _timed(fn: Any) -> float | None:
    """CPU seconds ``fn`` took, or ``None`` when it was stopped at the budget."""
    start = time.process_time()
    signal.setitimer(signal.ITIMER_VIRTUAL, BUDGET)
    try:
        fn()
    except _Slow:
        return None
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    return time.process_time() - start


def probe() -> dict[str, Any]:
    root = Path(importlib.import_module("presslens").__file__).parent  # type: ignore[arg-type]
    found = collect(root)
    signal.signal(signal.SIGVTALRM, _alarm)
    slow: list[dict[str, Any]] = []
    broken = [{"where": where, "error": why} for where, why in sorted(_failed.items())]
    checked = 0
    for (source, flags), where in sorted(found.items()):
        compiled = re.compile(source, flags)
        checked += 1
        runs = [("match", text, name) for name, text in attacks(source, SIZE_MATCH).items()]
        runs += [("search", text, name) for name, text in attacks(source, SIZE_SEARCH).items()]
        for how, text, name in runs:
            if how == "match":
                spent = _timed(lambda t=text, c=compiled: c.match(t))
            else:
                spent = _timed(lambda t=text, c=compiled: [m.end() for m in c.finditer(t)])
            if spent is None or spent > BUDGET:
                slow.append(
                    {
                        "where": where,
                        "pattern": source,
                        "how": how,
                        "input": name,
                        "seconds": f">{BUDGET}" if spent is None else round(spent, 2),
                    }
                )
    return {"patterns": checked, "slow": slow, "broken": broken}


if __name__ == "__main__":
    print(json.dumps(probe(), ensure_ascii=False))
