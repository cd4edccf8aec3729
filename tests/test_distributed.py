"""The Dask engine gives the same results as the single-process engine."""

from __future__ import annotations

import builtins
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from medlint.config import Config
from medlint.engine import Baseline, Engine, FileResult, Source
from medlint.rules import load_rules
from medlint.runcontext import Collector
from tools.sitegen import generate_site


def _flat(results: list[FileResult]) -> list[Any]:
    return [(r.path, r.words, r.metrics, [(f.as_dict(), f.fingerprint) for f in r.findings])
            for r in results]


def _engine(root: Path, sources: list[Source], collector: bool) -> Engine:
    engine = Engine(Config(root=root, today=dt.date(2026, 11, 1)), load_rules())
    if engine.uses_run():
        from medlint.runcontext import collect

        engine.run_factory = Collector(sources) if collector else (lambda: collect(sources))
    return engine


def test_dask_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from medlint import distributed

    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "distributed" or name.startswith(("distributed.", "dask")):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    engine = Engine(Config(), {})
    with pytest.raises(distributed.DaskUnavailable, match=r"pip install 'medlint\[dask\]'"):
        distributed.lint_dask(engine, [Source("x.md", b"# x\n")])
    assert issubclass(distributed.DaskUnavailable, RuntimeError)


@pytest.mark.slow
def test_dask_matches_local(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from medlint.distributed import BatchFailed, lint_dask

    site = tmp_path / "site"
    paths = generate_site(site, 60, seed=11)
    sources = [Source(str(p)) for p in paths]
    sources.insert(5, Source(str(site / "missing.md")))  # unreadable: reported the same way
    sources.insert(9, Source("stdin.md", b"# Notes\n\nStudies prove it cures everything.\n"))

    local_engine = _engine(site, sources, collector=False)
    local = list(local_engine.lint(sources))
    assert sum(len(r.findings) for r in local) > 100  # the site exercises many rules
    assert local_engine.run["sentence_files"]

    # Baseline: drop one finding from each of two pages; applied on the client.
    chosen = [r for r in local if r.findings][:2]
    baseline = Baseline((Path(r.path).as_posix(), r.findings[0].fingerprint) for r in chosen)
    based = _engine(site, sources, collector=False)
    based.baseline = baseline
    expected_with_baseline = _flat(list(based.lint(sources)))

    dask_engine = _engine(site, sources, collector=True)  # first pass on the workers
    dask_engine.baseline = baseline
    got = list(lint_dask(dask_engine, iter(sources), workers=2, batch_size=8,
                         read_on_client=True))
    assert _flat(got) == expected_with_baseline
    assert dask_engine.run == local_engine.run
    assert _flat(got) != _flat(local)  # the baseline did remove something

    # An existing cluster (scheduler address): bytes are read on the client; a batch that
    # fails on a worker raises BatchFailed naming the batch's first path.
    import logging

    import distributed

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        plain = Engine(Config(root=site, today=dt.date(2026, 11, 1)), load_rules())
        some = sources[10:14]
        remote = list(lint_dask(plain, some, scheduler=cluster.scheduler_address))
        assert _flat(remote) == _flat(list(plain.lint(some)))
        bad = [*some, Source("broken.md", 12345)]  # type: ignore[arg-type]
        with pytest.raises(BatchFailed, match=r"batch starting with broken\.md"):
            list(lint_dask(plain, bad, scheduler=cluster.scheduler_address, batch_size=4))


@pytest.mark.slow
def test_audit_reports_identical_with_and_without_dask(tmp_path: Path) -> None:
    """The whole audit (summary JSON and streamed per-page JSONL) through the CLI."""
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    from medlint.cli import cli

    generate_site(tmp_path / "site", 30, seed=3)
    outputs = {}
    for engine in ("local", "dask"):
        args = ["audit", str(tmp_path / "site"), "--engine", engine, "--no-cache",
                "--today", "2026-11-25", "--json", str(tmp_path / f"{engine}.json"),
                "--jsonl", str(tmp_path / f"{engine}.jsonl"), "--csv",
                str(tmp_path / f"{engine}.csv")]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        outputs[engine] = [(tmp_path / f"{engine}.{ext}").read_text(encoding="utf-8")
                           for ext in ("json", "jsonl", "csv")]
    assert outputs["dask"] == outputs["local"]
    assert '"files": 30' in outputs["local"][0]
