"""Attribution rules: the JAMA benchmarks (authorship, attribution, disclosure, currency)
checked wherever publishers put them — front matter, JSON-LD, meta tags, byline text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

import regex

from medlint.documents.model import Document
from medlint.rules.attribution.facts import (
    AUTHOR_KEYS,
    REVIEW_DATE_KEYS,
    REVIEWER_KEYS,
    Attribution,
    anchor,
    months_between,
)
from medlint.rules.attribution.metrics import AttributionMetrics, attribution
from medlint.rules.attribution.sources import cites_sources
from medlint.rules.base import Finding, Option, Rule, RuleContext, Severity, bad, good
from medlint.rules.claims.detect import claim_sentences
from medlint.rules.claims.metrics import ClaimMetrics

JAMA = "JAMA benchmarks (Silberg et al., JAMA 1997); HONcode"
KEY_OPTIONS = {
    "reviewer_keys": Option(list(REVIEWER_KEYS), "front-matter keys naming the medical reviewer",
                            list),
    "review_date_keys": Option(list(REVIEW_DATE_KEYS), "front-matter keys for the review date",
                               list),
    "author_keys": Option(list(AUTHOR_KEYS), "front-matter keys naming the author", list),
}
REVIEWED = ("---\ntitle: Sleep and blood pressure\nauthor: Sam Rivera\n"
            "reviewer: Dana Okafor, MD\nlast_reviewed: 2026-09-14\n---\n\n# Sleep\n\nText.\n")


class _AttributionRule(Rule):
    category = "attribution"
    options = KEY_OPTIONS
    metrics = (AttributionMetrics,)

    def attribution(self, doc: Document, ctx: RuleContext) -> Attribution:
        return attribution(doc, ctx)

    @staticmethod
    def is_article(doc: Document) -> bool:
        """Empty files and stubs are not health articles to hold to the benchmarks."""
        return doc.word_count >= 40


class MissingReviewer(_AttributionRule):
    id = "attribution/missing-reviewer"
    description = ("Flags an article of 40 words or more that names no medical reviewer who is a "
                   "person: no 'Medically reviewed by', 'Reviewed by', 'Medical reviewer:' line, "
                   "no reviewer key in front matter (reviewer, reviewed_by, medically_reviewed_by "
                   "and the configured keys) and no JSON-LD reviewedBy. Fact checkers, editors "
                   "and teams ('the Editorial Team') are named in the message as not being a "
                   "medical review.")
    not_flagged = ("Pages under 40 words. Whether the reviewer has a credential is "
                   "attribution/reviewer-credentials' question, and the review date is "
                   "attribution/missing-review-date's. A clinician mentioned in the body ('Dr. "
                   "Hoffman is board certified') is not a review line and does not satisfy the "
                   "rule.")
    unmeasured = ("the clean passages are excerpts: a review line elsewhere on the real page is "
                  "not in the passage, so the figure measures the review-line reader, not the "
                  "page.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("Readers and search engines trust health pages that name the clinician who "
                 "checked them; an editorial team or fact checker is not a medical review.")
    source = JAMA + "; Google Search Quality Rater Guidelines (YMYL)"
    examples = (
        bad("# Heroin detox\n\n" + "Detox is hard and needs medical care. " * 12 +
            "\n\nDr. Hoffman is board certified in addiction medicine.\n"),
        bad("# Sleep\n\nReviewed by the Editorial Team on 3 March 2026.\n\n" +
            "Sleep matters for health. " * 15),
        good("Medically reviewed by Dana Okafor, MD on 3 March 2026\n\n# Sleep\n\n" +
             "Sleep matters for health. " * 15),
        good(REVIEWED),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if not self.is_article(doc):
            return
        att = self.attribution(doc, ctx)
        if att.named_reviewers():
            return
        others = [p.name for p in att.not_medical + att.reviewers if p.name]
        extra = f" ({'; '.join(others[:2])} is not a named medical reviewer)" if others else ""
        start, end = anchor(doc, att)
        yield self.finding("No named medical reviewer" + extra + ": add a line such as "
                           "'Medically reviewed by NAME, MD on DATE' or a reviewer in front "
                           "matter.", start, end)


class ReviewerCredentials(_AttributionRule):
    id = "attribution/reviewer-credentials"
    description = ("For each named medical reviewer, flags one given without a recognised "
                   "clinical or scientific credential (MD, DO, RN, PharmD, PhD, ... from "
                   "lint_rules/data/credentials.yaml), after the name, in a credentials list in "
                   "front matter or in JSON-LD (honorificSuffix, hasCredential, jobTitle).")
    not_flagged = ("'Dr.' before the name alone, unless the accept-dr-title option is on; pages "
                   "with no reviewer at all (attribution/missing-reviewer); authors, editors and "
                   "fact checkers, whose credentials are not checked.")
    unmeasured = ("the real-web labels mark only medical review lines (used for "
                  "attribution/missing-reviewer); no real text is labeled for reviewer "
                  "credentials, so only the rule's rate on reputable pages is measured.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("A reviewer's clinical or scientific credential is what makes the review "
                 "meaningful to readers.")
    source = JAMA + " (authorship with credentials)"
    options: ClassVar[Mapping[str, Option]] = {**KEY_OPTIONS, "accept_dr_title": Option(
        False, "count 'Dr.' before the name as a credential", bool)}
    examples = (
        bad("Medically reviewed by Dana Okafor on 3 March 2026\n\n# Sleep\n\nText.\n"),
        good("Medically reviewed by Dana Okafor, MD, FACP on 3 March 2026\n\n# Sleep\n\nText.\n"),
        good("---\nreviewer:\n  name: Ana Ruiz\n  credentials: [RN, BSN]\n---\n\nText.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        att = self.attribution(doc, ctx)
        for person in att.named_reviewers():
            if person.credentials or (person.dr_title and ctx.options["accept_dr_title"]):
                continue
            title = " (only 'Dr.')" if person.dr_title else ""
            start, end = (person.start, person.end) if person.end else anchor(doc, att)
            yield self.finding(f"Reviewer '{person.name}' has no recognised clinical or "
                               f"scientific credential{title}: give it, e.g. '{person.name}, "
                               "MD'.", start, end, data={"reviewer": person.name})


class MissingReviewDate(_AttributionRule):
    id = "attribution/missing-review-date"
    description = ("Flags an article of 40 words or more with no medical review date: none in "
                   "front matter (last_reviewed, reviewed, review_date and the configured keys), "
                   "in a 'Last reviewed: DATE' or 'Medically reviewed ... on DATE' line, or in "
                   "JSON-LD lastReviewed. An update or publication date alone is named in the "
                   "message but does not satisfy the rule.")
    not_flagged = ("Pages under 40 words. A review date that cannot be read or lies in the future "
                   "is not 'missing': attribution/invalid-review-date reports it. How old the "
                   "date is belongs to attribution/stale-review.")
    unmeasured = ("the real-web labels mark only medical review lines (used for "
                  "attribution/missing-reviewer); no real text is labeled for review dates, so "
                  "only the rule's rate on reputable pages is measured.")
    contract = "review"
    severity = Severity.WARNING
    rationale = "Readers need to know how current the medical review is (JAMA currency)."
    source = JAMA + " (currency); NHS 'Page last reviewed'"
    examples = (
        bad("Medically reviewed by Dana Okafor, MD\n\n# Sleep\n\n" + "Sleep matters. " * 25),
        good("Medically reviewed by Dana Okafor, MD on 3 March 2026\n\n# Sleep\n\n" +
             "Sleep matters. " * 15),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if not self.is_article(doc):
            return
        att = self.attribution(doc, ctx)
        if att.review_dates:
            return
        updated = [d for d in att.updated_dates if d.date.value]
        note = (f" (only an update date, {updated[0].date.text}, which does not say the "
                "medical content was checked)" if updated else "")
        start, end = anchor(doc, att)
        yield self.finding("No medical review date" + note + ": add when the page was last "
                           "medically reviewed.", start, end)


class StaleReview(_AttributionRule):
    id = "attribution/stale-review"
    description = ("Flags the newest medical review date when it is older than max-age-months "
                   "(24) on the run's date (--today). When the page has no review date at all, "
                   "its newest 'Last updated' or publication date is judged instead and the "
                   "message says 'updated'.")
    not_flagged = ("Future or unreadable dates (attribution/invalid-review-date) and pages with "
                   "no date at all (attribution/missing-review-date). A date with only a month or "
                   "a year counts from its latest possible day.")
    unmeasured = ("the real-web labels mark only medical review lines (used for "
                  "attribution/missing-reviewer); no real text is labeled for review age, so only "
                  "the rule's rate on reputable pages is measured.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("Medical guidance changes; a review older than the window may no longer "
                 "reflect current practice.")
    source = JAMA + " (currency); NHS and PIF TICK review cycles"
    options: ClassVar[Mapping[str, Option]] = {
        **KEY_OPTIONS, "max_age_months": Option(24, "months before a review is stale", int)}
    examples = (
        bad("Medically reviewed by Dana Okafor, MD on 3 March 2021\n\n# Sleep\n\nText.\n"),
        good("Medically reviewed by Dana Okafor, MD on 3 March 2026\n\n# Sleep\n\nText.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        att = self.attribution(doc, ctx)
        facts = [d for d in att.review_dates if d.date.value and d.date.value <= ctx.today]
        kind = "reviewed"
        if not facts and not att.review_dates:
            facts = [d for d in att.updated_dates if d.date.value and d.date.value <= ctx.today]
            kind = "updated"
        if not facts:
            return
        newest = max(facts, key=lambda d: d.date.latest() or d.date.value)
        last = newest.date.latest()
        assert last is not None
        age = months_between(last, ctx.today)
        limit = ctx.options["max_age_months"]
        if age > limit:
            start, end = (newest.start, newest.end) if newest.end else anchor(doc, att)
            yield self.finding(f"Last {kind} {newest.date.text} ({age} months ago), older than "
                               f"{limit} months: have it medically reviewed again.", start, end,
                               data={"months": age, "date": newest.date.value.isoformat()})


class InvalidReviewDate(_AttributionRule):
    id = "attribution/invalid-review-date"
    description = ("Flags every review date that cannot be read as a date ('soon', '31/31/2025') "
                   "or lies after the run's date (--today), wherever it was found: front matter, "
                   "a review line or JSON-LD lastReviewed.")
    not_flagged = ("Update and publication dates (only review dates are checked), and old dates "
                   "(attribution/stale-review).")
    unmeasured = ("the real-web labels mark only medical review lines (used for "
                  "attribution/missing-reviewer); no real text is labeled for review dates, so "
                  "only the rule's rate on reputable pages is measured.")
    contract = "defect"
    severity = Severity.ERROR
    rationale = ("A review date in the future or one that cannot be read misleads readers and "
                 "usually means a template or CMS error.")
    source = JAMA + " (currency)"
    examples = (
        bad("---\nreviewer: Dana Okafor, MD\nlast_reviewed: 2031-01-05\n---\n\nText.\n"),
        bad("---\nreviewer: Dana Okafor, MD\nlast_reviewed: soon\n---\n\nText.\n"),
        good("---\nreviewer: Dana Okafor, MD\nlast_reviewed: 2026-01-05\n---\n\nText.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        att = self.attribution(doc, ctx)
        for fact in att.review_dates:
            start, end = (fact.start, fact.end) if fact.end else anchor(doc, att)
            if fact.date.value is None:
                yield self.finding(f"Review date cannot be read: {fact.date.error}.", start, end)
            elif fact.date.value > ctx.today:
                yield self.finding(f"Review date {fact.date.text} is in the future (today is "
                                   f"{ctx.today.isoformat()}).", start, end)


class MissingAuthor(_AttributionRule):
    id = "attribution/missing-author"
    description = ("Flags an article (40 words or more) that names no author: no byline ('Written "
                   "by NAME', 'By NAME' at a line start, 'Author: NAME'), no author key in front "
                   "matter (author, authors, written_by, writer, byline, or the configured keys) "
                   "and no schema.org author in JSON-LD. The finding points at the attribution "
                   "lines or the title.")
    not_flagged = ("Pages under 40 words (stubs, empty files). A named medical reviewer does not "
                   "count as the author, but an organisation given as author does: the rule "
                   "checks that a name is given, not that it is a person.")
    unmeasured = ("the real-web labels mark only medical review lines (used for "
                  "attribution/missing-reviewer); no real text is labeled for bylines, so only "
                  "the rule's rate on reputable pages is measured.")
    contract = "review"
    severity = Severity.WARNING
    rationale = "Readers should be able to see who wrote a health page (JAMA authorship)."
    source = JAMA + " (authorship)"
    examples = (
        bad("# Sleep\n\n" + "Sleep matters for health. " * 15),
        good("# Sleep\n\nWritten by Sam Rivera\n\n" + "Sleep matters for health. " * 15),
        good(REVIEWED),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if not self.is_article(doc):
            return
        att = self.attribution(doc, ctx)
        if any(p.name for p in att.authors):
            return
        start, end = anchor(doc, att)
        yield self.finding("No author named: add a byline ('Written by NAME') or an author in "
                           "front matter.", start, end)


class MissingSources(_AttributionRule):
    id = "attribution/missing-sources"
    description = ("Flags an article whose sentences make claims an editor wants sourced (the "
                   "claims rules' own detector) and that offers no sources: no link to another "
                   "site, no citations or references key in front matter, no References, Sources, "
                   "Bibliography or Further reading heading, no footnotes or [1]-style markers. "
                   "It needs min-claims (2) such claims, or one claim in an article of min-words "
                   "(600) or more.")
    not_flagged = ("Pages of textbook facts and advice, however long, since they make no claim "
                   "that needs a source; a single claim in a short page; links to the page's own "
                   "site, which are not sources. Whether each claim is sourced is the claims "
                   "rules' job, and whether a source is any good is claims/weak-source's.")
    unmeasured = ("the real-web labels mark only medical review lines (used for "
                  "attribution/missing-reviewer); no real text is labeled for page-level source "
                  "lists, so only the rule's rate on reputable pages is measured.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("Health claims should let readers check the evidence: a references section or "
                 "links to the sources (JAMA attribution, HONcode justifiability).")
    source = JAMA + " (attribution); HONcode principles 4 and 5; DISCERN questions 4-5"
    options: ClassVar[Mapping[str, Option]] = {**KEY_OPTIONS,
               "min_words": Option(600, "articles this long need sources for even one claim", int),
               "min_claims": Option(2, "or this many claims an editor wants sourced", int)}
    needs = frozenset({"sentences", "lemmas"})
    metrics = (AttributionMetrics, ClaimMetrics)  # it counts the claim sentences
    examples = (
        bad("# Green tea\n\nStudies show that green tea prevents cancer. It also lowers blood "
            "pressure in 40% of drinkers.\n"),
        good("# Green tea\n\nGreen tea is made from the leaves of the tea plant. It contains "
             "caffeine, which keeps you awake.\n"),
        good("# Green tea\n\nGreen tea may lower blood pressure slightly, according to a "
             "[review](https://www.cochranelibrary.com/x).\n\nIt also prevents dehydration.\n"),
        good("# Green tea\n\nGreen tea prevents cancer.[^1] It lowers blood pressure.\n\n"
             "[^1]: Smith J. Tea and health. J Nutr. 2020.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        # The claims rules' own detector (issue #18): a page of textbook facts and advice makes
        # no claim an editor wants sourced, however long it is.
        claims = sum(1 for c in claim_sentences(doc, ctx) if c.kind is not None)
        if claims == 0 or (doc.word_count < ctx.options["min_words"]
                           and claims < ctx.options["min_claims"]):
            return
        if cites_sources(doc):
            return
        att = self.attribution(doc, ctx)
        start, end = anchor(doc, att)
        why = (f"{claims} claims that need a source" if claims >= ctx.options["min_claims"]
               else f"{doc.word_count} words")
        yield self.finding(f"No sources: the article has {why} but no references section and "
                           "no links to sources.", start, end)


_AFFILIATE_URL = regex.compile(
    r"(?i)(?:[?&](?:tag|aff|affid|aff_id|affiliate(?:_id)?|partner|ref_id|clickid)=|"
    r"utm_medium=(?:affiliate|partner|sponsored)|amzn\.to/|shareasale\.|clickbank\.|"
    r"awin1\.|impact\.com/|/go/|/recommends/|/aff/|/out/)")
_DISCLOSURE = regex.compile(
    r"(?i)\b(?:disclosures?|sponsored|advertis(?:ing|ement|er)s?|affiliate|commissions?|"
    r"paid\s+partnership|conflicts?\s+of\s+interest|we\s+may\s+earn|receive\s+compensation|"
    r"paid\s+(?:for|by))\b")


class MissingDisclosure(_AttributionRule):
    id = "attribution/missing-disclosure"
    description = ("Flags a page with affiliate or sponsored links (rel=\"sponsored\", tag=, aff=, "
                   "utm_medium=affiliate, amzn.to, /go/, /recommends/ and similar URL shapes) and "
                   "no disclosure anywhere: no block mentioning a disclosure, sponsorship, "
                   "advertising, commission or 'we may earn', and no disclosure or sponsor key in "
                   "front matter. One finding on the first paid link, with their count.")
    not_flagged = ("Ordinary outbound links, however many; a disclosure placed anywhere on the "
                   "page (the rule does not ask that it sit near the links); paid relationships "
                   "the page does not show as links.")
    unmeasured = ("the real-web labels mark only medical review lines (used for "
                  "attribution/missing-reviewer); no real text is labeled for affiliate links or "
                  "disclosures, so only the rule's rate on reputable pages is measured.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("Pages with affiliate or sponsored links must say so, so readers can weigh "
                 "the advice (JAMA disclosure).")
    source = JAMA + " (disclosure); HONcode principle 8; FTC Endorsement Guides"
    examples = (
        bad("# Best melatonin\n\nWe like [this brand](https://amzn.to/abc123) for sleep.\n"),
        good("# Best melatonin\n\nWe like [this brand](https://amzn.to/abc123) for sleep.\n\n"
             "Disclosure: we earn a commission from purchases made through our links.\n"),
        good("# Melatonin\n\nSee the [NIH fact sheet](https://ods.od.nih.gov/x).\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        paid = [link for link in doc.links
                if "sponsored" in link.rel.lower() or _AFFILIATE_URL.search(link.url)]
        if not paid:
            return
        if any(_DISCLOSURE.search(b.text) for b in doc.blocks) or any(
                isinstance(v, str) and _DISCLOSURE.search(v) for k, v in doc.front_matter.items()
                if "disclos" in k.lower() or "sponsor" in k.lower()):
            return
        link = paid[0]
        yield self.finding(f"Affiliate or sponsored link ({len(paid)} on the page) but no "
                           "disclosure statement: say that the page earns from these links.",
                           link.start, link.end, data={"links": len(paid)})


RULES = (MissingReviewer, ReviewerCredentials, MissingReviewDate, StaleReview,
         InvalidReviewDate, MissingAuthor, MissingSources, MissingDisclosure)
