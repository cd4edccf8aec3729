"""--fix and --diff: byte-exact edits on tricky Markdown and HTML, encodings, atomic writes,
concurrent edits, the command line and pre-commit behaviour."""

import codecs
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from medlint import fixes
from medlint.api import lint_text
from medlint.cli import cli
from medlint.fixes import (
    Edit,
    FileChangedError,
    Snapshot,
    apply_fixes,
    fix_bytes,
    fix_results,
    plan_fixes,
    unified_diff,
    write_fixed,
)
from medlint.rules.base import Finding
from tests.conftest import TODAY

STIGMA = "language/stigmatizing-term"


def _findings(data: bytes | str, path: str = "x.md"):
    return lint_text(data, path, select=[STIGMA], today=TODAY).findings


def assert_only_spans_changed(old: str, new: str, edits: list[Edit]) -> None:
    """Every character outside the applied spans is unchanged, in order."""
    cursor_old = cursor_new = 0
    for edit in edits:
        gap = old[cursor_old:edit.start]
        assert new[cursor_new:cursor_new + len(gap)] == gap
        cursor_new += len(gap)
        assert new[cursor_new:cursor_new + len(edit.replacement)] == edit.replacement
        cursor_new += len(edit.replacement)
        cursor_old = edit.end
    assert new[cursor_new:] == old[cursor_old:]


# --- planning ------------------------------------------------------------------------------
def test_apply_fixes_replaces_only_the_spans():
    text = "ab addicts cd committed suicide."
    found = [Finding(STIGMA, "m", 3, 10, fix="people with addiction", data={"match": "addicts"}),
             Finding(STIGMA, "m", 14, 31, fix="died by suicide")]
    assert apply_fixes(text, found) == "ab people with addiction cd died by suicide."


def test_overlapping_fixes_are_resolved_the_same_way_in_any_order():
    text = "0123456789"
    a = Finding("r/a", "m", 2, 6, fix="A")
    b = Finding("r/b", "m", 4, 8, fix="B")
    c = Finding("r/c", "m", 2, 4, fix="C")
    d = Finding("r/d", "m", 8, 9, fix="D")
    results = {apply_fixes(text, order) for order in ([a, b, c, d], [d, c, b, a], [b, d, a, c])}
    assert results == {"01A67D9"}  # the longer fix at the same start wins; B overlaps A
    plan = plan_fixes(text, [a, b, c, d])
    assert sorted(e.rule for e, _ in plan.skipped) == ["r/b", "r/c"]


def test_identical_fixes_count_once_and_no_fix_findings_are_ignored():
    text = "x addicts y"
    f = Finding(STIGMA, "m", 2, 9, fix="people with addiction")
    plan = plan_fixes(text, [f, f, Finding("r/x", "no fix", 0, 1)])
    assert len(plan.applied) == 1
    assert apply_fixes(text, [f, f]) == "x people with addiction y"


def test_a_fix_whose_source_does_not_match_is_refused():
    text = "x addicts y"
    f = Finding(STIGMA, "m", 2, 9, fix="people", data={"match": "junkies"})
    assert apply_fixes(text, [f]) == text


# --- tricky Markdown -----------------------------------------------------------------------
MARKDOWN = (
    "---\r\ntitle: Help for addicts\r\ntags: [addicts, junkies]\r\n---\r\n\r\n"
    "# Help for Heroin Addicts\r\n\r\n"
    "Some addicts relapse. See [addicts guide](https://ex.org/addicts \"addicts\") and "
    "<https://ex.org/addict> or https://ex.org/addicts now.\r\n\r\n"
    "Use `addicts` in code, **drug** abuse in bold, and <span title=\"addicts\">addicts</span>."
    "\r\n\r\n"
    "> Quoted addicts\r\n> drug\r\n> abuse\r\n\r\n"
    "```\r\naddicts\r\n```\r\n\r\n"
    "| who | note |\r\n|---|---|\r\n| addicts | committed suicide |\r\n\r\n"
    "Heroin&nbsp;addicts and substance\r\nabuse. The addict's family.\r\n\r\n"
    "[ref]: https://ex.org/addicts\r\n"
    "<!-- addicts in a comment -->\r\n"
)


