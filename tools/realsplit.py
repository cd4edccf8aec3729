"""The dev / holdout split of the real evaluation data (../shared/eval), shared by every
trainer and evaluation so that nothing is tuned on the part kept aside.

A file is held out when the hash of its *topic* (the file name without Mayo-style variant
suffixes ``_1``, ``_2``, ``_new``) falls in one of four buckets: variants of one topic stay on
one side, about a quarter of the files are held out.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath


def topic(path: str) -> str:
    """The file's topic: its folder and stem without variant suffixes."""
    p = PurePosixPath(path)
    return str(p.parent / re.sub(r"(_\d+|_new)+$", "", p.stem))


def holdout(path: str) -> bool:
    """True for the held-out quarter (by topic)."""
    return int(hashlib.sha1(topic(path).encode()).hexdigest(), 16) % 4 == 0
