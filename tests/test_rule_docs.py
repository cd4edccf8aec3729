"""The rule reference: every heading filled, the generated page current, explain agreeing."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.api import registry
from medlint.cli import cli as main
from medlint.cli.info import accuracy_data, rule_text
from medlint.rules.base import DOC_HEADINGS, doc_sections
from tools import rule_docs

ROOT = Path(__file__).resolve().parents[1]
RULES = registry()
PLACEHOLDER = re.compile(r"\b(?:todo|tbd|fixme|xxx|lorem|placeholder)\b|\(reason not documented\)",
                         re.IGNORECASE)


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_heading_is_filled(rule_id):
    sections = doc_sections(RULES[rule_id], accuracy_data())
    assert [h for h, _ in sections] == list(DOC_HEADINGS)
    for heading, body in sections:
        assert len(body.strip()) >= 20, f"{rule_id}: '{heading}' is empty"
        assert not PLACEHOLDER.search(body), f"{rule_id}: '{heading}' is a placeholder"


def test_accuracy_file_covers_every_rule():
    data = accuracy_data()
    assert data is not None and data["date"] and data["data-sets"]
    assert set(RULES) <= set(data["rules"]), "rerun python -m tools.rule_accuracy --sites"


def test_reference_page_is_current():
    page = (ROOT / "docs" / "rules" / "reference.md").read_text(encoding="utf-8")
    assert page == rule_docs.render(), "stale: run python -m tools.rule_docs"


def _words(text: str) -> str:
    return " ".join(text.replace("```text", " ").replace("```", " ").split())


@pytest.mark.parametrize("rule_id", ["claims/testimonial", "language/stigmatizing-term",
                                     "document/rule-error", "readability/long-sentence"])
def test_explain_prints_the_reference_sections(rule_id):
    out = CliRunner().invoke(main, ["explain", rule_id])
    assert out.exit_code == 0, out.output
    page = _words((ROOT / "docs" / "rules" / "reference.md").read_text(encoding="utf-8"))
    assert out.output.strip() == rule_text(RULES[rule_id], accuracy_data())
    for heading, body in doc_sections(RULES[rule_id], accuracy_data()):
        assert heading in out.output
        assert _words(body) in _words(out.output)
        assert _words(body) in page, f"{rule_id}: '{heading}' differs from reference.md"


def test_readme_links_the_reference():
    assert "docs/rules/reference.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.md"
    # explain lints with the configuration found beside the file: one category keeps it fast
    (tmp_path / ".medlint.toml").write_text('select = ["claims", "attribution"]\n',
                                            encoding="utf-8")
    path.write_text("# Knee pain\n\nOne line of text.\n\nOur tea is guaranteed to cure "
                    "arthritis for good.\n", encoding="utf-8")
    return path


def test_explain_file_line_explains_that_finding(page):
    out = CliRunner().invoke(main, ["explain", f"{page}:5", "--today", "2026-12-03"])
    assert out.exit_code == 0, out.output
    assert f"{page}:5:" in out.output
    assert "claims/absolute-language" in out.output
    assert "excerpt:" in out.output and "What it does not flag" in out.output
    assert f"{page}:1:" not in out.output  # only findings on that line


def test_explain_fingerprint_finds_the_finding(page):
    from medlint.api import lint_text

    text = page.read_text(encoding="utf-8")
    found = [f for f in lint_text(text, str(page), select=["claims"]).findings
             if f.rule == "claims/absolute-language"]
    assert found and found[0].fingerprint
    out = CliRunner().invoke(main, ["explain", found[0].fingerprint, str(page)])
    assert out.exit_code == 0, out.output
    assert "claims/absolute-language" in out.output and "fingerprint " in out.output


def test_explain_unknown_target_is_a_usage_error(page):
    assert CliRunner().invoke(main, ["explain", "no-such-rule"]).exit_code == 2
    assert CliRunner().invoke(main, ["explain", f"{page}:2"]).exit_code != 0
