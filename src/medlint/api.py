"""A small programmatic entry point: lint text or files without the command line."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from medlint import runner
from medlint.config import Config
from medlint.engine import Engine, FileResult, Source
from medlint.rules import load_rules
from medlint.rules.base import Rule

_REGISTRY: dict[str, type[Rule]] | None = None


def registry() -> dict[str, type[Rule]]:
    """The built-in and plugin rules (cached per process)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_rules()
    return _REGISTRY


def lint_text(text: str | bytes, path: str = "example.md", *,
              select: Iterable[str] | None = None,
              options: Mapping[str, Mapping[str, Any]] | None = None,
              today: _dt.date | None = None, config: Config | None = None,
              run: Mapping[str, Any] | None = None) -> FileResult:
    """Lints one in-memory file. ``select`` takes rule ids or categories."""
    config = config or Config(root=Path.cwd())
    if select is not None:
        config.select = list(select)
    if options:
        config.rules = {k: dict(v) for k, v in options.items()}
    if today is not None:
        config.today = today
    data = text.encode("utf-8") if isinstance(text, str) else text
    engine = Engine(config, registry(), run=run)
    stream, _ = runner.lint_stream(engine, [Source(path, data)], "local")
    return next(iter(stream))
