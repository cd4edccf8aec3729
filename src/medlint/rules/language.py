"""Language rules are data: see lint_rules/stigma.yaml, unsafe-advice.yaml and
pseudo-science.yaml (documented in docs/rules/language.md). No Python detectors here."""

RULES: tuple = ()
