"""Baselines: paths relative to the baseline file's folder, a warning when one matches
nothing, quiet output when nothing is new, a compact file, and the old format still read."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.cli import cli
from medlint.engine import Baseline, FileResult
from medlint.engine.baseline import _fingerprint
from tests.test_cli import ZEBRA_CONFIG


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "articles").mkdir(parents=True)
    (root / ".medlint.toml").write_text(ZEBRA_CONFIG)
    (root / "articles" / "a.md").write_text("# Zoo\n\nA zebra, another zebra.\n")
    (root / "articles" / "b.md").write_text("# Horses\n\nA horse and a zebra.\n")
    (root / "elsewhere").mkdir()
    return root


def test_written_from_one_folder_matches_from_another(site, monkeypatch):
    monkeypatch.chdir(site)
    assert run(["check", "articles", "--write-baseline", "base.json"]).exit_code == 0
    monkeypatch.chdir(site / "elsewhere")
    result = run(["check", "../articles", "--baseline", "../base.json", "--fail-on", "warning"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(site.parent)
    result = run(["check", str(site / "articles" / "a.md"), "--baseline",
                  str(site / "base.json"), "--fail-on", "warning"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_new_findings_still_reported_with_repeats_counted(site, monkeypatch):
    monkeypatch.chdir(site)
    run(["check", "articles", "--write-baseline", "base.json"])
    (site / "articles" / "a.md").write_text("# Zoo\n\nA zebra, another zebra, a third zebra.\n")
    result = run(["check", "articles", "--baseline", "base.json", "--fail-on", "warning"])
    assert result.exit_code == 1
    assert "articles/a.md:3:33: warning language/test-zebra" in result.output
    assert "1 warning in 2 files" in result.output


def test_file_is_compact_and_relative_to_its_folder(site, monkeypatch):
    monkeypatch.chdir(site / "elsewhere")
    run(["check", str(site / "articles"), "--write-baseline", str(site / "base.json")])
    text = (site / "base.json").read_text()
    data = json.loads(text)
    assert data["version"] == 2
    assert set(data["files"]) == {"articles/a.md", "articles/b.md"}
    keys = data["files"]["articles/a.md"]["language/test-zebra"]
    assert len(keys) == 2 and len(set(keys)) == 2  # the two zebras are told apart
    assert "zebra" not in text.replace("test-zebra", "")  # no excerpts stored
    assert len(text.splitlines()) == 4  # one line per file


def test_nothing_new_prints_no_per_file_lines(site, monkeypatch):
    monkeypatch.chdir(site)
    (site / ".medlint.toml").write_text(ZEBRA_CONFIG.replace(
        'select = ["language/test-zebra"]', 'select = ["language/test-zebra", "readability"]'))
    run(["check", "articles", "--write-baseline", "base.json"])
    result = run(["check", "articles", "--baseline", "base.json"])
    assert result.exit_code == 0
    assert re.fullmatch(r"no findings in 2 files \(\d+ words checked\)", result.stdout.strip())


def test_warns_when_the_baseline_matches_nothing(site, monkeypatch):
    monkeypatch.chdir(site)
    run(["check", "articles", "--write-baseline", "base.json"])
    moved = site / "elsewhere" / "base.json"
    (site / "base.json").rename(moved)  # its paths now point into elsewhere/articles
    result = run(["check", "articles", "--baseline", str(moved), "--fail-on", "warning"])
    assert result.exit_code == 1
    assert "medlint: warning: baseline" in result.stderr
    assert "matched nothing" in result.stderr and str(moved.parent) in result.stderr
    assert "warning:" not in result.stdout  # not a finding


def test_a_new_page_outside_the_baseline_is_not_warned(site, monkeypatch):
    monkeypatch.chdir(site)
    run(["check", "articles", "--write-baseline", "base.json"])
    (site / "articles" / "new.md").write_text("# New\n\nA zebra.\n")
    result = run(["check", "articles/new.md", "--baseline", "base.json", "--fail-on",
                  "warning"])
    assert result.exit_code == 1 and result.stderr == ""


def test_old_format_is_still_read(site, monkeypatch):
    monkeypatch.chdir(site)
    path = "articles/b.md"
    old = {"version": 1, "findings": [{
        "path": path, "rule": "language/test-zebra", "excerpt": "zebra",
        "fingerprint": _fingerprint("language/test-zebra", path, "zebra")}]}
    (site / "old.json").write_text(json.dumps(old))
    result = run(["check", path, "--baseline", "old.json", "--fail-on", "warning"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(site / "elsewhere")  # old paths are relative to where it was written
    result = run(["check", "../articles/b.md", "--baseline", "../old.json"])
    assert "old format" in result.stderr


def test_unknown_version_is_a_usage_error(site):
    (site / "base.json").write_text('{"version": 7, "files": {}}')
    result = run(["check", str(site / "articles"), "--baseline", str(site / "base.json")])
    assert result.exit_code == 2 and "not a medlint baseline" in result.output


def test_counts_add_up_without_the_command_line(tmp_path):
    base = Baseline(files={"a.md": {"r/x": []}}, folder=tmp_path, name="b.json")
    assert base.filter(FileResult(str(tmp_path / "a.md"))) == []
    assert (base.checked, base.named, base.matched) == (1, 1, 0)
    assert base.unmatched_warning() is None  # its file was checked: nothing left to match
    assert Path(base.name).name == "b.json"
