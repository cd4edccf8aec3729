"""Spliced content: sentences and lists that do not belong to the article around them.

Scraped mash-ups, content spinning and broken CMS migrations leave sentences from other
pages inside an article. Editors cannot find them by reading thousands of pages, but the
splices leave lexical traces: their words occur nowhere else in the article, and their
references ("those receptors", "This type of program") point at text that is not there.
The signals live in medlint.rules.spam.coherence_*; see docs/rules/spam-coherence.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from medlint.documents.model import Document
from medlint.rules.base import Finding, Option, Rule, RuleContext, Severity, bad, good
from medlint.rules.spam.coherence_lists import ListSettings, judge_lists
from medlint.rules.spam.coherence_offtopic import Settings, Verdict, judge
from medlint.rules.spam.coherence_text import Article, build_article
from medlint.rules.spam.levels import severity_for

_SOURCE = ("Shen et al. 2021, sentence intrusion detection (INSteD); Barzilay & Lapata 2008, "
           "local coherence; medlint spam research §6")

_ASTHMA = """# Asthma inhalers

Asthma makes the airways narrow and swell. Inhalers deliver medicine straight to the
airways, so they work quickly and need lower doses than tablets.

## Preventer inhalers

Preventers contain a low dose of inhaled corticosteroid such as budesonide. Taken every day,
they reduce swelling in the airways and make asthma attacks less likely.
{splice}
Rinse your mouth after each dose to avoid oral thrush.

## Reliever inhalers

Relievers relax the muscles around the airways within minutes. If you need your reliever
inhaler three times a week, your asthma needs a review.
"""

_SPLICE = ("\nThose implants fuse with the jawbone over three to six months and last for "
           "decades with good oral hygiene.\n")

_DANGLING = """# Low back pain

Most low back pain settles within six weeks, and staying active helps recovery.

## Painkillers

Those loans allow first-time buyers to borrow five times their income. Ibuprofen
can help back pain for short periods.
"""

_MASHUP = """# Heroin detox

Detox clears heroin from the body under medical supervision. Withdrawal from heroin is
painful, and medical teams ease it with medication.

1. When you take heroin, it binds to the opioid receptors in your body.
2. This type of program relies heavily on check-ins with a doctor.
3. The coca plant grows on the eastern slopes of the Andes.
4. Dental veneers in Marbella come at competitive prices.
5. Call our admissions line today to verify your insurance.
"""

_TIPS = """# Better sleep

Most people can sleep better by changing a few habits. Habits that help:

