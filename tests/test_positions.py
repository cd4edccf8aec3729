"""The position map: every finding must point at exactly the right text in the source file.

Each case puts the marker word "zebra" somewhere tricky; a pack rule flags it and the test
checks that the finding's offsets, line and column select that word in the original text.
"""

from pathlib import Path

import pytest

from medlint.config import Config
from medlint.documents import parse_document
from medlint.engine import Engine, Source
from medlint.rules import load_rules

PACKS = Path(__file__).parent / "fixtures" / "packs"

CASES = {
    # name: (file name, source, expected flagged source strings in order)
    "plain paragraph": ("a.md", "A zebra here.\n", ["zebra"]),
    "emphasis": ("a.md", "An *zebra* and **zebra** and ***zebra***.\n", ["zebra"] * 3),
    "underscore emphasis": ("a.md", "An _zebra_ and __zebra__.\n", ["zebra"] * 2),
    "link text": ("a.md", "See [the zebra](https://zebra.example/zebra) now.\n", ["zebra"]),
    "reference link": ("a.md", "See [zebra][z].\n\n[z]: https://example.org/zebra\n",
                       ["zebra"]),
    "autolink not prose": ("a.md", "Visit <https://zebra.example> or zebra.\n", ["zebra"]),
    "entity before": ("a.md", "Tom &amp; Jerry &mdash; zebra.\n", ["zebra"]),
    "numeric entity": ("a.md", "A &#8220;zebra&#8221; quote.\n", ["zebra"]),
    "backslash escape": ("a.md", "A \\*literal\\* zebra.\n", ["zebra"]),
    "inline code skipped": ("a.md", "Run `zebra` then zebra.\n", ["zebra"]),
    "code block skipped": ("a.md", "```\nzebra\n```\n\nzebra\n", ["zebra"]),
    "indented code skipped": ("a.md", "Para.\n\n    zebra code\n\nText zebra.\n", ["zebra"]),
    "html comment skipped": ("a.md", "<!-- zebra -->\nA zebra.\n", ["zebra"]),
    "soft break": ("a.md", "First line\nsecond zebra line.\n", ["zebra"]),
    "phrase across soft break": ("a.md", "A zebra\ncrossing here.\n", ["zebra\ncrossing"]),
    "hard break": ("a.md", "Line one  \nzebra two.\n", ["zebra"]),
    "heading atx": ("a.md", "## The *zebra* ##\n\nBody.\n", ["zebra"]),
    "heading setext": ("a.md", "Zebra title\n===========\n\nBody.\n", ["Zebra"]),
    "blockquote": ("a.md", "> quoted\n> zebra here\n", ["zebra"]),
    "nested blockquote": ("a.md", "> > deep zebra\n", ["zebra"]),
    "bullet list": ("a.md", "- one\n- two zebra\n", ["zebra"]),
    "nested list": ("a.md", "- one\n  - two\n    - three zebra\n", ["zebra"]),
    "ordered list": ("a.md", "1. first\n2. zebra second\n", ["zebra"]),
    "list in blockquote": ("a.md", "> - item zebra\n", ["zebra"]),
    "table cell": ("a.md", "| a | b |\n|---|---|\n| x | zebra |\n", ["zebra"]),
    "table same text twice": ("a.md", "| zebra | zebra |\n|---|---|\n| 1 | 2 |\n",
                              ["zebra", "zebra"]),
    "front matter skipped": ("a.md", "---\ntitle: zebra\n---\n\nA zebra.\n", ["zebra"]),
    "crlf": ("a.md", "Line one\r\nline zebra\r\n\r\nPara zebra.\r\n", ["zebra", "zebra"]),
    "tabs": ("a.md", "Tab\tseparated\tzebra.\n", ["zebra"]),
    "non-ascii before": ("a.md", "Café naïve — “quotes” zebra.\n", ["zebra"]),
    "emoji before": ("a.md", "Well 🙂 said, zebra.\n", ["zebra"]),
    "html block in markdown": ("a.md", "<div>\n<p>An &amp; zebra</p>\n</div>\n", ["zebra"]),
    "strikethrough": ("a.md", "A ~~zebra~~ struck.\n", ["zebra"]),
    "footnote": ("a.md", "A zebra.[^1]\n\n[^1]: Note about a zebra.\n", ["zebra", "zebra"]),
    "image alt not prose": ("a.md", "![zebra](z.png) and zebra.\n", ["zebra"]),
    "html paragraph": ("a.html", "<p>A zebra.</p>", ["zebra"]),
    "html entity": ("a.html", "<p>Tom&nbsp;&amp;&nbsp;zebra</p>", ["zebra"]),
    "html nested inline": ("a.html", "<p>A <b><i>zebra</i></b> in <a href='/zebra'>text</a>.</p>",
                           ["zebra"]),
    "html script skipped": ("a.html", "<script>var zebra = 1;</script><p>zebra</p>", ["zebra"]),
    "html style and comment": ("a.html", "<style>.zebra{}</style><!-- zebra --><p>zebra</p>",
                               ["zebra"]),
    "html attribute not prose": ("a.html", '<p title="zebra">a zebra</p>', ["zebra"]),
    "html unclosed tags": ("a.html", "<p>one <b>bold\n<p>two zebra", ["zebra"]),
    "html multiline": ("a.html", "<ul>\n  <li>one</li>\n  <li>\n    zebra\n  </li>\n</ul>",
                       ["zebra"]),
    "html table cell": ("a.html", "<table><tr><td>a</td><td>zebra</td></tr></table>",
                        ["zebra"]),
    "html pre skipped": ("a.html", "<pre>zebra</pre><p>zebra</p>", ["zebra"]),
    "html crlf": ("a.html", "<p>one\r\ntwo zebra</p>\r\n", ["zebra"]),
    "text paragraphs": ("a.txt", "Title\n\nSome zebra text.\n\n  1. item zebra\n", ["zebra"] * 2),
    "text non-ascii": ("a.txt", "Ünïcode paragraph with a zebra.\n", ["zebra"]),
}


