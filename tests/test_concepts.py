"""Concepts: every glossary entry must be reachable through its language's own pipeline."""

from __future__ import annotations

import pytest

from servicelens.concepts import ConceptMatcher, coverage, load_glossary, map_concepts
from servicelens.config import SUPPORTED
from servicelens.nlp import annotate_texts


def test_glossary_is_broad_and_complete() -> None:
    glossary = load_glossary()
    assert len(glossary) >= 150
    categories = {c.category for c in glossary.values()}
    assert {"people", "channel", "failure", "remedy", "emotion", "money", "time", "policy", "welfare"} <= categories
    for concept in glossary.values():
        assert concept.label_en and concept.note, concept.concept_id
        missing = [code for code in SUPPORTED if not concept.terms[code]]
        assert not missing, (concept.concept_id, missing)


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_every_glossary_entry_matches_through_its_pipeline(code: str) -> None:
    """An entry written in a form the pipeline never produces (ё for е, a split compound, an
    inflected form) would silently never match; run each one through the pipeline."""
    entries = [(c.concept_id, term) for c in load_glossary().values() for term in c.terms[code]]
    matcher = ConceptMatcher(code)
    failures = []
    for (cid, term), (_, tokens) in zip(entries, annotate_texts([t for _, t in entries], code), strict=True):
        lemmas = [t.lemma for t in tokens]
        if not any(found == cid and end - start == len(lemmas) for start, end, found in matcher.match(lemmas)):
            failures.append(f"{cid}: {term!r} -> {lemmas}")
    assert not failures, f"{len(failures)} of {len(entries)} {code} entries never match:\n" + "\n".join(failures)


@pytest.mark.parametrize(
    ("code", "sentence", "expected"),
    [
        ("ru", "Клиенты пожаловались в службу поддержки на долгое ожидание.", {"customer", "complaint"}),
        ("ja", "お客様からの苦情に対して返金しました。", {"customer", "complaint", "refund"}),
        ("hu", "Az ügyfelek panaszt tettek a hosszú várakozás miatt.", {"customer", "complaint"}),
        ("en", "The customers complained about the long wait and asked for a refund.", {"customer", "refund"}),
        ("de", "Die Kunden beschwerten sich und verlangten eine Rückerstattung.", {"customer", "refund"}),
        ("es", "Los clientes presentaron una queja y pidieron un reembolso.", {"customer", "complaint", "refund"}),
        ("fr", "Les clients ont déposé une plainte et demandé un remboursement.", {"customer", "complaint", "refund"}),
    ],
)
def test_inflected_text_maps_to_concepts(code: str, sentence: str, expected: set[str]) -> None:
    ((_, tokens),) = list(annotate_texts([sentence], code))
    found = {cid for _, _, cid in ConceptMatcher(code).match([t.lemma for t in tokens])}
    assert expected <= found, found


def test_seed_coverage_and_mentions(seed_run) -> None:
    tokens, mentions = map_concepts(seed_run.tables["tokens"], seed_run.tables["paragraphs"])
    table = coverage(tokens, seed_run.tables["paragraphs"])
    assert set(table["language"]) == {"ru", "ja", "hu"}
    assert ((table["share"] > 0.2) & (table["share"] <= 1)).all(), table
    assert (mentions["concept"].isin(load_glossary())).all()
    assert tokens.loc[tokens["concept"].notna(), "concept"].isin(load_glossary()).all()
