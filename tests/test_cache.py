"""The result cache: hits on unchanged files, misses on any change, survives corruption."""

import datetime as dt
import json

from medlint.config import Config
from medlint.engine import Engine, Source
from medlint.engine.cache import ResultCache
from medlint.rules import load_rules
from tests.test_positions import PACKS


def make(tmp_path, today=dt.date(2026, 11, 25)):
    config = Config(select=["language/test-zebra", "document"], extra_packs=[PACKS],
                    today=today)
    engine = Engine(config, load_rules([PACKS]))
    cache = ResultCache(tmp_path / ".medlint_cache", config.as_dict())
    return engine, cache


def run(engine, cache, files, jobs=1):
    return list(engine.lint([Source(str(p)) for p in files], jobs=jobs, cache=cache))


def test_second_run_hits_and_results_are_identical(tmp_path):
    files = []
    for i in range(5):
        path = tmp_path / f"a{i}.md"
        path.write_text(f"Text {i} with a zebra.\n")
        files.append(path)
    engine, cache = make(tmp_path)
    first = run(engine, cache, files)
    assert (cache.hits, cache.misses) == (0, 5)
    engine, cache = make(tmp_path)
    second = run(engine, cache, files)
    assert cache.hits == 5
    assert [r.findings for r in first] == [r.findings for r in second]


def test_changed_content_or_config_misses(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("A zebra.\n")
    engine, cache = make(tmp_path)
    run(engine, cache, [path])
    path.write_text("A zebra!\n")
    engine, cache = make(tmp_path)
    run(engine, cache, [path])
    assert cache.hits == 0
    engine, cache = make(tmp_path, today=dt.date(2027, 1, 1))
    run(engine, cache, [path])
    assert cache.hits == 0


def test_corrupt_entries_are_ignored(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("A zebra.\n")
    engine, cache = make(tmp_path)
    expected = run(engine, cache, [path])
    for entry in (tmp_path / ".medlint_cache").rglob("*.json"):
        entry.write_text("{not json")
    engine, cache = make(tmp_path)
    again = run(engine, cache, [path])
    assert cache.hits == 0 and again[0].findings == expected[0].findings
    entry = next((tmp_path / ".medlint_cache").rglob("*.json"))
    json.loads(entry.read_text().partition("\n")[2])  # rewritten whole, after its HMAC line


def test_parallel_jobs_give_the_same_results_in_order(tmp_path):
    files = []
    for i in range(80):
        path = tmp_path / f"p{i:03}.md"
        path.write_text(("A zebra.\n" if i % 3 == 0 else "A horse.\n") + f"Page {i}.\n")
        files.append(path)
    engine, _ = make(tmp_path)
    serial = run(engine, None, files)
    parallel = run(engine, None, files, jobs=2)
    assert [r.path for r in parallel] == [str(p) for p in files]
    assert [r.findings for r in serial] == [r.findings for r in parallel]
