"""The readability category: its detection helpers and its rules."""

from medlint.rules.readability.rules import RULES

__all__ = ["RULES"]
