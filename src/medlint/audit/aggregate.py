"""A streaming site audit: ``SiteAudit.add(result)`` for each linted page, then ``finish()``.

Memory stays bounded on huge sites: site-wide figures are counters and small histograms, the
per-page summary rows go to an optional callback (the CSV writer) instead of being kept, and
full findings are kept only for the ``top`` worst pages (a heap on the page score).

Page health (0-100, higher is better; the same definition is printed in every report) is
``100 * 50 / (50 + penalty)``, where the penalty is::

    penalty = 1000 * (10*errors + 3*warnings + 1*infos) / max(words, 250)
          + 20  if the page names no medical reviewer (attribution metrics say so)
          + 10  if the review is stale (an attribution/stale-review finding)
          + 2 * (reading grade - 8), when the Flesch-Kincaid grade is above 8 (at most +20)

So findings count by severity per 1,000 words (short pages are treated as 250 words so a
stub with one warning does not top the list), and the fixed penalties make unreviewed, out of
date and hard-to-read pages rise even when few rules fire on them.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from medlint.metrics import DocumentMetrics
from medlint.rules.attribution.metrics import AttributionMetrics
from medlint.rules.claims.metrics import ClaimMetrics
from medlint.rules.readability.metrics import ReadabilityMetrics

SEVERITY_WEIGHTS = {"error": 10, "warning": 3, "info": 1}
MIN_WORDS = 250
NO_REVIEWER_PENALTY = 20
STALE_PENALTY = 10
TARGET_GRADE = 8
GRADE_PENALTY_PER_GRADE = 2
GRADE_PENALTY_MAX = 20
HALF_HEALTH = 50.0  # the penalty at which a page's health is 50
SCORE_DEFINITION = (
    "health = 100 × 50 / (50 + penalty), 0-100, higher is better; penalty = "
    "1000 × (10·errors + 3·warnings + 1·infos) / max(words, 250) "
    "+ 20 if no named medical reviewer + 10 if the review is stale "
    "+ 2 per reading grade above 8 (Flesch-Kincaid, at most +20). Boilerplate shared "
    "across pages is a template cluster, not counted against the one page it is reported on."
)
PRIORITIES = ("high", "medium", "low")
PAGE_LIST = 50  # pages listed per issue in the fix-first section (the count is exact)
SAME_DATE_MIN = 5  # a review date shared by this many pages (and 20%) is called out
FINDINGS_PER_PAGE = 200  # findings kept for one worst page (the count is always exact)
MAX_GROUPS = 5000  # cross-page groups kept (distinct pasted sentences / inserted phrases)
REVIEW_AGE_BINS = ((0, 182, "< 6 months"), (183, 365, "6–12 months"),
                   (366, 730, "1–2 years"), (731, 1095, "2–3 years"),
                   (1096, None, "> 3 years"))
GRADE_BINS = 18  # grades rounded up: 0..16 and "17+"
CLAIM_STRENGTHS = ("absolute", "causal", "correlational", "hedged")
_BOILERPLATE_FILES = re.compile(r"appears in (\d+) files")
CSV_FIELDS = ("path", "score", "words", "findings", "errors", "warnings", "infos", "grade",
              "reviewer", "reviewed", "review_age_days", "stale_review", "claims",
              "unsupported_claims", "top_rule")


@dataclass
class PageRow:
    """The small per-page summary (one CSV row)."""

    path: str
    score: float
    words: int
    findings: int
    errors: int
    warnings: int
    infos: int
    grade: float | None
    reviewer: str | None
    reviewed: str | None
    review_age_days: int | None
    stale_review: bool
    claims: int
    unsupported_claims: int
    top_rule: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CSV_FIELDS}


def page_score(words: int, by_severity: Mapping[str, int], reviewer_known: bool,
               has_reviewer: bool, stale: bool, grade: float | None) -> float:
    """The documented page health, 0-100 and higher is better, so owners read it like a
    Lighthouse score; bounded by construction (see the module docstring)."""
    penalty = page_penalty(words, by_severity, reviewer_known, has_reviewer, stale, grade)
    return round(100.0 * HALF_HEALTH / (HALF_HEALTH + penalty), 1)


def page_penalty(words: int, by_severity: Mapping[str, int], reviewer_known: bool,
                 has_reviewer: bool, stale: bool, grade: float | None) -> float:
    """The unbounded penalty behind the health score; higher is worse."""
    weighted = sum(SEVERITY_WEIGHTS.get(s, 1) * n for s, n in by_severity.items())
    score = 1000.0 * weighted / max(words, MIN_WORDS)
    if reviewer_known and not has_reviewer:
        score += NO_REVIEWER_PENALTY
    if stale:
        score += STALE_PENALTY
    if grade is not None and grade > TARGET_GRADE:
        score += min(GRADE_PENALTY_MAX, GRADE_PENALTY_PER_GRADE * (grade - TARGET_GRADE))
    return round(score, 1)


def common_base(paths: Iterable[str]) -> str:
    """The deepest folder holding every page, so pages read from a JSONL export show the
    same relative paths as when the folder itself is audited ("" when there is none)."""
    import os

    folders = {os.path.dirname(p) for p in paths}
    if not folders:
        return ""
    try:
        return os.path.commonpath(sorted(folders))
    except ValueError:  # absolute and relative paths mixed
        return ""


def review_days_left(reviewed: str, months: int, today: _dt.date) -> int | None:
    """Days until a review dated ``reviewed`` (ISO) leaves a ``months``-long window."""
    try:
        day = _dt.date.fromisoformat(reviewed[:10])
    except ValueError:
        return None
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    due = _dt.date(year, month, min(day.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11)
                                    else 31))
    return (due - today).days


def _metrics(result: Any) -> DocumentMetrics:
    """A page's metrics by type (also from a report's parsed JSON ``metrics`` object)."""
    metrics = result.metrics
    return metrics if isinstance(metrics, DocumentMetrics) else DocumentMetrics.from_json(
        metrics or {})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _median(counts: Counter[float]) -> float | None:
    total = sum(counts.values())
    if not total:
        return None
    values = sorted(counts)
    lo_rank, hi_rank = (total - 1) // 2, total // 2
    seen = 0
    lo = hi = None
    for v in values:
        nxt = seen + counts[v]
        if lo is None and lo_rank < nxt:
            lo = v
        if hi_rank < nxt:
            hi = v
            break
        seen = nxt
    assert lo is not None and hi is not None
    return round((lo + hi) / 2, 2)


@dataclass
class SiteAudit:
    """Aggregates FileResults as they stream in; ``finish()`` returns a JSON-able summary.

    ``base`` is stripped from page paths so every output shows the same relative paths;
    ``today`` and ``review_months`` (the stale-review window) date the reviews that fall due.
    """

    top: int = 200
    on_row: Callable[[PageRow], None] | None = None
    base: str = ""
    today: _dt.date | None = None
    review_months: int = 24
    files: int = 0
    words: int = 0
    findings: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    by_rule_severity: dict[str, Counter[str]] = field(default_factory=dict)
    pages_by_rule: Counter[str] = field(default_factory=Counter)
    grades: Counter[float] = field(default_factory=Counter)  # grade rounded to 0.1 -> pages
    attribution_known: int = 0
    with_reviewer: int = 0
    stale: int = 0
    review_ages: Counter[str] = field(default_factory=Counter)
    review_ages_days: Counter[int] = field(default_factory=Counter)  # age in 30-day months
    review_dates: Counter[str] = field(default_factory=Counter)
    due: Counter[str] = field(default_factory=Counter)  # overdue, 30, 90
    reviewers: dict[str, dict[str, Any]] = field(default_factory=dict)
    no_attribution: int = 0
    claims: Counter[str] = field(default_factory=Counter)  # "strength:supported"
    pages_with_findings: int = 0
    pages_with_unsourced: int = 0
    unsourced_total: int = 0
    no_sources: int = 0  # pages citing no source at all (attribution metrics)
    _no_sources: list[str] = field(default_factory=list)
    health_total: float = 0.0
    _heap: list[tuple[float, int, dict[str, Any]]] = field(default_factory=list)
    _unsourced: list[tuple[int, int, str]] = field(default_factory=list)
    _rule_pages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _pasted: dict[str, dict[str, Any]] = field(default_factory=dict)
    _inserted: dict[str, dict[str, Any]] = field(default_factory=dict)

    def rel(self, path: str) -> str:
        """The path as every output shows it: relative to the audited folder."""
        prefix = self.base.rstrip("/\\") + "/" if self.base else ""
        return path[len(prefix):] if prefix and path.startswith(prefix) else path

    def add(self, result: Any) -> PageRow:
        """Counts one page (a ``medlint.engine.FileResult``) and returns its summary row."""
        metrics = _metrics(result)
        path = self.rel(result.path)
        sev: Counter[str] = Counter()  # what the page's health counts
        rules: Counter[str] = Counter()
        stale = False
        for f in result.findings:
            s = str(f.severity)
            rules[f.rule] += 1
            self.by_severity[s] += 1
            self.by_category[f.category] += 1
            self.by_rule_severity.setdefault(f.rule, Counter())[s] += 1
            if f.rule == "attribution/stale-review":
                stale = True
            elif f.rule == "spam/duplicate-text":
                self._add_pasted(path, f)
                if _BOILERPLATE_FILES.search(f.message):
                    continue  # a template cluster of many pages: credited in finish()
            elif f.rule == "spam/inserted-phrase":
                self._add_inserted(path, f)
            sev[s] += 1
        self.files += 1
        self.words += result.words
        self.findings += len(result.findings)
        self.by_rule.update(rules)
        self.pages_by_rule.update(rules.keys())
        for rule, n in rules.items():
            listed = self._rule_pages.setdefault(rule, [])
            if len(listed) < PAGE_LIST:
                listed.append({"path": path, "findings": n})
        if result.findings:
            self.pages_with_findings += 1
        readability = metrics.get(ReadabilityMetrics)
        grade = readability.fk_grade if readability is not None else None
        if grade is not None:
            self.grades[round(grade, 1)] += 1
        att = metrics.get(AttributionMetrics)
        known = att is not None
        reviewer = att.reviewer if att is not None else None
        reviewed = att.reviewed if att is not None else None
        age = att.review_age_days if att is not None else None
        if known:
            self.attribution_known += 1
            self.with_reviewer += bool(reviewer)
            self.review_ages[self._age_bin(age)] += 1
            self._add_review(path, reviewer, reviewed, age, att.reviewer_credentials)
        # every page that cites nothing (no link to another site, reference list or
        # footnote); a report from before the metric counts the rule's finding instead
        cites = att.cites_sources if att is not None else None
        if cites is False or (cites is None and "attribution/missing-sources" in rules):
            self.no_sources += 1
            if len(self._no_sources) < PAGE_LIST:
                self._no_sources.append(path)
        self.stale += stale
        claims = metrics.get(ClaimMetrics) or ClaimMetrics()
        unsupported = 0
        for c in claims:
            # since issue #18 textbook claims are listed too: count only those an editor wants
            # sourced (reports written before it lack ``needs_source``)
            unsupported += c.wants_source
            self.claims[f"{c.strength}:{'yes' if c.supported else 'no'}"] += 1
        if unsupported:
            self.pages_with_unsourced += 1
            self.unsourced_total += unsupported
            item = (unsupported, -self.files, path)
            if len(self._unsourced) < PAGE_LIST:
                heapq.heappush(self._unsourced, item)
            elif item > self._unsourced[0]:
                heapq.heapreplace(self._unsourced, item)
        penalty = page_penalty(result.words, sev, known, bool(reviewer), stale, grade)
        health = round(100.0 * HALF_HEALTH / (HALF_HEALTH + penalty), 1)
        self.health_total += health
        row = PageRow(path, health, result.words, len(result.findings), sev["error"],
                      sev["warning"], sev["info"], grade, reviewer, reviewed, age, stale,
                      len(claims), unsupported,
                      rules.most_common(1)[0][0] if rules else "")
        if self.on_row is not None:
            self.on_row(row)
        self._keep_worst(row, penalty, result.path, result.findings)
        return row

    def _add_review(self, path: str, reviewer: str | None, reviewed: str | None,
                    age: int | None, credentials: Iterable[str] = ()) -> None:
        if not reviewer and not reviewed:
            self.no_attribution += 1
        if isinstance(age, int):
            self.review_ages_days[age] += 1
        if reviewed:
            self.review_dates[reviewed] += 1
            if self.today is not None:
                left = review_days_left(reviewed, self.review_months, self.today)
                if left is not None:
                    self.due["overdue" if left < 0 else "30" if left <= 30 else
                             "90" if left <= 90 else "later"] += 1
        if reviewer:
            entry = self.reviewers.setdefault(reviewer, {"pages": 0, "dates": Counter(),
                                                         "examples": [],
                                                         "credentials": Counter()})
            entry["pages"] += 1
            entry["credentials"].update(credentials)
            if reviewed:
                entry["dates"][reviewed] += 1
            if len(entry["examples"]) < 5:
                entry["examples"].append(path)

    @staticmethod
    def _age_bin(age: Any) -> str:
        if not isinstance(age, int):
            return "no review date"
        for lo, hi, label in REVIEW_AGE_BINS:
            if age >= lo and (hi is None or age <= hi):
                return label
        return REVIEW_AGE_BINS[0][2]

    def _keep_worst(self, row: PageRow, penalty: float, source: str,
                    findings: list[Any]) -> None:
        if self.top <= 0:
            return
        key = (penalty, -self.files)  # ties: the earlier page ranks worse
        if len(self._heap) >= self.top and key <= self._heap[0][:2]:
            return
        page = row.as_dict()
        page["source"] = source  # where its text is read from (not written out)
        page["findings_list"] = [
            {"rule": f.rule, "category": f.category, "severity": str(f.severity),
             "message": f.message, "line": f.line, "column": f.column, "offset": f.offset,
             "end_offset": f.end_offset, "excerpt": f.excerpt}
            for f in findings[:FINDINGS_PER_PAGE]]
        item = (key[0], key[1], page)
        if len(self._heap) >= self.top:
            heapq.heapreplace(self._heap, item)
        else:
            heapq.heappush(self._heap, item)

    def _add_pasted(self, path: str, f: Any) -> None:
        norm = " ".join(_words(f.excerpt))
        if not norm:
            return
        group = self._pasted.get(norm)
        if group is None:
            if len(self._pasted) >= MAX_GROUPS:
                return
            group = self._pasted[norm] = {"excerpt": f.excerpt, "files": set()}
        if path not in group["files"] and len(group["files"]) < PAGE_LIST:
            group["files"].add(path)

    def _add_inserted(self, path: str, f: Any) -> None:
        norm = " ".join(_words(f.excerpt))
        if not norm:
            return
        group = self._inserted.get(norm)
        if group is None:
            if len(self._inserted) >= MAX_GROUPS:
                return
            group = self._inserted[norm] = {"phrase": f.excerpt, "pages": []}
        if len(group["pages"]) < 20 and all(p["path"] != path for p in group["pages"]):
            group["pages"].append({"path": path, "line": f.line})  # distinct pages only

    # Results ---------------------------------------------------------------------------
    def worst_pages(self) -> list[dict[str, Any]]:
        return [p for _, _, p in sorted(self._heap, key=lambda t: (-t[0], -t[1]))]

    @property
    def has_cross_page_signals(self) -> bool:
        """Whether ``finish`` will want the run's first pass (titles, shared sentences)."""
        return bool(self._inserted or self._pasted)

    def finish(self, titles: Mapping[str, str] | None = None,
               sentence_files: Mapping[str, Iterable[str]] | None = None,
               context: Callable[[str], str | None] | None = None,
               rule_info: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
        """The JSON-able summary. ``titles`` (path -> title, from the run's first pass) lets
        inserted phrases be matched against other articles' titles; ``sentence_files`` (the
        first pass's sentence hash -> paths) lists the pages a pasted sentence occurs in;
        ``context(path)`` returns a worst page's text so excerpts are shown in context;
        ``rule_info`` (rule -> {"why", "fix"}, from the rules themselves) explains each issue."""
        titles = {self.rel(k): v for k, v in (titles or {}).items()}
        pages_known = self.attribution_known
        clusters = self._clusters(sentence_files)
        in_cluster: dict[str, list[int]] = {}
        for c in clusters:
            for p in c.pop("all_pages"):
                in_cluster.setdefault(p, []).append(c["id"])
        worst = self.worst_pages()
        for page in worst:
            page["title"] = titles.get(page["path"], "")
            page["template_clusters"] = in_cluster.get(page["path"], [])
            source = page.pop("source", page["path"])
            if context is not None:
                _add_context(page, context(source))
        return {
            "version": "2",
            "score_definition": SCORE_DEFINITION,
            "target_grade": TARGET_GRADE,
            "top": self.top,
            "site": {
                "files": self.files,
                "words": self.words,
                "findings": self.findings,
                "pages_with_findings": self.pages_with_findings,
                "by_severity": {k: self.by_severity.get(k, 0) for k in SEVERITY_WEIGHTS},
                "by_category": dict(sorted(self.by_category.items())),
                "reviewer_pages": self.with_reviewer,
                "attribution_pages": pages_known,
                "reviewer_share": round(self.with_reviewer / pages_known, 4)
                if pages_known else None,
                "stale_pages": self.stale,
                "stale_share": round(self.stale / self.files, 4) if self.files else None,
                "median_grade": _median(self.grades),
                "graded_pages": sum(self.grades.values()),
                "pages_above_target": sum(n for g, n in self.grades.items()
                                          if g > TARGET_GRADE),
                "health": round(self.health_total / self.files, 1) if self.files else None,
            },
            "fix_first": self._fix_first(rule_info or {}, clusters),
            "governance": self._governance(),
            "sources": {
                "pages_without_sources": self.no_sources,
                "without_sources_share": round(self.no_sources / self.files, 4)
                if self.files else None,
                "without_sources": list(self._no_sources),
                "pages_with_unsourced_claims": self.pages_with_unsourced,
                "unsourced_claims": self.unsourced_total,
                "share": round(self.pages_with_unsourced / self.files, 4) if self.files
                else None,
                "pages": [{"path": p, "unsourced_claims": n} for n, _, p in
                          sorted(self._unsourced, reverse=True)],
            },
            "by_rule": [
                {"rule": rule, "findings": n, "pages": self.pages_by_rule[rule],
                 **{s: self.by_rule_severity[rule].get(s, 0) for s in SEVERITY_WEIGHTS}}
                for rule, n in sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))],
            "charts": {
                "grade_histogram": self._grade_histogram(),
                "review_age": [{"label": label, "pages": self.review_ages.get(label, 0)}
                               for label in [b[2] for b in REVIEW_AGE_BINS]
                               + ["no review date"]],
                "claims": [{"strength": s,
                            "supported": self.claims.get(f"{s}:yes", 0),
                            "unsupported": self.claims.get(f"{s}:no", 0)}
                           for s in CLAIM_STRENGTHS],
            },
            "worst_pages": worst,
            "template_clusters": clusters,
            "title_insertions": self._title_insertions(titles),
        }

    def _fix_first(self, info: Mapping[str, Mapping[str, str]],
                   clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Issues grouped by rule, most urgent first: priority from the worst severity the
        findings carry (read from the findings, never assumed per rule) and pages affected."""
        issues = []
        for rule, n in self.by_rule.items():
            sevs = self.by_rule_severity[rule]
            worst = next((s for s in SEVERITY_WEIGHTS if sevs.get(s)), "info")
            pages = self.pages_by_rule[rule]
            listed = self._rule_pages.get(rule, [])
            if rule == "spam/duplicate-text" and clusters:
                credited = sorted({p for c in clusters for p in c["pages"]})
                pages = max(pages, len(credited))
                listed = [{"path": p, "findings": None} for p in credited[:PAGE_LIST]]
            share = pages / self.files if self.files else 0.0
            weight = SEVERITY_WEIGHTS.get(worst, 1) * (1 + 9 * share)
            level = ("high" if worst == "error" or (worst == "warning" and share >= 0.25)
                     else "medium" if worst == "warning" or share >= 0.25 else "low")
            issues.append({"rule": rule, "severity": worst, "priority": level,
                           "weight": round(weight, 2), "findings": n, "pages": pages,
                           "share": round(share, 4),
                           "why": (info.get(rule) or {}).get("why", ""),
                           "fix": (info.get(rule) or {}).get("fix", ""),
                           "page_list": listed})
        # errors first, whatever their reach (pasted spam on 7 pages outranks a style warning
        # on every page), then by priority and weight
        issues.sort(key=lambda i: (i["severity"] != "error", PRIORITIES.index(i["priority"]),
                                   -i["weight"], -i["pages"], i["rule"]))
        return issues

    def _governance(self) -> dict[str, Any]:
        dates = [{"date": d, "pages": n} for d, n in self.review_dates.most_common(10)]
        threshold = max(SAME_DATE_MIN, math.ceil(0.2 * self.attribution_known))
        months = Counter(min(120, a // 30) for a in self.review_ages_days.elements())
        return {
            "window_months": self.review_months,
            "today": self.today.isoformat() if self.today else None,
            "overdue": self.due.get("overdue", 0),
            "due_30": self.due.get("30", 0),
            "due_90": self.due.get("30", 0) + self.due.get("90", 0),
            "no_attribution": self.no_attribution,
            "review_dates": dates,
            "same_date": [d for d in dates if d["pages"] >= threshold],
            "age_months": [{"month": m, "pages": n} for m, n in sorted(months.items())],
            "reviewers": sorted(
                ({"name": name, "pages": r["pages"],
                  # as written on their pages, most used first
                  "credentials": [c for c, _ in r["credentials"].most_common(6)],
                  "dates": [d for d, _ in r["dates"].most_common(5)],
                  "distinct_dates": len(r["dates"]), "examples": r["examples"]}
                 for name, r in self.reviewers.items()),
                key=lambda r: (-r["pages"], r["name"]))[:50],
        }

    def _clusters(self, sentence_files: Mapping[str, Iterable[str]] | None
                  ) -> list[dict[str, Any]]:
        """Shared sentences grouped by the exact set of pages they occur on: one template is
        one cluster, credited to every page of it; a sentence repeated within one page is
        not a cross-page signal."""
        by_pages: dict[tuple[str, ...], list[str]] = {}
        for group in self._pasted.values():
            files = set(group["files"])
            if sentence_files:
                from medlint.runcontext import sentence_key

                files |= {self.rel(p) for p in sentence_files.get(
                    sentence_key(group["excerpt"])) or ()}
            if len(files) < 2:
                continue
            by_pages.setdefault(tuple(sorted(files)), []).append(group["excerpt"])
        clusters = [{"pages": list(k), "page_count": len(k), "sentences": len(v),
                     "examples": sorted(v, key=len)[:3]} for k, v in by_pages.items()]
        clusters.sort(key=lambda c: (-c["page_count"] * c["sentences"], c["examples"][0]))
        for i, c in enumerate(clusters, 1):
            c["id"] = i
            c["all_pages"], c["pages"] = c["pages"], c["pages"][:PAGE_LIST]
        return clusters

    def _grade_histogram(self) -> list[dict[str, Any]]:
        bins = [0] * GRADE_BINS
        for grade, n in self.grades.items():
            # bar n holds grades above n-1 up to n, so the bars right of the target line
            # are exactly the pages above the target
            bins[min(GRADE_BINS - 1, max(0, math.ceil(grade)))] += n
        return [{"grade": i, "label": f"{i}+" if i == GRADE_BINS - 1 else str(i),
                 "pages": n} for i, n in enumerate(bins)]

    def _title_insertions(self, titles: Mapping[str, str]) -> list[dict[str, Any]]:
        """Inserted phrases that contain (or are) another page's title, 3+ words long."""
        index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for path, title in titles.items():
            toks = tuple(_words(title or ""))
            if len(toks) >= 3:
                index.setdefault(toks[0], []).append((toks, path, title))
        out = []
        for group in self._inserted.values():
            toks = _words(group["phrase"])
            match = None
            for i, tok in enumerate(toks):
                for title_toks, path, title in index.get(tok, ()):
                    if tuple(toks[i:i + len(title_toks)]) == title_toks:
                        pages = sorted((p for p in group["pages"] if p["path"] != path),
                                       key=lambda p: (p["path"], p["line"]))
                        if pages:
                            match = (path, title, pages)
                            break
                if match:
                    break
            if match:
                out.append({"phrase": group["phrase"], "title": match[1],
                            "title_page": match[0], "pages": match[2]})
        out.sort(key=lambda g: (-len(g["pages"]), g["phrase"]))
        return out


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?\r?\n\1[ \t]*(?:\r?\n|\Z)",
                          re.S)
