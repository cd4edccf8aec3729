"""``medlint audit``: aggregation numbers, the page score, renderers and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.audit import SiteAudit, page_score
from medlint.audit.aggregate import page_penalty
from medlint.audit.render import CsvSink, render_html, text_summary
from medlint.cli import cli
from medlint.engine import FileResult, Reported
from medlint.rules.base import Severity
from medlint.runcontext import sentence_key

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
TODAY = "2026-11-25"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def finding(rule: str, severity: str = "warning", excerpt: str = "text", message: str = "m",
            line: int = 1, offset: int = 0) -> Reported:
    return Reported(rule, rule.split("/")[0], Severity.parse(severity), message, line, 1, line,
                    5, offset, offset + len(excerpt), excerpt)


def page(path: str, words: int, findings: list[Reported], grade: float | None = None,
         reviewer: str | None = None, age: int | None = None,
         claims: list[tuple[str, bool]] = (), cites: bool | None = None,
         credentials: list[str] = ()) -> FileResult:
    metrics: dict = {"attribution": {"reviewer": reviewer, "reviewed": "2026-01-01" if age
                                     is not None else None, "review_age_days": age,
                                     "cites_sources": cites,
                                     "reviewer_credentials": list(credentials)}}
    if grade is not None:
        metrics["readability"] = {"document": {"fk_grade": grade}}
    metrics["claims"] = [{"offset": 0, "end_offset": 1, "strength": s, "supported": ok}
                         for s, ok in claims]
    return FileResult(path, findings, metrics, words)


def small_site() -> list[FileResult]:
    boiler = "Call your doctor if symptoms last longer than two weeks or get worse."
    return [
        page("site/a.md", 500, [finding("claims/unsupported-claim", "warning"),
                                finding("spam/duplicate-text", "info", boiler,
                                        "Boilerplate: this sentence appears in 4 files of this "
                                        "run (reported once, here)")],
             grade=6.0, reviewer="Dana Okafor", age=100,
             claims=[("causal", False), ("hedged", True)]),
        page("site/b.md", 1000, [finding("attribution/stale-review", "warning"),
                                 finding("document/front-matter", "error"),
                                 finding("spam/inserted-phrase", "warning",
                                         "Managing Type 2 Diabetes at Home")],
             grade=12.0, reviewer="Tom Ellis", age=1500, claims=[("absolute", False)]),
        page("site/c.md", 100, [finding("attribution/missing-reviewer", "warning")],
             grade=9.0),
        page("site/d.md", 0, []),
    ]


def test_page_score_definition():
    # penalty: 1000 * (10*1 + 3*2 + 1*1) / 1000 = 17; + 20 no reviewer + 10 stale + 2*(11-8)
    assert page_penalty(1000, {"error": 1, "warning": 2, "info": 1}, True, False, True,
                        11.0) == 53.0
    # health is 0-100, higher is better: 100 * 50 / (50 + 53)
    assert page_score(1000, {"error": 1, "warning": 2, "info": 1}, True, False, True,
                      11.0) == 48.5
    # short pages count as 250 words; the grade penalty is capped at 20
    assert page_penalty(50, {"warning": 1}, True, True, False, 40.0) == 12.0 + 20
    # unknown attribution (rules off) gives no reviewer penalty: a clean page scores 100
    assert page_score(300, {}, False, False, False, None) == 100.0
    # bounded however bad the page is
    assert 0 <= page_score(10, {"error": 10_000}, True, False, True, 30.0) < 1


def test_aggregation_numbers():
    site = SiteAudit(top=10)
    rows = [site.add(r) for r in small_site()]
    boiler = "Call your doctor if symptoms last longer than two weeks or get worse."
    shared = {sentence_key(boiler): [f"site/{x}.md" for x in "abcd"]}
    out = site.finish(titles={"site/x.md": "Managing type 2 diabetes at home",
                              "site/b.md": "Knee pain"}, sentence_files=shared)
    s = out["site"]
    assert (s["files"], s["words"], s["findings"]) == (4, 1600, 6)
    assert s["by_severity"] == {"error": 1, "warning": 4, "info": 1}
    assert s["by_category"] == {"attribution": 2, "claims": 1, "document": 1, "spam": 2}
    assert (s["reviewer_pages"], s["attribution_pages"], s["reviewer_share"]) == (2, 4, 0.5)
    assert (s["stale_pages"], s["stale_share"]) == (1, 0.25)
    assert s["median_grade"] == 9.0 and s["graded_pages"] == 3
    assert s["pages_above_target"] == 2
    assert s["pages_with_findings"] == 3
    hist = {b["label"]: b["pages"] for b in out["charts"]["grade_histogram"]}
    assert (hist["6"], hist["9"], hist["12"], hist["8"]) == (1, 1, 1, 0)
    right_of_target = sum(b["pages"] for b in out["charts"]["grade_histogram"] if b["grade"] > 8)
    assert right_of_target == s["pages_above_target"]
    ages = {b["label"]: b["pages"] for b in out["charts"]["review_age"]}
    assert ages == {"< 6 months": 1, "6–12 months": 0, "1–2 years": 0, "2–3 years": 0,
                    "> 3 years": 1, "no review date": 2}
    mix = {c["strength"]: (c["supported"], c["unsupported"]) for c in out["charts"]["claims"]}
    assert mix == {"absolute": (0, 1), "causal": (0, 1), "correlational": (0, 0),
                   "hedged": (1, 0)}
    # b: penalty 1000*(10+3+3)/1000 = 16, + 10 stale + 2*4 grade = 34 -> 100*50/84
    assert rows[1].score == 59.5
    # c: 3*1000/250 = 12, + 20 no reviewer + 2*1 grade = 34 too: the earlier page ranks first
    assert rows[2].score == 59.5
    assert [p["path"] for p in out["worst_pages"]] == ["site/b.md", "site/c.md", "site/d.md",
                                                      "site/a.md"]
    assert out["worst_pages"][2]["score"] == 71.4  # penalty 20: no words, no reviewer
    # penalty 6: 1000 * 3 / 500; the boilerplate is the template's, not page a's own
    assert out["worst_pages"][3]["score"] == 89.3
    by_rule = {r["rule"]: r for r in out["by_rule"]}
    assert by_rule["document/front-matter"]["error"] == 1
    assert out["sources"]["pages_with_unsourced_claims"] == 2  # a and b
    assert out["sources"]["pages_without_sources"] == 0
    cluster = out["template_clusters"][0]
    assert cluster["page_count"] == 4 and cluster["pages"] == [f"site/{x}.md" for x in "abcd"]
    assert cluster["examples"] == [boiler]
    # the template is credited to every page of it in the fix-first list, not to page a
    dup = next(i for i in out["fix_first"] if i["rule"] == "spam/duplicate-text")
    assert dup["pages"] == 4
    assert all(p["template_clusters"] == [cluster["id"]] for p in out["worst_pages"])
    titled = out["title_insertions"]
    assert len(titled) == 1 and titled[0]["title_page"] == "site/x.md"
    assert titled[0]["pages"] == [{"path": "site/b.md", "line": 1}]


def test_pages_without_any_source_are_counted():
    site = SiteAudit()
    site.add(page("a.md", 700, [finding("attribution/missing-sources", "warning")]))
    site.add(page("b.md", 700, []))
    src = site.finish()["sources"]
    assert (src["pages_without_sources"], src["without_sources_share"]) == (1, 0.5)
    assert src["without_sources"] == ["a.md"]


def test_pages_citing_nothing_are_counted_from_the_metric():
    """Every page that cites nothing counts, not only those where missing-sources fired
    (a page of textbook facts makes no claim, yet cites nothing either)."""
    site = SiteAudit()
    for name, cites in (("a.md", False), ("b.md", True), ("c.md", False)):
        site.add(page(name, 700, [], cites=cites))
    src = site.finish()["sources"]
    assert (src["pages_without_sources"], src["without_sources"]) == (2, ["a.md", "c.md"])


def test_reviewers_carry_their_credentials():
    site = SiteAudit(today=dt.date(2026, 11, 25))
    for i, creds in enumerate((["MD"], ["MD", "FACP"], [])):
        site.add(page(f"p{i}.md", 300, [], reviewer="Jane Doe", age=30, credentials=creds))
    out = site.finish()
    jane = out["governance"]["reviewers"][0]
    assert (jane["name"], jane["pages"], jane["credentials"]) == ("Jane Doe", 3, ["MD", "FACP"])
    assert "<td>MD, FACP</td>" in render_html(out)


def test_fix_first_puts_errors_before_widespread_warnings():
    site = SiteAudit()
    for i in range(20):
        found = [finding("readability/grade-level", "warning")]
        if i == 3:
            found.append(finding("spam/inserted-phrase", "error", "best rehab near me"))
        site.add(page(f"p{i}.md", 400, found, reviewer="A B"))
    order = [i["rule"] for i in site.finish()["fix_first"]]
    assert order == ["spam/inserted-phrase", "readability/grade-level"]


def test_wide_findings_are_anchored_to_their_section_or_the_page():
    intro = "Intro sentence here. " * 10
    section = "## Treatment options\n\n" + "Long treatment paragraph text. " * 20 + "\n\n"
    sentence = "word " * 120  # one very long sentence: shown in context, not as a section
    text = f"# Title\n\n{intro}\n\n{section}{sentence}.\n"
    s_start = text.index("## Treatment")
    w_start = text.index(sentence)
    site = SiteAudit()
    site.add(FileResult("x.md", [
        Reported("readability/section-grade", "readability", Severity.WARNING, "m", 1, 1, 1, 1,
                 s_start, s_start + len(section), section),
        Reported("readability/long-sentence", "readability", Severity.INFO, "m", 1, 1, 1, 1,
                 w_start, w_start + len(sentence), sentence),
        Reported("readability/grade-level", "readability", Severity.WARNING, "m", 1, 1, 1, 1,
                 0, len(text), text)], {}, 300))
    found = {f["rule"]: f for f in site.finish(context=lambda p: text)["worst_pages"][0][
        "findings_list"]}
    assert found["readability/section-grade"]["anchor"] == "section"
    assert found["readability/section-grade"]["marked"] == "Treatment options"
    assert "anchor" not in found["readability/long-sentence"]
    assert found["readability/grade-level"]["anchor"] == "page"


def test_report_names_inputs_without_the_auditors_file_system(tmp_path):
    site = tmp_path / "my-site"
    site.mkdir()
    (site / "a.md").write_text("# Sleep\n\nSleep well.\n", encoding="utf-8")
    report = tmp_path / "audit.html"
    result = CliRunner().invoke(cli, ["audit", str(site), "--today", TODAY, "--no-cache",
                                      "--html", str(report)])
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert str(tmp_path) not in html and "my-site" in html


def test_title_on_its_own_page_is_not_an_insertion():
    site = SiteAudit()
    site.add(page("site/b.md", 300, [finding("spam/inserted-phrase", excerpt="Knee pain at "
                                             "night explained")]))
    out = site.finish(titles={"site/b.md": "Knee pain at night explained"})
    assert out["title_insertions"] == []


def test_top_bounds_the_pages_kept():
    site = SiteAudit(top=2)
    for i in range(50):
        site.add(page(f"p{i}.md", 300, [finding("claims/unsupported-claim")] * (i % 7),
                      reviewer="A B"))
    worst = site.finish()["worst_pages"]
    assert len(worst) == 2
    assert [p["findings"] for p in worst] == [6, 6]
    assert [p["path"] for p in worst] == ["p6.md", "p13.md"]


def test_context_marks_the_excerpt():
    text = "Intro line.\nVitamin D cures cancer in everyone.\nMore text."
    start = text.index("cures")
    site = SiteAudit()
    site.add(FileResult("x.md", [finding("claims/absolute-language", excerpt="cures",
                                         offset=start)], {}, 10))
    out = site.finish(context=lambda path: text)
    f = out["worst_pages"][0]["findings_list"][0]
    assert f["marked"] == "cures"
    assert f["before"].endswith("Vitamin D ") and f["after"].startswith(" cancer")
    html = render_html(out)
    assert "Vitamin D <mark>cures</mark> cancer" in html


def test_hostile_input_is_escaped():
    site = SiteAudit()
    site.add(page(f"site/{HOSTILE}.md", 300,
                  [finding("spam/inserted-phrase", "error", HOSTILE, message=HOSTILE),
                   finding("spam/duplicate-text", "info", HOSTILE + " pasted sentence here.",
                           "Boilerplate: this sentence appears in 3 files")],
                  reviewer=HOSTILE))
    out = site.finish(titles={"other.md": HOSTILE + " title words here"},
                      context=lambda p: HOSTILE * 3)
    html = render_html(out, title=HOSTILE, sources=[HOSTILE])
    assert "<script>alert" not in html and "<img" not in html
    assert html.count("<script>") == 1  # ours
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def assert_self_contained(html: str) -> None:
    assert not re.search(r"""(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?//""",
                         html, re.I)
    assert not re.search(r"<link\b|@import|url\(|<iframe|<object|<embed", html, re.I)
    assert html.count("<script") == 1 and "<script src" not in html
    assert "<svg" in html and "<style>" in html


