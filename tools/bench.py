"""Speed and memory benchmark for medlint (issue 8), with proselint side by side.

    python -m tools.bench [--sizes 1 100 1000] [--memory-files 10000] [--skip-big]

Builds a realistic site from the articles in corpus/ (pages of about 1,000 words made by
stitching our own corpus paragraphs together, deterministic), then times whole-process runs
(process start to exit) of `medlint check`, cold (empty cache) and warm (unchanged files, cache
kept), and of `proselint check` on the same files. Prints a markdown table with seconds and
words per second, then the single-file end-to-end time for a 1,500-word article, peak memory
at --memory-files files, and the time for 1 MB and 5 MB single articles (linear scaling).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def paragraphs() -> list[str]:
    """Paragraphs of our own corpus articles (front matter and headings dropped)."""
    found: list[str] = []
    for path in sorted(CORPUS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        for para in re.split(r"\n\s*\n", text):
            para = para.strip()
            if len(para.split()) >= 25 and not para.startswith(("#", "|", "```", "<")):
                found.append(para)
    if not found:
        sys.exit("corpus/ has no articles to build the benchmark site from")
    return found


def article(rng: random.Random, paras: list[str], words: int, index: int) -> str:
    out = [f"---\ntitle: Benchmark page {index}\n---\n\n# Benchmark page {index}\n"]
    count = 0
    section = 0
    while count < words:
        if count // 250 > section:
            section = count // 250
            out.append(f"## Part {section}\n")
        para = rng.choice(paras)
        out.append(para + "\n")
        count += len(para.split())
    return "\n".join(out)


def build_site(folder: Path, files: int, words: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    paras = paragraphs()
    total = 0
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        text = article(rng, paras, words, i)
        (folder / f"page-{i:05}.md").write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of a whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:3])} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) // 1024


def medlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "medlint", "check", *args]


def proselint_cmd(files: list[Path]) -> list[str] | None:
    exe = shutil.which("proselint") or str(Path(sys.executable).parent / "proselint")
    if not Path(exe).exists():
        return None
    return [exe, "check", *map(str, files)]


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in task.read_text().split()]
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def peak_memory_of(cmd: list[str], cwd: Path) -> tuple[int, str]:
    """Peak memory in MB of a whole process tree: the sum of proportional set sizes (shared
    pages split between the processes sharing them, so forked workers are not counted twice),
    sampled every 0.1 s from /proc; GNU time's largest single process elsewhere."""
    if Path("/proc/self/smaps_rollup").exists():
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
            time.sleep(0.1)
        return peak // 1024, "sum of PSS over the process tree, sampled every 0.1 s"
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if Path(gnu_time).exists():
        run = subprocess.run([gnu_time, "-f", "%M", *cmd], cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        last = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
        if last.isdigit():
            return int(last) // 1024, "largest single process (GNU time)"
    return timed(cmd, cwd)[1], "this process's children (getrusage)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--memory-files", type=int, default=10000)
    parser.add_argument("--skip-big", action="store_true", help="skip the 1 MB / 5 MB articles")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="medlint-bench-"))
    try:
        print("| files | words | medlint cold (s) | words/s | medlint warm (s) | "
              "warm/cold | proselint (s) | words/s |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in args.sizes:
            site = work / f"site-{n}"
            words = build_site(site, n, args.words)
            cache = work / f"cache-{n}"
            cold, _ = timed(medlint(str(site), "--cache-dir", str(cache)), work)
            warm, _ = timed(medlint(str(site), "--cache-dir", str(cache)), work)
            pl = proselint_cmd(sorted(site.glob("*.md")))
            pl_time = timed(pl, work)[0] if pl else float("nan")
            print(f"| {n} | {words} | {cold:.2f} | {words / cold:,.0f} | {warm:.2f} | "
                  f"{warm / cold:.0%} | {pl_time:.2f} | {words / pl_time:,.0f} |")
        single = work / "single"
        build_site(single, 1, 1500, seed=11)
        one = min(timed(medlint(str(next(single.glob("*.md"))), "--no-cache"), work)[0]
                  for _ in range(3))
        print(f"\nOne 1,500-word file, process start to exit (best of 3): {one:.2f} s")
        if args.memory_files:
            many = work / "many"
            build_site(many, args.memory_files, 300, seed=3)
            peak, how = peak_memory_of(medlint(str(many), "--no-cache"), work)
            print(f"Peak memory at {args.memory_files} files: {peak} MB ({how})")
        if not args.skip_big:
            for megabytes in (1, 5):
                big = work / f"big-{megabytes}"
                big.mkdir()
                rng = random.Random(megabytes)
                paras = paragraphs()
                text = article(rng, paras, megabytes * 170_000, 0)
                (big / "big.md").write_text(text, encoding="utf-8")
                seconds = timed(medlint(str(big / "big.md"), "--no-cache"), work)[0]
                print(f"{megabytes} MB article ({len(text.split()):,} words): {seconds:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
