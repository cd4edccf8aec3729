"""Spam rules: pasted phrases, spliced content, keyword stuffing, duplicated text."""

from medlint.rules.spam.coherence import RULES as _COHERENCE
from medlint.rules.spam.levels import ERROR_CONFIDENCE, WARNING_CONFIDENCE, severity_for
from medlint.rules.spam.pasted import RULES as _PASTED
from medlint.rules.spam.repetition import RULES as _REPETITION

# spam/inserted-phrase is the real-text cascade (pasted.py, issue 17); the corpus-trained span
# scorer (insertion_signals) lives on as one of its candidate sources.
RULES = _REPETITION + _PASTED + _COHERENCE

__all__ = ["ERROR_CONFIDENCE", "RULES", "WARNING_CONFIDENCE", "severity_for"]
