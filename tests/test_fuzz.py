"""The quick version of ``python -m tools.fuzz``: a few small hostile documents through every
parser and every rule, each within its time bound, with no crash and no rule error."""

from hypothesis import HealthCheck, given, settings

from tools.fuzz import check_document, documents


def test_warm_up():
    """Loads the registry and models outside the timed examples."""
    assert check_document("A short page.", bound=300).problems == []


@settings(max_examples=4, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(documents(max_repeat=300, max_parts=4))
def test_hostile_documents_parse_and_lint_within_bound(text):
    outcome = check_document(text)
    assert outcome.problems == [], (text[:200], outcome.problems)


def test_a_known_slow_input_is_within_bound():
    """A run of symbols without a space (cubic in spaCy's tokenizer before issue 20)."""
    outcome = check_document("*_" * 8_000 + " end.", bound=20)
    assert outcome.problems == [], outcome.problems
