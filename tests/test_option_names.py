"""One spelling for option and config key names: the documented hyphen form in config files,
error messages and ``medlint explain``; the underscore form is still read."""

import pytest
from click.testing import CliRunner

from medlint.cli import cli
from medlint.config import ConfigError, parse_config
from medlint.rules.readability.rules import LongSentence


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("# Sleep\n\n" + " ".join(["word"] * 12) + ".\n")
    return path


def config(tmp_path, text):
    (tmp_path / ".medlint.toml").write_text(
        'select = ["readability/long-sentence"]\nmodel = "blank"\n' + text)


@pytest.mark.parametrize("key", ["max-words", "max_words"])
def test_both_spellings_are_read(tmp_path, page, key):
    config(tmp_path, f'[rules."readability/long-sentence"]\n{key} = 10\n')
    result = run(["check", str(page), "--format", "json"])
    assert '"readability/long-sentence"' in result.output


def test_wrong_type_names_the_hyphen_form(tmp_path, page):
    config(tmp_path, '[rules."readability/long-sentence"]\nmax_words = "ten"\n')
    result = run(["check", str(page)])
    assert result.exit_code == 2
    assert "'max-words' must be int" in result.output and "max_words" not in result.output


def test_unknown_option_lists_hyphen_forms(tmp_path, page):
    config(tmp_path, '[rules."readability/long-sentence"]\nmax_wrds = 3\n')
    result = run(["check", str(page)])
    assert result.exit_code == 2
    assert "no option 'max-wrds' (options: max-words)" in result.output


def test_both_spellings_at_once_is_an_error(tmp_path, page):
    config(tmp_path, '[rules."readability/long-sentence"]\nmax_words = 3\nmax-words = 4\n')
    result = run(["check", str(page)])
    assert result.exit_code == 2 and "'max-words' is given twice" in result.output


def test_top_level_keys_and_overrides_use_the_hyphen_form():
    with pytest.raises(ConfigError, match="'fail-on' must be a str"):
        parse_config({"fail_on": 3}, None)
    parsed = parse_config({"overrides": [{"files": ["news/*"], "rules": {
        "readability/long-sentence": {"max_words": 40}}}]}, None)
    assert parsed.overrides[0].rules == {"readability/long-sentence": {"max-words": 40}}


def test_config_command_shows_the_hyphen_form(tmp_path):
    config(tmp_path, '[rules."readability/long-sentence"]\nmax_words = 30\n')
    result = run(["config", str(tmp_path)])
    assert '"max-words": 30' in result.output and "max_words" not in result.output


def test_explain_shows_the_hyphen_form():
    result = run(["explain", "readability/long-sentence"])
    assert "`max-words` (default `25`)" in result.output and "max_words" not in result.output
    assert "max_words" in LongSentence.options  # rules keep Python names internally