def test_markdown_fixes_only_prose_and_keeps_every_other_byte():
    data = MARKDOWN.encode("utf-8")
    outcome = fix_bytes("x.md", data, _findings(data))
    new = outcome.new_text
    assert_only_spans_changed(MARKDOWN, new, outcome.plan.applied)
    # front matter, code, URLs, attributes, comments and link definitions are untouched
    assert new.startswith("---\r\ntitle: Help for addicts\r\ntags: [addicts, junkies]\r\n---")
    assert "`addicts`" in new and "```\r\naddicts\r\n```" in new
    assert '(https://ex.org/addicts "addicts")' in new and "<https://ex.org/addict>" in new
    assert "https://ex.org/addicts now" in new
    assert 'title="addicts"' in new and "<!-- addicts in a comment -->" in new
    assert "[ref]: https://ex.org/addicts" in new
    # prose, headings, link text, inline HTML text and table cells are fixed
    assert "# Help for People with Heroin Addiction\r\n" in new
    assert "Some people with addiction relapse." in new
    assert "[people with addiction guide](" in new
    assert ">people with addiction</span>" in new
    assert "| people with addiction | died by suicide |" in new
    # a match across markup (emphasis, quote markers, entities) is flagged but not fixed
    assert "**drug** abuse" in new and "> drug\r\n> abuse" in new
    assert "Heroin&nbsp;addicts" in new
    assert "The addict's family" in new  # suggestion-only entry
    # a soft line break inside a prose match is fine to replace
    assert "and substance use." in new
    assert "\r\n" in new and "\n" not in new.replace("\r\n", "")
    reasons = {reason for _, reason in outcome.plan.skipped}
    assert any("matched text" in r for r in reasons)


def test_fixes_never_touch_front_matter_even_if_a_finding_points_there():
    text = "---\ntitle: addicts\n---\n\nBody.\n"
    start = text.index("addicts")
    bogus = Finding(STIGMA, "m", start, start + 7, fix="people", data={"match": "addicts"})
    outcome = fix_bytes("x.md", text.encode(), [bogus])
    assert outcome.new_text == text
    assert outcome.plan.skipped


# --- tricky HTML ---------------------------------------------------------------------------
HTML = (
    '<!DOCTYPE html>\n<html><head><title>Addicts</title>'
    '<meta name="description" content="help for addicts"></head>\n<body>\n'
    '<h1 class="addicts">Help for addicts</h1>\n'
    '<p>Many <a href="/addicts" title="addicts">addicts</a> need <img alt="addicts" src="a.png">'
    ' care. Drug &amp; alcohol abuse is common. Drug <em>abuse</em> too.</p>\n'
    '<script>var addicts = "addicts";</script>\n<pre>addicts</pre>\n'
    '<p>He committed suicide.</p>\n</body></html>\n'
)


def test_html_fixes_text_only_and_escapes():
    outcome = fix_bytes("x.html", HTML.encode(), _findings(HTML, "x.html"))
    new = outcome.new_text
    assert_only_spans_changed(HTML, new, outcome.plan.applied)
    assert "<title>Addicts</title>" in new and 'content="help for addicts"' in new
    assert 'class="addicts"' in new and 'href="/addicts" title="addicts"' in new
    assert 'alt="addicts"' in new and 'var addicts = "addicts";' in new
    assert "<pre>addicts</pre>" in new
    assert "<h1 class=\"addicts\">Help for people with addiction</h1>" in new
    assert 'title="addicts">people with addiction</a>' in new
    assert "Drug &amp; alcohol misuse is common." in new
    assert "Drug <em>abuse</em> too." in new
    assert "<p>He died by suicide.</p>" in new


