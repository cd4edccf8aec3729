"""Issue #20 benchmark: a tree holding every hostile file of items 1-6 plus 1,000 ordinary
small pages, run through ``check``, ``check --fix`` and ``audit`` with ``--jobs 2``.

Prints, per command: seconds, exit status, ordinary files reported, whether anything outside
the tree changed, whether a traceback appeared, and peak memory summed over the process tree
(RSS of medlint and its workers, sampled every 50 ms from /proc; Linux only).

    python -m tools.bench_hostile [--files 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = ("# Page {i}\n\nSome addicts relapse after detox, and recovery takes time. "
        "Talk to your doctor about treatment options for page {i}.\n")


def build(base: Path, files: int) -> tuple[Path, Path]:
    """The tree and a folder outside it that hostile links point at."""
    repo, outside = base / "repo", base / "outside"
    repo.mkdir()
    outside.mkdir()
    (outside / "victim.md").write_text(PAGE.format(i="victim"))
    (outside / "victim.md").chmod(0o444)
    (outside / "passwd.txt").write_text("root:x:0:0:outside-secret:/root:/bin/sh\n")
    (repo / "link.md").symlink_to(outside / "victim.md")
    (repo / "passwd.txt").symlink_to(outside / "passwd.txt")
    (repo / "zero.md").symlink_to("/dev/zero")
    if hasattr(os, "mkfifo"):
        os.mkfifo(repo / "fifo.md")
    (repo / "hard.md").write_text(PAGE.format(i="hard"))
    os.link(repo / "hard.md", outside / "hard-other.md")
    (repo / "ro.md").write_text(PAGE.format(i="ro"))
    (repo / "ro.md").chmod(0o444)
    cache = repo / ".medlint_cache"
    cache.mkdir()
    (cache / ".gitignore").symlink_to(outside / "new_file")
    (repo / "sub").mkdir()
    (repo / "sub" / ".medlint_cache").symlink_to(outside)
    (repo / "big.md").write_bytes(b"word " * (3 * 1024 * 1024))  # 15 MB: above the limit
    pages = repo / "pages"
    pages.mkdir()
    for i in range(files):
        (pages / f"p{i:04}.md").write_text(PAGE.format(i=i))
    return repo, outside


def outside_state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_mode, p.stat().st_nlink, p.read_bytes())
            for p in sorted(folder.iterdir()) if p.is_file()}


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str, str, int]:
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "medlint", *args], cwd=cwd, env=env,
                                stdout=out, stderr=err)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        return (time.monotonic() - started, proc.returncode,
                out.read().decode(errors="replace"), err.read().decode(errors="replace"), peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="build the tree here and keep it")
    opts = parser.parse_args()
    base = opts.keep or Path(tempfile.mkdtemp(prefix="medlint-hostile-"))
    base.mkdir(parents=True, exist_ok=True)
    repo, outside = build(base, opts.files)
    env = dict(os.environ, XDG_CACHE_HOME=str(base / "usercache"))
    env.pop("MEDLINT_CACHE_DIR", None)
    before = outside_state(outside)
    commands = {
        "check": ["check", ".", "--jobs", "2", "--format", "json", "-o", "../check.json"],
        "check --fix": ["check", ".", "--jobs", "2", "--fix", "--format", "json",
                        "-o", "../fix.json"],
        "audit": ["audit", ".", "--jobs", "2", "--json", "../audit.json", "--no-progress"],
    }
    worst = 0
    for name, args in commands.items():
        seconds, rc, _out, err, peak = run(args, repo, env)
        worst = max(worst, peak)
        report = base / args[args.index("-o") + 1 if "-o" in args else
                              args.index("--json") + 1].removeprefix("../")
        try:
            data = json.loads(report.read_text())
            if "files" in data:
                paths = {f["path"] for f in data["files"]}
            else:
                paths = {p["path"] for p in data.get("pages", [])}
            ordinary = sum(1 for p in paths if "pages" in Path(p).parts)
            leaked = "outside-secret" in report.read_text()
        except (OSError, ValueError):
            ordinary, leaked = -1, False
        reported = ordinary if "files" in data else f"{data.get('site', {}).get('files')} (site)"
        print(f"{name:12} {seconds:6.1f} s  rc {rc}  ordinary files reported {reported}"
              f"/{opts.files}  traceback {'Traceback' in err}  outside text in report "
              f"{leaked}  peak RSS (tree) {peak / 2**20:.0f} MB")
    after = outside_state(outside)
    extra = sorted(set(os.listdir(outside)) - set(before))
    print(f"outside the tree unchanged: {after == before and not extra}"
          + (f" (new: {extra})" if extra else ""))
    print(f"peak memory over the process tree, worst command: {worst / 2**20:.0f} MB "
          f"({'under' if worst < 2**30 else 'OVER'} 1 GB)")
    if opts.keep is None:
        for p in (repo / "ro.md", outside / "victim.md"):
            p.chmod(0o644)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
