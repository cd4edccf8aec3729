"""Readability rules for patient text: grade level, long sentences, jargon, passive voice.

Patient material should read at about grade 6–8 (NIH and MedlinePlus advice, the AMA, CDC's
Clear Communication Index), and most health pages read far above it. The figures come from
``medlint.rules.readability.measures``, counted on prose only with our own sentence
segmentation; the document and per-section figures go into the JSON report under
``metrics.readability``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from medlint.documents.model import Block, Document
from medlint.resources import read_data
from medlint.rules.base import Finding, Option, Rule, RuleContext, Severity, bad, good
from medlint.rules.readability import measures as rd
from medlint.rules.readability.metrics import ReadabilityMetrics, analysis

MODES = ("all", "any", "mean")


def _check_formulas(rule_id: str, formulas: Sequence[str], mode: str) -> None:
    unknown = [f for f in formulas if f not in rd.GRADE_FORMULAS]
    if unknown or not formulas:
        raise ValueError(f"{rule_id}: unknown formula(s) {unknown or formulas!r}; use "
                         f"{', '.join(rd.GRADE_FORMULAS)}")
    if mode not in MODES:
        raise ValueError(f"{rule_id}: mode must be one of {', '.join(MODES)}, not {mode!r}")


def decide(metrics: dict[str, Any], formulas: Sequence[str], mode: str,
           limit: float) -> tuple[bool, list[tuple[str, float]]]:
    """Whether the deciding formulas put the text above ``limit``; formulas that could not be
    computed (SMOG on a short text) are left out. Returns the verdict and the figures used."""
    values = [(f, float(metrics[f])) for f in formulas if metrics.get(f) is not None]
    if not values:
        return False, []
    grades = [v for _, v in values]
    if mode == "any":
        over = any(g > limit for g in grades)
    elif mode == "mean":
        over = sum(grades) / len(grades) > limit
    else:
        over = all(g > limit for g in grades)
    return over, values


def _figures(values: Sequence[tuple[str, float]]) -> str:
    parts = [f"{v:.1f} ({rd.GRADE_FORMULAS[f]})" for f, v in values]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _skipped(metrics: dict[str, Any], formulas: Sequence[str]) -> str:
    if "smog" in formulas and metrics.get("smog") is None and metrics.get("smog_note"):
        return f"; SMOG not used: {metrics['smog_note']}"
    return ""


_GRADE_OPTIONS = {
    "target": Option(8.0, "highest acceptable reading grade (US school grade)", float),
    "formulas": Option(["fk_grade", "smog"], "grade formulas that decide: fk_grade, smog, "
                       "gunning_fog, coleman_liau", list),
    "mode": Option("all", "flag when all, any, or the mean of the deciding formulas exceed the "
                   "target", str),
}

_HARD = (
    "Hepatic encephalopathy is a neuropsychiatric syndrome that develops in individuals with "
    "advanced liver dysfunction, and its manifestations range from subtle cognitive deficits to "
    "profound disorientation and coma. The condition results from the accumulation of "
    "neurotoxic substances, particularly ammonia, which the compromised liver is unable to "
    "metabolize adequately. Precipitating factors include gastrointestinal bleeding, infection, "
    "electrolyte abnormalities and the administration of sedative medications. Management "
    "prioritizes identification and correction of precipitating factors, alongside "
    "pharmacological interventions such as lactulose, which acidifies the colonic environment "
    "and reduces ammonia absorption. Rifaximin, a minimally absorbed antibiotic, is frequently "
    "administered concurrently to decrease recurrence in susceptible populations. Patients "
    "should receive education regarding adherence.\n"
)
_EASY = (
    "Your liver cleans your blood. When the liver is very sick, it cannot do this job well. "
    "Waste builds up in the blood and can reach the brain. This can make a person confused or "
    "sleepy. They may act in ways that are not like them. Some people get worse fast and need "
    "care in a hospital. Doctors look for what set it off, such as bleeding, an infection or "
    "some sleep pills. Then they treat that cause. A medicine called lactulose helps your body "
    "get rid of the waste. You take it by mouth each day. It makes you go to the toilet more. "
    "Another medicine helps stop it from coming back.\n"
)


class GradeLevel(Rule):
    """The whole document's reading grade against a target."""

    id = "readability/grade-level"
    description = ("Grades the document's prose (headings excluded; short list items and "
                   "fragments count words but not sentences) with the chosen formulas, "
                   "Flesch-Kincaid grade and SMOG by default, and flags it when all of them "
                   "(mode) exceed the target grade (8). The finding sits on the title.")
    not_flagged = ("Documents under min-words (100) prose words; formulas that cannot be computed "
                   "(SMOG on a short text) are left out of the decision. It says nothing about "
                   "which part is hard: readability/section-grade does.")
    unmeasured = ("no real text in ../shared/eval is labeled for reading grade; the finding is a "
                  "count or a formula's result rather than a judgment, so only its rate on "
                  "reputable pages is measured.")
    contract = "review"
    category = "readability"
    severity = Severity.WARNING
    rationale = ("Patient material should read at about grade 6-8; most health pages read far "
                 "above it and lose the readers who need them most.")
    source = ("NIH/MedlinePlus easy-to-read guidance (grade 6-8); AMA (grade 6); CDC Clear "
              "Communication Index; SMOG (McLaughlin 1969), Flesch-Kincaid (Kincaid 1975)")
    needs = frozenset({"sentences"})
    metrics = (ReadabilityMetrics,)
    options: ClassVar[dict[str, Option]] = {
        **_GRADE_OPTIONS,
        "min_words": Option(100, "documents with fewer prose words are not graded", int),
    }
    examples = (
        bad(_HARD),
        good(_EASY),
        good(_HARD, options={"target": 30.0}),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        opts = ctx.options
        _check_formulas(self.id, opts["formulas"], opts["mode"])
        counts = analysis(doc, ctx).document
        if counts.words < opts["min_words"]:
            return
        metrics = rd.scores(counts)
        over, values = decide(metrics, opts["formulas"], opts["mode"], opts["target"])
        if not over:
            return
        target = opts["target"]
        block = _title_block(doc)
        message = (f"Reads at grade {_figures(values)}, above the target of grade {target:g} "
                   f"({metrics['words_per_sentence']:.1f} words a sentence, "
                   f"{metrics['syllables_per_word']:.2f} syllables a word"
                   f"{_skipped(metrics, opts['formulas'])}). Use shorter sentences and "
                   f"everyday words.")
        data = {"target": target, "grades": dict(values), "words": counts.words,
                "sentences": counts.sentences}
        yield self.block_finding(block, message, 0, len(block.text), data=data)


def _title_block(doc: Document) -> Block:
    for block in doc.blocks:
        if block.kind == "heading" and block.level == 1:
            return block
    return next((b for b in doc.blocks if b.text.strip()), doc.blocks[0])


class SectionGrade(Rule):
    """A section well above the target: tells the editor which part to rewrite."""

    id = "readability/section-grade"
    description = ("Grades each headed section (its own prose and its subsections') with "
                   "Flesch-Kincaid grade by default and flags the heading of a section that reads "
                   "more than margin (2) grades above the target (8). When a section and its "
                   "subsection both qualify, only the deeper one is reported.")
    not_flagged = ("Sections under min-words (60) prose words, text before the first heading, and "
                   "a section that is the whole document (readability/grade-level covers that).")
    unmeasured = ("no real text in ../shared/eval is labeled for section difficulty; the finding "
                  "is a count or a formula's result rather than a judgment, so only its rate on "
                  "reputable pages is measured.")
    contract = "review"
    category = "readability"
    severity = Severity.WARNING
    rationale = ("A hard section is where readers give up; naming it tells the editor which part "
                 "to rewrite even when the article as a whole passes.")
    source = "NIH/MedlinePlus easy-to-read guidance (grade 6-8); CDC Clear Communication Index"
    needs = frozenset({"sentences"})
    metrics = (ReadabilityMetrics,)
    options: ClassVar[dict[str, Option]] = {
        **_GRADE_OPTIONS,
        "formulas": Option(["fk_grade"], "grade formulas that decide (SMOG needs 30 sentences, "
                           "more than most sections have)", list),
        "margin": Option(2.0, "grades above the target a section must be to be flagged", float),
        "far_margin": Option(5.0, "grades above the target from which a section is a warning "
                             "(far above target); a section between margin and far-margin is "
                             "reported as info (style advice)", float),
        "min_words": Option(60, "sections with fewer prose words are not graded", int),
    }
    examples = (
        bad("# Living with cirrhosis\n\n## What it is\n\n" + _EASY + "\n## Treatment\n\n" + _HARD
            + "\n## Daily life\n\n" + _EASY),
        good("# Living with cirrhosis\n\n## What it is\n\n" + _EASY + "\n## Daily life\n\n"
             + _EASY),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        opts = ctx.options
        _check_formulas(self.id, opts["formulas"], opts["mode"])
        result = analysis(doc, ctx)
        limit = opts["target"] + opts["margin"]
        flagged: dict[int, tuple[Block, list[tuple[str, float]], rd.Counts, bool]] = {}
        for section in doc.sections:
            counts = result.sections.get(section.index)
            if (section.heading is None or counts is None or counts.words < opts["min_words"]
                    or counts.words >= result.document.words):
                continue  # no heading to point at, too short, or the whole document
            scores = rd.scores(counts)
            over, values = decide(scores, opts["formulas"], opts["mode"], limit)
            if over:
                far, _ = decide(scores, opts["formulas"], opts["mode"],
                                opts["target"] + opts["far_margin"])
                flagged[section.index] = (section.heading, values, counts, far)
        parents = {s.index: s.parent for s in doc.sections}
        covered: set[int] = set()  # ancestors of a flagged section: the deeper one says more
        for index in flagged:
            node = parents.get(index)
            while node is not None and node not in covered:
                covered.add(node)
                node = parents.get(node)
        for index, (heading, values, counts, far) in flagged.items():
            if index in covered:
                continue
            message = (f"Section \"{heading.text}\" reads at grade {_figures(values)}, well above "
                       f"the target of grade {opts['target']:g} ({counts.words} words, "
                       f"{counts.sentences} sentences).")
            yield self.block_finding(heading, message, 0, len(heading.text),
                                     data={"target": opts["target"], "grades": dict(values)},
                                     severity=None if far else Severity.INFO)


class LongSentence(Rule):
    """Sentences over a word limit."""

    id = "readability/long-sentence"
    description = ("Flags every prose sentence longer than max-words (25) words, counted with "
                   "medlint's own sentence segmentation (abbreviations such as 'Dr.', 'Jan.', "
                   "'i.e.' and decimals do not end a sentence).")
    not_flagged = ("Headings, and short list items or fragments, which count words but are not "
                   "sentences; code blocks, which are not prose.")
    unmeasured = ("no real text in ../shared/eval is labeled for sentence length; the finding is "
                  "a count or a formula's result rather than a judgment, so only its rate on "
                  "reputable pages is measured.")
    contract = "style"
    category = "readability"
    severity = Severity.INFO
    rationale = ("Long sentences are the main driver of reading grade; patient material keeps "
                 "sentences short (about 15-20 words, rarely over 25).")
    source = ("CDC Clear Communication Index; NIH/MedlinePlus easy-to-read guidance; "
              "Federal Plain Language Guidelines")
    needs = frozenset({"sentences"})
    metrics = (ReadabilityMetrics,)
    options: ClassVar[dict[str, Option]] = {
        "max_words": Option(25, "words a sentence may have", int),
    }
    examples = (
        bad("If you are withdrawing in a treatment facility, make the most of the support that "
            "is offered there, and try to have support arranged in your own community for when "
            "your stay is over and you go back home.\n"),
        good("If you are in a treatment center, use the support it offers. Before you leave, "
             "set up support near your home.\n"),
        good("Dr. Ruiz, M.D., told the group on Jan. 5 that 12.9% of adults, i.e. about one in "
             "eight, had high blood pressure.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        limit = ctx.options["max_words"]
        for sentence in analysis(doc, ctx).sentences:
            if sentence.words > limit:
                yield self.block_finding(
                    sentence.block, f"Sentence of {sentence.words} words (limit {limit}): split "
                    "it, one idea a sentence.", sentence.start, sentence.end,
                    data={"words": sentence.words})


# Jargon ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JargonTerm:
    term: str
    plain: tuple[str, ...]


def _norm(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.lower().replace("’", "'")).strip()


def _variants(term: str) -> set[str]:
    """The term and its plural (on the last word)."""
    out = {term}
    if term.endswith("is"):
        out.add(term[:-2] + "es")
    elif term.endswith("y") and term[-2:-1] not in "aeiou":
        out.add(term[:-1] + "ies")
    elif term.endswith(("s", "x", "ch", "sh")):
        out.add(term + "es")
    else:
        out.add(term + "s")
    return out


@functools.lru_cache(maxsize=1)
def jargon() -> tuple[re.Pattern[str], dict[str, JargonTerm]]:
    """The jargon pack (lint_rules/data/jargon.yaml) as one regex and a variant → term map."""
    data = read_data("jargon.yaml")
    lookup: dict[str, JargonTerm] = {}
    for term, plain in data["terms"].items():
        alternatives = tuple(plain) if isinstance(plain, list) else (str(plain),)
        entry = JargonTerm(_norm(str(term)), alternatives)
        for variant in _variants(entry.term):
            lookup[variant] = entry
    body = _trie_pattern(lookup)
    return re.compile(rf"(?<![\w\-])(?:{body})(?![\w\-])", re.IGNORECASE), lookup


def _trie_pattern(terms: Iterable[str]) -> str:
    """One regex alternative for many terms, shaped as a trie so the engine follows shared
    prefixes once instead of trying each of ~1,000 terms at every word (6x faster than a flat
    alternation); longer continuations are tried first, so the longest term wins."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        options = [(r"[\s\-]+" if ch == " " else re.escape(ch)) + pattern(child)
                   for ch, child in sorted(node.items()) if ch]
        if "" in node:
            options.append("")
        if len(options) == 1:
            return options[0]
        return "(?:" + "|".join(options) + ")"
    return pattern(trie)


_CUE_AFTER = re.compile(
    r"\s*(?:\(|[—–]|\s-{1,2}\s"
    r"|,?\s*(?:also\s+)?(?:called|known\s+as)\b"
    r"|,?\s*(?:which|that)\s+(?:means|is\s+when|is\s+(?:a|the)\s+(?:medical\s+|technical\s+)?"
    r"(?:word|term|name)\s+for)\b"
    r"|\s+(?:means|is\s+when|refers\s+to|is\s+(?:a|the)\s+(?:medical\s+|technical\s+)?"
    r"(?:word|term|name)\s+for)\b)", re.IGNORECASE)
_CUE_BEFORE = re.compile(
    r"(?:\((?:\s*(?:or|also\s+called|aka))?"
    r"|\b(?:also\s+)?(?:called|known\s+as|termed|named)"
    r"|\b(?:medical|technical|clinical|scientific)\s+(?:name|term|word)"
    r"(?:\s+for\s+(?:this|it))?(?:\s+is)?"
    r"|\b(?:call|calls|name)\s+(?:this|it|them)(?:\s+condition)?"
    r"|,\s*or)\s*[\"“‘']?\s*$", re.IGNORECASE)
GLOSS_WINDOW = 40  # characters either side of a term where a plain word explains it
_OR_AFTER = re.compile(r"\s*,\s*or\s+", re.IGNORECASE)


def explained(sentence: str, start: int, end: int, entry: JargonTerm) -> bool:
    """Whether the term at ``sentence[start:end]`` is explained in its sentence: a plain word
    from the pack appears, a parenthesis glosses it (or it glosses a plain phrase), or a cue
    such as "also called", "known as", "means" or an appositive ", or" joins it to a gloss."""
    # A plain word counts when it sits next to the term ("high blood pressure, or
    # hypertension"), not anywhere in a long sentence.
    near = (sentence[max(0, start - GLOSS_WINDOW):start] + " \n "
            + sentence[end:end + GLOSS_WINDOW]).replace("’", "'")
    for plain in entry.plain:
        pattern = r"[\s\-]+".join(re.escape(p) for p in _norm(plain).split(" "))
        if re.search(rf"(?<!\w){pattern}(?!\w)", near, re.IGNORECASE):
            return True
    before, after = sentence[:start], sentence[end:]
    if before.count("(") > before.count(")"):  # the term is itself a gloss in parentheses
        return True
    if _CUE_AFTER.match(after) or _CUE_BEFORE.search(before):
        return True
    # "hypertension, or high blood pressure," (but not a list: "diabetes, hypertension, or ...")
    return bool(_OR_AFTER.match(after)) and not re.search(r",\s*$", before)


class Jargon(Rule):
    """Medical terms with a plainer everyday word, unless explained where first used."""

    id = "readability/jargon"
    description = ("Flags the first unexplained use of a medical term that has a plainer word "
                   "(lint_rules/data/jargon.yaml: 'hypertension' -> 'high blood pressure'), "
                   "suggesting the plain word or a gloss. With every-occurrence, every "
                   "unexplained use.")
    not_flagged = ("A term explained in its sentence: the plain word next to it, a gloss in "
                   "parentheses, 'also called', 'known as', 'means', an appositive ', or'; terms "
                   "in headings; a capitalised term mid-sentence, which is part of a name "
                   "('Journal of Hypertension'); terms in the ignore option; later uses of a term "
                   "once explained or flagged.")
    unmeasured = ("no real text in ../shared/eval is labeled for jargon; the finding is a count "
                  "or a formula's result rather than a judgment, so only its rate on reputable "
                  "pages is measured.")
    contract = "style"
    category = "readability"
    severity = Severity.INFO
    rationale = ("Medical terms with an everyday equivalent lose lay readers; use the plain word, "
                 "or explain the term the first time it appears.")
    source = ("CDC Clear Communication Index item 7 (words the audience uses); NIH/MedlinePlus "
              "easy-to-read guidance; Federal Plain Language Guidelines")
    needs = frozenset({"sentences"})
    options: ClassVar[dict[str, Option]] = {
        "every_occurrence": Option(False, "flag every unexplained use, not only the first", bool),
        "ignore": Option([], "terms this site accepts (as written in the pack)", list),
    }
    examples = (
        bad("Your doctor may tell you that you have hypertension.\n"),
        good("Your doctor may tell you that you have hypertension (high blood pressure).\n"),
        good("Your doctor may say you have high blood pressure, also called hypertension.\n"),
        good("Your doctor may say you have hypertension, or high blood pressure.\n"),
        bad("A myocardial infarction needs emergency care.\n"),
        good("A heart attack needs emergency care. Call 911.\n"),
        good("Hypertension means the force of blood against your artery walls stays too high. "
             "Untreated hypertension damages the kidneys.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        regex, lookup = jargon()
        ignore = {_norm(t) for t in ctx.options["ignore"]}
        every = ctx.options["every_occurrence"]
        settled: set[str] = set()  # terms already explained or already flagged
        for block in doc.blocks:
            if block.kind == "heading":
                continue  # headings are names for what follows; the body explains
            for s_start, s_end in ctx.sentences(block):
                sentence = block.text[s_start:s_end]
                for m in regex.finditer(sentence):
                    entry = lookup.get(_norm(m.group()))
                    if entry is None or entry.term in ignore:
                        continue
                    if entry.term in settled and not every:
                        continue
                    if _in_name(sentence, m.start(), m.group()):
                        continue
                    if explained(sentence, m.start(), m.end(), entry):
                        settled.add(entry.term)
                        continue
                    settled.add(entry.term)
                    plain = entry.plain[0]
                    yield self.block_finding(
                        block, f"Medical jargon \"{m.group()}\": say \"{plain}\", or explain it "
                        f"where it first appears, e.g. \"{m.group()} ({plain})\".",
                        s_start + m.start(), s_start + m.end(),
                        data={"term": entry.term, "plain": list(entry.plain)})


def _in_name(sentence: str, start: int, text: str) -> bool:
    """A capitalised term mid-sentence is part of a name or title ("Journal of Hypertension")."""
    return text[:1].isupper() and bool(sentence[:start].strip()) and not text.isupper() \
        and not re.search(r"[.!?:]\s*[\"“(]?$", sentence[:start])


# Passive voice -----------------------------------------------------------------------------
# Forms of "be" and "get", the auxiliaries of an English passive ("is checked", "got hurt").
_PASSIVE_AUX = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "'m", "'re",
                          "'s", "’m", "’re", "’s", "get", "gets", "got", "gotten", "getting"})


def _may_be_passive(sdoc: Any) -> bool:
    """A sentence with a form of be/get followed by a past participle (or a past tense the
    tagger may have confused with one): only such blocks need the parser."""
    for sent in sdoc.sents:
        aux = False
        for token in sent:
            if token.lower_ in _PASSIVE_AUX:
                aux = True
            elif aux and token.tag_ in ("VBN", "VBD"):
                return True
    return False


class PassiveVoice(Rule):
    """Passive constructions, from the dependency parse of the sentences that can hold one."""

    id = "readability/passive-voice"
    description = ("Flags passive constructions found by the dependency parse ('is checked by', "
                   "'was given'), parsing only the blocks that hold a form of be or get before a "
                   "past participle.")
    not_flagged = ("Idiomatic or stative participles in the allow option (born, called, known, "
                   "named, located, based, ...), headings, and sentences without a form of be or "
                   "get before a participle, which are never parsed. Info severity: it is "
                   "advice, not a defect.")
    unmeasured = ("no real text in ../shared/eval is labeled for voice; the finding is a count or "
                  "a formula's result rather than a judgment, so only its rate on reputable pages "
                  "is measured.")
    contract = "style"
    category = "readability"
    severity = Severity.INFO
    rationale = ("Active voice says who does what ('Your doctor checks your blood pressure'); "
                 "passives hide the actor and read harder.")
    source = ("CDC Clear Communication Index item 6 (active voice); Federal Plain Language "
              "Guidelines")
    needs = frozenset({"tags", "parse"})
    parses_on_demand = True  # only blocks with a be/get form before a participle
    options: ClassVar[dict[str, Option]] = {
        "allow": Option(["born", "called", "known", "named", "located", "based", "supposed",
                         "entitled", "married", "gone", "done"],
                        "past participles whose passive is idiomatic or stative", list),
    }
    examples = (
        bad("Your blood pressure is checked by the nurse at every visit.\n"),
        good("The nurse checks your blood pressure at every visit.\n"),
        good("She was born with a heart murmur.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        allow = {w.lower() for w in ctx.options["allow"]}
        wanted = []
        for block in doc.blocks:
            if block.kind == "heading":
                continue
            sdoc = ctx.spacy(block)
            if sdoc is not None and _may_be_passive(sdoc):
                wanted.append((block, sdoc))
        ctx.parse(block for block, _ in wanted)
        for block, sdoc in wanted:
            yield from self._passives(block, sdoc, allow)

    def _passives(self, block: Block, sdoc: Any, allow: set[str]) -> Iterator[Finding]:
        seen: set[int] = set()
        for token in sdoc:
            if token.dep_ != "auxpass":
                continue
            verb = token.head
            if verb.i in seen or verb.text.lower() in allow:
                continue
            seen.add(verb.i)
            first = min([verb, *[t for t in verb.children if t.dep_ in ("aux", "auxpass",
                                                                           "neg")]],
                        key=lambda t: t.i)
            start, end = first.idx, verb.idx + len(verb.text)
            phrase = block.text[start:end]
            yield self.block_finding(
                block, f"Passive voice \"{phrase}\": say who does what (active voice).",
                start, end, data={"verb": verb.text})


RULES = (GradeLevel, SectionGrade, LongSentence, Jargon, PassiveVoice)
