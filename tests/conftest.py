"""Shared fixtures: the seed corpus is run through the pipeline once per session."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLCONFIGDIR", str(Path(__file__).resolve().parents[1] / ".mplconfig"))

from servicelens.config import RAW_DIR

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The full pipeline on data/raw, written to a temporary folder."""
    from servicelens.pipeline import run

    out = tmp_path_factory.mktemp("seed_out")
    return run(RAW_DIR, out)


@pytest.fixture(scope="session")
def web_labels() -> list[dict[str, str]]:
    """Gold labels of the held-out scraped pages."""
    with (FIXTURES / "web" / "labels.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
