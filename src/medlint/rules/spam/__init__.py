"""Spam rules: pasted phrases, spliced content, keyword stuffing, duplicated text."""

from medlint.rules.spam.coherence import RULES as _COHERENCE
from medlint.rules.spam.insertion import RULES as _INSERTION

RULES = _INSERTION + _COHERENCE
