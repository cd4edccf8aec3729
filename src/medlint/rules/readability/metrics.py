"""The readability category's document metrics (``metrics.readability`` in the report): the
document's and each section's figures, from the same analysis the rules read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from medlint.documents.model import Document
from medlint.metrics import Metrics
from medlint.rules.base import RuleContext
from medlint.rules.readability import measures as rd

_ANALYSIS = "readability.analysis"


def analysis(doc: Document, ctx: RuleContext) -> rd.Analysis:
    """The document's counts, computed once per document and shared by the rules and the
    metrics (``ctx.shared``)."""
    cached = ctx.shared.get(_ANALYSIS)
    if cached is None:
        cached = rd.analyse(doc, ctx.sentences)
        ctx.shared[_ANALYSIS] = cached
    return cached


@dataclass(frozen=True)
class ReadabilityMetrics(Metrics):
    """Figures per :func:`measures.scores` (formulas that could not run are None), for the
    document and for each section with prose."""

    key: ClassVar[str] = "readability"
    needs: ClassVar[frozenset[str]] = frozenset({"sentences"})

    document: dict[str, Any]
    sections: tuple[dict[str, Any], ...] = ()
    long_sentence_words: int = 25

    @property
    def fk_grade(self) -> float | None:
        """The document's Flesch-Kincaid grade (what the audit and the text report show)."""
        value = self.document.get("fk_grade")
        return float(value) if isinstance(value, int | float) else None

    @classmethod
    def compute(cls, doc: Document, ctx: RuleContext) -> ReadabilityMetrics:
        return cls.from_json(rd.report(doc, analysis(doc, ctx)))

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "sections": list(self.sections),
                "long_sentence_words": self.long_sentence_words}

    @classmethod
    def from_json(cls, raw: Any) -> ReadabilityMetrics:
        return cls(dict(raw.get("document") or {}), tuple(raw.get("sections") or ()),
                   raw.get("long_sentence_words", 25))
