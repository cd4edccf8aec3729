"""The real pre-commit tool runs medlint's hook (.pre-commit-hooks.yaml) from the README's
snippet, copied as written into a fresh content repository (only the placeholder for where
medlint is cloned from is filled in), so the test fails when the README drifts. pre-commit
clones the repository, so it runs the committed HEAD: commit before running this test."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED

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


PLACEHOLDER = "<URL of the medlint git repository>"


def _git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def readme_blocks(heading):
    """The YAML code blocks of one README section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.split(r"\n#{1,6} ", text.split(f"\n{heading}\n", 1)[1], maxsplit=1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, flags=re.S)


@pytest.mark.slow
def test_readme_snippet_runs_the_hook_in_a_fresh_repository(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("the medlint checkout is not a git repository")
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    snippet, strict = readme_blocks("### pre-commit")[:2]
    assert PLACEHOLDER in snippet
    config = snippet.replace(PLACEHOLDER, str(ROOT))
    content = tmp_path / "content"
    content.mkdir()
    _git(content, "init", "-q")
    (content / ".pre-commit-config.yaml").write_text(config)
    (content / "good.md").write_text(GOOD)
    (content / "warn.md").write_text(GOOD.replace("reviewer: Dana Okafor, MD\n", ""))
    (content / "bad.md").write_text(BAD)
    _git(content, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "MEDLINT_TODAY": "2026-11-25"}

    def hook(*args):
        return subprocess.run([pre_commit, *args], cwd=content, env=env, capture_output=True,
                              text=True, timeout=900)

    passed = hook("run", "--files", "good.md", "warn.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
    # verbose: the passing hook's report is shown, warnings included
    assert re.search(r"warn\.md:\d+:\d+: warning ", passed.stdout), passed.stdout
    assert "in 2 files" in passed.stdout
    bad = hook("run", "--files", "good.md", "bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and re.search(r"bad\.md:\d+:\d+: error ", bad.stdout)
    assert not re.search(r"(?<!bad)good\.md:\d+:\d+: error", bad.stdout)
    if SEED.is_file():  # the article medlint started from fails the hook, findings shown
        shutil.copyfile(SEED, content / "seed.txt")
        _git(content, "add", "seed.txt")
        seed = hook("run", "--files", "seed.txt")
        assert seed.returncode == 1, seed.stdout + seed.stderr
        assert "Failed" in seed.stdout and re.search(r"seed\.txt:\d+:\d+: error spam/",
                                                     seed.stdout), seed.stdout

    # The strict variant from the README fails on warnings.
    hook_line = next(line for line in config.splitlines(keepends=True) if "id: medlint" in line)
    (content / ".pre-commit-config.yaml").write_text(config.replace(hook_line, strict))
    _git(content, "add", ".")
    strict_run = hook("run", "--files", "good.md", "warn.md")
    assert strict_run.returncode == 1, strict_run.stdout + strict_run.stderr

    # `pre-commit autoupdate`, as the README says, pins `rev` to a tag or commit that exists.
    (content / ".pre-commit-config.yaml").write_text(config)
    updated = hook("autoupdate")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    rev = re.search(r"rev: (\S+)", (content / ".pre-commit-config.yaml").read_text()).group(1)
    assert rev != "HEAD"
    assert rev == _git(ROOT, "rev-parse", "HEAD").strip() or rev in _git(ROOT, "tag").split()
