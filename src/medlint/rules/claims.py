"""claims rules (in progress)."""

RULES: tuple = ()
