"""Rules about the file itself: it could not be read, or part of it could not be parsed.

The engine raises these from what loading and parsing report; they are rules so that they
can be listed, explained, ignored and given a severity like any other.
"""

from __future__ import annotations

from collections.abc import Iterable

from medlint.documents.model import Document
from medlint.rules.base import Example, Finding, Rule, RuleContext, Severity, bad, good


class _NoticeRule(Rule):
    """Turns the parser's notices with this rule's id into findings."""

    category = "document"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        for rule_id, message in doc.notices:
            if rule_id == self.id:
                start, end = self.span(doc)
                yield self.finding(message, start, end)

    def span(self, doc: Document) -> tuple[int, int]:
        line_end = doc.text.find("\n")
        return 0, len(doc.text) if line_end == -1 else line_end


class Unreadable(_NoticeRule):
    id = "document/unreadable"
    description = ("Reported by the engine when the bytes cannot be read as text: NUL bytes or "
                   "control characters (a binary file). The file gets this one finding and no "
                   "other check.")
    not_flagged = ("Text in another encoding, which is decoded and reported as document/encoding; "
                   "empty files.")
    unmeasured = ("the real data sets are readable UTF-8 pages, so this binary-file notice has "
                  "nothing to be measured on; its examples and tests/rules/document/ cover it.")
    suppression = ("Comments cannot reach it: the file was never read as text. Use `ignore = "
                   "[\"document/unreadable\"]` or an `exclude` glob in .medlint.toml (an "
                   "`[[overrides]]` table with `files` narrows it to some paths), or `[severity]` "
                   "to lower it.")
    contract = "defect"
    severity = Severity.ERROR
    rationale = ("A file medlint cannot read as text is not checked at all, so it must not pass "
                 "silently.")
    source = "medlint"
    examples: tuple[Example, ...] = (
        Example(text="", fails=True, data=b"\x00\x01\x02binary\x00\xff"),
        good("# A readable article\n\nPlain UTF-8 text.\n"),
    )

    def span(self, doc: Document) -> tuple[int, int]:
        return 0, 0


