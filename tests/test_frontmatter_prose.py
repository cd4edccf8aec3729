"""Front matter strings that pages display are linted as prose, at their place in the file."""

import json

import pytest
from click.testing import CliRunner

from medlint.cli import cli
from medlint.documents import parse_document
from tests.test_cli import PACKS

PAGE = """---
title: Sleep
date: 2026-01-05
description: Adults who sleep less than
  seven hours are more likely to have high blood pressure.
summary: "A \\"quoted\\" summary."
faq:
  - question: Does sleep help?
    answer: |
      Sleep helps
      most people.
    url: https://example.org/sleep
key_takeaways:
  - 'It''s simple.'
  - 42
seo:
  description: Nested text.
---

# Sleep

Body text.
"""


def fm_blocks(text, **kw):
    doc = parse_document("page.md", text, **kw)
    return doc, [b for b in doc.blocks if b.front_matter_key]


def where(doc, block, word):
    """(line, column) of ``word`` in the block, through the block's position map."""
    i = block.text.index(word)
    start, end = block.source_span(i, i + len(word))
    return doc.line_col(start), doc.text[start:end]


def test_displayed_keys_become_blocks_with_positions():
    doc, blocks = fm_blocks(PAGE)
    by_key = {b.front_matter_key: b for b in blocks}
    assert list(by_key) == ["description", "summary", "faq[0].question", "faq[0].answer",
                            "key_takeaways[0]"]
    assert by_key["description"].text == ("Adults who sleep less than seven hours are more "
                                          "likely to have high blood pressure.")
    assert where(doc, by_key["description"], "Adults") == ((4, 14), "Adults")
    assert where(doc, by_key["description"], "seven") == ((5, 3), "seven")  # folded line
    assert by_key["summary"].text == 'A "quoted" summary.'
    assert where(doc, by_key["summary"], "summary.") == ((6, 24), "summary.")
    assert where(doc, by_key["faq[0].question"], "help?") == ((8, 26), "help?")
    assert by_key["faq[0].answer"].text == "Sleep helps most people."
    assert where(doc, by_key["faq[0].answer"], "most") == ((11, 7), "most")  # block scalar
    assert by_key["key_takeaways[0]"].text == "It's simple."
    assert where(doc, by_key["key_takeaways[0]"], "simple.") == ((14, 12), "simple.")
    assert all(b.kind == "paragraph" and b.section == 0 for b in blocks)
    assert doc.blocks[len(blocks)].text == "Sleep"  # front matter first, then the body


def test_urls_numbers_dates_and_other_keys_are_not_prose():
    _, blocks = fm_blocks(PAGE)
    texts = " ".join(b.text for b in blocks)
    assert "example.org" not in texts and "42" not in texts and "2026" not in texts
    assert "Nested" not in texts and "Sleep\n" not in texts  # seo.* and title not listed


def test_the_key_list_is_configurable():
    _, blocks = fm_blocks(PAGE, front_matter_prose=["seo.description", "title"])
    # the title is the page's heading too, so it is linted there only
    assert [(b.front_matter_key, b.text) for b in blocks] == [
        ("seo.description", "Nested text.")]
    _, blocks = fm_blocks(PAGE.replace("title: Sleep", "title: Sleep well"),
                          front_matter_prose=["title"])
    assert [(b.front_matter_key, b.text) for b in blocks] == [("title", "Sleep well")]
    assert fm_blocks(PAGE, front_matter_prose=[])[1] == []


def test_sentences_already_in_the_body_are_linted_once():
    text = ("---\ndescription: Sleep well. Rest is good for the heart.\n---\n\n"
            "Rest is good for the heart. More text.\n")
    doc, blocks = fm_blocks(text)
    assert [b.text for b in blocks] == ["Sleep well."]
    assert where(doc, blocks[0], "well.") == ((2, 20), "well.")


@pytest.mark.parametrize("front", [
    "description: [never closed\n",  # invalid YAML: reported by document/front-matter
    "description: &a [*a]\n",  # a recursive alias
    "- just\n- a list\n",
])
def test_odd_front_matter_gives_no_blocks_and_no_crash(front):
    assert fm_blocks(f"---\n{front}---\n\nBody.\n")[1] == []


def test_findings_in_front_matter_are_reported_in_place(tmp_path):
    (tmp_path / ".medlint.toml").write_text(
        f'extra-packs = ["{PACKS.as_posix()}"]\nselect = ["language/test-zebra"]\n')
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: Zoo\nfaq:\n  - answer: >\n      Yes, a\n      zebra.\n---\n\n"
                    "A horse.\n")
    result = CliRunner().invoke(cli, ["check", str(page), "--format", "json"])
    (finding,) = json.loads(result.output)["files"][0]["findings"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (6, 7, 12)
    assert page.read_text()[finding["offset"]:finding["end_offset"]] == "zebra"
    (tmp_path / ".medlint.toml").write_text(
        f'extra-packs = ["{PACKS.as_posix()}"]\nselect = ["language/test-zebra"]\n'
        'frontmatter-prose = ["description"]\n')
    result = CliRunner().invoke(cli, ["check", str(page), "--format", "json", "--no-cache"])
    assert json.loads(result.output)["files"][0]["findings"] == []
