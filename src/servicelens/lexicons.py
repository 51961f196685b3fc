"""Loaders for the curated resources in ``data/lexicons/`` (CSV files with a header row and a
comment column). Each loader reads its file once per process."""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from functools import cache
from pathlib import Path

from .config import LEXICON_DIR


def lexicon_path(name: str) -> Path:
    """Path of a curated resource file, e.g. ``lexicon_path("concepts.csv")``."""
    return LEXICON_DIR / name


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon CSV as dicts; blank lines and rows starting with '#' are skipped. A row
    with more fields than the header (an unquoted comma in a comment) is an error."""
    path = lexicon_path(name)
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        rows = []
        for row in csv.DictReader(lines):
            if None in row:
                first = next(iter(row.values()))
                raise ValueError(f"{path}: the row {first!r}... has more fields than the header; "
                                 "quote a field that holds a comma")
            rows.append({k: (v or "").strip() for k, v in row.items()})
        return rows


def file_hash(name: str) -> str:
    """sha256 of a lexicon file, for cache keys: editing a lexicon invalidates what used it."""
    return hashlib.sha256(lexicon_path(name).read_bytes()).hexdigest()[:16]


@cache
def boilerplate_terms() -> dict[str, tuple[str, ...]]:
    """Web-interface vocabulary by kind (month, weekday, date_word, ui, ui_line, widget_phrase,
    prompt, bio_label, credit_label, photo_label, byline_word, edit_note), pooled over all
    languages: cleaning runs before language identification, and a line made only of interface
    words is boilerplate in any language."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for row in read_rows("boilerplate_terms.csv"):
        term = " ".join(row["term"].lower().split())
        if term:
            by_kind[row["kind"]].add(term)
    # Longest first, so that regex alternations prefer "leave a comment" over "comment".
    return {k: tuple(sorted(v, key=lambda t: (-len(t), t))) for k, v in by_kind.items()}


@cache
def extra_stopwords() -> dict[str, frozenset[str]]:
    """Extra stopwords per language code, lowercase lemmas."""
    by_lang: dict[str, set[str]] = defaultdict(set)
    for row in read_rows("stopwords_extra.csv"):
        by_lang[row["lang"]].add(row["word"].lower())
    return {k: frozenset(v) for k, v in by_lang.items()}


@cache
def lemma_overrides() -> dict[str, dict[str, str]]:
    """Corrections to a lemmatiser's table, per language: lower-case form -> lemma."""
    by_lang: dict[str, dict[str, str]] = defaultdict(dict)
    for row in read_rows("lemma_overrides.csv"):
        by_lang[row["lang"]][row["form"].lower()] = row["lemma"]
    return dict(by_lang)