class Skipped(_NoticeRule):
    id = "document/skipped"
    description = ("Reported by the reading policy when a file is not read: a symlink whose "
                   "target is outside every linted folder, a FIFO, device or socket, or a file "
                   "above max-file-size. The message says which and why.")
    not_flagged = ("Symlinks to files inside a linted folder (they are linted); files named "
                   "on the command line, which are read wherever they point.")
    unmeasured = ("the real data sets hold ordinary files only, so this notice has nothing to "
                  "be measured on; tests/test_hostile_fs.py covers every case.")
    suppression = ("Comments cannot reach it: the file was never read. Remove or `exclude` the "
                   "file, raise `max-file-size`, or `ignore = [\"document/skipped\"]` in "
                   ".medlint.toml.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("A link out of the tree, a FIFO or device, or a huge file is not read (it could "
                 "leak, hang or exhaust the machine), and the report says so.")
    source = "medlint"
    internal = True  # raised by the reading policy; tested in tests/test_hostile_fs.py

    def span(self, doc: Document) -> tuple[int, int]:
        return 0, 0


class TooSlow(_NoticeRule):
    id = "document/too-slow"
    description = ("Reported when a file exceeds its time or memory budget in a worker process "
                   "(60 s per file plus 30 s per MB; the worker's address-space limit): the "
                   "worker is replaced, the run goes on, and the finding names the limit.")
    not_flagged = ("Honest long articles: the budget grows with the file's size, and the "
                   "parsers run in linear time, so a 1 MB article finishes far inside it.")
    unmeasured = ("no real page comes near the budget, so this notice has nothing to be "
                  "measured on; tests/test_hostile_fs.py covers it.")
    suppression = ("Comments cannot reach it: the file was not checked. `exclude` the file or "
                   "`ignore = [\"document/too-slow\"]` in .medlint.toml.")
    contract = "defect"
    severity = Severity.ERROR
    rationale = ("A file that exceeds its time or memory budget is not checked; the run goes on "
                 "and the report names the limit.")
    source = "medlint"
    internal = True  # raised by the worker budget; tested in tests/test_hostile_fs.py

    def span(self, doc: Document) -> tuple[int, int]:
        return 0, 0


class FrontMatter(_NoticeRule):
    id = "document/front-matter"
    description = ("Reported when the YAML front matter between --- lines cannot be parsed (an "
                   "unclosed bracket, bad indentation); the finding spans the front matter. The "
                   "other rules then run without its title, reviewer and dates.")
    not_flagged = ("Keys medlint does not know, and values of an unexpected type (the attribution "
                   "rules judge those); pages without front matter.")
    unmeasured = ("the real data sets are readable UTF-8 pages, so this front-matter notice has "
                  "nothing to be measured on; its examples and tests/rules/document/ cover it.")
    suppression = ("`<!-- medlint-disable-file document/front-matter -->` anywhere in the body "
                   "(a next-line comment cannot sit before the front matter, and a broken front "
                   "matter's own `medlint: {ignore: [...]}` is not read); or "
                   "`ignore = [\"document/front-matter\"]` in .medlint.toml.")
    contract = "defect"
    severity = Severity.ERROR
    rationale = ("Broken front matter hides the title, reviewer and dates that other rules and "
                 "the site generator read.")
    source = "medlint; JAMA benchmarks (attribution lives in front matter)"
    examples = (
        bad("---\ntitle: [unclosed\nreviewer: Jane Doe, MD\n---\n\nBody text.\n"),
        good("---\ntitle: Sleep and blood pressure\nreviewer: Jane Doe, MD\n---\n\nBody.\n"),
    )

    def span(self, doc: Document) -> tuple[int, int]:
        return doc.front_matter_span or (0, 0)


class Encoding(_NoticeRule):
    id = "document/encoding"
    description = ("Reported when a file is not UTF-8 (or UTF-8 with a BOM) and medlint had to "
                   "guess its encoding (cp1252, latin-1, ...); the message names the guess. The "
                   "file is still checked.")
    not_flagged = "UTF-8 files with or without a BOM, and plain ASCII."
    unmeasured = ("the real data sets are readable UTF-8 pages, so this encoding notice has "
                  "nothing to be measured on; its examples and tests/rules/document/ cover it.")
    contract = "review"
    severity = Severity.WARNING
    rationale = ("Files that are not UTF-8 show garbled characters on many sites; medlint reads "
                 "them by guessing, which can be wrong.")
    source = "medlint; W3C 'Choosing & applying a character encoding'"
    examples = (
        Example(text="", fails=True,
                data="Caf\u00e9 au lait was once linked to ulcers; \u00e9tudes en fran\u00e7ais "
                "et en anglais ne le confirment pas, d\u00e9j\u00e0.\n".encode("cp1252")),
        good("Caf\u00e9 au lait, stored as UTF-8.\n"),
    )


class ParseError(_NoticeRule):
    id = "document/parse-error"
    description = ("Reported for HTML files when a JSON-LD block is not valid JSON (its reviewer "
                   "and dates are then unseen by the attribution rules) or the HTML parser "
                   "stopped before the end of the file. One finding per problem.")
    not_flagged = ("Markdown and plain-text files, which have no such notices; unclosed or "
                   "misnested HTML tags the parser repairs, as browsers do; valid JSON-LD of a "
                   "type medlint does not read.")
    unmeasured = ("the real data sets are readable UTF-8 pages, so this parse notice has nothing "
                  "to be measured on; its examples and tests/rules/document/ cover it.")
    contract = "review"
    severity = Severity.WARNING
    rationale = "Markup the parser could not fully read may hide prose or metadata from the checks."
    source = "medlint"
    examples = (
        Example(text='<html><head><script type="application/ld+json">{"@type": '
                '"MedicalWebPage",</script></head><body><p>Text.</p></body></html>',
                fails=True, path="example.html"),
        Example(text='<html><head><script type="application/ld+json">{"@type": '
                '"MedicalWebPage"}</script></head><body><p>Text.</p></body></html>',
                fails=False, path="example.html"),
    )


class RuleFailure(_NoticeRule):
    id = "document/rule-error"
    description = ("Raised by the engine itself when a rule fails on a file: it raised an "
                   "exception, or one of its patterns ran past the time limit. The message names "
                   "the rule; the rest of the file's findings are kept.")
    not_flagged = "Anything about the content: it reports medlint's failure, never the page's."
    unmeasured = ("it reports a failure of medlint, not of the page; on the real data sets no "
                  "rule failed (its reputable-page rate is the measurement).")
    suppression = ("Comments do not suppress it (the engine skips suppression for it, so a "
                   "failing rule cannot hide); use `ignore = [\"document/rule-error\"]` or "
                   "`[severity]` in .medlint.toml, or turn off the failing rule.")
    contract = "defect"
    severity = Severity.ERROR
    rationale = ("A rule that failed on a file (a bug, or a pattern that ran too long) means the "
                 "file was not fully checked; say so rather than pass it.")
    source = "medlint"
    internal = True  # raised by the engine when a rule fails; tested in tests/test_engine.py


RULES = (Unreadable, Skipped, TooSlow, FrontMatter, Encoding, ParseError, RuleFailure)
