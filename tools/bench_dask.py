"""Throughput of the Dask engine beside the single-process and fork-pool engines (issue 9).

    python -m tools.bench_dask [--pages 1000] [--words 300] [--workers 2]

Builds a generated site (tools.sitegen, deterministic), then lints it with
every rule of the default configuration, no cache, and times:

- ``Engine.lint(jobs=1)``: one process;
- ``Engine.lint(jobs=2)``: the fork pool;
- ``lint_dask`` with a fresh local cluster of ``--workers`` workers, including cluster start
  and each worker's rule and spaCy load (what ``medlint audit --engine dask`` costs);
- ``lint_dask`` on an already running, warmed-up cluster (``scheduler=``), i.e. excluding
  cluster start: the steady-state rate a long audit approaches.

Each run includes its own run-wide first pass. Prints a markdown table of seconds, pages/s
and words/s, and checks that every engine returned identical results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medlint.config import Config
from medlint.engine import Engine, FileResult, Source
from medlint.rules import load_rules
from medlint.runcontext import Collector
from tools.sitegen import generate_site


def _engine(root: Path, sources: list[Source], registry: Any) -> Engine:
    engine = Engine(Config(root=root, today=dt.date(2026, 11, 1)), registry)
    if engine.uses_run():
        engine.run_factory = Collector(sources)
    return engine


def _flat(results: list[FileResult]) -> list[Any]:
    return [(r.path, r.words, r.metrics, [(f.as_dict(), f.fingerprint) for f in r.findings])
            for r in results]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)
    try:
        import distributed
    except ImportError:
        print("bench_dask: dask.distributed is not installed: pip install 'medlint[dask]'",
              file=sys.stderr)
        return 2
    from medlint.distributed import lint_dask

    registry = load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        paths = generate_site(root, args.pages, seed=0, words=args.words)
        sources = [Source(str(p)) for p in paths]
        print(f"generated {len(paths)} pages in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)

        rows: list[tuple[str, float, list[FileResult]]] = []

        def timed(name: str, run: Callable[[Engine], list[FileResult]]) -> None:
            engine = _engine(root, sources, registry)
            start = time.perf_counter()
            results = run(engine)
            rows.append((name, time.perf_counter() - start, results))
            print(f"{name}: {rows[-1][1]:.1f} s", file=sys.stderr)

        timed("single process (jobs=1)", lambda e: list(e.lint(sources, jobs=1)))
        timed("fork pool (jobs=2)", lambda e: list(e.lint(sources, jobs=2)))
        timed(f"dask, {args.workers} local workers, incl. cluster start",
              lambda e: list(lint_dask(e, sources, workers=args.workers,
                                       batch_size=args.batch_size)))
        with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                      processes=True, dashboard_address=None,
                                      silence_logs=logging.ERROR) as cluster:
            address = cluster.scheduler_address
            warm = _engine(root, sources, registry)
            list(lint_dask(warm, sources[: args.workers * 2], scheduler=address,
                           batch_size=1, read_on_client=False))  # load rules and spaCy
            timed(f"dask, {args.workers} workers, running cluster",
                  lambda e: list(lint_dask(e, sources, scheduler=address,
                                           batch_size=args.batch_size,
                                           read_on_client=False)))

    words = sum(r.words for r in rows[0][2])
    reference = _flat(rows[0][2])
    print(f"\n{args.pages} pages, {words:,} words, all default rules, no cache "
          f"(batch size {args.batch_size})\n")
    print("| engine | seconds | pages/s | words/s | identical |")
    print("|---|---:|---:|---:|---|")
    for name, seconds, results in rows:
        same = "yes" if _flat(results) == reference else "NO"
        print(f"| {name} | {seconds:.1f} | {len(results) / seconds:.1f} | "
              f"{words / seconds:,.0f} | {same} |")
    return 0 if all(_flat(r) == reference for _, _, r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