# --- encodings and line endings ------------------------------------------------------------
@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_encoding_and_bom_are_kept(encoding, bom):
    text = "Café notes:\r\nSome addicts relapse — often.\r\n"
    data = bom + text.encode(encoding)
    outcome = fix_bytes("x.md", data, _findings(data))
    assert outcome.error is None and outcome.bom == bool(bom)
    expected = bom + text.replace("addicts", "people with addiction").encode(encoding)
    assert outcome.new_bytes == expected


def test_legacy_single_byte_encoding_round_trips(tmp_path):
    text = ("Les cafés et la santé: some addicts relapse after détox; this paragraph is long "
            "enough for the detector to settle on a single-byte encoding.\n")
    data = text.encode("cp1252")
    outcome = fix_bytes("x.md", data, _findings(data))
    if outcome.error:  # a detector that picks a non-round-tripping codec is refused, not mangled
        assert "round-trip" in outcome.error
    else:
        assert outcome.new_bytes == text.replace("addicts", "people with addiction").encode(
            outcome.encoding)


# --- writing -------------------------------------------------------------------------------
def test_write_fixed_is_atomic_and_keeps_permissions(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"old addicts\n")
    path.chmod(0o640)
    write_fixed(path, b"old addicts\n", "old people with addiction\n", "utf-8", False)
    assert path.read_bytes() == b"old people with addiction\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_write_fixed_never_writes_through_symlinks(tmp_path):
    real = tmp_path / "real.md"
    real.write_bytes(b"addicts\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(fixes.FixError, match="symbolic link"):
        write_fixed(link, b"addicts\n", "people with addiction\n", "utf-8", False)
    assert link.is_symlink() and real.read_bytes() == b"addicts\n"


def test_a_file_changed_before_the_fix_is_not_overwritten(tmp_path):
    path = tmp_path / "a.md"
    original = b"Some addicts relapse.\n"
    path.write_bytes(original)
    snaps = {str(path): Snapshot(str(path), fixes.digest(original))}
    results = lint_text(original, str(path), select=[STIGMA], today=TODAY)
    results.path = str(path)
    path.write_bytes(b"Someone else's edit: addicts.\n")  # a concurrent editor saves
    (outcome,) = fix_results([results], snaps, write=True)
    assert outcome.error and "changed" in outcome.error and not outcome.written
    assert path.read_bytes() == b"Someone else's edit: addicts.\n"


def test_a_file_changed_during_the_write_is_not_overwritten(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    original = b"Some addicts relapse.\n"
    path.write_bytes(original)
    real_fsync = os.fsync

    def racing_fsync(fd):  # the other editor saves between our temp write and the replace
        real_fsync(fd)
        path.write_bytes(b"their edit\n")

    monkeypatch.setattr(fixes.os, "fsync", racing_fsync)
    with pytest.raises(FileChangedError):
        write_fixed(path, original, "Some people with addiction relapse.\n", "utf-8", False)
    assert path.read_bytes() == b"their edit\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temp file left


def test_unified_diff_marks_a_missing_final_newline():
    diff = unified_diff("a\nb addicts", "a\nb people", "d/x.md")
    assert diff.startswith("--- a/d/x.md\n+++ b/d/x.md\n")
    assert "-b addicts\n\\ No newline at end of file\n+b people\n" in diff
    assert unified_diff("same", "same", "x.md") == ""


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 6), st.text(max_size=5)),
                max_size=6))
def test_any_plan_changes_only_its_spans(text, raw):
    found = [Finding("r/x", "m", min(s, len(text)), min(s + n, len(text)), fix=rep)
             for s, n, rep in raw]
    plan = plan_fixes(text, found)
    new = fixes.apply_plan(text, plan)
    assert_only_spans_changed(text, new, plan.applied)
    assert all(a.end <= b.start for a, b in zip(plan.applied, plan.applied[1:], strict=False))


# --- the command line ----------------------------------------------------------------------
ARTICLE = ("# Heroin detox\n\nSome addicts may experience complications.\n"
           "He committed suicide in 2019.\n")


