"""Hostile input: every file gets a finding or a clear message; no traceback, no hang."""

import json
import os
import subprocess
import sys

import pytest

ALIAS_BOMB = """---
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
---

Body text.
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    files = {
        "binary.md": b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4,
        "invalid-utf8.md": b"Caf\xc3 au lait \xff\xfe broken \xc0\xaf sequences.\n" * 20,
        "utf16.md": "# Title\n\nUTF-16 text with a BOM.\n".encode("utf-16"),
        "empty.md": b"",
        "long-line.md": b"a" * (20 * 1024 * 1024),
        "nested-lists.md": ("- " * 10_000 + "item\n" + "1. " * 10_000 + "x\n").encode(),
        "nested-quotes.md": (">" * 10_000 + " deep\n").encode(),
        "huge-front-matter.md": ("---\n" + "key: value\n" * 50_000 + "---\n\nBody.\n").encode(),
        "malformed-front-matter.md": b"---\n: : :\n  - [\n---\nBody.\n",
        "alias-bomb.md": ALIAS_BOMB.encode(),
        "unclosed.html": b"<html><body><p>one <b>two <i>three <script>while(1){}"
                         b"</scr ipt><div><p>four",
        "script-heavy.html": b"<script>" + b"var x = '<p>';" * 10_000 + b"</script><p>Hi.</p>",
        "deep.html": b"<div>" * 20_000 + b"text" + b"</div>" * 20_000,
        "ok.md": b"# Fine\n\nA normal page.\n",
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "x.md").mkdir()
    (root / "loop.md").symlink_to(root / "loop.md")
    return root


def test_hostile_tree_completes_without_traceback(hostile):
    proc = subprocess.run(
        [sys.executable, "-m", "medlint", "check", str(hostile), "--format", "json"],
        capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    by_name = {os.path.basename(f["path"]): [x["rule"] for x in f["findings"]]
               for f in data["files"]}
    assert "x.md" not in by_name  # a folder, not a file
    assert "document/unreadable" in by_name["binary.md"]
    assert "document/unreadable" in by_name["loop.md"]
    assert "document/encoding" in by_name["invalid-utf8.md"] or \
        "document/unreadable" in by_name["invalid-utf8.md"]
    assert "document/front-matter" in by_name["alias-bomb.md"]
    assert "document/front-matter" in by_name["huge-front-matter.md"]
    assert "document/front-matter" in by_name["malformed-front-matter.md"]
    for name in ("utf16.md", "empty.md", "long-line.md", "nested-lists.md", "nested-quotes.md",
                 "unclosed.html", "script-heavy.html", "deep.html", "ok.md"):
        assert name in by_name
        assert "document/unreadable" not in by_name[name]
        assert "document/rule-error" not in by_name[name], name


def test_hostile_tree_audit_completes(hostile, tmp_path):
    """The whole-site audit reads the same hostile tree into a report without a traceback."""
    report, summary = tmp_path / "audit.html", tmp_path / "audit.json"
    proc = subprocess.run(
        [sys.executable, "-m", "medlint", "audit", str(hostile), "--html", str(report),
         "--json", str(summary), "--no-cache", "--no-progress"],
        capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["site"]["files"] >= 14
    assert "<script>while(1)" not in report.read_text(encoding="utf-8")
