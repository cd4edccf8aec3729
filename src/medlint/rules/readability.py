"""readability rules (in progress)."""

RULES: tuple = ()