_MARKUP = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),      # images: alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),       # links: their text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),     # reference links
    (re.compile(r"\]\([^)]*\)?"), ""),                   # a link cut by the excerpt window
    (re.compile(r"\[\^[^\]]*\]"), ""),                   # footnote marks
    (re.compile(r"</?[A-Za-z][^>]*>"), " "),              # HTML tags
    (re.compile(r"</?(?:[A-Za-z][^>]*)?\Z"), ""),            # a tag cut by the window's end
    (re.compile(r"\A[^<>]*[\"']\s*/?>"), ""),             # ... or cut by its start
    (re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)"), ""),
    (re.compile(r"(\*\*|__|\*|`+|~~)"), ""),             # emphasis and code marks
    (re.compile(r"(?m)^[ \t]*\|?[-:| ]{3,}\|?[ \t]*$"), ""),  # table rules
    (re.compile(r"\|"), " "),
    (re.compile(r"&nbsp;"), " "),
]
PAGE_LEVEL_SPAN = 400  # a finding wider than this is about a section, not one sentence
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\r?\n")  # a long span within one paragraph is a sentence
PAGE_SHARE = 0.8  # ... and about the whole page when it covers this share of the body


def readable(text: str) -> str:
    """Source text as a reader sees it: Markdown and HTML markup stripped, spaces joined."""
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def front_matter_end(text: str) -> int:
    """Where the page's YAML/TOML front matter ends (0 when it has none)."""
    m = _FRONT_MATTER.match(text)
    return m.end() if m else 0


