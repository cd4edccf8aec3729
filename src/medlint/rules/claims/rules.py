"""Claims rules: health claims need evidence, and the evidence should be authoritative.

One claims finding per sentence (issue #18): :mod:`medlint.rules.claims.policy` gives each claim an
editor wants sourced one kind, and each kind has one rule: statistics go to
``claims/statistic-without-source``, guarantees and cures to ``claims/absolute-language``,
success stories to ``claims/testimonial``, efficacy, comparisons and studies mentioned without
the study to ``claims/unsupported-claim``. Textbook facts and advice are listed in
``metrics.claims`` with their strength but not reported.
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
)
from medlint.rules.claims.detect import (
    Claim,
    claim_sentences,
    is_authoritative,
    names_authority,
)
from medlint.rules.claims.metrics import ClaimMetrics
from medlint.rules.claims.policy import LABELS

STANDARDS = ("HONcode principles 4-5 (attribution, justifiability); DISCERN questions 4-5; "
             "HealthNewsReview criteria; FTC Health Products Compliance Guidance")
# A claim an editor would very likely send back is a warning; a weaker one (hedged, or a
# calibrated confidence below this) is information. Never an error: a claim is a question to
# the author.
_WARN_AT = 0.5


class _ClaimsRule(Rule):
    category = "claims"
    needs = frozenset({"sentences", "lemmas"})
    metrics = (ClaimMetrics,)
    source = STANDARDS
    kinds: ClassVar[tuple[str, ...]] = ()

    def finding_for(self, claim: Claim, message: str, **kw: object) -> Finding:
        return self.block_finding(claim.block, message, claim.start, claim.end, **kw)

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        """The unsupported claims of this rule's kinds, one finding a sentence."""
        for claim in claim_sentences(doc, ctx):
            if not claim.needs_source or claim.kind not in self.kinds:
                continue
            weak = claim.strength == "hedged" or claim.confidence < _WARN_AT
            yield self.finding_for(
                claim, self.message(claim),
                severity=Severity.INFO if weak else self.severity,
                data={"kind": claim.kind, "strength": claim.strength, "cue": claim.cue,
                      "confidence": round(claim.confidence, 2)})

    def message(self, claim: Claim) -> str:
        return (f"Unsupported {LABELS[claim.kind]} ('{claim.cue}'): cite the evidence (a study, "
                "guideline or authoritative source) in the sentence or paragraph.")


class UnsupportedClaim(_ClaimsRule):
    id = "claims/unsupported-claim"
    description = ("Flags a sentence making a specific efficacy or safety claim, a comparison or "
                   "superiority claim ('much easier than detoxing at home'), or invoking studies "
                   "without naming them ('Studies show'), with no evidence in the sentence or its "
                   "paragraph (a link, a citation such as '(Smith et al., 2020)', a footnote) nor "
                   "a source list in front matter. A learned score "
                   "(lint_rules/data/claims-source-model.yaml) gives each claim a confidence; "
                   "hedged or low-confidence claims are reported as info.")
    not_flagged = ("Textbook facts and definitions, standard advice and instructions, negated or "
                   "debunking sentences ('there is no evidence that'), questions, and claims with "
                   "evidence nearby. Statistics, guarantees and testimonials go to their own "
                   "rules, one finding a sentence. The quality of the source is "
                   "claims/weak-source's question.")
    contract = "review"
    severity = Severity.WARNING
    kinds = ("efficacy", "comparison", "study")
    rationale = ("A specific efficacy, safety or superiority claim, or a study invoked without "
                 "naming it, must say where it comes from; textbook facts and advice need not.")
    examples = (
        bad("Overcoming withdrawal at a detox facility is much easier than detoxing at home.\n"),
        bad("Studies show that green tea lowers blood pressure.\n"),
        good("Green tea lowers blood pressure slightly, according to a "
             "[Cochrane review](https://www.cochranelibrary.com/cdsr/doi/10.1002/x).\n"),
        good("Green tea is more effective than placebo (Smith et al., 2020).\n"),
        good("Drink water with your meals.\n"),
        good("A heart attack happens when blood flow to the heart is blocked.\n"),
    )


class AbsoluteLanguage(_ClaimsRule):
    id = "claims/absolute-language"
    description = ("Flags a promise no treatment can keep: 'cures', 'guaranteed', '100% "
                   "effective', 'completely safe', 'no side effects', 'permanent', when it is "
                   "asserted about a treatment or product and not backed by evidence nearby.")
    not_flagged = ("Negated uses ('there is no cure', 'does not guarantee'), advice and process "
                   "words ('always follow your plan'), scope that is not a health outcome ('100% "
                   "online'), and questions.")
    unmeasured = ("the labeled sentences come from reputable and help-centre pages, which rarely "
                  "promise cures, so recall rests on one or two labels; the spam passages carry "
                  "no guarantee labels of their own.")
    contract = "review"
    severity = Severity.WARNING
    kinds = ("guarantee",)
    rationale = ('Words like "cure", "guaranteed" or "100% effective" promise more than any '
                 "treatment can; regulators treat them as red flags of deceptive health claims.")
    source = 'FTC Health Products Compliance Guidance (2022); FDA "Health Fraud Scams" red flags'
    examples = (
        bad("This tea is guaranteed to lower your blood pressure.\n"),
        bad("Our supplement cures arthritis in weeks.\n"),
        bad("The patch is completely safe and 100% effective.\n"),
        good("There is no cure for type 1 diabetes, but insulin keeps people healthy.\n"),
        good("A family history does not guarantee that you will get the disease.\n"),
        good("Always follow the plan your nurse gave you.\n"),
        good("Our courses are 100% online.\n"),
    )

    def message(self, claim: Claim) -> str:
        return (f"Absolute claim '{claim.cue}': no health outcome can be promised; say what the "
                "treatment does and cite the evidence.")


