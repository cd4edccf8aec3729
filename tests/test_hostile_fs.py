"""Issue #20 items 1-6 through the ``medlint`` command on generated trees: a repository
cannot make medlint write or read outside it, trust planted cache entries, hang on special
files, or hang when a worker dies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SELECT = ["--select", "document,language/stigmatizing-term", "--model", "blank"]
PAGE = "# Recovery\n\nSome addicts relapse after detox.\n"


def medlint(*args: str, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "medlint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc


def user_env(tmp_path: Path) -> dict[str, str]:
    """A user whose cache folder is known and who has no MEDLINT_CACHE_DIR set."""
    env = {k: v for k, v in os.environ.items() if k != "MEDLINT_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "usercache")
    return env


def by_name(stdout: str) -> dict[str, list[dict]]:
    return {os.path.basename(f["path"]): f["findings"] for f in json.loads(stdout)["files"]}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mode)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    outside, repo = tmp_path / "outside", tmp_path / "repo"
    outside.mkdir()
    repo.mkdir()
    return repo, outside


def test_1_fix_never_writes_through_links_read_only_or_hard_linked_files(tree):
    repo, outside = tree
    victim = outside / "victim.md"
    victim.write_text(PAGE)
    victim.chmod(0o444)
    (repo / "link.md").symlink_to(victim)
    (repo / "real.md").write_text(PAGE)
    (repo / "inside-link.md").symlink_to(repo / "real.md")
    (repo / "ro.md").write_text(PAGE)
    (repo / "ro.md").chmod(0o444)
    (repo / "hard.md").write_text(PAGE)
    os.link(repo / "hard.md", outside / "other-name.md")
    (repo / "plain.md").write_text(PAGE)
    before = snapshot(outside)
    proc = medlint("check", ".", "--fix", *SELECT, cwd=repo)
    assert snapshot(outside) == before
    assert (repo / "ro.md").read_text() == PAGE and (repo / "hard.md").read_text() == PAGE
    assert "people with addiction" in (repo / "plain.md").read_text()  # fixing still works
    assert "read-only" in proc.stderr and "hard links" in proc.stderr
    assert (repo / "inside-link.md").is_symlink()


def test_2_cache_lives_in_the_user_folder_and_never_follows_links(tree, tmp_path):
    repo, outside = tree
    (repo / "a.md").write_text(PAGE)
    planted = repo / ".medlint_cache"
    planted.mkdir()
    (planted / ".gitignore").symlink_to(outside / "new_file")
    (repo / "sub").mkdir()
    (repo / "sub" / ".medlint_cache").symlink_to(outside)
    env = user_env(tmp_path)
    medlint("check", ".", *SELECT, cwd=repo, env=env)
    medlint("check", "sub", ".", *SELECT, cwd=repo, env=env)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in planted.iterdir()) == [".gitignore"]
    folder = tmp_path / "usercache" / "medlint" / "results"
    assert list(folder.rglob("*.json")), "results are cached in the user's cache folder"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    # a --cache-dir that is a symlink is never written through
    (repo / "linked").symlink_to(outside)
    proc = medlint("check", ".", *SELECT, "--cache-dir", "linked", cwd=repo, env=env)
    assert list(outside.iterdir()) == []
    assert "cache folder linked is unusable" in proc.stderr, "the user hears why"


def test_3_links_out_of_the_tree_are_skipped_and_never_quoted(tree, tmp_path):
    repo, outside = tree
    secret = outside / "passwd.txt"
    secret.write_text("root:x:0:0:secret-token-addicts:/root:/bin/sh\n")
    (repo / "passwd.txt").symlink_to(secret)
    (repo / "ok.md").write_text(PAGE)
    proc = medlint("check", ".", *SELECT, "--format", "json", cwd=repo)
    assert "secret-token" not in proc.stdout
    found = by_name(proc.stdout)
    assert [f["rule"] for f in found["passwd.txt"]] == ["document/skipped"]
    assert "outside" in found["passwd.txt"][0]["message"]
    html = tmp_path / "audit.html"
    medlint("audit", ".", "--model", "blank", "--html", str(html), "--no-progress", cwd=repo)
    assert "secret-token" not in html.read_text()


def test_4_tampered_or_badly_typed_cache_entries_are_misses(tree, tmp_path):
    repo, _ = tree
    (repo / "a.md").write_text(PAGE)
    env = user_env(tmp_path)
    args = ("check", ".", *SELECT, "--format", "json")
    first = by_name(medlint(*args, cwd=repo, env=env).stdout)["a.md"]
    assert any(f["rule"] == "language/stigmatizing-term" for f in first)
    folder = tmp_path / "usercache" / "medlint" / "results"
    entries = list(folder.rglob("*.json"))
    for entry in entries:  # hide the findings, as someone who can write the files would
        mac, _, payload = entry.read_text().partition("\n")
        data = json.loads(payload)
        data["findings"] = []
        entry.write_text(mac + "\n" + json.dumps(data))
    assert by_name(medlint(*args, cwd=repo, env=env).stdout)["a.md"] == first
    import hmac

    secret = (folder / "secret").read_bytes()
    for entry in folder.rglob("*.json"):  # correctly signed, but badly typed
        payload = json.dumps({"findings": [{"rule": 1, "line": "x"}], "metrics": [],
                              "words": "many"}).encode()
        mac = hmac.new(secret, entry.stem.encode() + b"\0" + payload, "sha256").hexdigest()
        entry.write_bytes(mac.encode() + b"\n" + payload)
    proc = medlint("check", ".", *SELECT, cwd=repo, env=env)
    assert "stigmatizing-term" in proc.stdout and proc.returncode in (0, 1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_5_fifos_and_devices_are_skipped_not_opened(tree, tmp_path):
    repo, _ = tree
    os.mkfifo(repo / "fifo.md")
    (repo / "zero.md").symlink_to("/dev/zero")
    (repo / "ok.md").write_text(PAGE)
    (repo / "big.md").write_text("word " * 3000)
    (repo / ".medlint.toml").write_text("max-file-size = 10000\n")
    started = time.monotonic()
    found = by_name(medlint("check", ".", *SELECT, "--format", "json", cwd=repo,
                            timeout=60).stdout)
    for name in ("fifo.md", "zero.md", "big.md"):
        assert [f["rule"] for f in found[name]] == ["document/skipped"], name
    assert "max-file-size" in found["big.md"][0]["message"]
    assert "ok.md" in found
    medlint("audit", ".", "--model", "blank", "--json", str(tmp_path / "a.json"),
            "--no-progress", cwd=repo, timeout=60)
    medlint("check", ".", "--fix", *SELECT, cwd=repo, timeout=60)
    assert time.monotonic() - started < 60


def test_6_a_killed_worker_neither_hangs_the_run_nor_loses_files(tree):
    repo, outside = tree
    for i in range(160):
        (repo / f"p{i:03}.md").write_text(PAGE + f"Page {i}.\n" * 40)
    report = outside / "k.json"
    report.write_text("previous report\n")
    (repo / "k.json").symlink_to(report)  # -o replaces the link, never writes through it
    proc = subprocess.Popen(
        [sys.executable, "-m", "medlint", "check", ".", *SELECT, "--jobs", "2", "--no-cache",
         "--format", "json", "-o", "k.json"],
        cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and proc.poll() is None and time.monotonic() < deadline:
        kids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                              text=True).stdout.split()
        if len(kids) >= 2:
            killed = int(kids[0])
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.05)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err[-3000:]
    assert proc.returncode in (0, 1), err
    assert killed is not None, "the run used worker processes"
    assert report.read_text() == "previous report\n"
    data = json.loads((repo / "k.json").read_text())
    assert len(data["files"]) == 160
