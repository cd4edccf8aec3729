"""The engine: ``core`` runs rules, ``results`` holds what a run produces, ``baseline`` and
``cache`` the two stores beside it. The names below are the public surface."""

from medlint.dates import today_from
from medlint.engine.baseline import Baseline
from medlint.engine.core import BATCH_SIZE, ActiveRule, Engine, batches_of
from medlint.engine.results import EXCERPT_CHARS, FileResult, Reported, Source

__all__ = ["BATCH_SIZE", "EXCERPT_CHARS", "ActiveRule", "Baseline", "Engine", "FileResult",
           "Reported", "Source", "batches_of", "today_from"]
