"""Issue 20, items 7-14: hostile inputs through the ``medlint`` command on generated trees.
Each test fails on c563d11 (a hang, a traceback or the wrong exit status)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ENV = {**os.environ, "MEDLINT_TODAY": "2024-06-01"}


def medlint(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "medlint", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd, env=env or ENV,
                          errors="surrogateescape")


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]


def test_7_pathological_documents_finish_in_seconds(tmp_path: Path) -> None:
    """Runs of symbols without a space cost spaCy's tokenizer cubic time, and markup-dense
    paragraphs cost markdown-it seconds per paragraph: each file here took from 10 s to
    hours before, and the whole run must now take seconds."""
    files = {
        "emoji.md": "😀" * 40_000,
        "stars.md": "*_" * 500_000,
        "brackets.md": "[" * 200_000,
        "entities.md": "&amp;" * 1_000_000,
        "symbols.txt": "*_" * 40_000,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    start = time.monotonic()
    proc = medlint("check", str(tmp_path), "--no-cache", "-f", "json",
                   "--select", "readability/long-sentence,language/pseudo-science")
    elapsed = time.monotonic() - start
    no_traceback(proc)
    assert proc.returncode in (0, 1), proc.stderr
    checked = {Path(f["path"]).name for f in json.loads(proc.stdout)["files"]}
    assert checked == set(files)
    assert elapsed < 25, elapsed


def _alias_bomb(levels: int) -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels + 1):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9)
                     + "]")
    return "\n".join(lines) + "\nrules: []\n"


def test_8_alias_bomb_in_an_extra_pack_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "bomb.yaml").write_text(_alias_bomb(8), encoding="utf-8")
    (tmp_path / ".medlint.toml").write_text('extra-packs = ["packs"]\n', encoding="utf-8")
    (tmp_path / "page.md").write_text("# Page\n\nText.\n", encoding="utf-8")
    start = time.monotonic()
    proc = medlint("check", str(tmp_path / "page.md"), "--no-cache")
    assert time.monotonic() - start < 10
    no_traceback(proc)
    assert proc.returncode == 2
    assert "alias" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_9_impossible_dates_are_findings(tmp_path: Path) -> None:
    for name, date in (("feb.md", "2020-02-30"), ("month.md", "2020-13-45")):
        (tmp_path / name).write_text(f"---\ntitle: A page\nreviewed: {date}\n---\n\n"
                                     "# A page\n\nSome text.\n", encoding="utf-8")
    proc = medlint("check", str(tmp_path), "--no-cache", "-f", "json",
                   "--select", "attribution")
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    for entry in json.loads(proc.stdout)["files"]:
        rules = [f["rule"] for f in entry["findings"]]
        assert "attribution/invalid-review-date" in rules, entry


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_10_non_utf8_file_names_in_every_format(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with open(os.path.join(os.fsencode(site), b"bad\xff\xfename.md"), "wb") as fh:
        fh.write(b"# Title\n\nThis pill cures cancer, guaranteed.\n")
    for fmt in ("text", "json", "sarif", "github"):
        out = tmp_path / f"report.{fmt}"
        proc = medlint("check", str(site), "--no-cache", "-f", fmt, "-o", str(out),
                       "--select", "claims/absolute-language")
        no_traceback(proc)
        assert proc.returncode in (0, 1), (fmt, proc.stderr)
        report = out.read_text(encoding="utf-8")
        assert "xff" in report and "xfename.md" in report, fmt  # escaped as the format wants
    proc = medlint("audit", str(site), "--no-cache", "--no-progress",
                   "--html", str(tmp_path / "a.html"), "--csv", str(tmp_path / "a.csv"),
                   "--json", str(tmp_path / "a.json"), "--jsonl", str(tmp_path / "a.jsonl"),
                   "--select", "claims/absolute-language")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert "bad\\\\xff\\\\xfename.md" in (tmp_path / "a.jsonl").read_text(encoding="utf-8")


def test_11_audit_reports_a_missing_model_cleanly(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("# Page\n\nText here.\n", encoding="utf-8")
    proc = medlint("audit", str(tmp_path), "--no-cache", "--no-progress",
                   "--model", "no_such_model_pkg", "--json", str(tmp_path / "out.json"),
                   "--select", "readability/passive-voice")
    no_traceback(proc)
    assert proc.returncode == 2
    assert "no_such_model_pkg" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [
    '{"findings":[{"path":["a"],"fingerprint":"x"}]}',
    "[" * 100_000,
    '{"version": 2, "files": {"a.md": ["x"]}}',
    '{"version": 2, "files": {"a.md": {"spam/x": [1, {"k": 2}]}}}',
    "[1, 2]",
])
def test_12_malformed_baselines(tmp_path: Path, content: str) -> None:
    (tmp_path / "page.md").write_text("# Page\n\nText.\n", encoding="utf-8")
    (tmp_path / "base.json").write_text(content, encoding="utf-8")
    proc = medlint("check", str(tmp_path / "page.md"), "--no-cache", "--baseline",
                   str(tmp_path / "base.json"), "--select", "attribution/missing-author")
    no_traceback(proc)
    assert proc.returncode == 2
    assert "not a medlint baseline" in proc.stderr


def test_13_an_internal_error_exits_3_with_one_line_and_a_log(tmp_path: Path) -> None:
    """A bug (here a reporter that raises) is neither 'findings' (1) nor misuse (2)."""
    (tmp_path / "page.md").write_text("# Page\n\nText.\n", encoding="utf-8")
    logs = tmp_path / "tmp"
    logs.mkdir()
    code = ("import sys, medlint.reporters.text as t\n"
            "def broken(run, out):\n    raise RuntimeError('boom\\nsecond line')\n"
            "t.report = broken\n"
            "sys.argv = ['medlint', *sys.argv[1:]]\n"
            "from medlint.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code, "check", str(tmp_path / "page.md"),
                           "--no-cache"], capture_output=True, text=True, timeout=60,
                          env={**ENV, "TMPDIR": str(logs)})
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error" in lines[0] and "boom\\x0asecond" in lines[0]
    (log,) = logs.glob("medlint-crash-*.log")
    assert str(log) in lines[0]
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_14_text_output_cannot_drive_a_terminal_or_a_workflow(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    text = "# Title\n\nThis pill cures cancer \x1b]0;TITLE\x07\x1b[2J guaranteed.\n"
    (site / "::error title=x::Fake.md").write_text(text, encoding="utf-8")
    (site / "new\n::warning::line.md").write_text(text, encoding="utf-8")
    proc = medlint("check", ".", "--no-cache", "--select", "claims/absolute-language",
                   cwd=site)
    no_traceback(proc)
    assert proc.returncode in (0, 1), proc.stderr
    out = proc.stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;TITLE\\x07\\x1b[2J" in out
    assert "new\\x0a::warning::line.md" in out
    for line in out.splitlines():
        assert not line.lstrip().startswith("::"), line
    assert out.count("claims/absolute-language") == 2