@pytest.fixture(scope="module")
def engine():
    config = Config(select=["language/test-zebra"], extra_packs=[PACKS])
    registry = load_rules([PACKS])
    return Engine(config, registry)


@pytest.mark.parametrize("name", list(CASES))
def test_finding_points_at_source(engine, name):
    filename, source, expected = CASES[name]
    result = next(iter(engine.lint([Source(filename, source.encode("utf-8"))])))
    flagged = [source[f.offset:f.end_offset] for f in result.findings]
    assert [s.lower() for s in flagged] == [e.lower() for e in expected]
    for f in result.findings:
        # line/column agree with the offset
        lines = source[: f.offset].split("\n")
        assert f.line == len(lines)
        assert f.column == len(lines[-1]) + 1
        end_lines = source[: f.end_offset].split("\n")
        assert (f.end_line, f.end_column) == (len(end_lines), len(end_lines[-1]) + 1)


def test_bom_is_removed_from_offsets(engine):
    source = "A zebra.\n"
    data = b"\xef\xbb\xbf" + source.encode("utf-8")
    result = next(iter(engine.lint([Source("a.md", data)])))
    (f,) = result.findings
    assert source[f.offset:f.end_offset] == "zebra"
    assert (f.line, f.column) == (1, 3)


def test_utf16_with_bom(engine):
    source = "Some text\nA zebra.\n"
    data = source.encode("utf-16")
    result = next(iter(engine.lint([Source("a.md", data)])))
    (f,) = result.findings
    assert source[f.offset:f.end_offset] == "zebra"
    assert f.line == 2


@pytest.mark.parametrize("name", [n for n in CASES])
def test_every_block_character_maps_to_its_source(name):
    filename, source, _ = CASES[name]
    doc = parse_document(filename, source)
    for block in doc.blocks:
        for i, ch in enumerate(block.text):
            start, end = block.source_span(i, i + 1)
            original = source[start:end]
            if ch == " ":
                assert original == "" or original.isspace() or original.startswith(("<br", "&")), (
                    name, block.text, i, original)
            elif original != ch:
                # an entity or escape standing for the character
                assert original.startswith(("&", "\\")) or original.endswith(ch), (
                    name, block.text, i, ch, original)


