"""The synthetic site generator: deterministic, varied, and with its defects present."""

from __future__ import annotations

import json
from pathlib import Path

from tools.sitegen import BOILERPLATE, generate_site, write_jsonl


def _snapshot(folder: Path, paths: list[Path]) -> list[tuple[str, str]]:
    return [(p.relative_to(folder).as_posix(), p.read_text(encoding="utf-8")) for p in paths]


def test_same_seed_same_site(tmp_path: Path) -> None:
    a = generate_site(tmp_path / "a", 40, seed=7)
    b = generate_site(tmp_path / "b", 40, seed=7)
    assert _snapshot(tmp_path / "a", a) == _snapshot(tmp_path / "b", b)


def test_other_seed_other_site(tmp_path: Path) -> None:
    a = generate_site(tmp_path / "a", 20, seed=1)
    b = generate_site(tmp_path / "b", 20, seed=2)
    assert _snapshot(tmp_path / "a", a) != _snapshot(tmp_path / "b", b)


def test_site_shape(tmp_path: Path) -> None:
    paths = generate_site(tmp_path, 200, seed=3, words=250)
    assert len(paths) == len(set(paths)) == 200
    assert all(p.is_file() for p in paths)
    html = [p for p in paths if p.suffix == ".html"]
    assert 5 <= len(html) <= 40  # about one in ten
    texts = [p.read_text(encoding="utf-8") for p in paths]
    words = [len(t.split()) for t in texts]
    assert min(words) > 150 and max(words) < 700
    md = [t for p, t in zip(paths, texts, strict=True) if p.suffix == ".md"]
    assert all(t.startswith("---\ntitle: ") for t in md)
    reviewed = sum("reviewer:" in t for t in md)
    assert 0.4 * len(md) < reviewed < 0.95 * len(md)
    boiler = sum(BOILERPLATE in t for t in texts)
    assert 5 <= boiler <= 40
    assert any("cdc.gov" in t for t in texts)
    assert any("/health/" in t.split("---", 2)[2] for t in md)  # a pasted anchor link


def test_few_shared_sentences(tmp_path: Path) -> None:
    """Pages share little text besides the planted boilerplate, as on a real site."""
    from medlint.engine import Source
    from medlint.runcontext import collect

    paths = generate_site(tmp_path, 150, seed=4)
    shared = collect(Source(str(p)) for p in paths)["sentence_files"]
    widespread = [k for k, files in shared.items() if len(files) >= 3]
    assert len(widespread) < 40


def test_write_jsonl(tmp_path: Path) -> None:
    paths = generate_site(tmp_path / "site", 5, seed=0)
    out = tmp_path / "site.jsonl"
    assert write_jsonl(paths, out, tmp_path / "site") == 5
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["path"] for r in records] == [
        p.relative_to(tmp_path / "site").as_posix() for p in paths]
    assert records[0]["text"] == paths[0].read_text(encoding="utf-8")
