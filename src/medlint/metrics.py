"""Typed per-document metrics: what a category measures on a whole page (reading grade,
claim sentences, who reviewed it), computed once by the category's provider and read by type.

The engine computes a metric when an enabled rule declares that it reads it (``Rule.metrics``)
or when the caller asks for it (``Engine(metrics=...)``, as ``medlint eval`` does for claims),
never as a side effect of which rule ran first. Each type serialises to the JSON the report
has always carried under ``metrics.<key>``, and parses back from it (cache, audit JSONL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from medlint.documents.model import Document
    from medlint.rules.base import RuleContext

M = TypeVar("M", bound="Metrics")
_TYPES: dict[str, type[Metrics]] = {}


class Metrics:
    """Base of one category's document metrics. Subclasses set ``key`` (the JSON key),
    ``needs`` (NLP the computation needs) and ``options_rule`` (the rule whose configured
    options the computation reads, so the figures do not depend on which rule ran)."""

    key: ClassVar[str]
    needs: ClassVar[frozenset[str]] = frozenset()
    options_rule: ClassVar[str | None] = None

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if "key" in cls.__dict__:
            _TYPES[cls.key] = cls  # so JSON read back (cache, JSONL) finds its type

    @classmethod
    def compute(cls: type[M], doc: Document, ctx: RuleContext) -> M | None:
        """The document's metrics (None when there is nothing to measure)."""
        raise NotImplementedError

    def to_json(self) -> Any:
        raise NotImplementedError

    @classmethod
    def from_json(cls: type[M], raw: Any) -> M:
        raise NotImplementedError


@dataclass(frozen=True)
class RawMetrics(Metrics):
    """A key no registered type knows (a plugin's ``ctx.metrics`` entry): kept as JSON."""

    name: str
    value: Any

    def to_json(self) -> Any:
        return self.value


class DocumentMetrics:
    """One document's metrics by type, in the order they were computed (the JSON order)."""

    def __init__(self, items: Iterable[Metrics] = ()) -> None:
        self._items: dict[str, Metrics] = {}
        for item in items:
            self.add(item)

    @staticmethod
    def _key(item: Metrics) -> str:
        return item.name if isinstance(item, RawMetrics) else item.key

    def add(self, item: Metrics) -> None:
        self._items[self._key(item)] = item

    def get(self, cls: type[M]) -> M | None:
        """The metrics of this type, or None when they were not computed."""
        item = self._items.get(cls.key)
        return item if isinstance(item, cls) else None

    def __contains__(self, cls: object) -> bool:
        return isinstance(cls, type) and self.get(cls) is not None

    def __iter__(self) -> Iterator[Metrics]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentMetrics) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"DocumentMetrics({list(self._items.values())!r})"

    def to_json(self) -> dict[str, Any]:
        """The report's ``metrics`` object."""
        return {key: item.to_json() for key, item in self._items.items()}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any] | None) -> DocumentMetrics:
        """Parses a report's ``metrics`` object; the categories' types must be imported (the
        rule registry imports them), unknown keys are kept as :class:`RawMetrics`."""
        out = cls()
        for key, value in (raw or {}).items():
            kind = _TYPES.get(key)
            out.add(kind.from_json(value) if kind is not None else RawMetrics(key, value))
        return out
