"""Findings in words, for the report notebook's captions: each caption states what its figure
shows, computed from the tables, so it stays true on any corpus."""

from __future__ import annotations

import pandas as pd

from .config import SUPPORTED
from .figures import short_id


def _names(codes) -> str:
    return ", ".join(SUPPORTED[c].name if c in SUPPORTED else c for c in codes)


def corpus_finding(documents: pd.DataFrame, paragraphs: pd.DataFrame) -> str:
    """One sentence on what was analysed."""
    ok = documents[documents["status"] == "ok"]
    langs = ok["language"].value_counts()
    skipped = len(documents) - len(ok)
    text = (f"{len(ok)} articles in {len(langs)} languages ({_names(langs.index)}) were analysed: "
            f"{len(paragraphs)} paragraphs after removing web boilerplate")
    return text + (f"; {skipped} files were skipped or duplicates." if skipped else ".")


def themes_finding(topics: pd.DataFrame, article_themes: pd.DataFrame, model: str = "nmf") -> str:
    """Which themes there are, which cross languages, and which leads most articles."""
    t = topics[topics["model"] == model]
    if t.empty:
        return "The corpus is too small to fit themes."
    cross = t[t["n_languages_15"] >= 2]
    lead = article_themes[article_themes["model"] == model].sort_values("share").groupby("doc_id").tail(1)
    top_id = lead["topic_id"].value_counts().idxmax()
    label = t.set_index("topic_id").loc[top_id, "label"]
    return (f"{len(t)} themes; {len(cross)} of them draw at least 15% of their weight from two or more languages. "
            f"The theme “{label}” leads {int((lead['topic_id'] == top_id).sum())} of {len(lead)} articles.")


def stance_finding(stance_articles: pd.DataFrame) -> str:
    """How the articles divide on the maxim."""
    counts = stance_articles["stance_label"].value_counts()
    parts = [f"{counts[k]} {k.replace('_', ' ')}" for k in ("endorses", "rejects", "mixed", "no_stance") if k in counts]
    strongest = stance_articles.loc[stance_articles["stance_score"].abs().idxmax()] if len(stance_articles) else None
    text = f"On “the customer is always right”: {', '.join(parts)}."
    if strongest is not None and strongest["stance_score"] != 0:
        text += (f" The clearest position is {short_id(strongest['doc_id'])} "
                 f"({strongest['stance_label']}, score {strongest['stance_score']:+.2f}, "
                 f"{int(strongest['n_evidence'])} evidence sentences).")
    return text
