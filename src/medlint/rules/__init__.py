"""The rule registry: built-in detectors, built-in packs, plugins and extra pack folders."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

# Re-exported for plugins written against the old location; new code imports medlint.resources.
from medlint.resources import (  # noqa: F401
    YAML_LOADER,
    builtin_pack_dir,
    data_file,
    load_yaml,
    read_data,
    read_pack,
)
from medlint.rules.base import Rule

# Built-in detector modules; each exposes ``RULES``, a tuple of Rule classes.
BUILTIN_MODULES = (
    "medlint.rules.document",
    "medlint.rules.readability",
    "medlint.rules.spam",
    "medlint.rules.claims",
    "medlint.rules.attribution",
    "medlint.rules.language",
)

ENTRY_POINT_GROUP = "medlint.rules"


class RuleLoadError(ValueError):
    """A rule or pack that cannot be registered (duplicate id, bad plugin, bad pack)."""


def _register(registry: dict[str, type[Rule]], rules: Iterable[Any], origin: str) -> None:
    for rule in rules:
        if not (isinstance(rule, type) and issubclass(rule, Rule)):
            raise RuleLoadError(f"{origin}: {rule!r} is not a medlint Rule class")
        if rule.id in registry:
            raise RuleLoadError(f"{origin}: rule id {rule.id} is already defined by "
                                f"{registry[rule.id].origin}")
        registry[rule.id] = rule


def _plugin_rules(entry: metadata.EntryPoint) -> list[Any]:
    from medlint.rules.packs import load_pack_dir

    try:
        obj = entry.load()
    except Exception as exc:  # a broken plugin must not take the run down with a traceback
        raise RuleLoadError(f"plugin {entry.name!r} ({entry.value}) failed to load: {exc}") from exc
    if callable(obj) and not isinstance(obj, type):
        obj = obj()
    if isinstance(obj, str | Path):
        return list(load_pack_dir(Path(obj)))
    if isinstance(obj, type):
        return [obj]
    return list(obj)


def load_rules(extra_pack_dirs: Iterable[Path] = (), plugins: bool = True) -> dict[str, type[Rule]]:
    """All available rules by id. Raises RuleLoadError or PackError with a clear message."""
    from medlint.rules.packs import load_pack_dir

    registry: dict[str, type[Rule]] = {}
    for name in BUILTIN_MODULES:
        module = importlib.import_module(name)
        _register(registry, module.RULES, name)
    # Built-in patterns compile on first use (tests/test_packs_builtin.py compiles them all).
    _register(registry, load_pack_dir(builtin_pack_dir(), validate=False), "lint_rules")
    if plugins:
        for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
            rules = _plugin_rules(entry)
            for rule in rules:
                if isinstance(rule, type) and issubclass(rule, Rule) and rule.origin == "builtin":
                    rule.origin = f"plugin {entry.name}"
            _register(registry, rules, f"plugin {entry.name}")
    for folder in extra_pack_dirs:
        if not folder.is_dir():
            raise RuleLoadError(f"extra pack folder {folder} does not exist")
        _register(registry, load_pack_dir(folder), str(folder))
    return dict(sorted(registry.items()))
