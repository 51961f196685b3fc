"""Interactive exploration of themes in Jupyter (ipywidgets), and a self-contained HTML topic
map that works offline, opened from disk, with no script fetched from the web."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

from .figures import plot_topic_terms, short_id
from .themes import Matrix, ThemeModel, describe_topics, feature_label


def topic_paragraphs(doc_topics: pd.DataFrame, paragraphs: pd.DataFrame, *, model: str, topic_id: int,
                     n: int = 5) -> pd.DataFrame:
    """The paragraphs that weigh most on a topic, with their language and weight."""
    rows = doc_topics[(doc_topics["model"] == model) & (doc_topics["topic_id"] == topic_id)]
    top = rows.sort_values(["weight", "doc_id", "para_id"], ascending=[False, True, True]).head(n)
    return top.merge(paragraphs, on=["doc_id", "para_id"])[["doc_id", "para_id", "language", "weight", "text"]]


def paragraphs_html(table: pd.DataFrame) -> str:
    """Paragraphs as HTML blocks, quoted in their own language with their weight."""
    return "".join(
        f"<p style='margin:4px 0'><b>{html.escape(short_id(r.doc_id))} ¶{r.para_id}</b> "
        f"<small>[{r.language}, weight {r.weight:.2f}]</small> {html.escape(r.text[:400])}"
        f"{'…' if len(r.text) > 400 else ''}</p>"
        for r in table.itertuples()
    )


def topic_explorer(model: ThemeModel, matrix: Matrix, paragraphs: pd.DataFrame, mentions: pd.DataFrame):
    """Widgets to pick k (refits NMF at that k, a fraction of a second on a few hundred
    paragraphs) and a topic, showing the topic's top terms and its strongest paragraphs."""
    import ipywidgets as widgets
    from IPython.display import HTML, display

    from .themes import concept_words, doc_topics_table

    words = concept_words(mentions)
    fits: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}

    def fitted(k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        if k not in fits:
            m = model if k == model.k_ else ThemeModel(k=k, seed=model.seed, lemma_weight=model.lemma_weight,
                                                      weighting=model.weighting).fit(matrix)
            w = m.transform(matrix)["nmf"]
            fits[k] = (describe_topics(m, "nmf", matrix, w, matrix.counts > 0, words),
                       doc_topics_table("nmf", matrix, w))
        return fits[k]

    ks = model.candidate_ks(matrix.counts.shape[0])
    k_slider = widgets.IntSlider(value=model.k_, min=min(*ks, model.k_), max=max(*ks, model.k_),
                                 description="k (topics)", continuous_update=False)
    topic_slider = widgets.IntSlider(value=0, min=0, max=model.k_ - 1, description="topic",
                                     continuous_update=False)
    out = widgets.Output()

    def render(*_):
        topics, doc_topics = fitted(k_slider.value)
        topic_slider.max = k_slider.value - 1
        t = min(topic_slider.value, k_slider.value - 1)
        one = topics[topics["topic_id"] == t]
        with out:
            out.clear_output(wait=True)
            display(HTML(f"<h4>k = {k_slider.value}, topic {t}: {html.escape(one['label'].iloc[0])}</h4>"))
            display(plot_topic_terms(one.assign(topic_id=t), "nmf", n_terms=10))
            display(HTML(paragraphs_html(topic_paragraphs(doc_topics, paragraphs, model="nmf", topic_id=t))))

    k_slider.observe(render, names="value")
    topic_slider.observe(render, names="value")
    render()
    return widgets.VBox([widgets.HBox([k_slider, topic_slider]), out])


def topic_coordinates(components: np.ndarray) -> np.ndarray:
    """2-D positions of topics by classical multidimensional scaling of the Jensen-Shannon
    distances between their term distributions (as LDAvis does)."""
    k = components.shape[0]
    if k < 3:
        return np.column_stack([np.arange(k, dtype=float), np.zeros(k)])
    d = np.array([[jensenshannon(a, b) ** 2 for b in components] for a in components])
    j = np.eye(k) - np.ones((k, k)) / k
    b = -0.5 * j @ d @ j
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:2]
    coords = vectors[:, order] * np.sqrt(np.maximum(values[order], 0))
    # eigenvector signs are arbitrary: fix them so the map is the same on every run
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), [0, 1]])
    return np.round(coords * np.where(signs == 0, 1, signs), 6)


_MAP_TEMPLATE = Path(__file__).with_name("templates") / "topic_map.html"


def topic_map_html(model: ThemeModel, name: str, matrix: Matrix, weights: np.ndarray, topics: pd.DataFrame,
                   title: str = "Topic map") -> str:
    """A self-contained interactive topic map (inline SVG and JavaScript, no external files)."""
    comp = model.components(name)
    corpus = np.asarray(matrix.counts.sum(axis=0)).ravel()
    corpus = corpus / corpus.sum()
    size = np.asarray(matrix.counts.sum(axis=1)).ravel()
    share = (weights * size[:, None]).sum(axis=0)
    share = share / share.sum()
    coords = topic_coordinates(comp)
    rows = topics[topics["model"] == name].set_index("topic_id")
    data = {"topics": []}
    for t in range(comp.shape[0]):
        idx = np.lexsort((np.arange(comp.shape[1]), -comp[t]))[:40]
        data["topics"].append({
            "id": t, "x": float(coords[t, 0]), "y": float(coords[t, 1]), "share": round(float(share[t]), 6),
            "label": rows.loc[t, "label"], "languages": rows.loc[t, "languages"],
            "terms": [{"label": feature_label(model.features_[j]), "p": round(float(comp[t, j]) + 1e-12, 8),
                       "pc": round(float(corpus[j]) + 1e-12, 8)} for j in idx],
        })
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    page = _MAP_TEMPLATE.read_text(encoding="utf-8")
    return page.replace("__TITLE__", html.escape(title)).replace("__DATA__", payload)


def write_topic_map(path: Path, *args, **kwargs) -> Path:
    """Write :func:`topic_map_html` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(topic_map_html(*args, **kwargs), encoding="utf-8")
    return path
