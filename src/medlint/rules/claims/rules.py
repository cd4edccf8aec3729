"""Claims rules: health claims need evidence, and the evidence should be authoritative.

Absolute language and testimonials are YAML rules in ``lint_rules/claims.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from medlint.documents.model import Document
from medlint.rules.base import (
    Finding,
    Option,
    Rule,
    RuleContext,
    Severity,
    bad,
    good,
    iter_sentences,
)
from medlint.rules.claims.detect import (
    Claim,
    claim_sentences,
    evidence,
    find_statistic,
    is_authoritative,
    names_authority,
)

STANDARDS = ("HONcode principles 4-5 (attribution, justifiability); DISCERN questions 4-5; "
             "HealthNewsReview criteria; FTC Health Products Compliance Guidance")
_SEVERITY = {"absolute": Severity.ERROR, "causal": Severity.WARNING,
             "correlational": Severity.INFO, "hedged": Severity.INFO}


class _ClaimsRule(Rule):
    category = "claims"
    needs = frozenset({"sentences", "lemmas"})
    source = STANDARDS

    def finding_for(self, claim: Claim, message: str, **kw: object) -> Finding:
        return self.block_finding(claim.block, message, claim.start, claim.end, **kw)


class UnsupportedClaim(_ClaimsRule):
    id = "claims/unsupported-claim"
    severity = Severity.WARNING
    rationale = ("A claim about what causes, treats, prevents or risks a condition must say "
                 "where it comes from; severity rises with the claim's strength.")
    examples = (
        bad("Overcoming withdrawal at a detox facility is much easier than detoxing at home.\n"),
        bad("Green tea lowers blood pressure.\n"),
        good("Green tea lowers blood pressure slightly, according to a "
             "[Cochrane review](https://www.cochranelibrary.com/cdsr/doi/10.1002/x).\n"),
        good("Green tea lowers blood pressure slightly (Smith et al., 2020).\n"),
        good("Drink water with your meals.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        for claim in claim_sentences(doc, ctx):
            if claim.supported:
                continue
            yield self.finding_for(
                claim, f"Unsupported {claim.strength} claim ('{claim.cue}'): cite the evidence "
                "(a study, guideline or authoritative source) in the sentence or paragraph.",
                severity=_SEVERITY[claim.strength],
                data={"strength": claim.strength, "cue": claim.cue})


class WeakSource(_ClaimsRule):
    id = "claims/weak-source"
    severity = Severity.WARNING
    rationale = ("A claim backed only by blogs, shops or social media is not backed: cite a "
                 "health agency, a journal or a systematic review.")
    options: ClassVar[Mapping[str, Option]] = {
        "extra_domains": Option([], "more domains to treat as authoritative", list)}
    examples = (
        bad("Turmeric reduces joint pain, as [this wellness blog](https://glowdaily.example/"
            "turmeric) explains.\n"),
        good("Turmeric may reduce joint pain slightly, according to a [review on PubMed]"
             "(https://pubmed.ncbi.nlm.nih.gov/12345678/).\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        extra = ctx.options["extra_domains"]
        for claim in claim_sentences(doc, ctx):
            urls = [e for e in claim.evidence if e.startswith(("http://", "https://"))]
            others = [e for e in claim.evidence if e not in urls]
            if not urls or others or names_authority(claim.text):
                continue
            if any(is_authoritative(u, extra) for u in urls):
                continue
            yield self.finding_for(
                claim, f"The only source for this claim is not authoritative ({urls[0]}): cite "
                "a health agency, journal or systematic review.", data={"sources": urls})


class StatisticWithoutSource(Rule):
    id = "claims/statistic-without-source"
    category = "claims"
    severity = Severity.WARNING
    rationale = "A health number (a rate, a risk, a count of people) must say where it comes from."
    source = STANDARDS + "; CDC Clear Communication Index (numbers)"
    needs = frozenset({"sentences"})
    examples = (
        bad("About 40% of adults with sleep apnea do not know they have it.\n"),
        bad("One in three people will get shingles in their lifetime.\n"),
        good("About 40% of adults with sleep apnea do not know they have it, according to the "
             "[CDC](https://www.cdc.gov/sleep/).\n"),
        good("Take 200 mg twice a day for 5 days.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        for block, start, end in iter_sentences(ctx, doc, ("paragraph", "list_item",
                                                           "blockquote", "text")):
            sentence = block.text[start:end]
            m = find_statistic(sentence)
            if not m:
                continue
            if evidence(doc, block, start, end):
                continue
            yield self.block_finding(block, f"Statistic '{m.group().strip()}' without a source: "
                                     "say where the number comes from.", start, end,
                                     data={"statistic": m.group().strip()})


RULES = (UnsupportedClaim, WeakSource, StatisticWithoutSource)
