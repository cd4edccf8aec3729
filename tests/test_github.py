"""``--format github``: the most important findings within GitHub's annotation limits, a line
saying what was left out, and a Markdown job summary of everything."""

import io
import re

from medlint.engine.results import FileResult, Reported
from medlint.reporters import Run
from medlint.reporters.github import FILE_ROWS, PER_LEVEL, report
from medlint.rules.base import Severity


def finding(rule, severity, line, confidence=None):
    data = {} if confidence is None else {"confidence": confidence}
    return Reported(rule=rule, category=rule.split("/")[0], severity=Severity.parse(severity),
                    message=f"{rule} at {line}", line=line, column=1, end_line=line,
                    end_column=5, offset=0, end_offset=4, excerpt="text", data=data)


def render(results, monkeypatch, summary_file=None):
    if summary_file is None:
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    else:
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    out = io.StringIO()
    report(Run(results=results, rules={}, version="0"), out)
    return out.getvalue().splitlines()


def annotations(lines):
    return [line for line in lines if line.startswith("::")]


def many():
    """Two files: 15 errors, 25 warnings and 12 infos, confidences rising with the line."""
    a = [finding("spam/x", "error", n, confidence=n / 100) for n in range(1, 16)]
    a += [finding("claims/y", "warning", n) for n in range(20, 45)]
    b = [finding("readability/z", "info", n) for n in range(1, 13)]
    return [FileResult("a.md", a), FileResult("b.md", b), FileResult("c.md", [])]


def test_annotations_stay_within_the_per_level_limits(monkeypatch):
    lines = render(many(), monkeypatch)
    shown = annotations(lines)
    levels = [line[2:].split(" ", 1)[0] for line in shown]
    assert levels == ["error"] * PER_LEVEL + ["warning"] * PER_LEVEL + ["notice"] * PER_LEVEL
    assert "medlint: 22 finding(s) not annotated" in "\n".join(lines)
    assert lines[-1] == "medlint: 52 finding(s) in 3 file(s)"


def test_most_confident_first_then_file_order(monkeypatch):
    shown = annotations(render(many(), monkeypatch))
    error_lines = [int(re.search(r",line=(\d+),", s).group(1)) for s in shown[:PER_LEVEL]]
    assert error_lines == list(range(15, 5, -1))  # the ten most confident, best first
    warning_lines = [int(re.search(r",line=(\d+),", s).group(1))
                     for s in shown[PER_LEVEL:2 * PER_LEVEL]]
    assert warning_lines == list(range(20, 30))  # no confidence: file order


def test_earlier_files_win_ties(monkeypatch):
    results = [FileResult(f"{n}.md", [finding("spam/x", "error", 1)]) for n in range(12)]
    shown = annotations(render(results, monkeypatch))
    assert [s.split("file=")[1].split(",")[0] for s in shown] == [f"{n}.md" for n in range(10)]


def test_few_findings_are_all_annotated_without_a_dropped_line(monkeypatch):
    lines = render([FileResult("a.md", [finding("spam/x", "warning", 3)])], monkeypatch)
    assert len(annotations(lines)) == 1
    assert "not annotated" not in "\n".join(lines)


def test_step_summary_is_appended_with_rules_and_files(monkeypatch, tmp_path):
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n")
    lines = render(many(), monkeypatch, target)
    assert "see the job summary" in "\n".join(lines)
    text = target.read_text()
    assert text.startswith("earlier step\n## medlint\n")
    assert "52 finding(s) in 3 file(s); 30 annotated, 22 not annotated" in text
    assert "| `claims/y` | 0 | 25 | 0 | 25 |" in text
    assert "| `spam/x` | 15 | 0 | 0 | 15 |" in text
    assert "| a.md | 15 | 25 | 0 | 40 |" in text
    assert "| b.md | 0 | 0 | 12 | 12 |" in text
    assert "c.md" not in text  # files without findings get no row


def test_step_summary_caps_file_rows(monkeypatch, tmp_path):
    target = tmp_path / "summary.md"
    results = [FileResult(f"p{n}.md", [finding("spam/x", "info", 1)] * (1 + n % 3))
               for n in range(FILE_ROWS + 7)]
    render(results, monkeypatch, target)
    text = target.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| p")]
    assert len(rows) == FILE_ROWS
    assert rows[0].endswith("| 3 |")  # most findings first
    assert "... and 7 more file(s) with findings" in text


def test_pipes_in_paths_do_not_break_the_table(monkeypatch, tmp_path):
    target = tmp_path / "summary.md"
    render([FileResult("a|b.md", [finding("spam/x", "error", 1)])], monkeypatch, target)
    assert "| a\\|b.md | 1 | 0 | 0 | 1 |" in target.read_text()
