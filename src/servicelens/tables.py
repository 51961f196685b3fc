"""Reading and writing the tables between stages: atomic, deterministic parquet and CSV."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_SIZE = 50_000  # fixed, so the same table always gives the same bytes

# Column order of each table (the README lists them).
SCHEMAS: dict[str, list[str]] = {
    "documents": [
        "doc_id", "path", "sha256", "encoding", "status", "reason", "language", "pipeline",
        "title", "n_chars_raw", "n_chars_clean", "n_paragraphs", "n_sentences",
    ],
    "dropped_lines": ["doc_id", "line_no", "text", "rule"],
    "paragraphs": ["doc_id", "para_id", "language", "text", "start", "end"],
    "sentences": ["doc_id", "para_id", "sent_id", "language", "text", "start", "end"],
    "tokens": [
        "doc_id", "para_id", "sent_id", "i", "text", "lemma", "pos", "is_stop", "is_content",
        "concept",
    ],
}
CSV_TOO = {"documents", "coverage", "topics", "article_themes", "key_terms", "k_selection", "stance_articles"}


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` to parquet without its index, with fixed row groups and compression."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    # One Arrow type per kind of column, and no pandas metadata: the bytes then depend only on
    # the values, not on whether a column came from a cache (large_string) or was just built.
    fields = [
        pa.field(f.name, pa.string() if pa.types.is_large_string(f.type) or pa.types.is_string(f.type)
                 or pa.types.is_null(f.type) else f.type)
        for f in table.schema
    ]
    table = table.cast(pa.schema(fields)).replace_schema_metadata(None)
    _atomic(path, lambda p: pq.write_table(
        table, p, row_group_size=ROW_GROUP_SIZE, compression="zstd", write_statistics=False,
    ))


def write_table(df: pd.DataFrame, out_dir: Path, name: str) -> Path:
    """Write table ``name`` to ``OUT/<name>.parquet`` (and ``.csv`` for the summary tables)."""
    if name in SCHEMAS:
        df = df[SCHEMAS[name] + [c for c in df.columns if c not in SCHEMAS[name]]]
    path = Path(out_dir) / f"{name}.parquet"
    write_parquet(df, path)
    if name in CSV_TOO:
        _atomic(path.with_suffix(".csv"), lambda p: df.to_csv(
            p, index=False, encoding="utf-8", lineterminator="\n"))
    return path


def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    """Read ``OUT/<name>.parquet``."""
    return pd.read_parquet(Path(out_dir) / f"{name}.parquet")


def write_json(obj: object, path: Path) -> None:
    """Write JSON with sorted keys, atomically."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