def test_html_is_self_contained_and_readable_without_js():
    site = SiteAudit()
    for r in small_site():
        site.add(r)
    html = render_html(site.finish())
    assert_self_contained(html)
    # the tables are in the markup itself, not built by the script
    assert html.count('<a href="#page-') == 4 and html.count('id="page-') == 4
    assert 'data-metric="files">4<' in html


def test_csv_sink_writes_one_row_per_page():
    buf = io.StringIO()
    site = SiteAudit(on_row=CsvSink(buf))
    for r in small_site():
        site.add(r)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["path"] for r in rows] == ["site/a.md", "site/b.md", "site/c.md", "site/d.md"]
    assert rows[1]["stale_review"] == "true" and rows[2]["reviewer"] == ""


# Command line ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_audit(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit")
    result = CliRunner().invoke(cli, [
        "audit", str(CORPUS), "--today", TODAY, "--no-cache", "--no-progress",
        "--html", str(out / "r.html"), "--json", str(out / "r.json"),
        "--csv", str(out / "r.csv"), "--jsonl", str(out / "pages.jsonl")])
    assert result.exit_code == 0, result.output
    return out


def test_corpus_audit_json_csv_jsonl_agree(corpus_audit):
    summary = json.loads((corpus_audit / "r.json").read_text(encoding="utf-8"))
    with (corpus_audit / "r.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    lines = [json.loads(x) for x in (corpus_audit / "pages.jsonl").read_text(
        encoding="utf-8").splitlines()]
    s = summary["site"]
    assert s["files"] == len(rows) == len(lines) == len(list(CORPUS.rglob("*.md"))
                                                      + list(CORPUS.rglob("*.html"))
                                                      + list(CORPUS.rglob("*.txt")))
    assert s["words"] == sum(int(r["words"]) for r in rows) == sum(x["words"] for x in lines)
    assert s["findings"] == sum(int(r["findings"]) for r in rows) == sum(
        len(x["findings"]) for x in lines)
    assert s["by_severity"]["error"] == sum(int(r["errors"]) for r in rows)
    assert s["reviewer_pages"] == sum(1 for r in rows if r["reviewer"])
    assert s["stale_pages"] == sum(1 for r in rows if r["stale_review"] == "true")
    by_path = {r["path"]: r for r in rows}
    for p in summary["worst_pages"]:
        assert float(by_path[p["path"]]["score"]) == p["score"]
    scores = sorted(float(r["score"]) for r in rows)  # the least healthy first
    assert [p["score"] for p in summary["worst_pages"]] == scores
    by_rule = {r["rule"]: r["findings"] for r in summary["by_rule"]}
    assert sum(by_rule.values()) == s["findings"]
    # the corpus has boilerplate across files and findings everywhere
    assert s["findings"] > 500 and summary["template_clusters"]
    assert 0 < s["reviewer_share"] < 1 and s["median_grade"] is not None
    # every streamed line keeps the JSON report's file shape
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "src/medlint/schemas/report-v1.schema.json").read_text())
    report = {"version": "1", "summary": {"files": 0, "findings": 0, "by_severity": {},
                                          "by_rule": {}},
              "files": [{k: x[k] for k in ("path", "findings", "metrics")} for x in lines]}
    jsonschema.validate(report, schema)
    assert all("attribution" in x["metrics"] for x in lines)


