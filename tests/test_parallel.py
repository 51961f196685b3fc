"""Parallel runs through Dask: a two-worker LocalCluster on loopback gives the same tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicelens import pipeline

TEXTS = {
    "en.txt": "Customers waited two hours at the counter. The manager apologised and refunded the fee.",
    "de.txt": "Die Kunden beschweren sich über lange Wartezeiten. Der Kundendienst hat nicht geantwortet.",
    "ru.txt": "Клиенты жаловались на долгое ожидание. Сотрудники службы поддержки извинились.",
    "hu.txt": "Az ügyfelek sokat vártak a pénztárnál. A munkatársak bocsánatot kértek tőlük.",
}


@pytest.mark.slow
def test_jobs_1_and_jobs_2_give_identical_tables(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in TEXTS.items():
        (raw / name).write_text(text * 3, encoding="utf-8")
    one = pipeline.run(raw, tmp_path / "one", jobs=1)
    two = pipeline.run(raw, tmp_path / "two", jobs=2)
    assert len(one.tables["tokens"]) > 40
    for name in ("documents", "paragraphs", "sentences", "tokens", "stance_sentences"):
        a = (tmp_path / "one" / f"{name}.parquet").read_bytes()
        b = (tmp_path / "two" / f"{name}.parquet").read_bytes()
        assert a == b, name
    assert two.tables["documents"]["n_sentences"].tolist() == one.tables["documents"]["n_sentences"].tolist()
