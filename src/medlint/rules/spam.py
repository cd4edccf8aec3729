"""spam rules (in progress)."""

RULES: tuple = ()
