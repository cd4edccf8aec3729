"""The claims category: its detection helpers and its rules."""

from medlint.rules.claims.rules import RULES

__all__ = ["RULES"]