class Testimonial(_ClaimsRule):
    id = "claims/testimonial"
    description = ("Flags a success story or patient count used as evidence: first-person results "
                   "('my skin has never looked clearer', 'it worked within days'), 'successfully "
                   "treated hundreds of patients', 'join over 5,000 satisfied clients'.")
    not_flagged = ("Trial results with their numbers ('In a trial of 400 adults...'), credentials "
                   "('board certified in addiction medicine'), and stories with a source nearby.")
    unmeasured = ("the 558 labeled real sentences include no testimonials (the README of real-web "
                  "says that class needs examples of its own), so precision and recall here are "
                  "not informative; the rule is checked by its examples and tests/rules/claims/.")
    contract = "review"
    severity = Severity.WARNING
    kinds = ("testimonial",)
    rationale = ("Success stories and patient counts are not evidence that a treatment works; the "
                 "FTC requires typical results and proof behind them.")
    source = "FTC Guides Concerning Endorsements and Testimonials (16 CFR 255); HONcode principle 5"
    examples = (
        bad("Dr. Hoffman has successfully treated hundreds of patients battling addiction.\n"),
        bad("Since starting the tablets, my skin has never looked clearer.\n"),
        bad("Join over 5,000 satisfied clients who beat their cravings.\n"),
        bad("I tried the cleanse and it worked within days.\n"),
        good("In a trial of 400 adults, the drug lowered blood pressure slightly more than "
             "placebo.\n"),
        good("Dr. Hoffman is board certified in addiction medicine.\n"),
    )

    def message(self, claim: Claim) -> str:
        return (f"Testimonial or success claim used as evidence ('{claim.cue}'): give the "
                "evidence instead (typical results, studies).")


class WeakSource(_ClaimsRule):
    id = "claims/weak-source"
    description = ("Flags a claim whose only evidence is links, none of them authoritative: not a "
                   "health agency, a journal, PubMed or a systematic-review site "
                   "(lint_rules/data/authoritative-sources.yaml, plus extra-domains), and the "
                   "sentence names no authority itself.")
    not_flagged = ("Textbook facts (a fact needs no source, so the quality of its link is moot); "
                   "claims with a written citation besides the link; sentences naming an "
                   "authority ('the CDC says'); claims with no source at all "
                   "(claims/unsupported-claim).")
    unmeasured = ("the labels say whether a sentence needs a source, not whether its source is "
                  "weak, so the figures count its findings against 'needs a source' only.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("A claim backed only by blogs, shops or social media is not backed: cite a "
                 "health agency, a journal or a systematic review.")
    options: ClassVar[Mapping[str, Option]] = {
        "extra_domains": Option([], "more domains to treat as authoritative", list)}
    examples = (
        bad("Turmeric is as effective as ibuprofen for joint pain, as [this wellness blog]"
            "(https://glowdaily.example/turmeric) explains.\n"),
        good("Turmeric is as effective as ibuprofen for joint pain, according to a [review on "
             "PubMed](https://pubmed.ncbi.nlm.nih.gov/12345678/).\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        extra = ctx.options["extra_domains"]
        for claim in claim_sentences(doc, ctx):
            if claim.kind is None:
                continue  # a textbook fact needs no source, so its link's quality is moot
            urls = [e for e in claim.evidence if e.startswith(("http://", "https://"))]
            others = [e for e in claim.evidence if e not in urls]
            if not urls or others or names_authority(claim.text):
                continue
            if any(is_authoritative(u, extra) for u in urls):
                continue
            yield self.finding_for(
                claim, f"The only source for this claim is not authoritative ({urls[0]}): cite "
                "a health agency, journal or systematic review.", data={"sources": urls})


class StatisticWithoutSource(_ClaimsRule):
    id = "claims/statistic-without-source"
    description = ("Flags a sentence giving a health number (a percentage, a rate, a risk, 'one "
                   "in three', a count of people) with no evidence in the sentence or its "
                   "paragraph and no source list in front matter.")
    not_flagged = ("Doses and instructions ('Take 200 mg twice a day'), normal ranges and other "
                   "textbook numbers, dates and counts that are not health figures, and numbers "
                   "with a citation or link nearby.")
    contract = "review"
    severity = Severity.WARNING
    kinds = ("statistic",)
    rationale = "A health number (a rate, a risk, a count of people) must say where it comes from."
    source = STANDARDS + "; CDC Clear Communication Index (numbers)"
    examples = (
        bad("About 40% of adults with sleep apnea do not know they have it.\n"),
        bad("One in three people will get shingles in their lifetime.\n"),
        good("About 40% of adults with sleep apnea do not know they have it, according to the "
             "[CDC](https://www.cdc.gov/sleep/).\n"),
        good("Take 200 mg twice a day for 5 days.\n"),
        good("Normal oxygen saturation in healthy adults is usually 95–100%.\n"),
    )

    def message(self, claim: Claim) -> str:
        return f"Statistic '{claim.cue}' without a source: say where the number comes from."


RULES = (UnsupportedClaim, WeakSource, StatisticWithoutSource, AbsoluteLanguage, Testimonial)
