"""Inserted phrases, keyword stuffing, duplicate text (in progress)."""

RULES: tuple = ()
