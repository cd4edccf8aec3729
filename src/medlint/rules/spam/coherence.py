"""Off-topic sentences and incoherent lists (in progress)."""

RULES: tuple = ()
