"""JSONL input for audits of large exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from medlint.jsonl import read_sources


def test_reads_records_in_order(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"path": "a.md", "text": "Café au lait.\n"}) + "\n\n   \n"
                 + json.dumps({"path": "b/c.html", "text": "<p>x</p>", "extra": 1}) + "\n",
                 encoding="utf-8")
    sources = list(read_sources(f))
    assert [s.path for s in sources] == ["a.md", "b/c.html"]
    assert sources[0].data == "Café au lait.\n".encode()
    assert list(read_sources(str(f)))[1].data == b"<p>x</p>"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"path": "x.md", "text": "hi"}\n'))
    assert [s.path for s in read_sources("-")] == ["x.md"]


@pytest.mark.parametrize(("line", "reason"), [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"text": "t"}', 'missing "path"'),
    ('{"path": "p"}', 'missing "text"'),
    ('{"path": 3, "text": "t"}', '"path" must be a string'),
    ('{"path": "p", "text": null}', '"text" must be a string'),
    ('{"path": "", "text": "t"}', '"path" is empty'),
])
def test_bad_line_names_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{"path": "ok.md", "text": "fine"}\n\n' + line + "\n", encoding="utf-8")
    it = read_sources(f)
    assert next(it).path == "ok.md"
    with pytest.raises(ValueError, match=rf"^{f}:3: .*{reason}"):
        next(it)


def test_sources_lint_like_files(tmp_path: Path) -> None:
    """A JSONL record lints exactly like the same text read from disk under that path."""
    from medlint.config import Config
    from medlint.engine import Engine, Source
    from medlint.rules import load_rules

    text = "# Iron\n\nStudies show that iron tablets cure tiredness and are 100% safe.\n"
    page = tmp_path / "iron.md"
    page.write_text(text, encoding="utf-8")
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"path": str(page), "text": text}) + "\n", encoding="utf-8")
    engine = Engine(Config(root=tmp_path, select=["claims"]), load_rules())
    from_jsonl = [r.as_dict() for x in engine.lint(read_sources(f)) for r in x.findings]
    from_disk = [r.as_dict() for x in engine.lint([Source(str(page))]) for r in x.findings]
    assert from_jsonl == from_disk and from_jsonl