def test_block_kinds_and_lists():
    source = "# Title\n\nPara.\n\n- a\n- b\n  - c\n\n> quote\n\n| h |\n|---|\n| d |\n"
    doc = parse_document("a.md", source)
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds == [("heading", "Title"), ("paragraph", "Para."), ("list_item", "a"),
                     ("list_item", "b"), ("list_item", "c"), ("blockquote", "quote"),
                     ("table_cell", "h"), ("table_cell", "d")]
    a, b, c = doc.blocks[2:5]
    assert a.list_id == b.list_id != c.list_id
    assert doc.blocks[0].level == 1
    assert doc.title == "Title"
    assert all(block.section == 1 for block in doc.blocks[1:])


def test_links_and_front_matter():
    source = "---\ntitle: T\nreviewer:\n  name: Jane Doe\n  credentials: [MD]\n---\n" \
             "Read [the NIH page](https://www.nih.gov/x \"t\") today.\n"
    doc = parse_document("a.md", source)
    assert doc.front_matter == {"title": "T", "reviewer": {"name": "Jane Doe",
                                                          "credentials": ["MD"]}}
    (link,) = doc.links
    assert link.url == "https://www.nih.gov/x"
    assert link.text == "the NIH page"
    assert source[link.start:link.end] == "the NIH page"


def test_html_metadata():
    source = """<html><head><title>Sleep &amp; you</title>
<meta name="author" content="A. Writer"><meta property="og:url" content="https://x.org/a">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "MedicalWebPage", "lastReviewed": "2026-01-02"}]}</script></head>
<body><h1>Sleep</h1><p>Text <a href="https://cdc.gov" rel="sponsored">here</a>.</p></body></html>"""
    doc = parse_document("a.html", source)
    assert doc.title == "Sleep & you"
    assert doc.meta["author"] == "A. Writer"
    assert doc.meta["og:url"] == "https://x.org/a"
    assert doc.json_ld == [{"@type": "MedicalWebPage", "lastReviewed": "2026-01-02"}]
    (link,) = doc.links
    assert (link.url, link.text, link.rel) == ("https://cdc.gov", "here", "sponsored")


def test_sections_follow_heading_levels():
    source = "# A\n\nx\n\n## B\n\ny\n\n### C\n\nz\n\n## D\n\nw\n"
    doc = parse_document("a.md", source)
    by_text = {b.text: b for b in doc.blocks}
    sections = doc.sections
    assert sections[by_text["y"].section].heading.text == "B"
    assert sections[by_text["z"].section].heading.text == "C"
    assert sections[by_text["z"].section].parent == by_text["B"].section
    assert sections[by_text["w"].section].parent == by_text["A"].section


def test_autolink_is_a_link_not_prose():
    source = "Visit <https://www.cdc.gov/sleep> for more.\n"
    doc = parse_document("a.md", source)
    assert doc.blocks[0].text == "Visit for more."
    (link,) = doc.links
    assert link.url == "https://www.cdc.gov/sleep"
    assert source[link.start:link.end] == "https://www.cdc.gov/sleep"


@pytest.mark.parametrize("source", [
    "Read [the CDC page](https://www.cdc.gov/asthma/).",
    "Read [the CDC page](https://x.org/a_(b).c \"Title.\").",
    "Read [the CDC page][cdc].\n\n[cdc]: https://www.cdc.gov/a.b",
])
def test_text_after_a_link_maps_past_its_target(source):
    block = parse_document("a.md", source).blocks[0]
    assert block.text == "Read the CDC page."
    lo, hi = block.source_span(len(block.text) - 1, len(block.text))
    assert (lo, source[lo:hi]) == (source.index(".", source.index("]") + 1)
                                   if "][" in source else source.rindex(")") + 1, ".")


def test_reference_lists_and_footnote_definitions_are_known():
    source = ("# Iron\n\nIron helps [^1]. Eat beans.\n\n## References\n\n1. Smith J. Iron: a "
              "review. 2020.\n\n## Diet\n\nBeans have iron.\n\n[^1]: Lee K. Iron and fatigue: a "
              "trial. BMJ. 2021.\n")
    doc = parse_document("a.md", source)
    flags = {b.text[:12]: doc.in_reference_list(b) for b in doc.blocks if b.kind != "heading"}
    assert flags == {"Iron helps [": False, "Smith J. Iro": True, "Beans have i": False,
                     "Lee K. Iron ": True}
