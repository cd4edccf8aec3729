"""Inserted phrases, keyword stuffing and duplicated text: the marks of SEO tooling,
content spinning and scraped mash-ups that no prose linter looks for."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

from medlint.documents.model import Block, Document
from medlint.rules.base import Finding, Option, Rule, RuleContext, bad, good
from medlint.rules.spam import insertion_signals as sig
from medlint.rules.spam.pasted import severity_for

PROSE_KINDS = ("paragraph", "list_item", "table_cell", "blockquote", "text")


_RUN_GAZETTEER: tuple[Any, sig.Gazetteer] | None = None


def run_gazetteer(run: Mapping[str, Any]) -> sig.Gazetteer:
    """The gazetteer of a run's titles and headings (3 words or more), built on first use and
    kept while the run is the same object."""
    global _RUN_GAZETTEER
    if _RUN_GAZETTEER is not None and _RUN_GAZETTEER[0] is run:
        return _RUN_GAZETTEER[1]
    gazetteer = sig.Gazetteer()
    for path, title in (run.get("titles") or {}).items():
        if title:
            gazetteer.add(title, Path(path).as_posix())
    for path, heads in (run.get("headings") or {}).items():
        for head in heads:
            if len(head.split()) >= 3:
                gazetteer.add(head, Path(path).as_posix())
    _RUN_GAZETTEER = (run, gazetteer)
    return gazetteer


def doc_context(doc: Document, ctx: RuleContext, use_run: bool = True) -> sig.DocContext:
    """Word counts of the document and, in a run, the other articles' titles and headings."""
    key = ("spam.insertion.context", use_run)
    cached = ctx.shared.get(key)
    if cached is not None:
        return cached
    texts = [b.text for b in doc.blocks]
    texts.append(doc.title)
    gazetteer = None
    if use_run and ctx.run:
        own = [doc.title] + [b.text for b in doc.blocks if b.kind == "heading"]
        gazetteer = run_gazetteer(ctx.run).view(Path(doc.path).as_posix(), own)
    built = sig.DocContext.build(texts, gazetteer=gazetteer)
    ctx.shared[key] = built
    return built


def _link_spans(block: Block) -> list[tuple[int, int]]:
    """Link texts in block-text coordinates (links carry source offsets)."""
    spans = []
    for link in block.links:
        text = block.text
        at = text.find(link.text)
        if at != -1:
            spans.append((at, at + len(link.text)))
    return spans


class InsertedPhrase(Rule):
    """A phrase pasted into a sentence that breaks it: a link anchor, a page title, a query."""

    id = "spam/inserted-phrase"
    category = "spam"
    rationale = ("Anchor text and search queries pasted mid-sentence by SEO tools garble the "
                 "article and signal a hacked or spun page to readers and search engines.")
    source = ("Google Search spam policies (hacked content, keyword stuffing, link spam); "
              "medlint")
    needs = frozenset({"tags"})
    uses_run = True
    options: ClassVar[dict[str, Option]] = {
        "threshold": Option(0.0, "Report spans whose probability reaches this value (0 uses "
                            "the fitted threshold shipped with the model).", float),
        "use_run": Option(True, "Use the titles and headings of the other articles in the run "
                          "as evidence of pasted link text.", bool),
    }
    examples = (
        bad("During heroin detox, you'll receive understanding alcohol withdrawal stomach pain "
            "lantana recovery around-the-clock medical supervision. Detox usually lasts a week, "
            "and the team adjusts the medicines every day.\n"),
        bad("Keep naloxone where you can reach it quickly and check the free narcan near me "
            "walgreens cvs expiry date every year.\n"),
        good("During heroin detox, you'll receive around-the-clock medical supervision. Detox "
             "usually lasts a week, and the team adjusts the medicines every day.\n"),
        # With other sentences around it: in a one-sentence text every word is "used nowhere
        # else", and this sentence alone scores p=0.81 (docs/rules/spam.md, known limits).
        good("Addiction medicine is a recognised specialty. The American Osteopathic Academy of "
             "Addiction Medicine certifies physicians in addiction medicine after a written "
             "examination. Many family doctors also prescribe buprenorphine.\n"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        dctx = doc_context(doc, ctx, bool(ctx.options.get("use_run", True)))
        threshold = float(ctx.options.get("threshold") or 0.0) or None
        for block in doc.blocks:
            if block.kind not in PROSE_KINDS or doc.in_reference_list(block):
                continue  # cited titles ("Statins in older adults: a cohort") are not pasted
            if not any(ch in block.text for ch in ".?!:"):
                continue  # a stand-alone keyword line: spam/keyword-stuffing's business
            sdoc = ctx.spacy(block)
            if sdoc is None:
                continue
            links = _link_spans(block)
            for sent in sdoc.sents:
                if len(sent) < 4:
                    continue
                for cand in sig.find_insertions(sent, dctx, threshold, links):
                    phrase = block.text[cand.start:cand.end]
                    yield self.block_finding(
                        block, f"Phrase pasted into the sentence: '{phrase}' "
                        f"(p={cand.probability:.2f}); delete it if it is stray link or "
                        "title text", cand.start, cand.end,
                        data={"probability": round(cand.probability, 3)})


# Not yet calibrated on real text (too few findings on the labeled passages): a middling
# constant, so these findings are warnings, never errors.
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


RULES: tuple[type[Rule], ...] = (InsertedPhrase, KeywordStuffing, DuplicateText)
