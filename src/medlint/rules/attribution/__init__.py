"""The attribution category: its detection helpers and its rules."""

from medlint.rules.attribution.rules import RULES

__all__ = ["RULES"]
