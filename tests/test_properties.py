"""Property-based tests: arbitrary text and Markdown through every rule.

No exception escapes (a rule failure would show as document/rule-error), and every finding's
span lies inside the file and agrees with its line and column.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlint.api import lint_text

FRAGMENTS = st.sampled_from([
    "# ", "## ", "- ", "1. ", "> ", "**", "*", "_", "`", "```\n", "[", "](", ")", "<!-- ",
    " -->", "&amp;", "&#x27;", "\\", "|", "---\n", "\n", "\n\n", "\r\n", "\t", "  ", "<p>",
    "</p>", "<br>", "[^1]", "https://example.org/a", "Dr. ", "e.g. ", "12.9%", "é", "🙂",
    "Medically reviewed by Jane Doe, MD on 3 March 2026. ", "addicts ", "cure ", "may ",
    "Studies show that ", "causes cancer. ", "high blood pressure ", "hypertension ",
    "The drugs target receptors. ", "family aa meetings schedule ", "Click here. ",
    "sleep ", "heart ", "patients ", "100% ", "always ", "never ", "(Smith, 2020) ",
])
MARKDOWNISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=40).map("".join)
TODAY = dt.date(2026, 11, 25)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def check_spans(text, path):
    result = lint_text(text, path, today=TODAY)
    decoded = text[1:] if text.startswith("\ufeff") else text
    for f in result.findings:
        assert f.rule != "document/rule-error", f.message
        assert 0 <= f.offset <= f.end_offset <= len(decoded)
        before = decoded[: f.offset].split("\n")
        assert (f.line, f.column) == (len(before), len(before[-1]) + 1)
        before_end = decoded[: f.end_offset].split("\n")
        assert (f.end_line, f.end_column) == (len(before_end), len(before_end[-1]) + 1)


@SETTINGS
@given(MARKDOWNISH)
def test_markdown_spans(text):
    check_spans(text, "a.md")


@SETTINGS
@given(MARKDOWNISH)
def test_html_spans(text):
    check_spans(text, "a.html")


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text(text):
    check_spans(text, "a.txt")
    check_spans(text, "a.md")
