"""A large tree with every kind of bad file: each file is reported, nothing crashes."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from medlint.cli import cli


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    for i in range(990):
        folder = root / f"section{i % 10}"
        folder.mkdir(exist_ok=True)
        (folder / f"page{i}.md").write_text(f"# Page {i}\n\nSleep helps recovery {i}.\n")
    (root / "binary.md").write_bytes(b"\x00\x01\x02\xff\xfe binary \x00")
    (root / "latin1.md").write_bytes("# Caf\xe9\n\nLe caf\xe9 est tr\xe8s bon, d\xe9j\xe0.\n"
                                     .encode("latin-1"))
    (root / "broken-front-matter.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n")
    (root / "empty.md").write_text("")
    (root / "x.md").mkdir()
    (root / "x.md" / "inside.md").write_text("# Inside\n\nA page inside a folder named x.md.\n")
    (root / "page.html").write_text("<p>An <b>unclosed page")
    (root / "notes.txt").write_text("Plain notes.\n")
    (root / "utf16.md").write_bytes("# UTF-16\n\nText.\n".encode("utf-16"))
    (root / "loop.md").symlink_to(root / "loop.md")
    return root


def test_every_file_reported_with_document_findings(tree):
    result = CliRunner().invoke(cli, ["check", str(tree), "--format", "json",
                                      "--select", "document"], catch_exceptions=False)
    data = json.loads(result.output)
    by_name = {os.path.relpath(f["path"], tree): f for f in data["files"]}
    assert len(by_name) == 990 + 9  # every page, the 8 odd files, x.md/inside.md
    rules = {name: [f["rule"] for f in entry["findings"]] for name, entry in by_name.items()}
    assert rules["binary.md"] == ["document/unreadable"]
    assert rules["latin1.md"] == ["document/encoding"]
    assert rules["broken-front-matter.md"] == ["document/front-matter"]
    assert rules["loop.md"] == ["document/unreadable"]
    assert rules["empty.md"] == [] and rules["utf16.md"] == []
    assert rules[os.path.join("x.md", "inside.md")] == []
    assert sum(len(r) for r in rules.values()) == 4
    assert result.exit_code == 1  # unreadable files are errors


def test_whole_process_no_traceback(tree):
    proc = subprocess.run([sys.executable, "-m", "medlint", "check", str(tree),
                           "--select", "document", "--format", "text"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "4 errors" not in proc.stdout  # encoding is a warning
    assert "3 errors, 1 warning in 999 files" in proc.stdout


def test_unreadable_file(tmp_path, monkeypatch):
    """A permission error (simulated: tests may run as root) becomes a finding."""
    from medlint import fileio

    path = tmp_path / "secret.md"
    path.write_text("x")
    real_read = fileio.read_input

    def read_input(name, *args, **kwargs):
        if name.endswith("secret.md"):
            raise PermissionError(13, "Permission denied", name)
        return real_read(name, *args, **kwargs)

    monkeypatch.setattr(fileio, "read_input", read_input)  # every input is read through it
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    (finding,) = json.loads(result.output)["files"][0]["findings"]
    assert finding["rule"] == "document/unreadable"
    assert "Permission denied" in finding["message"]
    assert result.exit_code == 1
