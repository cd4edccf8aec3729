"""spam/inserted-phrase, spam/keyword-stuffing and spam/duplicate-text beyond their examples:
the seed article, the hand-written corpus and the injection generator."""

from pathlib import Path

import pytest

from medlint.api import lint_text
from medlint.evaluation import Score, load_labels, score_file
from tests.conftest import ROOT, TODAY
from tools.inject import inject

RULES = ["spam/inserted-phrase", "spam/keyword-stuffing", "spam/duplicate-text"]
LABELS = ROOT / "corpus" / "labels" / "spam-insertion.yaml"


def test_seed_article_insertions(seed_text):
    result = lint_text(seed_text, "heroin-detox.txt", select=["spam/inserted-phrase"],
                       today=TODAY)
    excerpts = [f.excerpt for f in result.findings]
    first = "understanding alcohol withdrawal stomach pain lantana recovery"
    second = "family aa meetings: what they are types and format schedule"
    for label in (first, second):
        start = seed_text.index(label)
        end = start + len(label)
        assert any(min(end, f.end_offset) - max(start, f.offset) >= len(label) // 2
                   for f in result.findings), f"missed {label!r}: {excerpts}"


def test_seed_article_no_other_insertion_or_stuffing(seed_text):
    result = lint_text(seed_text, "heroin-detox.txt", select=RULES, today=TODAY)
    labels = ["understanding alcohol withdrawal stomach pain lantana recovery",
              "family aa meetings: what they are types and format schedule"]
    spans = [(seed_text.index(t), seed_text.index(t) + len(t)) for t in labels]
    stray = [f.excerpt for f in result.findings
             if not any(min(e, f.end_offset) > max(s, f.offset) for s, e in spans)]
    assert len(stray) <= 1, stray  # measured: see docs/rules/spam.md


@pytest.fixture(scope="module")
def corpus_scores() -> dict[str, Score]:
    label_set = load_labels(LABELS)
    scores: dict[str, Score] = {}
    titles = {str(f.path): f.path.read_text(encoding="utf-8") for f in label_set.files}
    from medlint.engine import Source
    from medlint.runcontext import collect

    run = collect([Source(p, t.encode()) for p, t in titles.items()])
    for labeled in label_set.files:
        text = labeled.path.read_text(encoding="utf-8")
        # the cheap stage alone, so the floors hold with or without the optional verifier's
        # weights (with it, the keyword lines of ins-21, labeled for keyword-stuffing, are
        # also reported as inserted phrases: 7 right, 5 "false", precision 0.58)
        result = lint_text(text, str(labeled.path), select=label_set.rules, today=TODAY,
                           run=run, options={"spam/inserted-phrase": {"verifier": False}})
        score_file(labeled.labels, [f.as_dict() for f in result.findings], label_set.rules,
                   scores, labeled.path.name)
    return scores


def test_corpus_thresholds(corpus_scores):
    """Floors a regression must not cross on the hand-written corpus (a regression suite, not
    evidence: the real-text figures are in docs/rules/spam.md)."""
    ins = corpus_scores["spam/inserted-phrase"]
    assert ins.recall >= 0.35 and ins.precision >= 0.6, (ins.misses, ins.false_positives)
    kw = corpus_scores["spam/keyword-stuffing"]
    assert kw.recall >= 0.7 and kw.precision >= 0.9, (kw.misses, kw.false_positives)
    dup = corpus_scores["spam/duplicate-text"]
    assert dup.fp == 0


def test_clean_articles_quiet():
    clean = [p for p in sorted((ROOT / "corpus" / "spam").glob("ins-*"))
             if p.name in {"ins-01-sleep-apnea-cpap.md", "ins-02-metformin-faq.md",
                           "ins-03-knee-replacement-recovery.md",
                           "ins-06-blood-pressure-monitor.md", "ins-07-migraine-triggers.md",
                           "ins-09-flu-vaccine-qa.md", "ins-23-kidney-stones.md",
                           "ins-24-hearing-aids.md"}]
    assert len(clean) == 8
    hits = []
    for path in clean:
        result = lint_text(path.read_text(encoding="utf-8"), str(path), select=RULES,
                           today=TODAY)
        hits += [f"{path.name}: {f.rule} {f.excerpt}" for f in result.findings]
    assert not hits, hits


def test_inject_is_deterministic_and_labels_match():
    arts = [(str(p), p.read_text(encoding="utf-8")) for p in
            sorted((ROOT / "corpus" / "spam").glob("ins-0[1-3]*.md"))]
    a = inject(arts, seed=3, variants=2)
    b = inject(arts, seed=3, variants=2)
    assert [(x.text, x.spans) for x in a] == [(x.text, x.spans) for x in b]
    assert a and all(x.spans for x in a)
    for x in a:
        host = dict(arts)[x.host]
        for s, e in x.spans:
            phrase = x.text[s:e]
            assert phrase
        # removing the phrases gives the host back (modulo the added spaces)
        rebuilt = x.text
        for s, e in sorted(x.spans, reverse=True):
            rebuilt = rebuilt[:s] + rebuilt[e:]
        assert "".join(rebuilt.split()) == "".join(host.split())


def test_boilerplate_reported_once_across_run():
    from medlint.engine import Source
    from medlint.runcontext import collect

    line = "This article is for general information and does not replace medical advice."
    files = {f"a{i}.md": f"# Topic {i}\n\nUnique text number {i} here.\n\n{line}\n"
             for i in range(3)}
    run = collect([Source(p, t.encode()) for p, t in files.items()])
    opts = {"spam/duplicate-text": {"use_run": True}}  # cross-page evidence is opt-in
    hits = {p: lint_text(t, p, select=["spam/duplicate-text"], today=TODAY, run=run,
                         options=opts).findings
            for p, t in files.items()}
    assert [len(h) for h in hits.values()] == [1, 0, 0]
    assert "3 files" in hits["a0.md"][0].message


def test_inserted_phrase_span_is_the_phrase():
    text = ("Keep naloxone where you can reach it quickly and check the free narcan near me "
            "walgreens cvs expiry date every year.\n")
    result = lint_text(text, "n.md", select=["spam/inserted-phrase"], today=TODAY)
    assert result.findings
    f = result.findings[0]
    assert "narcan near me" in text[f.offset:f.end_offset]
    assert "Keep naloxone" not in text[f.offset:f.end_offset]


def test_root_path():
    assert Path(LABELS).is_file()


def test_inject_pastes_real_shapes():
    """Most generated insertions have the shapes of real ones, not another article's title."""
    arts = [(str(p), p.read_text(encoding="utf-8")) for p in
            sorted((ROOT / "corpus" / "spam").glob("ins-0*.md"))]
    made = inject(arts, seed=5, variants=3)
    kinds = [k for x in made for k in x.kinds]
    real = {"shop", "service_place", "query_mid", "query"}
    assert real <= set(kinds)
    assert sum(k in real for k in kinds) > len(kinds) / 2
    shops = [x.text[s:e] for x in made
             for (s, e), k in zip(x.spans, x.kinds, strict=True) if k == "shop"]
    assert all(p.split()[0] in {"from", "at", "via", "by"} for p in shops)
