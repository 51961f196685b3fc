"""Concepts: map lemmas and multi-word expressions to language-neutral concept ids from the
curated glossary ``data/lexicons/concepts.csv``, so that themes can cross languages.

Matching runs spaCy's PhraseMatcher over a Doc built from a paragraph's lemmas (lower-cased,
Russian ё folded to е), one matcher per language. A glossary entry is a lemma or a sequence of
lemmas, written as that language's pipeline produces them; overlapping matches keep the longest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from .config import SUPPORTED
from .lexicons import read_rows
from .nlp import normalize_lemma

GLOSSARY = "concepts.csv"
TERM_SEPARATOR = "|"


@dataclass(frozen=True)
class Concept:
    """One glossary entry: id, English label, category, terms per language, note."""

    concept_id: str
    label_en: str
    category: str
    terms: dict[str, tuple[str, ...]] = field(hash=False)
    note: str = ""


def match_key(lemma: str, code: str) -> str:
    """The form a lemma is matched in: lower case, and ё folded to е for Russian."""
    return normalize_lemma(lemma.lower(), code)


@cache
def load_glossary() -> dict[str, Concept]:
    """The glossary by concept id."""
    concepts = {}
    for row in read_rows(GLOSSARY):
        terms = {
            code: tuple(t for t in (" ".join(x.split()) for x in row.get(code, "").split(TERM_SEPARATOR)) if t)
            for code in SUPPORTED
        }
        concepts[row["concept_id"]] = Concept(
            concept_id=row["concept_id"], label_en=row["label_en"], category=row.get("category", ""),
            terms=terms, note=row.get("note", ""),
        )
    return concepts


def concept_labels() -> dict[str, str]:
    """English label of each concept id."""
    return {cid: c.label_en for cid, c in load_glossary().items()}


class ConceptMatcher:
    """Find concept mentions in sequences of lemmas of one language.

    >>> m = ConceptMatcher("en")
    >>> m.match(["the", "call", "centre", "be", "busy"])  # doctest: +SKIP
    [(1, 3, 'call_centre')]
    """

    def __init__(self, code: str) -> None:
        self.code = code
        self.vocab = Vocab()
        self.matcher = PhraseMatcher(self.vocab)
        patterns: dict[str, list[Doc]] = {}
        for concept in load_glossary().values():
            for term in concept.terms.get(code, ()):
                words = [match_key(w, code) for w in term.split()]
                patterns.setdefault(concept.concept_id, []).append(Doc(self.vocab, words=words))
        for concept_id in sorted(patterns):
            self.matcher.add(concept_id, patterns[concept_id])

    def match(self, lemmas: list[str]) -> list[tuple[int, int, str]]:
        """(start, end, concept_id) of each mention, longest first where they overlap."""
        if not lemmas:
            return []
        doc = Doc(self.vocab, words=[match_key(w, self.code) or "_" for w in lemmas])
        spans = filter_spans([Span(doc, start, end, label=m) for m, start, end in self.matcher(doc)])
        return [(s.start, s.end, s.label_) for s in sorted(spans, key=lambda s: s.start)]


@cache
def get_matcher(code: str) -> ConceptMatcher | None:
    """The matcher for a supported language; None for languages the glossary does not cover."""
    return ConceptMatcher(code) if code in SUPPORTED else None


MENTION_COLUMNS = ["doc_id", "para_id", "i", "language", "concept", "lemmas"]


def map_concepts(tokens: pd.DataFrame, paragraphs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the tokens table's ``concept`` column, matching each paragraph in its own language.

    Returns:
        (tokens, mentions): tokens with ``concept`` set on every token of a mention, and one
        row per mention with its first token index and the lemmas it matched.
    """
    tokens = tokens.copy()
    lang = paragraphs.set_index(["doc_id", "para_id"])["language"]
    concept = [pd.NA] * len(tokens)
    mentions = []
    keys = list(zip(tokens["doc_id"], tokens["para_id"], strict=True))
    lemmas = tokens["lemma"].tolist()
    token_i = tokens["i"].tolist()
    for (doc_id, para_id), rows in _groups(keys):
        code = lang.get((doc_id, para_id), "")
        matcher = get_matcher(code)
        if matcher is None:
            continue
        for start, end, cid in matcher.match([lemmas[r] for r in rows]):
            for r in rows[start:end]:
                concept[r] = cid
            words = " ".join(match_key(lemmas[r], code) for r in rows[start:end])
            mentions.append((doc_id, para_id, token_i[rows[start]], code, cid, words))
    tokens["concept"] = pd.array(concept, dtype="string")
    return tokens, pd.DataFrame(mentions, columns=MENTION_COLUMNS)


def _groups(keys: list[tuple[str, int]]) -> Iterable[tuple[tuple[str, int], list[int]]]:
    """Runs of consecutive equal keys (the tokens table is sorted by paragraph)."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            yield keys[start], list(range(start, i))
            start = i


def coverage(tokens: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Share of content tokens that map to a concept, per paragraph language."""
    lang = paragraphs[["doc_id", "para_id", "language"]]
    content = tokens[tokens["is_content"]].merge(lang, on=["doc_id", "para_id"])
    out = content.groupby("language").agg(
        n_content_tokens=("lemma", "size"), n_mapped=("concept", lambda s: int(s.notna().sum())))
    out["share"] = (out["n_mapped"] / out["n_content_tokens"]).round(4)
    return out.reset_index().sort_values("language", ignore_index=True)
