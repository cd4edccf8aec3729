"""The attribution category's document metrics (``metrics.attribution`` in the report, read
by ``medlint audit``): the first named medical reviewer and their credentials, the newest
review date not in the future, its age in days, and whether the page cites any source."""

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
from medlint.rules.attribution.sources import cites_sources
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
    reviewer_credentials: tuple[str, ...] = ()  # as written: ("MD", "FACP")
    cites_sources: bool | None = None  # None: not measured (a report from before it was)

    @classmethod
    def of(cls, att: Attribution, today: _dt.date,
           cites: bool | None = None) -> AttributionMetrics:
        reviewers = att.named_reviewers()
        dates = [d.date for d in att.review_dates if d.date.value and d.date.value <= today]
        newest = max(dates, key=lambda d: d.latest() or d.value, default=None)
        last = newest.latest() if newest is not None else None
        return cls(reviewers[0].name if reviewers else None,
                   newest.value.isoformat() if newest is not None and newest.value else None,
                   max(0, (today - last).days) if last is not None else None,
                   tuple(reviewers[0].credentials) if reviewers else (), cites)

    @classmethod
    def compute(cls, doc: Document, ctx: RuleContext) -> AttributionMetrics:
        return cls.of(attribution(doc, ctx), ctx.today, cites_sources(doc))

    def to_json(self) -> dict[str, Any]:
        return {"reviewer": self.reviewer, "reviewed": self.reviewed,
                "review_age_days": self.review_age_days,
                "reviewer_credentials": list(self.reviewer_credentials),
                "cites_sources": self.cites_sources}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> AttributionMetrics:
        creds = raw.get("reviewer_credentials") or ()
        cites = raw.get("cites_sources")
        return cls(raw.get("reviewer"), raw.get("reviewed"), raw.get("review_age_days"),
                   tuple(str(c) for c in creds if isinstance(c, str)) if isinstance(
                       creds, list | tuple) else (),
                   cites if isinstance(cites, bool) else None)
