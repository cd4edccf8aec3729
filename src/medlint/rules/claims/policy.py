"""Which claim sentences a medical editor wants sourced, and what kind of claim each is (issue #18).

:mod:`medlint.rules.claims.detect` finds every sentence that states an effect and grades its
strength; most of them are textbook facts or standard advice that no reputable page cites.
This module keeps the ones an editor would send back: statistics, efficacy and safety
statements, comparisons and superiority, guarantees and cures, studies mentioned without the
study, testimonials.
Negation, hedges, advice and scope ("100% online") are what separate a caveat from a claim.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import regex

from medlint.startcache import compile_pattern

KINDS = ("statistic", "efficacy", "comparison", "guarantee", "study", "testimonial")
LABELS = {"statistic": "statistic", "efficacy": "efficacy or safety claim",
          "comparison": "comparison", "guarantee": "guarantee or cure promise",
          "study": "study mentioned without the study", "testimonial": "testimonial"}


@dataclass(frozen=True)
class Verdict:
    kind: str
    cue: str
    confidence: float  # estimated probability that an editor wants a source here


# "not", "n't", "no", "never" shortly before a cue deny it: "doesn't guarantee", "isn't proven",
# "there is no cure", "no single treatment works 100% of the time".
_NEGATION = compile_pattern(
    r"(?i)(?:\b(?:not|no|never|none|nothing|nor|without|cannot|neither|hardly|rarely|lack\s+of|"
    r"unproven|little|few)\b|n[’']t\b)[^.;:]{0,40}$")
# Advice and process descriptions: "always consult your doctor", "Always follow your plan",
# "the clinician always makes the final decision".
_ADVICE_AFTER_ABSOLUTE = compile_pattern(
    r"(?i)\s+(?:\w+\s+)?(?:consult|follow|talk|ask|check|tell|call|see|read|use|take|keep|make|"
    r"makes|made|wash|wear|seek|speak|contact|carry|have|get|store|discuss|remember|be|stay|"
    r"include|includes|need|needs|try|let|inform|review|reviews|decide|decides|choose|chooses|"
    r"depends|depend|vary|varies|recommend|recommends|look|plan|put|give|bring|wait)\b")

_GUARANTEE = compile_pattern(
    r"""(?ix)
    \bguarantee(?:d|s)?\b
    | \b(?:cures?|cured)\s+(?:your\s+|the\s+|all\s+|any\s+)?(?:[\w-]+\s+){0,2}?(?:cancer|diabetes|
      arthritis|addiction|alcoholism|anxiety|depression|alzheimer[’']?s|autism|disease|diseases|
      infection|illness|insomnia|pain|hiv|herpes|covid|everything|hair\s+loss|obesity|acne)\b
    | \b(?:a|the|permanent|natural|real)\s+cure\s+for\b
    | \bcure-all\b | \bmiracle\b | \bmiraculous(?:ly)?\b
    | \b100\s*(?:%|percent)\s+(?:effective|safe|natural|success|successful|guaranteed|cure|
      recovery|results?|of\s+(?:patients|clients|people|cases))
    | \b(?:completely|totally|perfectly|entirely|absolutely)\s+(?:safe|harmless|risk-free|
      effective|cured|curable|reversible|eliminat\w+|eradicat\w+)\b
    | \brisk-free\b | \bno\s+side[\s-]effects\b | \bfree\s+(?:from|of)\s+side[\s-]effects\b
    | \b(?:always|never\s+fails\s+to)\s+(?:works?|cures?|heals?|helps?|succeeds?|effective)\b
    | \bworks\s+every\s+time\b | \bnever\s+fails\b(?!\s+to\s+(?:mention|amaze|surprise))
    | \b(?:instant|permanent|overnight|lifelong|lasting)\s+(?:cure|relief|results|weight\s+loss|
      recovery|sobriety|solution)\b
    | \b(?:permanently|forever)\s+(?:cure[sd]?|eliminat\w+|remov\w+|get\s+rid|fix\w*|heal\w*)\b
    """)
# A study, research or proof invoked without naming it ("studies show", "clinically proven").
_STUDY = compile_pattern(
    r"""(?ix)
    \b(?:studies|study|research|science|trials?|evidence|data|scientists|researchers|experts|
      doctors|research\s+studies|clinical\s+trials)\s+(?:\w+\s+){0,2}?(?:show|shows|showed|shown|
      suggest|suggests|suggested|prove|proves|proved|proven|find|finds|found|confirm|confirms|
      conclude|concluded|reveal|revealed|
      confirmed|demonstrate|demonstrates|demonstrated|indicate|indicates|support|supports)\b
    | \b(?:clinically|scientifically|medically)\s+(?:proven|shown|tested|validated|studied)\b
    | \b(?:has|have|had)\s+(?:also\s+)?been\s+(?:clinically\s+|scientifically\s+|repeatedly\s+)?
      (?:shown|proven|proved|demonstrated|researched)\b
    | \b(?:is|are)\s+(?:\w+\s+)?proven\s+(?:to|effective|safe)\b | \bproven\s+to\b
    | \b(?:have|has|had)\s+(?:also\s+)?shown\s+(?:[\w-]+\s+){0,3}?(?:effects?|benefits?|results?)\b
    | \b(?:have|has)\s+(?:strong\s+|good\s+|some\s+)?(?:evidence|research\s+support)\s+(?:for|of)\b
    | \bhas\s+strong\s+research\s+support\b | \bproof\s+(?:of|that)\b
    | \b(?:one|a|another|recent|new|small|large)\s+(?:[\w-]+\s+)?(?:study|trial|survey)\b
      [^.;]{0,60}?\b(?:found|showed|shows|suggests|suggested|reported|concluded|revealed)\b
    | \b(?:in|from)\s+(?:large\s+|several\s+|many\s+|recent\s+|clinical\s+|randomi[sz]ed\s+|
      research\s+)*
      (?:clinical\s+)?(?:trials|studies)\b
    | \b(?:research|studies|trials)\s+(?:has|have)\s+(?:consistently\s+)?
      (?:linked|tied|associated)\b
    | \bevidence\s+(?:shows|suggests|indicates)\b
    | \b(?:undergone|backed\s+by|supported\s+by)\s+(?:\d+\s+|many\s+|several\s+)?(?:clinical\s+)?
      (?:studies|trials|research)\b
    """)
_COMPARISON = compile_pattern(
    r"""(?ix)
    \b(?:better|safer|faster|stronger|healthier|more\s+effective|less\s+effective|more\s+dangerous|
      less\s+dangerous|more\s+successful|cheaper\s+and\s+\w+|superior|inferior|more\s+harmful|
      less\s+harmful|more\s+addictive|less\s+addictive|worse)\s+(?:than|to)\b(?!\s+\d)
    | \b(?:much\s+)?(?:easier|harder)\s+than\b
    | \b(?:faster|stronger|better|safer|more\s+effective|more\s+powerful|weaker)\b[^.;!?]{1,50}?
      \bthan\b(?!\s+\d)
    | \bas\s+(?:effective|safe|good|successful|dangerous|harmful|addictive)\s+as\b
    | \b(?:the\s+)?(?:most|least)\s+(?:effective|successful|dangerous|addictive|counterfeited|
      powerful)\b | \bthe\s+most\s+important\s+(?!things?\b|steps?\b|ways?\b|to\b|part\b)
    | \bthe\s+best\s+(?:option|choice|remedy|solution|treatment)\s+for\b
    | \b(?:the\s+)?(?:most|least)\s+(?:widespread|prevalent)\b
    | \bthe\s+(?:best|safest|only\s+(?:effective|proven|real))\s+(?:treatment|option|choice|
      way\s+to\s+(?:treat|cure|beat|overcome|lose|get\s+rid|quit))\b
    | \bgold[-\s]standard\b | \bover-?represented\b
    | \b(?:twice|three\s+times|four\s+times|\d+\s*times)\s+(?:as|more|less|the)\b
    | \b(?:equivalent|comparable|similar|identical)\s+(?:outcomes|results|safety|efficacy|
      effectiveness|symptom\s+reduction)\b
    """)
_EFFICACY = compile_pattern(
    r"""(?ix)
    \b(?:highly|especially|extremely|remarkably|clinically)\s+(?:effective|successful|
      safe|beneficial)\b
    | \b(?:is|are)\s+(?:\w+\s+)?effective\s+(?:for|in|at|against)\b
    | \b(?:success|cure|recovery|remission|relapse)\s+rates?\s+(?:of|is|are|was)\b
    | \b(?:chances?|odds|likelihood)\s+of\s+(?:success|recovery|relapse|survival|quitting)\s+
      (?:is|are|was|were)\s+(?:\w+\s+)?(?:low|high|higher|lower|poor|good|slim|better|worse)\b
    | \b(?:ended|eliminated|eradicated|wiped\s+out|disappeared|reversed|saved)\b(?=[^.]{0,60}
      \b(?:cancer|disease|lives|infection|addiction|diabetes|cases))
    | \b(?:saved|saves)\s+(?:millions|thousands|countless|many)\b
    | \b(?:cancer|disease|infections?|cases|deaths)\s+(?:\w+\s+)?(?:disappeared|vanished|
      (?:was|were)\s+(?:eliminated|eradicated|wiped\s+out))\b
    | \btook\s+countless\b | \b(?:kidney|liver|heart|brain)-protective\b
    | \b(?:significantly|dramatically|drastically|greatly|substantially|considerably|markedly|
      vastly)\s+(?:\w+\s+)?(?:improv|reduc|lower|increas|boost|enhanc|decreas|cut|help|speed|
      rais|worsen|extend|shorten)\w*
    | \b(?:positive|beneficial|protective)\s+(?:influence|effects?|impact)\s+on\b
    | \b(?:not|no\s+longer)\s+approved\b | \bnot\s+(?:FDA|EMA)[-\s]approved\b
    | \b(?:results?|improvements?)\s+(?:will\s+be|are)\s+(?:tremendous|dramatic|amazing|
      incredible|impressive)\b | \bvery\s+impressive\b
    | \b(?:low|no)-risk\s+(?:surgery|procedure|treatment)\b
    | \b(?:not\s+addictive|non-addictive)\b
    | \b(?:safe\s+and\s+effective|effective\s+and\s+safe)\b
    | \bno\s+reports?\s+of\s+(?:serious\s+|any\s+|major\s+)?(?:side[\s-]effects|adverse|harm)
    """)
# A numeric range with "normal" or "typically" is a reference value, not a statistic.
_REFERENCE_VALUE = compile_pattern(
    r"(?i)\b(?:normal|typical(?:ly)?|usual(?:ly)?|healthy|target|goal|range|ideal)\b[^.]{0,60}"
    r"\d+(?:\.\d+)?\s*(?:[–-]|to)\s*\d+(?:\.\d+)?\s*(?:%|percent)")
# "100% online", "100% confidential", "100% free": scope, not a health claim.
_NON_HEALTH_100 = compile_pattern(
    r"(?i)\b100\s*(?:%|percent)\s+(?:online|virtual|remote|confidential|private|anonymous|free|"
    r"secure|refund|money[-\s]back|satisfaction|of\s+the\s+(?:cost|price|fee)|covered|digital|"
    r"vegan|cotton|recyclable|human|of\s+the\s+time)\b")
_STRIP = compile_pattern(r"\*\*|__|[*_`]")
# A definition or mechanism ("A stroke happens when ...", "Asthma is a condition that ...").
_DEFINITION = compile_pattern(
    r"(?i)^\W*(?:an?\s+|the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,3}\s+(?:happens|occurs|develops|"
    r"starts|is\s+when|means|refers\s+to|is\s+(?:an?|the)\s+(?:\w+\s+){0,2}?(?:condition|"
    r"disease|disorder|illness|infection|type|term|word|name|form))\b")


def cleared(text: str) -> bool:
    """Whether the policy has positive reason to say no source is needed: a reference value,
    a scope "100%" ("100% online"), a definition or mechanism. The learned scorer may not
    overrule these."""
    plain = _STRIP.sub("", text).strip()
    return bool(_REFERENCE_VALUE.search(plain) or _NON_HEALTH_100.search(plain)
                or _DEFINITION.search(plain))


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text[max(0, start - 45):start]))


def _guarantee(text: str) -> Any:
    for m in _GUARANTEE.finditer(text):
        if _negated(text, m.start()):
            continue  # "doesn't guarantee", "there is no cure for"
        word = m.group().lower()
        if word.startswith("guarantee") and regex.match(
                r"(?i)\s+(?:that\s+)?(?:you(?:'ll|’ll| will)?|individual|your\s+privacy|privacy|"
                r"confidentiality|access|a\s+spot|an?\s+appointment)", text[m.end():]):
            continue  # "does not guarantee you'll develop", "we guarantee your privacy"
        if word.startswith("guarantee") and regex.search(r"(?i)\b(?:rights?|privacy|coverage|"
                                                         r"insurance|law|act)\b", text):
            continue  # legal guarantees, not health outcomes
        if word.startswith("always") and _ADVICE_AFTER_ABSOLUTE.match(text, m.start() + 6):
            continue
        if word == "miracle" and regex.search(r"(?i)\bno\s+(?:\w+\s+)?miracle|miracle\s+(?:cure|"
                                              r"pill)s?\s+(?:do(?:es)?n[’']?t|don't)", text):
            continue
        return m
    return None


def _first(pattern: Any, text: str) -> Any:
    for m in pattern.finditer(text):
        if not _negated(text, m.start()):
            return m
    return None


def _hedged(text: str, start: int) -> bool:
    return bool(regex.search(r"(?i)\b(?:may|might|could|can|possibly|potentially|perhaps|"
                             r"probably|likely|appears?|seems?|suggests?)\b[^.;]{0,40}$",
                             text[max(0, start - 50):start]))


def absolute_cue(text: str) -> Any:
    """The absolute promise in a sentence, negation, advice and scope removed; or None.
    "Always follow your plan", "does not guarantee", "100% online" have none."""
    return _guarantee(_STRIP.sub("", text))


@functools.lru_cache(maxsize=4096)
def _assess_text(text: str) -> tuple[str, str, float] | None:
    from medlint.rules.claims.detect import (  # the detector's own number finder
        find_statistic,
        not_a_claim,
    )

    plain = _STRIP.sub("", text).strip()
    if not plain or plain.endswith("?") or not_a_claim(plain):
        return None
    m = _guarantee(plain)
    if m:
        return "guarantee", m.group(), 0.9
    m = _first(_STUDY, plain)
    if m and not regex.search(r"(?i)\b(?:more|further|ongoing)\s+(?:research|studies)\s+(?:is|are)"
                              r"\s+needed|researchers\s+are\s+(?:studying|looking)", plain):
        return "study", m.group(), 0.75
    number = find_statistic(plain)
    if number and not _REFERENCE_VALUE.search(plain) and not _NON_HEALTH_100.search(plain):
        return "statistic", number.group().strip(), 0.8
    m = _first(_COMPARISON, plain)
    if m:
        return "comparison", m.group(), 0.5 if _hedged(plain, m.start()) else 0.7
    m = _first(_EFFICACY, plain)
    if m and not regex.match(r"(?i)not|no\b", m.group()):
        if _hedged(plain, m.start()):
            return None  # "treatment can be very effective", "can greatly increase the risk"
        return "efficacy", m.group(), 0.65
    if m:
        return "efficacy", m.group(), 0.6  # "not approved", "not addictive": a safety claim
    return None


def assess(text: str, testimonial: bool = False) -> Verdict | None:
    """The kind of sourced-needing claim the sentence makes, or None for textbook facts,
    definitions, advice, caveats and instructions. ``testimonial``: the detector found a
    success story in it."""
    if testimonial:
        from medlint.rules.claims.detect import testimonial_patterns

        story = next((m for p in testimonial_patterns() if (m := p.search(text))), None)
        return Verdict("testimonial", story.group() if story else "success story", 0.8)
    found = _assess_text(text)
    return Verdict(*found) if found else None
