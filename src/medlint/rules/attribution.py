"""attribution rules (in progress)."""

RULES: tuple = ()
