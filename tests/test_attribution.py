"""Attribution: every corpus variant gives exactly its expected findings; dates; aliases."""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from medlint.api import lint_text
from medlint.dates import find_dates, parse_date
from medlint.documents import parse_document
from medlint.rules.attribution.facts import extract, parse_person
from medlint.rules.attribution.metrics import AttributionMetrics
from tests.conftest import ROOT, TODAY

LABELS = yaml.safe_load((ROOT / "corpus" / "labels" / "attribution.yaml").read_text())
CORPUS = ROOT / "corpus"


def test_corpus_has_at_least_forty_variants():
    assert len(LABELS["files"]) >= 40


@pytest.mark.parametrize("name", sorted(LABELS["files"]))
def test_corpus_variant(name):
    path = CORPUS / name
    expected = sorted(label["rule"] for label in LABELS["files"][name] or [])
    result = lint_text(path.read_bytes(), str(path), select=["attribution"], today=TODAY)
    assert sorted(f.rule for f in result.findings) == expected, [
        (f.rule, f.message) for f in result.findings]


def test_seed_has_no_reviewer_and_hoffman_is_not_one(seed_text):
    result = lint_text(seed_text, "seed.txt", select=["attribution"], today=TODAY)
    rules = {f.rule for f in result.findings}
    assert "attribution/missing-reviewer" in rules
    att = extract(parse_document("seed.txt", seed_text))
    assert att.reviewers == []
    assert all("Hoffman" not in p.name for p in att.reviewers + att.authors)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-02-14", dt.date(2026, 2, 14)),
    ("2026/02/14", dt.date(2026, 2, 14)),
    ("02/14/2026", dt.date(2026, 2, 14)),
    ("14/02/2026", dt.date(2026, 2, 14)),
    ("14.02.2026", dt.date(2026, 2, 14)),
    ("October 2, 2025", dt.date(2025, 10, 2)),
    ("Oct. 2, 2025", dt.date(2025, 10, 2)),
    ("2 October 2025", dt.date(2025, 10, 2)),
    ("3rd of March, 2026", dt.date(2026, 3, 3)),
    ("Sept 5th, 2024", dt.date(2024, 9, 5)),
    ("2026-02-14T09:30:00+01:00", dt.date(2026, 2, 14)),
])
def test_date_shapes(text, expected):
    parsed = parse_date(text)
    assert parsed.value == expected and parsed.precision == "day"


def test_month_year_and_year_precision():
    month = parse_date("August 2026")
    assert month.precision == "month" and month.latest() == dt.date(2026, 8, 31)
    assert parse_date("2021").precision == "year"


@pytest.mark.parametrize("text", ["31/02/2026", "last spring", "2026-13-01", "soon"])
def test_bad_dates(text):
    parsed = parse_date(text)
    assert parsed.value is None and parsed.error


def test_ambiguous_numeric_dates_read_us_first_unless_day_first():
    assert parse_date("03/04/2026").value == dt.date(2026, 3, 4)
    assert parse_date("03/04/2026", day_first=True).value == dt.date(2026, 4, 3)


def test_find_dates_in_text():
    found = find_dates("Reviewed 3 March 2026; updated 2026-04-01 and again in May 2026.")
    assert [d.value for d in found] == [dt.date(2026, 3, 3), dt.date(2026, 4, 1),
                                        dt.date(2026, 5, 1)]


@pytest.mark.parametrize(("text", "name", "creds", "dr"), [
    ("Jane Doe, MD", "Jane Doe", ["MD"], False),
    ("Dr. Jane Doe, MBChB, FRCP", "Jane Doe", ["MBChB", "FRCP"], True),
    ("Ana Ruiz, RN, BSN", "Ana Ruiz", ["RN", "BSN"], False),
    ("Luis Ortega MD FACP", "Luis Ortega", ["MD", "FACP"], False),
    ("Sam Lee, M.D., a board-certified internist", "Sam Lee", ["M.D"], False),
    ("Kim Park, PA-C", "Kim Park", ["PA-C"], False),
    ("Dr. Dana Okafor", "Dana Okafor", [], True),
])
def test_parse_person(text, name, creds, dr):
    person = parse_person(text)
    assert (person.name, person.credentials, person.dr_title) == (name, creds, dr)


def test_reviewer_key_aliases_are_configurable():
    path = CORPUS / "attribution" / "fm-custom-key-unknown.md"
    options = {rule: {"reviewer-keys": ["clinicalApprover"], "review-date-keys": ["approved"]}
               for rule in ("attribution/missing-reviewer", "attribution/missing-review-date")}
    result = lint_text(path.read_bytes(), str(path), select=list(options), options=options,
                       today=TODAY)
    assert result.findings == []


def test_dr_title_can_count_as_credential():
    text = Path(CORPUS / "attribution" / "fm-dr-title-only.md").read_text()
    rule = "attribution/reviewer-credentials"
    assert lint_text(text, "a.md", select=[rule], today=TODAY).findings
    result = lint_text(text, "a.md", select=[rule], options={rule: {"accept-dr-title": True}},
                       today=TODAY)
    assert result.findings == []


def test_stale_window_is_configurable():
    text = "---\nauthor: A B\nreviewer: C D, MD\nlast_reviewed: 2025-10-01\n---\n\nText.\n"
    rule = "attribution/stale-review"
    assert not lint_text(text, "a.md", select=[rule], today=TODAY).findings
    tight = lint_text(text, "a.md", select=[rule], options={rule: {"max-age-months": 6}},
                      today=TODAY)
    assert [f.rule for f in tight.findings] == [rule]


def test_findings_point_at_the_front_matter_key():
    text = "---\ntitle: T\nreviewer: C D, MD\nlast_reviewed: 2031-01-01\n---\n\nText.\n"
    (f,) = lint_text(text, "a.md", select=["attribution/invalid-review-date"],
                     today=TODAY).findings
    assert text[f.offset:f.end_offset] == "last_reviewed: 2031-01-01"


@pytest.mark.parametrize("body, cites", [
    ("Sleep matters. See the [trial](https://example.org/trial).", True),
    ("Sleep matters.[1]\n\n[1]: Doe J. Sleep. 2020.", True),
    ("Sleep matters.\n\n## References\n\n- Doe J. Sleep. 2020.", True),
    ("Sleep matters. Read our [guide](/guides/sleep).", False),  # its own site: not a source
    ("Sleep matters. Most adults need seven hours.", False),
])
def test_metrics_say_whether_the_page_cites_any_source(body, cites):
    text = ("---\ntitle: Sleep\nreviewer: Dr. Jane Doe, MD, FACP\nlast_reviewed: 2026-01-05\n"
            f"---\n\n{body}\n")
    att = lint_text(text, "sleep.md", select=["attribution"], today=TODAY).metrics.get(
        AttributionMetrics)
    assert att.cites_sources is cites
    assert att.reviewer == "Jane Doe" and att.reviewer_credentials == ("MD", "FACP")
    assert AttributionMetrics.from_json(att.to_json()) == att  # survives the JSON report
