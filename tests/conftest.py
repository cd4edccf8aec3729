import datetime as dt
import os
import socket
import tempfile
from pathlib import Path

import pytest

# Compiled patterns and parsed data go to the test run's own store, not the user's cache.
os.environ.setdefault("MEDLINT_STARTUP_CACHE", tempfile.mkdtemp(prefix="medlint-startup-"))
os.environ.setdefault("MEDLINT_CACHE_DIR", tempfile.mkdtemp(prefix="medlint-results-"))

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "heroin-detox.txt"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def guard(*args, **kwargs):
        raise AssertionError("medlint tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket.socket, "connect_ex", guard)
    monkeypatch.setattr(socket, "create_connection", guard)
    monkeypatch.setattr(socket, "getaddrinfo", guard)


@pytest.fixture
def seed_text():
    if not SEED.is_file():
        pytest.skip(f"seed article not present at {SEED}")
    return SEED.read_text(encoding="utf-8")
