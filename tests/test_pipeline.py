"""The stages together: tables, ids, caching, determinism, and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from servicelens import nlp, pipeline
from servicelens.cli import main
from servicelens.config import RAW_DIR
from servicelens.tables import CSV_TOO, SCHEMAS


def test_seed_tables_follow_the_contract(seed_run) -> None:
    out = seed_run.out_dir
    for name, columns in SCHEMAS.items():
        df = pd.read_parquet(out / f"{name}.parquet")
        assert list(df.columns)[: len(columns)] == columns, name
        assert (out / f"{name}.csv").exists() == (name in CSV_TOO)
    paras = seed_run.tables["paragraphs"]
    sents = seed_run.tables["sentences"]
    tokens = seed_run.tables["tokens"]
    assert not paras.duplicated(["doc_id", "para_id"]).any()
    assert not sents.duplicated(["doc_id", "sent_id"]).any()
    assert not tokens.duplicated(["doc_id", "para_id", "i"]).any()
    # offsets index the cleaned text: each sentence lies inside its paragraph
    merged = sents.merge(paras, on=["doc_id", "para_id"], suffixes=("", "_p"))
    assert ((merged["start"] >= merged["start_p"]) & (merged["end"] <= merged["end_p"])).all()
    for row in merged.head(50).itertuples():
        assert row.text_p[row.start - row.start_p: row.end - row.start_p] == row.text
    docs = seed_run.tables["documents"]
    assert (docs["n_sentences"] > 0).all()
    assert docs["n_paragraphs"].sum() == len(paras)


def test_rerun_uses_the_cache_and_gives_identical_bytes(tmp_path: Path, monkeypatch) -> None:
    first = pipeline.run(RAW_DIR, tmp_path / "a")
    before = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.parquet")}

    def no_spacy(*args, **kwargs):
        raise AssertionError("annotation ran although the cache holds every paragraph")

    monkeypatch.setattr(pipeline, "annotate_batch", no_spacy)
    second = pipeline.run(RAW_DIR, tmp_path / "a")
    after = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.parquet")}
    assert before == after
    assert len(first.tables["tokens"]) == len(second.tables["tokens"])


def test_a_changed_paragraph_is_annotated_again(tmp_path: Path, monkeypatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Customers wait too long at the counter. Staff are tired.\n", encoding="utf-8")
    pipeline.run(raw, tmp_path / "out")
    (raw / "a.txt").write_text("Customers wait too long at the desk. Staff are tired.\n", encoding="utf-8")
    calls = []
    real = nlp.annotate_batch
    monkeypatch.setattr(pipeline, "annotate_batch", lambda texts, code: calls.append(code) or real(texts, code))
    result = pipeline.run(raw, tmp_path / "out")
    assert calls == ["en"]
    assert "desk" in set(result.tables["tokens"]["lemma"])


def test_the_input_folder_is_never_written(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Clients are always right, they say. Not always.\n", encoding="utf-8")
    before = sorted((p.name, p.stat().st_mtime_ns) for p in raw.rglob("*"))
    pipeline.run(raw, tmp_path / "out")
    assert sorted((p.name, p.stat().st_mtime_ns) for p in raw.rglob("*")) == before
    with pytest.raises(pipeline.UsageError, match="inside the input"):
        pipeline.run(raw, raw / "out")


def test_bad_files_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text("Die Mitarbeiter brauchen Pausen, auch wenn Kunden warten.\n", encoding="utf-8")
    (raw / "z_copy.txt").write_text("Die Mitarbeiter brauchen Pausen, auch wenn Kunden warten.\n", encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "junk.html").write_bytes(bytes(range(256)) * 4)
    (raw / "menu.txt").write_text("Home | About | Contact\n© 2020\n", encoding="utf-8")
    docs = pipeline.run(raw, tmp_path / "out").tables["documents"].set_index("doc_id")
    assert docs.loc["good", "status"] == "ok" and docs.loc["good", "language"] == "de"
    assert docs.loc["z_copy", "status"] == "duplicate"
    assert docs.loc["empty", "status"] == "skipped"
    assert docs.loc["junk", "status"] == "skipped"
    assert docs.loc["menu", "status"] == "skipped" and "boilerplate" in docs.loc["menu", "reason"]
    assert docs["reason"].where(docs["status"] != "ok").dropna().str.len().gt(0).all()


@pytest.mark.parametrize("setup", ["missing", "empty", "useless"])
def test_unusable_input_gives_one_line_and_exit_2(tmp_path: Path, capsys, setup: str) -> None:
    raw = tmp_path / "raw"
    if setup != "missing":
        raw.mkdir()
    if setup == "useless":
        (raw / "a.txt").write_bytes(b"")
        (raw / "b.bin").write_bytes(b"\x00\x01")
    assert main(["run", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("servicelens: error:") and "\n" not in err and "Traceback" not in err


def test_help_explains_every_option() -> None:
    out = subprocess.run([sys.executable, "-m", "servicelens", "run", "--help"],
                         capture_output=True, text=True, check=True).stdout
    for option in ("--raw", "--out", "--topics", "--seed"):
        assert option in out
    assert "never written to" in " ".join(out.split())


@pytest.mark.slow
def test_two_command_line_runs_give_identical_bytes(tmp_path: Path) -> None:
    """Separate processes, fresh output folders, same input and seed: same bytes in every table."""
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-m", "servicelens", "run", "--raw", str(RAW_DIR), "--out",
                        str(tmp_path / name), "--seed", "7"], check=True, capture_output=True)
    tables = sorted(p.name for p in (tmp_path / "a").iterdir() if p.suffix in (".csv", ".parquet"))
    assert len(tables) >= 15
    for name in tables:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    run_json = json.loads((tmp_path / "a" / "run.json").read_text())
    assert run_json["parameters"]["seed"] == 7 and run_json["chosen_k"] >= 2
    assert set(run_json["inputs"]) == {p.name for p in RAW_DIR.iterdir()}
    assert {"annotate", "themes", "stance"} <= set(run_json["timings_s"])
