"""Spam rules: pasted phrases, spliced content, keyword stuffing, duplicated text."""

from medlint.rules.spam.coherence import RULES as _COHERENCE
from medlint.rules.spam.insertion import RULES as _INSERTION
from medlint.rules.spam.insertion import InsertedPhrase as _OldInsertedPhrase
from medlint.rules.spam.pasted import RULES as _PASTED

# The corpus-trained inserted-phrase rule is replaced by the real-text cascade (issue 17);
# its span scorer lives on as one candidate source of medlint.rules.spam.pasted.
RULES = tuple(r for r in _INSERTION if r is not _OldInsertedPhrase) + _PASTED + _COHERENCE
