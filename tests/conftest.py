"""Shared fixtures. Tests use the real bundled data; nothing from ../shared is required."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_DIR.parent / "shared"

# Keep derived caches out of the user's home during tests, but share them across the session.
os.environ.setdefault(
    "STRIKEMAP_CACHE_DIR", str(Path(tempfile.gettempdir()) / "strikemap-test-cache")
)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The optional ../shared folder; tests that need it skip when it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED_DIR
