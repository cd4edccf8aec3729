"""Size and headless load time of the audit report of a generated site.

    python -m tools.bench_audit [--pages 10000] [--work DIR] [--relint]

Linting thousands of pages is the slow part, so the lint result is cached as the audit's
JSONL stream (``pages.jsonl``) plus the JSON summary in ``--work``; a second run re-renders
the HTML from the cached summary and re-measures it without linting again. Prints numbers:
pages, lint seconds, HTML bytes, and the time from starting headless Chromium to a written
screenshot (targets: HTML < 10 MB, load-to-screenshot < 10 s).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-11-25"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars")


def lint(site: Path, work: Path, pages: int) -> float:
    """Generates the site and runs ``medlint audit`` on it once; returns the seconds."""
    from tools.sitegen import generate_site

    if not site.is_dir() or sum(1 for _ in site.rglob("*.*")) < pages:
        shutil.rmtree(site, ignore_errors=True)
        generate_site(site, pages, seed=7)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "medlint", "audit", str(site), "--today", TODAY,
                    "--no-progress", "--json", str(work / "audit.json"),
                    "--jsonl", str(work / "pages.jsonl"), "--html", str(work / "audit.html")],
                   check=True)
    return time.perf_counter() - start


def load_time(browser: str, report: Path, width: int) -> float:
    """Seconds from starting the browser to its screenshot of the report at ``width`` px."""
    with tempfile.TemporaryDirectory() as profile:
        shot = Path(profile) / "shot.png"
        start = time.perf_counter()
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}/p",
                        f"--screenshot={shot}", f"--window-size={width},2400",
                        report.as_uri()], capture_output=True, timeout=120, check=True)
        took = time.perf_counter() - start
        if not shot.is_file():
            raise SystemExit("the browser wrote no screenshot")
    return took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--work", type=Path, default=None,
                    help="cache folder (default /tmp/medlint-bench-audit-PAGES)")
    ap.add_argument("--relint", action="store_true", help="lint again even when cached")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.gettempdir()) / f"medlint-bench-audit-{args.pages}"
    work.mkdir(parents=True, exist_ok=True)
    cached = (work / "audit.json").is_file() and (work / "pages.jsonl").is_file()
    if args.relint or not cached:
        seconds = lint(work / "site", work, args.pages)
        print(f"lint: {args.pages:,} pages in {seconds:.1f} s")
    else:
        print(f"lint: cached in {work}")
    from medlint import __version__
    from medlint.audit.render import render_html

    summary = json.loads((work / "audit.json").read_text(encoding="utf-8"))
    start = time.perf_counter()
    html = render_html(summary, "medlint site audit", "bench", [str(work / "site")],
                       __version__)
    render = time.perf_counter() - start
    report = work / "audit.html"
    report.write_text(html, encoding="utf-8")
    size = report.stat().st_size
    print(f"pages: {summary['site']['files']:,}  findings: {summary['site']['findings']:,}")
    print(f"render: {render:.2f} s  html: {size:,} bytes ({size / 1e6:.2f} MB; target < 10 MB)")
    browser = next((b for b in ("chromium", "chromium-browser", "google-chrome")
                    if shutil.which(b)), None)
    if browser is None:
        print("load: no headless browser found")
        return 1
    for width in (1400, 390):
        print(f"load-to-screenshot at {width} px: {load_time(browser, report, width):.2f} s "
              "(target < 10 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
