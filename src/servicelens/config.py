"""Project-wide settings: paths, the default seed and the language table.

Everything that names a folder or a language lives here, so notebooks and the CLI hold no
literal paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
LEXICON_DIR = Path(os.environ.get("SERVICELENS_LEXICONS", DATA_DIR / "lexicons"))
ANNOTATION_DIR = DATA_DIR / "annotations"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

DEFAULT_SEED = 42

# File types that ingest reads from a folder.
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

UNDETERMINED = "und"


def run_paths(raw_dir: str | Path | None, out_dir: str | Path | None) -> tuple[Path, Path]:
    """A notebook's input and output folders from its parameters: None means the embedded
    corpus in data/raw and data/processed for it, or data/runs/<input name> for another input."""
    raw = Path(raw_dir) if raw_dir else RAW_DIR
    if out_dir:
        return raw, Path(out_dir)
    return raw, PROCESSED_DIR if is_default_corpus(raw) else DATA_DIR / "runs" / raw.name


def figures_dir_for(raw_dir: Path, out_dir: Path) -> Path:
    """Where a run's figures go: the committed gallery for the embedded corpus, and the run's
    own ``OUT/figures`` for any other input, so that the gallery is never overwritten."""
    return FIGURES_DIR if is_default_corpus(raw_dir) else Path(out_dir) / "figures"


def reports_dir_for(raw_dir: Path, out_dir: Path) -> Path:
    """Where a run's reports go: ``reports/`` for the embedded corpus, else ``OUT/reports``."""
    return REPORTS_DIR if is_default_corpus(raw_dir) else Path(out_dir) / "reports"


def is_default_corpus(raw_dir: Path) -> bool:
    """True when ``raw_dir`` is the embedded corpus in data/raw."""
    return Path(raw_dir).resolve() == RAW_DIR.resolve()


@dataclass(frozen=True)
class Language:
    """One supported language: its ISO 639-1 code, English name and lingua name."""

    code: str
    name: str
    lingua: str


# The languages with a full pipeline (cleaning rules, lemmas, stopwords, glossary, codebook).
SUPPORTED = {
    lang.code: lang
    for lang in (
        Language("ru", "Russian", "RUSSIAN"),
        Language("ja", "Japanese", "JAPANESE"),
        Language("hu", "Hungarian", "HUNGARIAN"),
        Language("en", "English", "ENGLISH"),
        Language("de", "German", "GERMAN"),
        Language("es", "Spanish", "SPANISH"),
        Language("fr", "French", "FRENCH"),
    )
}

# Languages the detector also knows, so that text in them is named rather than forced into a
# supported language: the close neighbours of each supported one. Kept short on purpose: lingua's
# high-accuracy models cost about 30 MB a language (measured: 21 languages, 600 MB).
NEIGHBOURS = {
    "uk": "UKRAINIAN", "be": "BELARUSIAN", "bg": "BULGARIAN",  # Cyrillic, next to ru
    "zh": "CHINESE", "ko": "KOREAN",  # CJK, next to ja
    "it": "ITALIAN", "pt": "PORTUGUESE", "ca": "CATALAN",  # Romance, next to es and fr
    "nl": "DUTCH",  # Germanic, next to de and en
    "fi": "FINNISH", "et": "ESTONIAN",  # Uralic, next to hu
    "pl": "POLISH", "cs": "CZECH", "sk": "SLOVAK",  # Central European, next to hu and de
}
