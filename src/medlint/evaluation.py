"""Scoring findings against labeled corpora (``medlint eval``, README accuracy tables).

A label file (YAML) maps article paths, relative to the label file's ``root`` (default: the
folder above ``labels/``), to the findings expected there::

    root: ..
    rules: [spam/inserted-phrase, spam/off-topic-sentence]   # the rules this file scores
    files:
      spam/seed-copy.md:
        - {rule: spam/inserted-phrase, text: "family aa meetings schedule"}
        - {rule: spam/off-topic-sentence, text: "The drugs target ...", occurrence: 1}
      spam/clean-article.md: []       # listed with no labels: nothing may be found

Only listed files are scored, and only for the listed ``rules``. A labeled span counts as
found when a finding of its rule overlaps at least half of it; a finding that overlaps no
labeled span of its rule is a false positive. A label with no ``text`` is document-level:
found when the rule fires anywhere in the file.

With ``unit: sentence`` the score is per sentence instead (the claims corpus): a label marks
the sentence that contains it, a finding marks every sentence it overlaps, and each rule is
scored on the sets of marked sentences. The pseudo-rule ``claims/claim`` scores claim
detection from each file's ``metrics.claims``; its labels carry a ``strength``, compared on
the sentences both sides mark.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from medlint.documents.model import Document
    from medlint.rules.claims.metrics import ClaimMetrics

CLAIM_RULE = "claims/claim"  # pseudo-rule: claim detection, scored from metrics.claims
CLAIM_STRENGTHS = ("hedged", "correlational", "causal", "absolute")


class LabelError(ValueError):
    pass


@dataclass
class Label:
    rule: str
    start: int | None  # None: document-level
    end: int | None
    text: str = ""
    strength: str | None = None  # claims/claim labels only


@dataclass
class LabeledFile:
    path: Path
    labels: list[Label]


@dataclass
class LabelSet:
    source: Path
    rules: list[str]
    files: list[LabeledFile]
    unit: str = "span"  # or "sentence"


@dataclass
class Score:
    tp: int = 0  # labels found
    fn: int = 0  # labels missed
    fp: int = 0  # findings matching no label
    found_findings: int = 0  # findings that matched a label
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        total = self.found_findings + self.fp
        return self.found_findings / total if total else 1.0

    @property
    def recall(self) -> float:
        total = self.tp + self.fn
        return self.tp / total if total else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_labels(path: Path) -> LabelSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LabelError(f"{path}: cannot read labels: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise LabelError(f"{path}: a label file needs a 'files' mapping")
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        raise LabelError(f"{path}: a label file needs a non-empty 'rules' list")
    unit = str(data.get("unit", "span"))
    if unit not in ("span", "sentence"):
        raise LabelError(f"{path}: unit must be 'span' or 'sentence', not {unit!r}")
    root = (path.parent / str(data.get("root", ".."))).resolve()
    files: list[LabeledFile] = []
    for rel, items in data["files"].items():
        article = root / rel
        if not article.is_file():
            raise LabelError(f"{path}: labeled file {rel} does not exist under {root}")
        text = article.read_text(encoding="utf-8-sig")
        labels = []
        for item in items or []:
            labels.append(_label(path, rel, text, item))
        files.append(LabeledFile(article, labels))
    return LabelSet(path, [str(r) for r in rules], files, unit)


def _label(path: Path, rel: str, text: str, item: Any) -> Label:
    if not isinstance(item, dict) or "rule" not in item:
        raise LabelError(f"{path}: {rel}: each label needs a 'rule'")
    snippet = item.get("text")
    if snippet is None:
        return Label(str(item["rule"]), None, None)
    occurrence = int(item.get("occurrence", 1))
    start = -1
    for _ in range(occurrence):
        start = text.find(snippet, start + 1)
        if start == -1:
            raise LabelError(f"{path}: {rel}: text not found (occurrence {occurrence}): "
                             f"{snippet[:80]!r}")
    strength = item.get("strength")
    if strength is not None and strength not in CLAIM_STRENGTHS:
        raise LabelError(f"{path}: {rel}: strength must be one of {', '.join(CLAIM_STRENGTHS)}"
                         f", not {strength!r}")
    return Label(str(item["rule"]), start, start + len(snippet), snippet, strength)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def score_file(labels: Iterable[Label], findings: Iterable[Mapping[str, Any]], rules: list[str],
               scores: dict[str, Score], name: str = "") -> None:
    """Adds one file's outcome to ``scores`` (per rule)."""
    labels = [lab for lab in labels if lab.rule in rules]
    findings = [f for f in findings if f["rule"] in rules]
    for rule in rules:
        score = scores.setdefault(rule, Score())
        rule_labels = [lab for lab in labels if lab.rule == rule]
        rule_findings = [f for f in findings if f["rule"] == rule]
        matched: set[int] = set()
        for lab in rule_labels:
            if lab.start is None:
                hit = [i for i, _ in enumerate(rule_findings)]
            else:
                need = max(1, (lab.end - lab.start + 1) // 2)
                hit = [i for i, f in enumerate(rule_findings)
                       if _overlap(lab.start, lab.end, f["offset"], f["end_offset"]) >= need]
            if hit:
                score.tp += 1
                matched.update(hit)
            else:
                score.fn += 1
                score.misses.append(f"{name}: {lab.text[:70]!r}" if lab.text else name)
        for i, f in enumerate(rule_findings):
            overlaps_any = i in matched or any(
                lab.start is None or _overlap(lab.start, lab.end, f["offset"], f["end_offset"])
                for lab in rule_labels)
            if overlaps_any:
                score.found_findings += 1
            else:
                score.fp += 1
                score.false_positives.append(f"{name}:{f['line']}: {f['excerpt'][:70]!r}")


def format_table(scores: Mapping[str, Score]) -> str:
    lines = ["| rule | labels | found | false pos. | precision | recall | F1 |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for rule, s in sorted(scores.items()):
        lines.append(f"| `{rule}` | {s.tp + s.fn} | {s.tp} | {s.fp} | {s.precision:.2f} | "
                     f"{s.recall:.2f} | {s.f1:.2f} |")
    return "\n".join(lines)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|Sr|Jr|vs|No|Fig|al|approx|e\.g|i\.e)\.$")


def sentence_spans(doc: Any) -> list[tuple[int, int]]:
    """Source spans of the document's prose sentences, split on end punctuation: simple and
    independent of the NLP pipeline, so the units do not move when a model changes."""
    spans: list[tuple[int, int]] = []
    for block in doc.blocks:
        if block.kind == "heading":
            continue
        start = 0
        for match in _SENTENCE_END.finditer(block.text):
            if _ABBREVIATION.search(block.text, 0, match.start()):
                continue  # "Dr. Kessler", "Smith et al. found"
            spans.append(block.source_span(start, match.start()))
            start = match.end()
        if block.text[start:].strip():
            spans.append(block.source_span(start, len(block.text.rstrip())))
    return sorted(spans)


def _sentences_of(start: int, end: int, spans: list[tuple[int, int]]) -> set[int]:
    return {i for i, (s0, s1) in enumerate(spans) if _overlap(start, max(end, start + 1), s0, s1)}


@dataclass
class StrengthScore:
    """Claim strength on sentences both the labels and the detector mark as claims."""

    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def table(self) -> str:
        names = CLAIM_STRENGTHS
        total = sum(self.confusion.values())
        right = sum(self.confusion[(n, n)] for n in names)
        lines = [f"Claim strength on {total} matched claim sentences: accuracy "
                 f"{right / total if total else 0:.2f} (rows: label, columns: detector)", "",
                 "| label \\ found | " + " | ".join(names) + " |",
                 "|---|" + "---:|" * len(names)]
        for gold in names:
            lines.append(f"| {gold} | " + " | ".join(str(self.confusion[(gold, p)])
                                                     for p in names) + " |")
        return "\n".join(lines)


def claim_findings(doc: Document, claims: ClaimMetrics | None) -> list[dict[str, Any]]:
    """The detector's claim sentences (``metrics.claims``) as ``claims/claim`` findings, with
    the line and excerpt a reader checks and the strength scored against the labels."""
    return [{"rule": CLAIM_RULE, "line": doc.line_col(c.offset)[0],
             "excerpt": " ".join(doc.text[c.offset:c.end_offset].split()), **c.to_json()}
            for c in claims or ()]


def score_file_sentences(labels: Iterable[Label], findings: Iterable[Mapping[str, Any]],
                         rules: list[str], scores: dict[str, Score],
                         spans: list[tuple[int, int]], name: str = "",
                         strengths: StrengthScore | None = None) -> None:
    """Adds one file's outcome to ``scores``, counting sentences, not spans."""
    def line_of(i: int) -> str:
        return f"{name}: sentence {i + 1}"

    for rule in rules:
        score = scores.setdefault(rule, Score())
        gold: dict[int, Label] = {}
        for lab in labels:
            if lab.rule == rule and lab.start is not None:
                for i in _sentences_of(lab.start, lab.start + 1, spans):
                    gold.setdefault(i, lab)
        found: dict[int, Mapping[str, Any]] = {}
        for f in findings:
            if f["rule"] == rule and f["end_offset"] > f["offset"]:
                for i in _sentences_of(f["offset"], f["end_offset"], spans):
                    found.setdefault(i, f)
        for i, lab in sorted(gold.items()):
            if i in found:
                score.tp += 1
                score.found_findings += 1
                if strengths is not None and lab.strength:
                    strengths.confusion[(lab.strength, str(found[i].get("strength")))] += 1
            else:
                score.fn += 1
                score.misses.append(f"{line_of(i)}: {lab.text[:70]!r}")
        for i, f in sorted(found.items()):
            if i not in gold:
                score.fp += 1
                score.false_positives.append(f"{name}:{f.get('line', '?')}: "
                                             f"{f.get('excerpt', '')[:70]!r}")
