"""YAML front matter, loaded safely and bounded against alias bombs."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import yaml

MAX_FRONT_MATTER_CHARS = 256_000
MAX_ALIASES = 100
MAX_VALUES = 100_000  # after aliases are expanded


class _TooLarge(Exception):
    pass


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses documents which expand aliases more than ``MAX_ALIASES`` times."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases (possible alias bomb)")
        return super().compose_node(parent, index)


def _plain(value: Any, budget: list[int]) -> Any:
    """Dates become ISO strings so front matter serialises to JSON and compares simply; the
    budget stops a few aliases from expanding into millions of values."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(value, dict):
        return {str(k): _plain(v, budget) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, budget) for v in value]
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    return value


def load_front_matter(source: str) -> tuple[dict[str, Any], str | None]:
    """Returns (data, error). Data is always a dict; an error explains what went wrong."""
    if len(source) > MAX_FRONT_MATTER_CHARS:
        return {}, f"front matter is larger than {MAX_FRONT_MATTER_CHARS} characters"
    try:
        data = yaml.load(source, Loader=_BoundedLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return {}, f"invalid YAML front matter{where}: {problem}"
    except RecursionError:
        return {}, "front matter is nested too deeply"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, f"front matter is a {type(data).__name__}, not a mapping"
    try:
        return _plain(data, [MAX_VALUES]), None
    except _TooLarge:
        return {}, f"front matter expands to more than {MAX_VALUES} values (an alias bomb?)"
