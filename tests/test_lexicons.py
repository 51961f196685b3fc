"""Curated data files: each is a CSV with a header and a comment column, and every row has as
many fields as the header (an unquoted comma in a comment would shift or drop text)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from servicelens.config import ANNOTATION_DIR
from servicelens.lexicons import LEXICON_DIR, read_rows

ROOT = Path(__file__).resolve().parents[1]
CURATED = sorted(LEXICON_DIR.glob("*.csv"))
TABLES = [*CURATED, *sorted(ANNOTATION_DIR.glob("*.csv")), *sorted((ROOT / "tests" / "fixtures").rglob("*.csv"))]


@pytest.mark.parametrize("path", TABLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_row_has_the_header_s_fields(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(line for line in fh if line.strip() and not line.startswith("#"))]
    width = len(rows[0])
    bad = [(i + 1, r) for i, r in enumerate(rows) if len(r) != width]
    assert not bad, bad[:5]


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.name)
def test_curated_resources_have_a_comment_column(path: Path) -> None:
    rows = read_rows(path.name)
    assert rows
    assert {"comment", "note"} & set(rows[0])


def test_a_row_with_an_unquoted_comma_is_refused(tmp_path, monkeypatch) -> None:
    (tmp_path / "x.csv").write_text("lang,word,comment\nen,sir,fine\nen,madam,one, two\n", encoding="utf-8")
    monkeypatch.setattr("servicelens.lexicons.LEXICON_DIR", tmp_path)
    with pytest.raises(ValueError, match="more fields than the header"):
        read_rows("x.csv")