def _add_context(page: dict[str, Any], text: str | None, width: int = 90) -> None:
    """Adds ``before``/``marked``/``after`` around each kept finding's span, as the reader
    sees it. A finding in the front matter or spanning most of the page is anchored to the
    page title (``anchor: "page"``), since no one sentence is at fault; one spanning a
    section is anchored to that section's first line (``anchor: "section"``), usually its
    heading, so the reader knows where to look."""
    if not text:
        return
    body = front_matter_end(text)
    for f in page["findings_list"]:
        start, end = f["offset"], f["end_offset"]
        if not 0 <= start <= end <= len(text):
            continue
        if start < body or end - start > PAGE_SHARE * max(1, len(text) - body):
            f["anchor"] = "page"
            f["before"], f["marked"], f["after"] = "", page.get("title") or page["path"], ""
            continue
        if end - start > PAGE_LEVEL_SPAN and _PARAGRAPH_BREAK.search(text, start, end):
            first = readable(text[start:end].lstrip().split("\n", 1)[0])
            if first:
                f["anchor"] = "section"
                cut = first if len(first) <= width else first[:width].rsplit(" ", 1)[0] + "…"
                f["before"], f["marked"], f["after"] = "", cut, ""
                continue
            f["anchor"] = "page"
            f["before"], f["marked"], f["after"] = "", page.get("title") or page["path"], ""
            continue
        lo = max(body, start - width)
        hi = min(len(text), end + width)
        f["before"] = ("…" if lo > body else "") + readable(text[lo:start]) + (
            " " if start > lo and text[start - 1].isspace() else "")
        f["marked"] = readable(text[start:end]) or " ".join(text[start:end].split())
        f["after"] = (" " if end < hi and text[end].isspace() else "") + readable(
            text[end:hi]) + ("…" if hi < len(text) else "")


