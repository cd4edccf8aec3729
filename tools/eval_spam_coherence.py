"""Accuracy of spam/off-topic-sentence and spam/incoherent-list, as a markdown table.

    python -m tools.eval_spam_coherence               # corpus + report seeds
    python -m tools.eval_spam_coherence --seeds dev   # the seeds used while tuning
    python -m tools.eval_spam_coherence --show-errors
    python -m tools.eval_spam_coherence --learned on   # force the learned combiner on/off

Three measurements:
1. the hand-labeled corpus (corpus/labels/spam-coherence.yaml);
2. synthetic splices (tools.splice) into the corpus articles that carry no
   coherence label, from a donor of another subject; dev seeds were used for tuning, report
   seeds never were;
3. false alarms on clean text: findings of the two rules per 10,000 words over every corpus
   article that no label file marks for any spam rule.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from medlint.config import Config
from medlint.engine import Engine, Source
from medlint.evaluation import Label, Score, format_table, load_labels, score_file
from medlint.rules import load_rules
from tools.offtopic_model import with_learned
from tools.splice import DEV_SEEDS, REPORT_SEEDS, load_articles, make_cases

ROOT = Path(__file__).resolve().parents[1]

RULES = ["spam/off-topic-sentence", "spam/incoherent-list"]
LABELS = ROOT / "corpus" / "labels" / "spam-coherence.yaml"
ARTICLE_SUFFIXES = (".md", ".txt", ".html", ".htm")


def _engine(learned: bool | None = None, threshold: float = 0.0) -> Engine:
    config = Config(root=ROOT)
    config.select = list(RULES)
    rules = load_rules()
    if learned is not None:  # the learned combiner is an experiment in tools/, not a shipped option
        rules = with_learned(rules)
        config.rules["spam/off-topic-sentence"] = {"learned": learned,
                                                   "learned_threshold": threshold}
    return Engine(config, rules)


def corpus_articles() -> list[Path]:
    return sorted(p for p in (ROOT / "corpus").rglob("*")
                  if p.suffix in ARTICLE_SUFFIXES and "labels" not in p.parts)


def labeled(rules_prefix: str = "spam/") -> tuple[set[Path], set[Path]]:
    """(articles with a coherence label, articles with any spam label) across label files."""
    coherence: set[Path] = set()
    spam: set[Path] = set()
    for label_file in (ROOT / "corpus" / "labels").glob("*.yaml"):
        data = yaml.safe_load(label_file.read_text(encoding="utf-8")) or {}
        root = (label_file.parent / str(data.get("root", ".."))).resolve()
        for rel, items in (data.get("files") or {}).items():
            for item in items or []:
                rule = str(item.get("rule", ""))
                if rule in RULES:
                    coherence.add((root / rel).resolve())
                if rule.startswith(rules_prefix):
                    spam.add((root / rel).resolve())
    return coherence, spam


def score_corpus(engine: Engine, show: bool) -> dict[str, Score]:
    labels = load_labels(LABELS)
    scores: dict[str, Score] = {}
    results = engine.lint([Source(str(f.path)) for f in labels.files])
    for lf, result in zip(labels.files, results, strict=True):
        findings = [r.as_dict() for r in result.findings]
        score_file(lf.labels, findings, RULES, scores, lf.path.name)
    return scores


def score_splices(engine: Engine, seeds: range) -> tuple[dict[str, Score], dict[str, Score]]:
    coherence, _spam = labeled()
    articles = load_articles([p for p in corpus_articles() if p.resolve() not in coherence])
    cases = make_cases(seeds, articles)
    scores: dict[str, Score] = {}
    by_kind: dict[str, Score] = {}
    sources = [Source(c.name, c.text.encode("utf-8")) for c in cases]
    for case, result in zip(cases, engine.lint(sources), strict=True):
        labels = []
        for item in case.labels:
            start = case.text.find(item["text"])
            labels.append(Label(item["rule"], start, start + len(item["text"]), item["text"]))
        findings = [r.as_dict() for r in result.findings]
        score_file(labels, findings, RULES, scores, case.name)
        score_file(labels, findings, RULES, by_kind.setdefault(case.kind, {}), case.name)
    return scores, by_kind


def clean_rate(engine: Engine) -> tuple[int, int, list[str]]:
    _coherence, spam = labeled()
    clean = [p for p in corpus_articles() if p.resolve() not in spam]
    words = 0
    hits: list[str] = []
    for path, result in zip(clean, engine.lint([Source(str(p)) for p in clean]), strict=True):
        words += result.words
        hits += [f"{path.name}:{r.line}: {r.rule}: {r.excerpt[:80]!r}" for r in result.findings
                 if r.rule in RULES]
    return words, len(clean), hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", choices=("dev", "report"), default="report")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--learned", choices=("on", "off"), default=None,
                        help="override the rule's `learned` option (default: its config)")
    parser.add_argument("--threshold", type=float, default=0.0,
                        help="learned_threshold (0: the shipped one)")
    args = parser.parse_args(argv)
    engine = _engine(None if args.learned is None else args.learned == "on", args.threshold)
    corpus = score_corpus(engine, args.show_errors)
    seeds = DEV_SEEDS if args.seeds == "dev" else REPORT_SEEDS
    spliced, by_kind = score_splices(engine, seeds)
    words, n_clean, hits = clean_rate(engine)

    print(f"### Hand-labeled corpus ({LABELS.relative_to(ROOT)})\n")
    print(format_table(corpus))
    print(f"\n### Synthetic splices ({args.seeds} seeds {seeds.start}-{seeds.stop - 1})\n")
    print(format_table(spliced))
    print("\n| splice kind | labels | found | recall |\n|---|---:|---:|---:|")
    for kind, scores in sorted(by_kind.items()):
        tp = sum(s.tp for s in scores.values())
        total = tp + sum(s.fn for s in scores.values())
        print(f"| {kind} | {total} | {tp} | {tp / total if total else 1:.2f} |")
    combined: dict[str, Score] = {}
    for rule in RULES:
        c = Score()
        for part in (corpus, spliced):
            s = part.get(rule, Score())
            c.tp += s.tp
            c.fn += s.fn
            c.fp += s.fp
            c.found_findings += s.found_findings
        combined[rule] = c
    print("\n### Corpus and splices together\n")
    print(format_table(combined))
    rate = len(hits) / words * 10_000 if words else 0.0
    print(f"\n### Clean text\n\n{len(hits)} findings of these two rules in {n_clean} clean "
          "corpus articles, "
          f"{words} words: {rate:.2f} per 10,000 words")
    if args.show_errors:
        for name, part in (("corpus", corpus), ("splices", spliced)):
            for rule, s in part.items():
                for m in s.misses:
                    print(f"MISS {name} {rule}: {m}")
                for f in s.false_positives:
                    print(f"FP   {name} {rule}: {f}")
        for h in hits:
            print(f"CLEAN-FP {h}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
