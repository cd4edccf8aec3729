"""A streaming site audit: ``SiteAudit.add(result)`` for each linted page, then ``finish()``.

Memory stays bounded on huge sites: site-wide figures are counters and small histograms, the
per-page summary rows go to an optional callback (the CSV writer) instead of being kept, and
full findings are kept only for the ``top`` worst pages (a heap on the page score).

Page score (higher is worse; the same definition is printed in every report)::

    score = 1000 * (10*errors + 3*warnings + 1*infos) / max(words, 250)
          + 20  if the page names no medical reviewer (attribution metrics say so)
          + 10  if the review is stale (an attribution/stale-review finding)
          + 2 * (reading grade - 8), when the Flesch-Kincaid grade is above 8 (at most +20)

So findings count by severity per 1,000 words (short pages are treated as 250 words so a
stub with one warning does not top the list), and the fixed penalties make unreviewed, out of
date and hard-to-read pages rise even when few rules fire on them.
"""

from __future__ import annotations

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
SCORE_DEFINITION = (
    "score = 1000 × (10·errors + 3·warnings + 1·infos) / max(words, 250) "
    "+ 20 if no named medical reviewer + 10 if the review is stale "
    "+ 2 per reading grade above 8 (Flesch-Kincaid, at most +20). Higher is worse."
)
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
    """The documented page score (see the module docstring); higher is worse."""
    weighted = sum(SEVERITY_WEIGHTS.get(s, 1) * n for s, n in by_severity.items())
    score = 1000.0 * weighted / max(words, MIN_WORDS)
    if reviewer_known and not has_reviewer:
        score += NO_REVIEWER_PENALTY
    if stale:
        score += STALE_PENALTY
    if grade is not None and grade > TARGET_GRADE:
        score += min(GRADE_PENALTY_MAX, GRADE_PENALTY_PER_GRADE * (grade - TARGET_GRADE))
    return round(score, 1)


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
    """Aggregates FileResults as they stream in; ``finish()`` returns a JSON-able summary."""

    top: int = 200
    on_row: Callable[[PageRow], None] | None = None
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
    claims: Counter[str] = field(default_factory=Counter)  # "strength:supported"
    pages_with_findings: int = 0
    score_total: float = 0.0
    _heap: list[tuple[float, int, dict[str, Any]]] = field(default_factory=list)
    _pasted: dict[str, dict[str, Any]] = field(default_factory=dict)
    _inserted: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, result: Any) -> PageRow:
        """Counts one page (a ``medlint.engine.FileResult``) and returns its summary row."""
        metrics = _metrics(result)
        sev: Counter[str] = Counter()
        rules: Counter[str] = Counter()
        stale = False
        for f in result.findings:
            s = str(f.severity)
            sev[s] += 1
            rules[f.rule] += 1
            self.by_category[f.category] += 1
            self.by_rule_severity.setdefault(f.rule, Counter())[s] += 1
            if f.rule == "attribution/stale-review":
                stale = True
            elif f.rule == "spam/duplicate-text":
                self._add_pasted(result.path, f)
            elif f.rule == "spam/inserted-phrase":
                self._add_inserted(result.path, f)
        self.files += 1
        self.words += result.words
        self.findings += len(result.findings)
        self.by_severity.update(sev)
        self.by_rule.update(rules)
        self.pages_by_rule.update(rules.keys())
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
        self.stale += stale
        claims = metrics.get(ClaimMetrics) or ClaimMetrics()
        unsupported = 0
        for c in claims:
            # since issue #18 textbook claims are listed too: count only those an editor wants
            # sourced (reports written before it lack ``needs_source``)
            unsupported += c.wants_source
            self.claims[f"{c.strength}:{'yes' if c.supported else 'no'}"] += 1
        score = page_score(result.words, sev, known, bool(reviewer), stale, grade)
        self.score_total += score
        row = PageRow(result.path, score, result.words, len(result.findings), sev["error"],
                      sev["warning"], sev["info"], grade, reviewer, reviewed, age, stale,
                      len(claims), unsupported,
                      rules.most_common(1)[0][0] if rules else "")
        if self.on_row is not None:
            self.on_row(row)
        self._keep_worst(row, result.findings)
        return row

    @staticmethod
    def _age_bin(age: Any) -> str:
        if not isinstance(age, int):
            return "no review date"
        for lo, hi, label in REVIEW_AGE_BINS:
            if age >= lo and (hi is None or age <= hi):
                return label
        return REVIEW_AGE_BINS[0][2]

    def _keep_worst(self, row: PageRow, findings: list[Any]) -> None:
        if self.top <= 0:
            return
        key = (row.score, -self.files)  # ties: the earlier page ranks worse
        if len(self._heap) >= self.top and key <= self._heap[0][:2]:
            return
        page = row.as_dict()
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
            group = self._pasted[norm] = {"excerpt": f.excerpt, "pages": 0, "files": set(),
                                          "examples": []}
        m = _BOILERPLATE_FILES.search(f.message)
        if m:
            group["pages"] = max(group["pages"], int(m.group(1)))
        if path not in group["files"] and len(group["files"]) < 50:
            group["files"].add(path)
            if len(group["examples"]) < 5:
                group["examples"].append(path)

    def _add_inserted(self, path: str, f: Any) -> None:
        norm = " ".join(_words(f.excerpt))
        if not norm:
            return
        group = self._inserted.get(norm)
        if group is None:
            if len(self._inserted) >= MAX_GROUPS:
                return
            group = self._inserted[norm] = {"phrase": f.excerpt, "pages": []}
        if len(group["pages"]) < 20:
            group["pages"].append({"path": path, "line": f.line})

    # Results ---------------------------------------------------------------------------
    def worst_pages(self) -> list[dict[str, Any]]:
        return [p for _, _, p in sorted(self._heap, key=lambda t: (-t[0], -t[1]))]

    @property
    def has_cross_page_signals(self) -> bool:
        """Whether ``finish`` will want the run's first pass (titles, shared sentences)."""
        return bool(self._inserted or self._pasted)

    def finish(self, titles: Mapping[str, str] | None = None,
               sentence_files: Mapping[str, Iterable[str]] | None = None,
               context: Callable[[str], str | None] | None = None) -> dict[str, Any]:
        """The JSON-able summary. ``titles`` (path -> title, from the run's first pass) lets
        inserted phrases be matched against other articles' titles; ``sentence_files`` (the
        first pass's sentence hash -> paths) lists the pages a pasted sentence occurs in;
        ``context(path)`` returns a worst page's text so excerpts are shown in context."""
        titles = dict(titles or {})
        pages_known = self.attribution_known
        worst = self.worst_pages()
        for page in worst:
            page["title"] = titles.get(page["path"], "")
            if context is not None:
                _add_context(page, context(page["path"]))
        return {
            "version": "1",
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
                "mean_score": round(self.score_total / self.files, 1) if self.files else None,
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
            "pasted_sentences": self._pasted_groups(sentence_files),
            "title_insertions": self._title_insertions(titles),
        }

    def _grade_histogram(self) -> list[dict[str, Any]]:
        bins = [0] * GRADE_BINS
        for grade, n in self.grades.items():
            # bar n holds grades above n-1 up to n, so the bars right of the target line
            # are exactly the pages above the target
            bins[min(GRADE_BINS - 1, max(0, math.ceil(grade)))] += n
        return [{"grade": i, "label": f"{i}+" if i == GRADE_BINS - 1 else str(i),
                 "pages": n} for i, n in enumerate(bins)]

    def _pasted_groups(self, sentence_files: Mapping[str, Iterable[str]] | None
                       ) -> list[dict[str, Any]]:
        groups = []
        for group in self._pasted.values():
            examples = list(group["examples"])
            pages = max(group["pages"], len(group["files"]))
            if sentence_files:
                from medlint.runcontext import sentence_key

                files = sentence_files.get(sentence_key(group["excerpt"]))
                if files:
                    files = list(files)
                    pages = max(pages, len(set(files)))
                    examples = sorted(set(files))[:5]
            groups.append({"excerpt": group["excerpt"], "pages": pages, "examples": examples})
        groups.sort(key=lambda g: (-g["pages"], g["excerpt"]))
        return groups

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


def _add_context(page: dict[str, Any], text: str | None, width: int = 90) -> None:
    """Adds ``before``/``marked``/``after`` around each kept finding's span."""
    if not text:
        return
    for f in page["findings_list"]:
        start, end = f["offset"], f["end_offset"]
        if not 0 <= start <= end <= len(text):
            continue
        if end - start > 600:
            end = start + 600
        lo = max(0, start - width)
        hi = min(len(text), end + width)
        f["before"] = ("…" if lo else "") + " ".join(text[lo:start].split()) + (
            " " if start > lo and text[start - 1].isspace() else "")
        f["marked"] = " ".join(text[start:end].split())
        f["after"] = (" " if end < hi and text[end].isspace() else "") + " ".join(
            text[end:hi].split()) + ("…" if hi < len(text) else "")


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