- Go to bed and get up at the same time every day.
- Keep your bedroom cool, dark and quiet.
- Stop drinking coffee after midday.
- Put phones away an hour before bed.
- Get outside in daylight each morning.
"""


# Measured on real pages (issue 17): what survives _holds_on_real_text is right about half
# the time on spam passages; a constant until a calibrated model replaces it.
_CONFIDENCE = 0.5
_GLUED = re.compile(r"[a-z]{2}[A-Z]{2}|[a-z]\.\d+[A-Z]")


def _holds_on_real_text(v: Verdict) -> bool:
    """Drops the verdict kinds that fire on reputable pages: "These/This X" without an
    antecedent outside a section opening, a section opened by anything but "those", a bare
    connective, short definite-plural sentences, and scraper-glued text ("ofADHD")."""
    reason = v.reasons[0]
    text = v.sentence.text if hasattr(v.sentence, "text") else ""
    if text and _GLUED.search(text):
        return False
    if "opens the section" in reason:
        return reason.lower().startswith("'those ")
    if "refers to nothing before it" in reason:
        return reason.lower().startswith("'those ")
    if "has nothing before it" in reason:
        return (" " in (v.dangling or "")) and len(text.split()) >= 10 and v.novelty >= 0.5
    return True


class OffTopicSentence(Rule):
    """A sentence or paragraph spliced in from unrelated content, or one whose references dangle.

    Reported when signals agree: most of its content words occur nowhere else in the article
    and none ties it to the title or heading; or a demonstrative ("those receptors") or, at
    a section start, a bare definite plural or connective points at text that is not there.
    """

    id = "spam/off-topic-sentence"
    description = ("Flags a sentence spliced in from other content when signals agree: most of "
                   "its content words (nouns 1, adjectives 0.5, verbs 0.4) occur nowhere else in "
                   "the article and none ties it to the title, its heading or the article's main "
                   "terms; or a demonstrative ('those receptors') points at text that is not "
                   "there. Neighbours of a reported sentence are measured again without it, since "
                   "splices come in clusters.")
    not_flagged = ("Table cells and biographies; items of a list already reported by "
                   "spam/incoherent-list; verdict kinds that fired on reputable pages "
                   "('This/These X' without antecedent outside a section opening, sections opened "
                   "by anything but 'those', bare connectives, short definite plurals) and "
                   "scraper-glued text, which spam/inserted-phrase handles.")
    unmeasured = ("recall is counted against every label of the spam passages; the 63 spliced "
                  "sentences are its share of them.")
    contract = "calibrated"
    category = "spam"
    severity = Severity.WARNING
    rationale = ("A sentence spliced in from another page misinforms readers and marks the "
                 "page as scraped or spun content.")
    source = _SOURCE
    needs = frozenset({"sentences", "lemmas"})
    options: ClassVar[dict[str, Option]] = {
        "novelty": Option(0.7, "Share of a sentence's content words found nowhere else in the "
                          "article above which it is reported (with no topical word)."),
        "novelty_with_cue": Option(0.45, "Lower share that is enough when a dangling "
                                   "reference agrees."),
        "min_novel_words": Option(2.5, "Weighted number of new words (nouns 1, adjectives 0.5, "
                                  "verbs 0.4) a novelty-only finding needs.", (int, float)),
    }
    examples = (
        bad(_ASTHMA.format(splice=_SPLICE)),
        bad(_DANGLING),
        good(_ASTHMA.format(splice="")),
        good(_TIPS),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        art = build_article(doc, ctx)
        settings = Settings(novelty=float(ctx.options["novelty"]),
                            novelty_with_cue=float(ctx.options["novelty_with_cue"]),
                            min_novel_terms=float(ctx.options["min_novel_words"]))
        lists = ctx.shared.get("coherence.lists")
        if lists is None:
            lists = judge_lists(art, ListSettings())
            ctx.shared["coherence.lists"] = lists
        in_bad_list = {b.index for v in lists if v.flagged for b in v.items}
        verdicts = self.verdicts(art, settings, ctx)
        kept = [v for v in verdicts if v.flagged and v.sentence.block.index not in in_bad_list
                and _holds_on_real_text(v)]
        near = {v.sentence.index for v in kept if "continues" not in v.reasons[0]}
        for v in kept:
            if "continues" in v.reasons[0] and not near & {v.sentence.index - 1,
                                                             v.sentence.index + 1}:
                continue  # a continuation of nothing that is still reported
            sent = v.sentence
            reason = v.reasons[0]
            if v.novel_terms and "words" in reason:
                reason += f" (new: {', '.join(sorted(v.novel_terms)[:5])})"
            conf = _CONFIDENCE
            yield self.block_finding(sent.block, f"Possibly spliced from other content: {reason}",
                                     sent.start, sent.end,
                                     data={"novelty": round(v.novelty, 2), "confidence": conf},
                                     severity=severity_for(conf))

    def verdicts(self, art: Article, settings: Settings, ctx: RuleContext) -> list[Verdict]:
        """The hand-written signals' verdicts; the experiment in tools/offtopic_model.py
        overrides this to add its learned combiner."""
        return judge(art, settings)


class IncoherentList(Rule):
    """A list whose items do not belong together or to their lead-in (a scraped mash-up)."""

    id = "spam/incoherent-list"
    description = ("Flags a list of min-items (4) or more whose items share few words with each "
                   "other or with the lead-in (cohesion at most max-cohesion, 0.5) when at least "
                   "two other signals agree: no lead-in, items pointing outside the list ('This "
                   "type of program...'), a sales pitch, items that are stand-alone statements "
                   "rather than parts of one list. One finding spans the list.")
    not_flagged = ("Short lists; introduced lists of loosely related tips ('Habits that help:') "
                   "whose items share a form; lists with low cohesion alone.")
    unmeasured = ("the real-web passages hold almost no whole scraped lists, so recall is counted "
                  "against labels it is not meant to find.")
    contract = "calibrated"
    category = "spam"
    severity = Severity.WARNING
    rationale = ("A list strung together from unrelated sentences reads as nonsense and is a "
                 "hallmark of scraped or machine-assembled pages.")
    source = _SOURCE
    needs = frozenset({"sentences", "lemmas"})
    options: ClassVar[dict[str, Option]] = {
        "min_items": Option(4, "Lists with fewer items are not judged."),
        "max_cohesion": Option(0.5, "Largest share of items sharing a word with another item "
                               "or the lead-in for which the list counts as incoherent."),
    }
    examples = (
        bad(_MASHUP),
        good(_TIPS),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        art = build_article(doc, ctx)
        settings = ListSettings(min_items=int(ctx.options["min_items"]),
                                max_cohesion=float(ctx.options["max_cohesion"]))
        verdicts = judge_lists(art, settings)
        ctx.shared["coherence.lists"] = verdicts
        for v in verdicts:
            if not v.flagged:
                continue
            first, last = v.items[0], v.items[-1]
            start, end = first.start, last.end
            yield self.finding("Items of this list do not belong together: "
                               + "; ".join(v.reasons), start, end,
                               data={"confidence": _CONFIDENCE},
                               severity=severity_for(_CONFIDENCE))


RULES = (OffTopicSentence, IncoherentList)
