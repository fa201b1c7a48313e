"""Shared fixtures: paths, a fresh store, example articles, public data location."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED_DATA = Path(os.environ.get("UNSPIN_SHARED_DATA") or ROOT.parent / "shared" / "data")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database path in a fresh temporary folder (the file does not exist yet)."""
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    from unspin.store import Store

    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"public data folder {SHARED_DATA} is absent")
    return SHARED_DATA
