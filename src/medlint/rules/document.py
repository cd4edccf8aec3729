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


class FrontMatter(_NoticeRule):
    id = "document/front-matter"
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
    contract = "defect"
    severity = Severity.ERROR
    rationale = ("A rule that failed on a file (a bug, or a pattern that ran too long) means the "
                 "file was not fully checked; say so rather than pass it.")
    source = "medlint"
    internal = True  # raised by the engine when a rule fails; tested in tests/test_engine.py


RULES = (Unreadable, FrontMatter, Encoding, ParseError, RuleFailure)
