"""Themes: NPMI against gensim, determinism, cross-lingual topics, saved models."""

from __future__ import annotations

import numpy as np
import pytest

from servicelens.concepts import map_concepts
from servicelens.themes import (
    ThemeModel,
    build_matrix,
    cross_lingual_share,
    npmi,
    paragraph_features,
    run_themes,
    top_terms,
)


@pytest.fixture(scope="module")
def seed_features(seed_run):
    tokens, mentions = map_concepts(seed_run.tables["tokens"], seed_run.tables["paragraphs"])
    return tokens, mentions, paragraph_features(tokens, mentions, seed_run.tables["paragraphs"])


def test_npmi_agrees_with_gensim(seed_features) -> None:
    gensim_models = pytest.importorskip("gensim.models")
    from gensim.corpora import Dictionary

    _, _, features = seed_features
    matrix = build_matrix(features)
    model = ThemeModel(k=5, seed=7).fit(matrix)
    tops = top_terms(model.models_["nmf"].components_, 10)
    ours = npmi(matrix.counts > 0, tops)
    # Each paragraph as a text of its features (in the matrix vocabulary), one window each.
    rows, cols = matrix.counts.nonzero()
    texts = [[] for _ in range(matrix.counts.shape[0])]
    for r, c in zip(rows, cols, strict=True):
        texts[r].extend([matrix.features[c]] * int(matrix.counts[r, c]))
    dictionary = Dictionary(texts)
    cm = gensim_models.CoherenceModel(
        topics=[[matrix.features[j] for j in top] for top in tops], texts=texts, dictionary=dictionary,
        coherence="c_npmi", window_size=max(len(t) for t in texts), processes=1,
    )
    theirs = cm.get_coherence_per_topic()
    assert np.allclose(ours, theirs, atol=1e-9, rtol=0), (ours, theirs)


def test_fits_are_deterministic_under_a_seed(seed_features) -> None:
    _, _, features = seed_features
    matrix = build_matrix(features)
    a = ThemeModel(seed=3).fit(matrix)
    b = ThemeModel(seed=3).fit(matrix)
    assert a.k_ == b.k_
    for name in ("nmf", "lda"):
        assert np.array_equal(a.models_[name].components_, b.models_[name].components_)


def test_k_is_chosen_by_coherence_and_can_be_fixed(seed_features) -> None:
    _, _, features = seed_features
    matrix = build_matrix(features)
    auto = ThemeModel().fit(matrix)
    table = auto.selection_
    assert len(table) >= 3 and table["chosen"].sum() == 1
    best = table["coherence_npmi"].round(2).max()
    assert round(float(table.loc[table["chosen"], "coherence_npmi"].iloc[0]), 2) == best
    assert ThemeModel(k=6).fit(matrix).k_ == 6


def test_seed_topics_cross_languages(seed_run) -> None:
    topics = seed_run.tables["topics"]
    for name in ("nmf", "lda"):
        per_model = topics[topics["model"] == name]
        assert len(per_model) >= 2
        assert cross_lingual_share(per_model) >= 0.5, per_model[["label", "languages"]]


def test_topic_tables_are_consistent(seed_run) -> None:
    t = seed_run.tables
    k = t["topics"].groupby("model").size()
    assert k["nmf"] == k["lda"] == int(t["k_selection"].loc[t["k_selection"]["chosen"], "k"].iloc[0])
    shares = t["article_themes"].groupby(["model", "doc_id"])["share"].sum()
    assert np.allclose(shares, 1, atol=1e-5)
    assert set(t["article_themes"]["doc_id"]) == set(t["documents"]["doc_id"])
    # every concept in a topic's terms is glossed with original-language words
    nmf_terms = t["topics"].loc[t["topics"]["model"] == "nmf", "top_terms"].str.cat(sep="; ")
    assert "(" in nmf_terms and ("клиент" in nmf_terms or "ügyfél" in nmf_terms or "顧客" in nmf_terms)
    key_terms = t["key_terms"]
    assert (key_terms.groupby("doc_id").size() <= 10).all() and (key_terms["score"] > 0).all()


def test_saved_model_scores_new_paragraphs_without_refitting(seed_features, seed_run, tmp_path) -> None:
    tokens, mentions, _ = seed_features
    paragraphs = seed_run.tables["paragraphs"]
    first = run_themes(tokens, mentions, paragraphs, model_dir=tmp_path)
    loaded = ThemeModel.load(tmp_path / "themes.joblib")
    one_doc = paragraphs[paragraphs["doc_id"] == paragraphs["doc_id"].iloc[0]]
    features = paragraph_features(tokens, mentions, one_doc)
    matrix = build_matrix(features, vocabulary=loaded.features_, min_features=1)
    weights = loaded.transform(matrix)
    assert weights["nmf"].shape == (matrix.counts.shape[0], first.model.k_)
    assert np.allclose(weights["nmf"].sum(axis=1), 1)
    # the cache: a second run loads the saved model instead of fitting again
    second = run_themes(tokens, mentions, paragraphs, model_dir=tmp_path)
    assert second.tables["topics"].equals(first.tables["topics"])