def test_corpus_html_report(corpus_audit):
    html = (corpus_audit / "r.html").read_text(encoding="utf-8")
    summary = json.loads((corpus_audit / "r.json").read_text(encoding="utf-8"))
    assert_self_contained(html)
    assert f'data-metric="files">{summary["site"]["files"]:,}<' in html
    assert f'data-metric="findings">{summary["site"]["findings"]:,}<' in html
    assert "<mark>" in html and "Reading grade distribution" in html


def test_audit_without_outputs_prints_summary(tmp_path):
    (tmp_path / "a.md").write_text("# Sleep\n\nSleep cures every illness. " * 3,
                                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--today", TODAY, "--no-cache",
                                      "--select", "claims,readability"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("medlint audit: 1 pages")
    assert "median reading grade" in result.output


@pytest.mark.parametrize("args, message", [
    ([], "give at least one site folder"),
    (["{missing}"], "no such file"),
    (["{site}", "--today", "soon"], "--today"),
    (["{site}", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    (["{site}", "--select", "spam/no-such-rule"], "unknown rule"),
    (["--input-jsonl", "{missing}"], "no such file"),
    (["{site}", "--top", "-1"], "Invalid value"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    (tmp_path / "site").mkdir()
    args = [a.format(site=tmp_path / "site", missing=tmp_path / "nope") for a in args]
    result = CliRunner().invoke(cli, ["audit", *args])
    assert result.exit_code == 2, result.output
    assert message.lower() in result.output.lower()


def test_engine_dask_without_dask_is_a_clear_usage_error(tmp_path, monkeypatch):
    """Dask is an optional extra: without it, --engine dask says how to install it."""
    import sys

    for name in ("dask", "distributed", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # makes "import dask" fail
    monkeypatch.delitem(sys.modules, "medlint.distributed", raising=False)
    (tmp_path / "a.md").write_text("# Sleep\n\nSleep well.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--engine", "dask",
                                      "--no-progress", "--no-cache", "--select", "claims"])
    assert result.exit_code == 2, result.output
    if importlib.util.find_spec("medlint.distributed") is None:
        assert "not available" in result.output
    else:
        assert "medlint[dask]" in result.output
    assert "Traceback" not in result.output


needs_jsonl = pytest.mark.skipif(importlib.util.find_spec("medlint.jsonl") is None,
                                 reason="medlint.jsonl (JSONL input) is not in this tree yet")


@needs_jsonl
def test_jsonl_input_matches_folder_input(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    texts = {
        "a.md": "---\ntitle: Knee pain\nreviewer: Dana Okafor, MD\nlast_reviewed: 2026-01-02\n"
                "---\n\n# Knee pain\n\nRest helps knee pain. Ice reduces swelling in a day.\n",
        "b.md": "# Sleep\n\nSleep cures every illness, and it always works for everyone.\n",
    }
    records = []
    for name, text in texts.items():
        (site / name).write_text(text, encoding="utf-8")
        records.append(json.dumps({"path": str(site / name), "text": text}))
    (tmp_path / "site.jsonl").write_text("\n".join(records) + "\n\n", encoding="utf-8")
    base = ["--today", TODAY, "--no-cache", "--no-progress", "--select", "attribution,claims"]
    r1 = CliRunner().invoke(cli, ["audit", str(site), *base, "--json", str(tmp_path / "1.json")])
    r2 = CliRunner().invoke(cli, ["audit", "--input-jsonl", str(tmp_path / "site.jsonl"),
                                  *base, "--json", str(tmp_path / "2.json")])
    assert r1.exit_code == r2.exit_code == 0, r1.output + r2.output
    one = json.loads((tmp_path / "1.json").read_text())
    two = json.loads((tmp_path / "2.json").read_text())
    assert one == two
    assert one["site"]["files"] == 2 and one["site"]["reviewer_pages"] == 1


@needs_jsonl
def test_bad_jsonl_line_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"path": "a.md", "text": "Hello."}\n{not json\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", "--input-jsonl", str(bad), "--no-progress",
                                      "--select", "claims"])
    assert result.exit_code == 2, result.output
    assert f"{bad}:2" in result.output and "Traceback" not in result.output


def test_text_summary_mentions_worst_pages():
    site = SiteAudit()
    for r in small_site():
        site.add(r)
    text = text_summary(site.finish())
    assert "4 pages, 1,600 words, 6 findings" in text and "site/d.md" in text
