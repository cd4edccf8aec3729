"""Configuration: ``.medlint.toml`` or ``[tool.medlint]`` in ``pyproject.toml``, found upward."""

from __future__ import annotations

import datetime as _dt
import fnmatch
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medlint.documents.frontmatter import FRONT_MATTER_PROSE
from medlint.fileio import DEFAULT_MAX_BYTES
from medlint.rules.base import CATEGORIES, Severity, option_name

DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.mdown", "*.mkd", "*.mdx", "*.html", "*.htm",
                   "*.xhtml", "*.txt", "*.text")
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", "node_modules", ".medlint_cache", ".venv", "venv",
                   "__pycache__", ".tox", "site-packages")

# key → (type, help). Keys are documented with hyphens; underscores are accepted too, but
# messages always name the hyphen form.
KEYS: dict[str, tuple[Any, str]] = {
    "select": (list, "rule ids or categories to run (default: all)"),
    "ignore": (list, "rule ids or categories not to run"),
    "severity": (dict, "severity overrides: rule id or category → error|warning|info"),
    "rules": (dict, "per-rule options: [rules.\"category/name\"] option = value"),
    "include": (list, "file name globs to lint when a folder is given"),
    "exclude": (list, "globs (gitignore style) of paths never to lint"),
    "respect-gitignore": (bool, "skip files ignored by .gitignore (default true)"),
    "extra-packs": (list, "folders of extra YAML rule packs, relative to the config file"),
    "model": (str, "spaCy model name, 'auto' (default) or 'blank'"),
    "fail-on": (str, "lowest severity that makes the run fail: error (default), warning, info"),
    "min-severity": (str, "lowest severity to report: info (default), warning, error"),
    "overrides": (list, "[[overrides]] tables: files = [globs], select/ignore/severity/rules"),
    "max-file-size": (int, "bytes above which a file is reported (document/skipped), not read "
                      "(default 8 MB)"),
    "frontmatter-prose": (list, "front matter keys whose strings are linted as prose "
                          "(dotted paths reach into mappings; [] turns it off)"),
}
OVERRIDE_KEYS = {"files", "select", "ignore", "severity", "rules"}


class ConfigError(ValueError):
    """A configuration problem, naming the file and key."""


@dataclass
class Override:
    files: list[str]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Config:
    path: Path | None = None  # the file it came from, if any
    root: Path = field(default_factory=Path.cwd)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    extra_packs: list[Path] = field(default_factory=list)
    model: str = "auto"
    fail_on: Severity = Severity.ERROR
    min_severity: Severity = Severity.INFO
    # Set by a config's min-severity key: the text report then lists what it asks for,
    # info included (by default the text report hides info and says how many it hid).
    min_severity_set: bool = False
    overrides: list[Override] = field(default_factory=list)
    frontmatter_prose: list[str] = field(default_factory=lambda: list(FRONT_MATTER_PROSE))
    max_file_size: int = DEFAULT_MAX_BYTES
    today: _dt.date = field(default_factory=_dt.date.today)

    def as_dict(self) -> dict[str, Any]:
        return {
            "config-file": str(self.path) if self.path else None,
            "select": self.select,
            "ignore": self.ignore,
            "severity": {k: str(v) for k, v in self.severity.items()},
            "rules": self.rules,
            "include": self.include,
            "exclude": self.exclude,
            "respect-gitignore": self.respect_gitignore,
            "extra-packs": [str(p) for p in self.extra_packs],
            "model": self.model,
            "fail-on": str(self.fail_on),
            "min-severity": str(self.min_severity),
            "frontmatter-prose": self.frontmatter_prose,
            "max-file-size": self.max_file_size,
            "overrides": [
                {"files": o.files, "select": o.select, "ignore": o.ignore,
                 "severity": {k: str(v) for k, v in o.severity.items()}, "rules": o.rules}
                for o in self.overrides
            ],
            "today": self.today.isoformat(),
        }


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``.medlint.toml``, or ``pyproject.toml`` with ``[tool.medlint]``, upward."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        own = candidate / ".medlint.toml"
        if own.is_file():
            return own, _read_toml(own)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            section = data.get("tool", {}).get("medlint")
            if section is not None:
                return pyproject, section
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _severity(where: str, key: str, value: Any) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: {key}: {exc}") from None


