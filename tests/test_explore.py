"""Exploration: the offline topic map and the topic paragraphs."""

from __future__ import annotations

import json
import re

import numpy as np

from servicelens.explore import topic_coordinates, topic_map_html, topic_paragraphs


def test_topic_map_is_self_contained(seed_run) -> None:
    themes = seed_run.themes
    weights = themes.model.transform(themes.matrix)["nmf"]
    page = topic_map_html(themes.model, "nmf", themes.matrix, weights, seed_run.tables["topics"], title="map")
    # no script, stylesheet or font is fetched: nothing refers to another host
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script>" in page and "cdn" not in page.lower()
    data = json.loads(page.split("const DATA = ", 1)[1].split(";\n", 1)[0])
    assert len(data["topics"]) == themes.model.k_
    assert abs(sum(t["share"] for t in data["topics"]) - 1) < 1e-4
    assert all(t["terms"] for t in data["topics"])


def test_topic_coordinates_follow_the_topics_not_the_eigensolver() -> None:
    """Reordering the topics reorders their positions and nothing else: the eigenvectors' signs
    are fixed, so the map does not mirror from one fit to the next."""
    rng = np.random.default_rng(0)
    comp = rng.dirichlet(np.ones(30), size=5)
    perm = np.array([3, 0, 4, 1, 2])
    a = topic_coordinates(comp)
    assert np.allclose(topic_coordinates(comp[perm]), a[perm], atol=1e-6)
    assert len({tuple(row) for row in a}) == 5


def test_topic_paragraphs_are_the_heaviest(seed_run) -> None:
    t = seed_run.tables
    top = topic_paragraphs(t["doc_topics"], t["paragraphs"], model="nmf", topic_id=0, n=3)
    assert len(top) == 3 and top["weight"].is_monotonic_decreasing
    assert top["text"].str.len().gt(0).all()
