"""The composite GitHub Action (action.yml): its inputs reach the command, and its run step
works as a shell script with medlint installed."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
PACKS = Path(__file__).parent / "fixtures" / "packs"


@pytest.fixture(scope="module")
def action():
    if not ACTION.is_file():
        pytest.skip("action.yml is not part of this copy")
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def step(action, name):
    return next(s for s in action["runs"]["steps"] if s.get("name") == name)


def test_composite_with_documented_inputs(action):
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert inputs["paths"]["default"] == "."
    assert inputs["fail-on"]["default"] == "error"
    assert inputs["args"]["default"] == ""
    assert "python-version" in inputs
    assert all(i.get("description") for i in inputs.values())


def test_every_input_is_used(action):
    used = set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", yaml.safe_dump(action["runs"])))
    assert used == set(action["inputs"])


def test_installs_from_the_actions_own_checkout(action):
    install = step(action, "Install medlint")
    assert install["env"]["MEDLINT_SOURCE"] == "${{ github.action_path }}"
    assert '"$MEDLINT_SOURCE"' in install["run"] and "pip install" in install["run"]


def test_run_step_passes_inputs_as_environment_not_as_script_text(action):
    run = step(action, "Run medlint")
    assert "${{" not in run["run"]  # no input pasted into the script
    assert run["env"] == {"MEDLINT_PATHS": "${{ inputs.paths }}",
                          "MEDLINT_FAIL_ON": "${{ inputs.fail-on }}",
                          "MEDLINT_ARGS": "${{ inputs.args }}"}
    assert "medlint check --format github" in run["run"]


@pytest.mark.slow
def test_run_step_works_as_a_script(action, tmp_path):
    (tmp_path / ".medlint.toml").write_text(
        f'extra-packs = ["{PACKS.as_posix()}"]\nselect = ["language/test-zebra"]\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Zoo\n\nA zebra.\n")
    (tmp_path / "b.md").write_text("# Horses\n\nA horse.\n")
    script = step(action, "Run medlint")["run"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "MEDLINT_PATHS": "docs b.md", "MEDLINT_ARGS": "--model blank"}
    env.pop("GITHUB_STEP_SUMMARY", None)

    def run(fail_on):
        return subprocess.run(["bash", "-c", script], cwd=tmp_path, text=True, timeout=300,
                              capture_output=True, env={**env, "MEDLINT_FAIL_ON": fail_on})

    passed = run("error")
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.startswith("::warning file=docs/a.md,line=3,col=3,")
    assert "medlint: 1 finding(s) in 2 file(s)" in passed.stdout
    assert run("warning").returncode == 1
