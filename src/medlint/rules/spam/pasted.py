"""spam/inserted-phrase on real text: the cascade of medlint.rules.spam.cascade.

Replaces the corpus-trained detector as the rule behind ``spam/inserted-phrase``. The old
span scorer (medlint.rules.spam.insertion_signals) is kept as one candidate source ("legacy",
without the run's titles, so a file gets the same findings alone or in a run); every
candidate is then judged by the scorer trained on real pages, and only a calibrated
probability at or above the shipped threshold is reported. Cross-page evidence may only
raise a finding's confidence, and only when ``use_run`` is set (``medlint audit``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any, ClassVar

from medlint.documents.model import Document
from medlint.rules.base import Finding, Option, Rule, RuleContext, bad, good
from medlint.rules.spam import cascade
from medlint.rules.spam.levels import severity_for


def _trim_lead(text: str, start: int, end: int, page: cascade.Page) -> int:
    """Moves a legacy span's start past host words: function words and words the page uses
    elsewhere (the detector tends to take "managing a successful" along)."""
    import re

    while True:
        m = re.match(r"([A-Za-z'’]+)[ ,]+", text[start:end])
        if not m or len(text[start + m.end():end].split()) < 2:
            return start
        w = m.group(1).lower()
        pre = w[:5] if len(w) >= 7 else None
        used = page.counts[cascade.stem(w)] > 1 or (pre is not None and any(
            k.startswith(pre) and k != cascade.stem(w) for k in page.counts))
        if w in cascade.STOP or used:
            start += m.end()
        else:
            return start


def legacy(doc: Document, ctx: RuleContext | None, nlp: Any = None,
           page: cascade.Page | None = None) -> list[cascade.Candidate]:
    """Candidates of the old span scorer (spaCy tags), with its probability as a feature."""
    from medlint.rules.spam import insertion_signals as sig

    page = page or cascade.Page.build(doc)
    texts = [b.text for b in doc.blocks] + [doc.title]
    dctx = sig.DocContext.build(texts, gazetteer=None)
    out = []
    for block in doc.blocks:
        if block.kind not in cascade.PROSE_KINDS or doc.in_reference_list(block):
            continue
        if not any(ch in block.text for ch in ".?!:"):
            continue
        sdoc = ctx.spacy(block) if ctx is not None else nlp.doc(block)
        if sdoc is None:
            continue
        for sent in sdoc.sents:
            if len(sent) < 4:
                continue
            for c in sig.find_insertions(sent, dctx, 0.5, []):
                start = _trim_lead(block.text, c.start, c.end, page)
                cand = cascade.Candidate(block, start, c.end, "legacy")
                cand.features = cascade.features_of(cand, page, doc)
                cand.features["legacy_p"] = c.probability
                # the old scorer's query shape: a lower-case acronym ("aa") or a business-name
                # ending ("... recovery")
                cand.features["legacy_shape"] = float(
                    c.probability >= 0.9 and cand.features["novel"] >= 0.5
                    and len(block.text[start:c.end].split()) >= 4
                    and block.text[start:start + 1].islower()
                    and not any(ch in block.text[start:c.end] for ch in "|&")
                    and any(c.features.get(k, 0) for k in ("acro", "brand")))
                out.append(cand)
    return out


def judge(doc: Document, ctx: RuleContext | None, nlp: Any = None) -> list[cascade.Candidate]:
    """All candidates of a document, scored; overlapping ones keep the most probable."""
    page = cascade.Page.build(doc)
    cands = cascade.find(doc, page)
    cands += legacy(doc, ctx, nlp, page)
    cascade.score(cands)
    best: list[cascade.Candidate] = []
    taken: dict[int, list[tuple[int, int]]] = {}  # per block, disjoint spans sorted by start
    for c in sorted(cands, key=lambda c: -c.probability):
        spans = taken.setdefault(c.block.index, [])
        i = bisect.bisect_left(spans, (c.start, c.end))
        if (i > 0 and spans[i - 1][1] > c.start) or (i < len(spans) and spans[i][0] < c.end):
            continue  # overlaps a more probable candidate (checked against neighbours only)
        spans.insert(i, (c.start, c.end))
        best.append(c)
    return sorted(best, key=lambda c: (c.block.index, c.start))


_EXAMPLE_OK = ("Detox usually lasts a week. During detox, you'll receive around-the-clock "
               "medical supervision, and the team adjusts the medicines every day.\n")


class InsertedPhrase(Rule):
    """A phrase pasted into a page: a query anchor, a shop name, SERP or template residue,
    a keyword line, mojibake, a spinner artefact, another site's boilerplate."""

    id = "spam/inserted-phrase"
    description = ("Flags text pasted into a page by SEO tools or scrapers: a lower-case search "
                   "query mid-sentence ('narcan near me', 'best teeth whitening in Dubai'), a "
                   "shop name with its preposition, SERP or template residue ('Read More'), a "
                   "stand-alone keyword line, an image file name, mojibake, a spinner artefact, "
                   "another site's boilerplate. Candidates come from regular expressions and the "
                   "old span scorer; the real-text model (lint_rules/data/spam-real-model.yaml) "
                   "scores each, and only those at or above the shipped threshold are reported "
                   "(error at 0.65 or more, warning at 0.5, else info; rules/spam/levels.py).")
    not_flagged = ("Headings, code and reference lists; a page's own title repeated; candidates "
                   "the model scores below the threshold, which was set on reputable text to at "
                   "most one false alarm per 10k words. Cross-page evidence is used only with "
                   "use-run (medlint audit), and only to raise a confidence.")
    unmeasured = ("recall is counted against all labels of the spam passages, spliced sentences "
                  "included, which this rule is not meant to find (spam/off-topic-sentence is).")
    contract = "calibrated"
    category = "spam"
    rationale = ("Anchor text and search queries pasted mid-sentence by SEO tools garble the "
                 "article and signal a hacked or spun page to readers and search engines.")
    source = ("Google Search spam policies (hacked content, keyword stuffing, link spam); "
              "medlint real-text cascade (docs/rules/spam.md)")
    needs = frozenset({"tags"})
    options: ClassVar[dict[str, Option]] = {
        "threshold": Option(0.0, "Report candidates whose probability reaches this value (0 "
                            "uses the threshold shipped with the model, set on reputable "
                            "text to <= 1 false alarm per 10k words).", float),
        "verifier": Option(False, "Send candidate sentences to the optional language-model "
                           "verifier (medlint.rules.spam.lm) when its weights are installed "
                           "(skipped silently otherwise; the JSON finding's data.verified "
                           "says whether it ran). Off by default: on real text it found "
                           "nothing more on held-out passages and cost about a third more "
                           "CPU.", bool),
    }
    examples = (
        bad("During heroin detox, you'll receive understanding alcohol withdrawal stomach pain "
            "lantana recovery around-the-clock medical supervision. Detox usually lasts a week, "
            "and the team adjusts the medicines every day.\n"),
        bad("Keep naloxone where you can reach it quickly. Many pharmacies stock it, and you "
            "can ask for narcan near me at the counter.\n"),
        bad("Whitening gels bleach the enamel slowly. Most people who choose best teeth "
            "whitening in Dubai see results in two weeks.\n"),
        good(_EXAMPLE_OK),
        good("Type 1 diabetes\n\nType 1 diabetes is a condition in which the pancreas makes "
             "little or no insulin. People with type 1 diabetes need insulin every day.\n",
             path="type-1-diabetes.md"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        params = cascade.model()
        threshold = float(ctx.options.get("threshold") or 0.0) or float(params.threshold or 1.0)
        cands = judge(doc, ctx)
        if ctx.options.get("verifier", False) and cascade.verifier_available():
            meta = params.meta
            cascade.verify(cands, floor=float(meta.get("verify_floor", threshold / 2)),
                           weight=float(meta.get("verify_weight", 1.0)),
                           center=float(meta.get("verify_center", 0.0)),
                           prefix=bool(meta.get("verify_prefix", False)))
        for c in cands:
            if c.probability < threshold:
                continue
            phrase = " ".join(c.block.text[c.start:c.end].split())
            what = "Sentence spliced in from other content" if c.splice else "Pasted text"
            yield self.block_finding(
                c.block, f"{what} ({c.kind}): '{phrase[:80]}'; delete it if it is stray "
                "link, title or template text", c.start, c.end,
                data={"confidence": round(c.probability, 3), "kind": c.kind,
                      "verified": c.verified},
                severity=severity_for(c.probability))


RULES: tuple[type[Rule], ...] = (InsertedPhrase,)
