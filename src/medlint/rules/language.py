"""language rules (in progress)."""

RULES: tuple = ()
