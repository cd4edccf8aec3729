"""The real pre-commit tool runs medlint's hook from .pre-commit-hooks.yaml."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

GOOD = """---
title: Sleep and blood pressure
author: Sam Rivera
reviewer: Dana Okafor, MD
last_reviewed: 2026-09-14
---

# Sleep and blood pressure

Adults who sleep less than seven hours a night are more likely to have high blood pressure,
according to the [CDC](https://www.cdc.gov/sleep/about/index.html).

Talk to your doctor if you snore loudly or often feel tired during the day.
"""

BAD = """---
title: [a title that never closes
---

# Detox at home

Flush the toxins out of your body.
"""


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
def test_pre_commit_hook_fails_bad_and_passes_good(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("the medlint checkout is not a git repository")
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    content = tmp_path / "content"
    content.mkdir()
    _git(content, "init", "-q")
    (content / "good.md").write_text(GOOD)
    (content / "bad.md").write_text(BAD)
    _git(content, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "MEDLINT_TODAY": "2026-11-25"}

    def hook(*files):
        return subprocess.run([pre_commit, "try-repo", str(ROOT), "medlint", "--files", *files],
                              cwd=content, env=env, capture_output=True, text=True, timeout=900)

    good = hook("good.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = hook("good.md", "bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "bad.md" in bad.stdout
    assert not re.search(r"(?<!bad)good\.md:\d+:\d+: error", bad.stdout)