def rule_notes(registry: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Why each rule matters and how to fix it, read from the rules themselves (their
    ``rationale``, and a pack's ``description`` or a rule's ``fix_hint`` when it has one) so
    the report never keeps a second copy of the text."""
    notes = {}
    for rule_id, cls in registry.items():
        fix = getattr(cls, "fix_hint", "") or getattr(cls, "description", "") or ""
        notes[rule_id] = {"why": " ".join(str(getattr(cls, "rationale", "") or "").split()),
                          "fix": " ".join(str(fix).split())}
    return notes


def review_window(registry: Mapping[str, Any], options: Mapping[str, Any]) -> int:
    """The configured stale-review window in months (the rule's option, else 24)."""
    cls = registry.get("attribution/stale-review")
    if cls is None:
        return 24
    try:
        return int(cls.resolve_options(options).get("max_age_months", 24))
    except (ValueError, TypeError):
        return 24


def file_context(path: str) -> str | None:
    """A page's decoded text from disk (``None`` when it cannot be read)."""
    import os

    from medlint.documents.loading import decode
    from medlint.fileio import Skipped, read_input

    if os.path.islink(path):  # its target may lie outside the tree: no context quoted
        return None
    try:  # never a FIFO, device or huge file
        return decode(read_input(path)).text
    except (OSError, Skipped):
        return None
