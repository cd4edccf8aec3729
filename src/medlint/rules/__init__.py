"""The rule registry: built-in detectors, built-in packs, plugins and extra pack folders."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

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


def builtin_pack_dir() -> Path:
    """``lint_rules/``: inside the installed package, or at the top of a source checkout."""
    installed = Path(__file__).resolve().parent.parent / "lint_rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "lint_rules"


def data_file(name: str) -> Path:
    """A data file (word lists, credentials, domains) from ``lint_rules/data/``."""
    return builtin_pack_dir() / "data" / name


# libyaml's safe loader when PyYAML was built with it: same documents, ten times faster, which
# is most of the start-up time of a one-file run.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parses trusted-shape YAML (rule packs, data files) with the safe loader."""
    return yaml.load(text, Loader=YAML_LOADER)


def read_pack(name: str) -> Any:
    """A built-in rule pack of ``lint_rules/``, parsed (for detectors that share its lists)."""
    return load_yaml((builtin_pack_dir() / name).read_text(encoding="utf-8"))


def read_data(name: str) -> Any:
    """A data file of ``lint_rules/data/``, parsed."""
    return load_yaml(data_file(name).read_text(encoding="utf-8"))


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
    _register(registry, load_pack_dir(builtin_pack_dir()), "lint_rules")
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
