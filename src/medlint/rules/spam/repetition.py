"""Keyword stuffing and duplicated text: the marks of SEO tooling,
content spinning and scraped mash-ups that no prose linter looks for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import ClassVar

from medlint.documents.model import Block, Document
from medlint.rules.base import Finding, Option, Rule, RuleContext, bad, good
from medlint.rules.spam import insertion_signals as sig
from medlint.rules.spam.levels import severity_for

PROSE_KINDS = ("paragraph", "list_item", "table_cell", "blockquote", "text")


_KS_CONFIDENCE = 0.6

_TERMINAL = tuple(".!?:;\"')”’…")


def _lines(doc: Document, block: Block) -> Iterable[tuple[int, int, str]]:
    """Source lines of a block (soft line breaks are joined in block text, not here)."""
    start = block.start
    for line in doc.text[block.start:block.end].split("\n"):
        end = start + len(line)
        text = line.strip()
        if text:
            lead = len(line) - len(line.lstrip())
            yield start + lead, start + lead + len(text), text
        start = end + 1


# A keyword line is plain words; markup ("{% step %}", "**Label:**", "[Music]") is structure.
_PLAIN = re.compile(r"[a-z0-9][\w '’&-]*")


def _norm(text: str) -> str:
    return " ".join(sig.words(text))


class KeywordStuffing(Rule):
    """Search keywords repeated for crawlers: stand-alone keyword lines, stuffed sentences."""

    id = "spam/keyword-stuffing"
    description = ("Flags stand-alone keyword lines (2 to max-line-words (8) words, lower-case, "
                   "no end punctuation) that repeat on the page, read like a search query or "
                   "restate the title; and sentences where one two-word phrase occurs min-repeats "
                   "(4) times and makes up at least 30% of the words.")
    not_flagged = ("Headings, labels, template tags and bold or capitalised lines (page "
                   "structure); the title itself; a long sentence that names its topic several "
                   "times.")
    unmeasured = ("recall is counted against every label of the spam passages (anchors, residue "
                  "and spliced sentences), most of which are not keyword lines.")
    contract = "calibrated"
    category = "spam"
    rationale = ("Keyword lines and phrases repeated for search engines make a health page "
                 "read as spam and are penalised as keyword stuffing.")
    source = "Google Search spam policies (keyword stuffing); C4/FineWeb line filters"
    needs = frozenset({"sentences"})
    options: ClassVar[dict[str, Option]] = {
        "max_line_words": Option(8, "Longest line (in words) treated as a keyword line.", int),
        "min_repeats": Option(4, "Repeats of one two-word phrase in a sentence that count as "
                              "stuffing (3 fires on honest topic sentences of real sites).",
                              int),
    }
    examples = (
        bad("# Depression therapy\n\nTalking therapies help many people with depression.\n\n"
            "depression therapy near me\n\ndepression therapy near me\n"),
        bad("Drug rehab that takes insurance makes drug rehab affordable, so call for drug rehab "
            "insurance verification and drug rehab coverage today.\n"),
        good("# Depression therapy\n\nTalking therapies help many people with depression.\n\n"
             "Related content\n\nCBT, behavioral activation and interpersonal therapy all "
             "work.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        max_words = int(ctx.options.get("max_line_words", 8))
        repeats = int(ctx.options.get("min_repeats", 3))
        title = set(_norm(doc.title).split())
        lines: list[tuple[str, int, int, str]] = []
        for block in doc.blocks:
            if block.kind not in {"paragraph", "text"}:
                continue
            for start, end, text in _lines(doc, block):
                n = len(text.split())
                if 2 <= n <= max_words and not text.endswith(_TERMINAL):
                    lines.append((text, start, end, _norm(text)))
        counts: dict[str, int] = {}
        for *_, key in lines:
            counts[key] = counts.get(key, 0) + 1
        lex = sig.lexicon()
        for text, start, end, key in lines:
            if not key or key == _norm(doc.title):
                continue
            toks = key.split()
            content = [t for t in toks if t not in sig.STOP]
            why = ""
            if not text[:1].islower() or not _PLAIN.fullmatch(text):
                continue  # headings, labels, template tags, bold lines: page structure
            if counts[key] > 1:
                why = f"repeated {counts[key]} times"
            elif any(f" {q} " in f" {key} " for q in lex["query"] if len(q) > 2) and (
                    text[:1].islower()):
                why = "reads like a search query"
            elif title and len(content) >= 2 and sum(t in title for t in content) >= max(
                    2, int(0.75 * len(content))) and text[:1].islower():
                why = "restates the title"
            if why:
                yield self.finding(f"Stand-alone keyword line ({why})", start, end,
                                   data={"confidence": _KS_CONFIDENCE},
                                   severity=severity_for(_KS_CONFIDENCE))
        for block in doc.blocks:
            if block.kind not in PROSE_KINDS:
                continue
            for start, end in ctx.sentences(block):
                ws = sig.words(block.text[start:end])
                grams: dict[tuple[str, str], int] = {}
                for a, b in pairwise(ws):
                    if a not in sig.STOP and b not in sig.STOP:
                        grams[(a, b)] = grams.get((a, b), 0) + 1
                top = max(grams.items(), key=lambda kv: kv[1], default=(None, 0))
                # density: a long honest sentence may name its topic four times
                if top[0] and top[1] >= repeats and 2 * top[1] >= 0.3 * len(ws):
                    yield self.block_finding(
                        block, f"Keyword stuffing: '{' '.join(top[0])}' {top[1]} times in one "
                        "sentence", start, end, data={"confidence": _KS_CONFIDENCE},
                        severity=severity_for(_KS_CONFIDENCE))


class DuplicateText(Rule):
    """Sentences or paragraphs repeated in a file, and boilerplate repeated across a run.

    Legally required statements (the DSHEA supplement disclaimer) are not reported: pages
    must repeat them (lint_rules/data/spam-insertion.yaml, ``required_statements``)."""

    id = "spam/duplicate-text"
    description = ("Flags a sentence of min-words (8) words or more, ending in . ! or ?, when it "
                   "occurs min-repeats (4) times in one file (reported at that occurrence). With "
                   "use-run (medlint audit) it also reports a sentence found in min-files (3) "
                   "files of the run, once, in the first file.")
    not_flagged = ("Sentences repeated up to three times (scraped honest pages do that), headings "
                   "and lead-ins ('... include:'), statements the law requires on every page (the "
                   "DSHEA supplement disclaimer), and in `check` boilerplate shared across files, "
                   "so a file gets the same findings alone or in a run.")
    unmeasured = ("the labeled spam passages are single excerpts with no repeated sentences, so "
                  "its real-text figure is its rate on clean and reputable text.")
    contract = "calibrated"
    category = "spam"
    rationale = ("Repeated sentences are the trace of spun or scraped content and careless "
                 "merges; readers notice, and search engines treat them as low quality.")
    source = "Gopher repetition filter (Rae et al. 2021); DSpin (NDSS 2014); medlint"
    needs = frozenset({"sentences"})
    uses_run = True
    options: ClassVar[dict[str, Option]] = {
        "min_words": Option(8, "Shortest sentence (in words) checked for repeats.", int),
        "min_files": Option(3, "Files of one run a sentence must appear in to be reported as "
                            "boilerplate (once, in the first file).", int),
        "min_repeats": Option(4, "Times a sentence must occur in one file to be reported "
                              "(scraped honest pages repeat key sentences up to three times).",
                              int),
        "use_run": Option(False, "Report boilerplate repeated across the run's files (off in "
                          "`check`: a file must get the same findings alone or in a run; "
                          "site-wide notices are not spam).", bool),
    }
    examples = (
        bad("Folic acid prevents neural tube defects when taken before conception. Iodine "
            "matters too.\n\nFolic acid prevents neural tube defects when taken before "
            "conception.\n\nFolic acid prevents neural tube defects when taken before "
            "conception.\n\nFolic acid prevents neural tube defects when taken before "
            "conception.\n"),
        good("Folic acid prevents neural tube defects when taken before conception. Iodine "
             "matters too.\n\nFolic acid prevents neural tube defects when taken before "
             "conception.\n"),
        good("Folic acid prevents neural tube defects when taken before conception. Iodine "
             "matters too.\n\nTake folic acid every day from a month before conception.\n"),
        good("Supports healthy joints.* These statements have not been evaluated by the Food "
             "and Drug Administration.\n\nSupports restful sleep.* These statements have not "
             "been evaluated by the Food and Drug Administration.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        from medlint.runcontext import sentence_key

        min_words = int(ctx.options.get("min_words", 8))
        min_files = int(ctx.options.get("min_files", 3))
        repeats = int(ctx.options.get("min_repeats", 3))
        use_run = bool(ctx.options.get("use_run", False))
        shared = ((ctx.run or {}).get("sentence_files") or {}) if use_run else {}
        me = Path(doc.path).as_posix()
        required = sig.lexicon()["required"]
        seen: dict[str, int] = {}
        for block in doc.blocks:
            if block.kind == "heading":
                continue
            for start, end in ctx.sentences(block):
                text = block.text[start:end]
                if len(text.split()) < min_words or not text.rstrip().endswith((".", "!", "?")):
                    continue  # headings and lead-ins ("... include:") repeat by design
                key = sentence_key(text)
                seen[key] = seen.get(key, 0) + 1
                if seen[key] > 1:
                    message = (f"Sentence repeated {seen[key]} times in this file"
                               if seen[key] == repeats else "")
                else:
                    files = shared.get(key) or []
                    message = (f"Boilerplate: this sentence appears in {len(files)} files of "
                               "this run (reported once, here)"
                               if len(files) >= min_files
                               and Path(sorted(files)[0]).as_posix() == me else "")
                # Statements the law makes pages repeat are tested only when they would be
                # reported, not on every sentence.
                if message and not any(p.search(text) for p in required):
                    yield self.block_finding(block, message, start, end,
                                             data={"confidence": _KS_CONFIDENCE},
                                             severity=severity_for(_KS_CONFIDENCE))


RULES: tuple[type[Rule], ...] = (KeywordStuffing, DuplicateText)
