"""The attribution category's document metrics (``metrics.attribution`` in the report, read
by ``medlint audit``): the first named medical reviewer, the newest review date not in the
future, and its age in days."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from medlint.documents.model import Document
from medlint.metrics import Metrics
from medlint.rules.attribution.facts import (
    AUTHOR_KEYS,
    REVIEW_DATE_KEYS,
    REVIEWER_KEYS,
    Attribution,
    extract,
)
from medlint.rules.base import RuleContext


def attribution(doc: Document, ctx: RuleContext) -> Attribution:
    """The page's attribution facts under the front-matter keys in ``ctx.options``, extracted
    once per document and key set and shared by the rules and the metrics."""
    key = ("attribution", tuple(ctx.options.get("reviewer_keys", REVIEWER_KEYS)),
           tuple(ctx.options.get("review_date_keys", REVIEW_DATE_KEYS)),
           tuple(ctx.options.get("author_keys", AUTHOR_KEYS)))
    if key not in ctx.shared:
        ctx.shared[key] = extract(doc, key[1], key[2], key[3])
    return ctx.shared[key]


@dataclass(frozen=True)
class AttributionMetrics(Metrics):
    """Reads the front-matter keys configured for ``attribution/missing-reviewer`` (the rule
    that asks who reviewed the page), whichever attribution rules are selected."""

    key: ClassVar[str] = "attribution"
    options_rule: ClassVar[str | None] = "attribution/missing-reviewer"

    reviewer: str | None
    reviewed: str | None  # ISO date
    review_age_days: int | None

    @classmethod
    def of(cls, att: Attribution, today: _dt.date) -> AttributionMetrics:
        reviewers = att.named_reviewers()
        dates = [d.date for d in att.review_dates if d.date.value and d.date.value <= today]
        newest = max(dates, key=lambda d: d.latest() or d.value, default=None)
        last = newest.latest() if newest is not None else None
        return cls(reviewers[0].name if reviewers else None,
                   newest.value.isoformat() if newest is not None and newest.value else None,
                   max(0, (today - last).days) if last is not None else None)

    @classmethod
    def compute(cls, doc: Document, ctx: RuleContext) -> AttributionMetrics:
        return cls.of(attribution(doc, ctx), ctx.today)

    def to_json(self) -> dict[str, Any]:
        return {"reviewer": self.reviewer, "reviewed": self.reviewed,
                "review_age_days": self.review_age_days}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> AttributionMetrics:
        return cls(raw.get("reviewer"), raw.get("reviewed"), raw.get("review_age_days"))