def _check(*args, stdin=None):
    runner = CliRunner()
    return runner.invoke(cli, ["check", "--select", STIGMA, "--today", "2026-11-25", *args],
                         input=stdin, catch_exceptions=False)


def test_cli_fix_writes_reports_and_exits_1(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE)
    result = _check("--fix", str(path))
    assert result.exit_code == 1
    assert f"fixed 2 issue(s) in {path}" in result.stderr
    assert path.read_text() == ARTICLE.replace("addicts", "people with addiction").replace(
        "committed suicide", "died by suicide")
    assert "Stigmatizing" not in result.stdout  # re-linted: nothing left to report
    again = _check("--fix", str(path))
    assert again.exit_code == 0 and "fixed" not in again.stderr


def test_cli_diff_prints_and_writes_nothing(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE)
    result = _check("--diff", str(path))
    assert result.exit_code == 1
    assert "-Some addicts may experience complications.\n" in result.stdout
    assert "+Some people with addiction may experience complications.\n" in result.stdout
    assert "would fix 2 issue(s)" in result.stderr
    assert path.read_text() == ARTICLE


def test_cli_fix_on_stdin_prints_the_fixed_text():
    result = _check("--fix", "--stdin-filename", "in.md", "-", stdin=ARTICLE)
    assert result.stdout == ARTICLE.replace("addicts", "people with addiction").replace(
        "committed suicide", "died by suicide")
    assert "fixed 2 issue(s) in in.md" in result.stderr
    assert result.exit_code == 0


def test_cli_fix_refuses_write_baseline(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE)
    result = CliRunner().invoke(cli, ["check", "--fix", "--write-baseline",
                                      str(tmp_path / "b.json"), str(path)])
    assert result.exit_code == 2 and "--write-baseline" in result.stderr
    assert path.read_text() == ARTICLE


def test_cli_diff_applies_with_patch(tmp_path):
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    path = tmp_path / "a.md"
    path.write_text(ARTICLE)
    result = subprocess.run([sys.executable, "-m", "medlint", "check", "--select", STIGMA,
                             "--diff", "a.md"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    patch = tmp_path / "fix.patch"
    patch.write_text(result.stdout)
    applied = subprocess.run(["patch", "-p1", "-i", str(patch)], cwd=tmp_path,
                             capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert Path(path).read_text().count("people with addiction") == 1


def test_suppressed_findings_are_not_fixed(tmp_path):
    path = tmp_path / "a.md"
    text = ("<!-- medlint-disable-next-line language/stigmatizing-term -->\n"
            "Quoted from a 1990 report: addicts.\n\nSome addicts relapse.\n")
    path.write_text(text)
    result = _check("--fix", str(path))
    assert result.exit_code == 1
    assert path.read_text() == text.replace("Some addicts", "Some people with addiction")


def test_cli_fix_without_fixable_findings_leaves_the_file_alone(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("People with addiction deserve care.\n")
    before = path.stat().st_mtime_ns
    result = _check("--fix", str(path))
    assert result.exit_code == 0 and result.stderr == ""
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize(("source", "path", "target"), [
    ('<p title="addicts">Help</p>\n', "x.html", 'title="addicts"'),
    ("Read [this](https://ex.org/addicts) now.\n", "x.md", "ex.org/addicts"),
    ("Visit https://ex.org/addicts today.\n", "x.txt", "ex.org/addicts"),
    ("Use `addicts` here.\n", "x.md", "`addicts`"),
    ("Text <!-- addicts --> more.\n", "x.md", "<!-- addicts"),
    ("Text <span class=\"addicts\">x</span>.\n", "x.md", 'class="addicts"'),
])
def test_fixes_pointing_into_markup_are_refused(source, path, target):
    start = source.index(target) + target.index("addicts")
    bogus = Finding(STIGMA, "m", start, start + 7, fix="people", data={"match": "addicts"})
    outcome = fix_bytes(path, source.encode(), [bogus])
    assert outcome.new_text == source
    assert outcome.plan.skipped and not outcome.plan.applied