def _check_type(where: str, key: str, value: Any, expected: Any) -> None:
    if not isinstance(value, expected):
        raise ConfigError(f"{where}: '{key}' must be a {expected.__name__}, "
                          f"not {type(value).__name__}")
    if expected is list and key != "overrides" and not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")


def _severity_map(where: str, key: str, raw: Mapping[str, Any]) -> dict[str, Severity]:
    return {str(k): _severity(where, f"{key}.{k}", v) for k, v in raw.items()}


def parse_config(data: Mapping[str, Any], path: Path | None) -> Config:
    """Validates raw config data. Unknown keys and wrong types are errors naming the key."""
    where = str(path) if path else "configuration"
    config = Config(path=path, root=path.parent if path else Path.cwd())
    for key, value in _spelled(where, data).items():
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known keys: "
                              f"{', '.join(sorted(KEYS))})")
        _check_type(where, key, value, KEYS[key][0])
        if key == "select":
            config.select = list(value)
        elif key == "ignore":
            config.ignore = list(value)
        elif key == "severity":
            config.severity = _severity_map(where, key, value)
        elif key == "rules":
            config.rules = _rule_options(where, "rules", value)
        elif key == "include":
            config.include = list(value)
        elif key == "exclude":
            config.exclude = list(value)
        elif key == "respect-gitignore":
            config.respect_gitignore = value
        elif key == "extra-packs":
            config.extra_packs = [(config.root / p) for p in value]
        elif key == "model":
            config.model = value
        elif key == "fail-on":
            config.fail_on = _severity(where, key, value)
        elif key == "min-severity":
            config.min_severity = _severity(where, key, value)
            config.min_severity_set = True
        elif key == "frontmatter-prose":
            config.frontmatter_prose = list(value)
        elif key == "max-file-size":
            if isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}: max-file-size must be a positive number of bytes")
            config.max_file_size = value
        elif key == "overrides":
            config.overrides = [_override(where, i, o) for i, o in enumerate(value)]
    return config


def _spelled(where: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Keys in their documented (hyphen) spelling; a key given in both spellings is an
    error rather than one value silently winning."""
    out: dict[str, Any] = {}
    for name, value in raw.items():
        key = option_name(str(name))
        if key in out:
            raise ConfigError(f"{where}: '{key}' is given twice (as '{key}' and "
                              f"'{key.replace('-', '_')}'); keep '{key}'")
        out[key] = value
    return out


def _rule_options(where: str, key: str, raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-rule option tables, option names in the documented spelling."""
    rules = {}
    for rule_id, options in raw.items():
        if not isinstance(options, dict):
            raise ConfigError(f"{where}: {key}.{rule_id} must be a table of options")
        rules[str(rule_id)] = _spelled(f"{where}: {key}.{rule_id}", options)
    return rules


def _override(where: str, index: int, raw: Any) -> Override:
    here = f"{where}: overrides[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{here} must be a table")
    unknown = set(raw) - OVERRIDE_KEYS
    if unknown:
        raise ConfigError(f"{here}: unknown key(s) {', '.join(sorted(unknown))} "
                          f"(known: {', '.join(sorted(OVERRIDE_KEYS))})")
    files = raw.get("files")
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise ConfigError(f"{here}: 'files' must be a non-empty list of globs")
    for key in ("select", "ignore"):
        if key in raw:
            _check_type(here, key, raw[key], list)
    return Override(
        files=files,
        select=raw.get("select"),
        ignore=list(raw.get("ignore", [])),
        severity=_severity_map(here, "severity", raw.get("severity", {})),
        rules=_rule_options(here, "rules", raw.get("rules", {})),
    )


def load_config(start: Path, explicit: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        data = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("medlint", {})
        return parse_config(data, explicit)
    found = find_config(start)
    if found is None:
        return Config(root=start.resolve() if start.is_dir() else start.resolve().parent)
    return parse_config(found[1], found[0])


def rule_matches(selector: str, rule_id: str) -> bool:
    """``claims`` selects every claims rule; ``claims/testimonial`` selects one; globs work."""
    if selector in CATEGORIES or "/" not in selector:
        return rule_id.split("/", 1)[0] == selector
    return rule_id == selector or fnmatch.fnmatchcase(rule_id, selector)


def path_matches(pattern: str, relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return (fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(name, pattern)
            or fnmatch.fnmatchcase(relative, pattern.rstrip("/") + "/*"))
