"""Per-rule precision and recall on real text, counted as ../shared/eval/real-web/score.py counts.

    python -m tools.rule_accuracy          # write lint_rules/data/rule-accuracy.json (minutes)
    python -m tools.rule_accuracy --print  # print the figures instead

score.py gives one figure per category; the rule reference (``python -m tools.rule_docs``)
and ``medlint explain`` need one per rule, with the date and the data set, so this runs
medlint the way score.py does (empty config, ``--today 2026-12-03``, ``--min-severity info``,
no cache) and splits its counts by rule id:

- spam rules, on the labeled spam passages (real-web spam/ and spam2/): precision = the rule's
  findings that find a garbled span or spliced sentence / its findings; recall = labels it finds
  / all labels; plus its findings per 10k words on the clean passages.
- claims rules, on the 558 labeled sentences of real-web claims/sentences.jsonl: precision and
  recall of "needs a source" (score.py's sentence counting), and the passages' unsupported
  claims found.
- attribution/missing-reviewer, on the clean passages with a review-line label.
- every rule: findings per 1k words on the reputable pages of real-sites (with ``--sites``).

Only counts are stored, never text from the data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tools.realsplit import finds, occurrences, read

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
WEB = EVAL / "real-web"
SITES = EVAL / "real-sites"
OUT = ROOT / "lint_rules" / "data" / "rule-accuracy.json"


def _lint(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """medlint's findings per real path, run exactly as score.py runs it."""
    medlint = shutil.which("medlint", path=str(Path(sys.executable).parent)) or "medlint"
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as config:
        pass
    try:
        done = subprocess.run(
            [medlint, "check", "--format", "json", "--no-cache", "--min-severity", "info",
             "--config", config.name, "--today", "2026-12-03", *map(str, paths)],
            capture_output=True, text=True, check=False)
    finally:
        os.unlink(config.name)
    files = json.loads(done.stdout)["files"]
    return {os.path.realpath(f["path"]): f["findings"] for f in files}


def _rules(prefix: str) -> list[str]:
    """Every registered rule of a category, so a rule that never fired is counted as zero."""
    from medlint.api import registry

    return [rule for rule in registry() if rule.startswith(prefix)]


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 2) if b else None


