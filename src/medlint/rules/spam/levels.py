"""The one confidence-to-severity map of the calibrated spam detectors (the "calibrated"
class of the severity contract in medlint.rules.base).

ERROR_CONFIDENCE is read from measured precision on real text, not guessed:
``python -m tools.severity_calibration`` (dev side of tools/realsplit.py) gives
spam/inserted-phrase precision 1.000 at confidence >= 0.60 to 0.80 (24 to 21 findings) and
0.964 at 0.50; the held-out side gives 6 of 7 (0.857) at 0.60 to 0.70. 0.65 sits inside that
plateau and above the fixed 0.60 of keyword-stuffing, whose confidence is not calibrated.
"""

from __future__ import annotations

from medlint.rules.base import Severity

ERROR_CONFIDENCE = 0.65  # pasted anchors and splices at or above this are errors
WARNING_CONFIDENCE = 0.5  # below this a finding is only a hint


def severity_for(confidence: float) -> Severity:
    """Error only for high-confidence pasted or spliced text, warning for the likely rest."""
    if confidence >= ERROR_CONFIDENCE:
        return Severity.ERROR
    if confidence >= WARNING_CONFIDENCE:
        return Severity.WARNING
    return Severity.INFO
