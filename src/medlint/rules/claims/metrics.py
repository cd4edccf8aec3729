"""The claims category's document metrics (``metrics.claims`` in the report): every claim
sentence with its source span, strength and whether it is sourced, reported or not (textbook
facts are listed too). ``medlint eval`` scores claim detection from them and the audit counts
them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from medlint.documents.model import Document
from medlint.metrics import Metrics
from medlint.rules.base import RuleContext
from medlint.rules.claims.detect import claim_sentences


@dataclass(frozen=True)
class ClaimMetric:
    """One claim sentence; offsets are in the source text."""

    offset: int
    end_offset: int
    strength: str
    supported: bool
    kind: str | None = None  # what an editor wants sourced, None for a textbook fact
    # None in reports written before issue #18, which listed only unsourced-looking claims
    needs_source: bool | None = None

    @property
    def wants_source(self) -> bool:
        """An editor wants a source for it (older reports: it is not supported)."""
        return self.needs_source if self.needs_source is not None else not self.supported

    def to_json(self) -> dict[str, Any]:
        return {"offset": self.offset, "end_offset": self.end_offset,
                "strength": self.strength, "supported": self.supported, "kind": self.kind,
                "needs_source": self.needs_source}


@dataclass(frozen=True)
class ClaimMetrics(Metrics):
    """The document's claim sentences, in text order (from the claims rules' own detector,
    computed once per document through ``ctx.shared``)."""

    key: ClassVar[str] = "claims"
    needs: ClassVar[frozenset[str]] = frozenset({"sentences", "lemmas"})

    claims: tuple[ClaimMetric, ...] = ()

    def __iter__(self) -> Iterator[ClaimMetric]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    @classmethod
    def compute(cls, doc: Document, ctx: RuleContext) -> ClaimMetrics:
        items = []
        for c in claim_sentences(doc, ctx):
            offset, end_offset = c.block.source_span(c.start, c.end)
            items.append(ClaimMetric(offset, end_offset, c.strength, c.supported, c.kind,
                                     c.needs_source))
        return cls(tuple(items))

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.claims]

    @classmethod
    def from_json(cls, raw: Iterable[Mapping[str, Any]]) -> ClaimMetrics:
        return cls(tuple(ClaimMetric(c.get("offset", 0), c.get("end_offset", 0),
                                     c.get("strength", "causal"), bool(c.get("supported")),
                                     c.get("kind"), c.get("needs_source"))
                         for c in raw or ()))