def passages(rules: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Spam and reviewer figures per rule on the labeled passages."""
    rows = []
    for folder in ("spam", "spam2", "clean"):
        labels = WEB / folder / "labels.jsonl"
        if labels.exists():
            rows += [json.loads(x) for x in labels.read_text(encoding="utf-8").splitlines()]
    found = _lint([WEB / r["file"] for r in rows])
    spam_all: Counter[str] = Counter()
    spam_right: Counter[str] = Counter()
    labels_found: Counter[str] = Counter()
    clean_hits: Counter[str] = Counter()
    claims_found: Counter[str] = Counter()
    reviewer = Counter[str]()
    n_labels = n_claims = clean_words = n_spam_files = 0
    for r in rows:
        path = WEB / r["file"]
        text = read(path)
        fs = found[os.path.realpath(path)]
        garbled = occurrences(text, r.get("garbled_spans"))
        spliced = occurrences(text, r.get("spliced_sentences"))
        claimed = occurrences(text, r.get("unsupported_claims"))
        n_claims += len(claimed)
        ids = {f["rule"] for f in fs}
        for rule in ids:
            own = [(f["offset"], f["end_offset"]) for f in fs if f["rule"] == rule]
            claims_found[rule] += sum(any(finds(c, s, 2) for s in own) for c in claimed)
            if r["file"].startswith("clean/"):
                continue
            labels_found[rule] += sum(any(finds(g, s, 3) for s in own) for g in garbled)
            labels_found[rule] += sum(any(finds(g, s, 2) for s in own) for g in spliced)
        if r["file"].startswith("clean/"):
            clean_words += len(text.split())
            clean_hits.update(f["rule"] for f in fs)
            if "has_reviewer_attribution" in r:
                flagged = "attribution/missing-reviewer" in ids
                has = bool(r["has_reviewer_attribution"])
                reviewer["tp"] += flagged and not has
                reviewer["fp"] += flagged and has
                reviewer["fn"] += (not flagged) and not has
            continue
        n_spam_files += 1
        n_labels += len(garbled) + len(spliced)
        for f in fs:
            span = (f["offset"], f["end_offset"])
            spam_all[f["rule"]] += 1
            spam_right[f["rule"]] += (any(finds(g, span, 3) for g in garbled)
                                      or any(finds(g, span, 2) for g in spliced))
    for rule in _rules("spam/"):
        rules.setdefault(rule, {})["spam-passages"] = {
            "precision": _ratio(spam_right[rule], spam_all[rule]),
            "recall": _ratio(labels_found[rule], n_labels),
            "right": spam_right[rule], "findings": spam_all[rule],
            "labels-found": labels_found[rule], "labels": n_labels,
            "clean-per-10k-words": round(clean_hits[rule] / clean_words * 1e4, 1),
        }
    for rule in _rules("claims/"):
        n = claims_found[rule]
        rules.setdefault(rule, {})["unsupported-claims-found"] = {
            "found": n, "labels": n_claims, "recall": _ratio(n, n_claims)}
    tp, fp, fn = reviewer["tp"], reviewer["fp"], reviewer["fn"]
    rules.setdefault("attribution/missing-reviewer", {})["clean-passages"] = {
        "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
        "right": tp, "false": fp, "missed": fn}
    return {"spam-passages": n_spam_files, "labels": n_labels,
            "clean-words": clean_words, "unsupported-claims": n_claims}


def sentences(rules: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per claims rule: precision and recall of "needs a source" on the labeled sentences."""
    rows = [json.loads(x) for x in
            (WEB / "claims" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    found = _lint(sorted({SITES / r["file"] for r in rows}))
    counts: dict[str, Counter[str]] = {}
    claim_rules = _rules("claims/")
    for r in rows:
        path = SITES / r["file"]
        text = read(path)
        i = text.find(r["sentence"])
        span = (i, i + len(r["sentence"]))
        fs = found[os.path.realpath(path)]
        for rule in claim_rules:
            flagged = any(f["rule"] == rule and finds(span, (f["offset"], f["end_offset"]), 2)
                          for f in fs)
            c = counts.setdefault(rule, Counter())
            c["tp"] += flagged and r["needs_source"]
            c["fp"] += flagged and not r["needs_source"]
            c["fn"] += (not flagged) and r["needs_source"]
    for rule, c in counts.items():
        rules.setdefault(rule, {})["claim-sentences"] = {
            "precision": _ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": _ratio(c["tp"], c["tp"] + c["fn"]),
            "right": c["tp"], "false": c["fp"], "missed": c["fn"]}
    return {"sentences": len(rows), "need-a-source": sum(bool(r["needs_source"]) for r in rows)}


def sites(rules: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every rule's findings per 1k words on the reputable pages (false alarms, mostly)."""
    root = SITES / "reputable"
    files = sorted(root.rglob("*.md"))
    found = _lint([root])
    words = sum(len(read(f).split()) for f in files)
    hits = Counter(x["rule"] for f in files for x in found.get(os.path.realpath(f), []))
    from medlint.api import registry

    for rule in registry():
        rules.setdefault(rule, {})["reputable-per-1k-words"] = round(hits[rule] / words * 1e3, 2)
    return {"reputable-pages": len(files), "reputable-words": words}


def measure(with_sites: bool) -> dict[str, Any]:
    """The whole data file: date, data sets and the per-rule figures."""
    rules: dict[str, dict[str, Any]] = {}
    sets = {"real-web passages": passages(rules), "real-web claim sentences": sentences(rules)}
    if with_sites:
        sets["real-sites reputable"] = sites(rules)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    return {"date": dt.date.today().isoformat(), "commit": commit, "data-sets": sets,
            "sites-measured": with_sites, "rules": dict(sorted(rules.items()))}


def write(with_sites: bool = True) -> Path:
    """Measures and writes the data file; its path."""
    OUT.write_text(json.dumps(measure(with_sites), indent=1) + "\n", encoding="utf-8")
    return OUT


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--print", action="store_true", help="print, do not write the data file")
    ap.add_argument("--sites", action="store_true", help="also the reputable pages (slower)")
    args = ap.parse_args()
    if not WEB.is_dir():
        raise SystemExit(f"{WEB} not found: the real evaluation data sits beside the repository")
    if args.print:
        print(json.dumps(measure(args.sites), indent=1))
        return 0
    write(args.sites)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
