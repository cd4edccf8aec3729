"""Locates ``lint_rules/`` and loads its data: the one place every layer reads shipped data from.

It sits below the rule registry (``medlint.rules``) so that detection helpers can load word
lists and weights without importing the registry above them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def builtin_pack_dir() -> Path:
    """``lint_rules/``: inside the installed package, or at the top of a source checkout."""
    installed = Path(__file__).resolve().parent / "lint_rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "lint_rules"


def data_file(name: str) -> Path:
    """A data file (word lists, credentials, domains) from ``lint_rules/data/``."""
    return builtin_pack_dir() / "data" / name


# libyaml's safe loader when PyYAML was built with it: same documents, ten times faster, which
# is most of the start-up time of a one-file run.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parses trusted-shape YAML (rule packs, data files) with the safe loader."""
    return yaml.load(text, Loader=YAML_LOADER)


def load_builtin_yaml(path: Path) -> Any:
    """``load_yaml`` for medlint's own data files: a file parsed once is read back from the
    start-up cache afterwards (startcache.py; keyed by the file's text, so never stale)."""
    from medlint.startcache import parse_yaml

    parser = f"pyyaml-{yaml.__version__}-{YAML_LOADER.__name__}"
    return parse_yaml(path.read_text(encoding="utf-8"), load_yaml, parser)


def read_pack(name: str) -> Any:
    """A built-in rule pack of ``lint_rules/``, parsed (for detectors that share its lists)."""
    return load_builtin_yaml(builtin_pack_dir() / name)


def read_data(name: str) -> Any:
    """A data file of ``lint_rules/data/``, parsed."""
    return load_builtin_yaml(data_file(name))
