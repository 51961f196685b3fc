"""Themes: cross-lingual topic models over paragraphs.

Each paragraph becomes a bag of *features*: concept ids from the glossary (``c:refund``), which
all languages share, plus the content lemmas that no concept covers (``l:ru:сотрудник``), which
keep what the glossary misses. :class:`ThemeModel` fits scikit-learn's NMF (on binary
occurrence by default) and LDA (on counts) to the paragraph × feature matrix and chooses k by
coherence.

Why binary occurrence, with lemmas weighted as concepts: measured on the 80,875 texts of the
shared corpus at k = 20, NMF reaches a mean NPMI of 0.25 in 2.8 s this way, against 0.10 on
sublinear tf-idf and 0.20 for tomotopy's LDA in 52 s (benchmarks/results.md). Raw counts score
a little higher there (0.28) but choose a less readable k on small corpora; tf-idf's idf lifts
rare features that co-occur with nothing.

Choosing k: for each k in the range, NMF is fitted and scored by the mean NPMI of its topics'
top terms, computed on paragraph co-occurrence (see :func:`npmi`). Scores are compared rounded
to two decimals; ties go to the higher topic diversity (share of distinct top terms), then to
the higher stability (mean best-match Jaccard overlap of top terms with two refits from random
starts under other seeds), then to the smaller k. LDA is then fitted once at the chosen k.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import TfidfTransformer
from tqdm.auto import tqdm

from .concepts import concept_labels

EPSILON = 1e-12  # as gensim's c_npmi, so the two agree
CONCEPT_PREFIX = "c:"
LEMMA_PREFIX = "l:"
FEATURE_COLUMNS = ["doc_id", "para_id", "language", "feature", "count"]
ROUND = 6  # decimals kept in tables: hides BLAS noise, keeps bytes stable


def paragraph_features(tokens: pd.DataFrame, mentions: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The long feature table: one row per (paragraph, feature) with its count.

    Features are concept mentions (``c:<concept_id>``) and content lemmas outside any mention
    (``l:<language>:<lemma>``).
    """
    lang = paragraphs[["doc_id", "para_id", "language"]]
    concepts = mentions.assign(feature=CONCEPT_PREFIX + mentions["concept"])[["doc_id", "para_id", "feature"]]
    free = tokens[tokens["is_content"] & tokens["concept"].isna()].merge(lang, on=["doc_id", "para_id"])
    lemmas = free.assign(feature=LEMMA_PREFIX + free["language"] + ":" + free["lemma"].str.lower())
    both = pd.concat([concepts, lemmas[["doc_id", "para_id", "feature"]]], ignore_index=True)
    counts = both.groupby(["doc_id", "para_id", "feature"], sort=True).size().rename("count").reset_index()
    return counts.merge(lang, on=["doc_id", "para_id"])[FEATURE_COLUMNS]


def feature_label(feature: str, labels: dict[str, str] | None = None) -> str:
    """A readable name: the English label of a concept, or the lemma itself."""
    if feature.startswith(CONCEPT_PREFIX):
        cid = feature[len(CONCEPT_PREFIX):]
        return (labels or concept_labels()).get(cid, cid)
    return feature.split(":", 2)[-1]


@dataclass
class Matrix:
    """A paragraph × feature count matrix with its row and column keys."""

    counts: sparse.csr_matrix
    rows: pd.DataFrame  # doc_id, para_id, language
    features: list[str]


def build_matrix(features: pd.DataFrame, *, min_df: int = 2, vocabulary: Sequence[str] | None = None,
                 min_features: int = 2) -> Matrix:
    """Count matrix over features in at least ``min_df`` paragraphs (or a given vocabulary),
    keeping paragraphs with at least ``min_features`` feature occurrences."""
    derived = vocabulary is None
    if derived:
        df = features.groupby("feature")["doc_id"].size()
        vocabulary = sorted(df.index[df >= min_df])
    index = {f: j for j, f in enumerate(vocabulary)}
    kept = features[features["feature"].isin(index)]
    sizes = kept.groupby(["doc_id", "para_id"])["count"].sum()
    rows = sizes[sizes >= min_features].reset_index()[["doc_id", "para_id"]]
    rows = rows.merge(features[["doc_id", "para_id", "language"]].drop_duplicates(), on=["doc_id", "para_id"])
    rows = rows.sort_values(["doc_id", "para_id"], ignore_index=True)
    row_index = {(d, p): i for i, (d, p) in enumerate(zip(rows["doc_id"], rows["para_id"], strict=True))}
    kept = kept[np.array([k in row_index for k in zip(kept["doc_id"], kept["para_id"], strict=True)], dtype=bool)]
    counts = sparse.csr_matrix(
        (kept["count"].to_numpy(dtype=np.float64),
         ([row_index[k] for k in zip(kept["doc_id"], kept["para_id"], strict=True)],
          kept["feature"].map(index).to_numpy())),
        shape=(len(rows), len(vocabulary)),
    )
    if derived:  # features whose paragraphs were all too thin to keep would have empty columns
        keep = np.asarray(counts.sum(axis=0)).ravel() > 0
        counts, vocabulary = counts[:, keep], [f for f, k in zip(vocabulary, keep, strict=True) if k]
    return Matrix(counts=counts, rows=rows, features=list(vocabulary))


def npmi(binary: sparse.spmatrix, topics: Sequence[Sequence[int]], *, eps: float = EPSILON) -> list[float]:
    """Mean NPMI of each topic's terms over paragraph co-occurrence.

    ``binary`` is paragraphs × features (nonzero = occurs). For terms i and j,
    NPMI = log((p_ij + eps) / (p_i p_j)) / -log(p_ij + eps) with probabilities over paragraphs,
    averaged over all pairs of the topic's terms: gensim's ``c_npmi`` with a window as large as
    the longest paragraph. Only the columns of a topic's terms are touched, so the cost is
    linear in the number of paragraphs and never quadratic in the vocabulary.
    """
    binary = sparse.csc_matrix(binary, dtype=np.float64)
    binary.data[:] = 1.0
    n = binary.shape[0]
    out = []
    for terms in topics:
        terms = list(terms)
        if len(terms) < 2:
            out.append(float("nan"))
            continue
        sub = binary[:, terms]
        co = (sub.T @ sub).toarray() / n
        p = np.diag(co).copy()
        num = np.log((co + eps) / np.outer(p, p))
        val = num / -np.log(co + eps)
        mask = ~np.eye(len(terms), dtype=bool)
        out.append(float(val[mask].mean()))
    return out


def top_terms(components: np.ndarray, n_top: int) -> list[list[int]]:
    """Indices of each topic's ``n_top`` heaviest features (ties broken by feature index)."""
    return [list(np.lexsort((np.arange(row.size), -row))[:n_top]) for row in components]


def _jaccard_stability(a: list[list[int]], b: list[list[int]]) -> float:
    sets_b = [set(t) for t in b]
    return float(np.mean([max(len(set(t) & s) / len(set(t) | s) for s in sets_b) for t in a]))


@dataclass
class ThemeModel:
    """NMF and LDA topics over paragraph features, with k chosen by coherence.

    Follows scikit-learn's conventions: ``__init__`` stores parameters, :meth:`fit` learns,
    :meth:`transform` scores new paragraphs without refitting.

    Args:
        k: number of topics, or "auto" to choose over ``k_range``.
        k_range: candidate k for "auto" (clipped to what the corpus supports).
        weighting: "binary" (occurrence), "tf" (counts) or "tfidf" (sublinear tf, l2 rows), for NMF.
        lemma_weight: factor on unmapped-lemma columns relative to concepts (below 1 favours
            cross-lingual concepts).
        min_df: a feature must occur in this many paragraphs.
        n_top: terms per topic, for coherence and labels.
        seed: random seed for every fit.
    """

    k: int | str = "auto"
    k_range: tuple[int, int] = (3, 10)
    weighting: str = "binary"
    lemma_weight: float = 1.0
    min_df: int = 2
    n_top: int = 10
    seed: int = 42
    # learned
    features_: list[str] = field(default_factory=list)
    k_: int = 0
    selection_: pd.DataFrame | None = None
    models_: dict[str, object] = field(default_factory=dict)
    idf_: TfidfTransformer | None = None

    def _weight(self, counts: sparse.csr_matrix, *, fit: bool) -> sparse.csr_matrix:
        scale = np.array([1.0 if f.startswith(CONCEPT_PREFIX) else self.lemma_weight for f in self.features_])
        if self.weighting == "binary":
            x = (counts > 0).astype(np.float64)
        elif self.weighting == "tf":
            x = counts.astype(np.float64)
        elif self.weighting == "tfidf":
            if fit:
                self.idf_ = TfidfTransformer(sublinear_tf=True).fit(counts)
            x = self.idf_.transform(counts)
        else:
            raise ValueError(f"unknown weighting {self.weighting!r}: use tfidf, tf or binary")
        return sparse.csr_matrix(x.multiply(scale[None, :]))

    def _nmf(self, k: int, seed: int, init: str = "nndsvda") -> NMF:
        return NMF(n_components=k, init=init, random_state=seed, max_iter=500, tol=1e-4)

    def _lda(self, n_rows: int) -> LatentDirichletAllocation:
        # Batch EM on small corpora; on large ones, online variational Bayes in large
        # minibatches (sklearn's default of 128 rows means thousands of E-steps per pass).
        if n_rows < 5000:
            return LatentDirichletAllocation(n_components=self.k_, random_state=self.seed, max_iter=50)
        return LatentDirichletAllocation(n_components=self.k_, random_state=self.seed, learning_method="online",
                                         batch_size=4096, max_iter=10, learning_offset=10.0)

    def candidate_ks(self, n_rows: int) -> list[int]:
        """The k tried in "auto": the range, capped so each topic has paragraphs to stand on."""
        low, high = self.k_range
        high = max(low, min(high, n_rows // 6))
        return list(range(low, high + 1))

    def fit(self, matrix: Matrix) -> ThemeModel:
        """Choose k (unless fixed) and fit NMF and LDA."""
        self.features_ = matrix.features
        x = self._weight(matrix.counts, fit=True)
        binary = matrix.counts > 0
        ks = [int(self.k)] if self.k != "auto" else self.candidate_ks(matrix.counts.shape[0])
        rows = []
        for k in tqdm(ks, desc="choose k", unit="k", disable=None, leave=False):
            nmf = self._nmf(k, self.seed).fit(x)
            tops = top_terms(nmf.components_, self.n_top)
            scores = npmi(binary, tops)
            refits = [] if len(ks) == 1 else [  # stability only matters when choosing between k
                top_terms(self._nmf(k, self.seed + i, "random").fit(x).components_, self.n_top) for i in (1, 2)]
            rows.append({
                "k": k, "coherence_npmi": float(np.nanmean(scores)),
                "diversity": len({t for top in tops for t in top}) / (k * self.n_top),
                "stability": float(np.mean([_jaccard_stability(tops, r) for r in refits])) if refits else np.nan,
            })
        table = pd.DataFrame(rows)
        ranked = table.assign(_c=table["coherence_npmi"].round(2), _d=table["diversity"].round(2),
                              _s=table["stability"].round(2), _k=-table["k"])
        best = ranked.sort_values(["_c", "_d", "_s", "_k"], ascending=False).iloc[0]
        self.k_ = int(best["k"])
        self.selection_ = table.assign(chosen=table["k"] == self.k_).round(ROUND)
        self.models_ = {
            "nmf": self._nmf(self.k_, self.seed).fit(x),
            "lda": self._lda(matrix.counts.shape[0]).fit(matrix.counts),
        }
        return self

    def transform(self, matrix: Matrix) -> dict[str, np.ndarray]:
        """Topic weights of each paragraph per model, rows normalised to sum to 1."""
        if matrix.features != self.features_:
            raise ValueError("matrix built on another vocabulary: use build_matrix(..., vocabulary=model.features_)")
        out = {}
        for name, model in self.models_.items():
            w = model.transform(self._weight(matrix.counts, fit=False) if name == "nmf" else matrix.counts)
            sums = w.sum(axis=1, keepdims=True)
            out[name] = np.divide(w, sums, out=np.zeros_like(w), where=sums > 0)
        return out

    def components(self, name: str) -> np.ndarray:
        """Topic × feature weights, rows normalised to sum to 1."""
        comp = np.asarray(self.models_[name].components_, dtype=np.float64)
        return comp / comp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        """Pickle the fitted model (joblib), for notebooks and for scoring new documents."""
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path)

    @staticmethod
    def load(path: Path) -> ThemeModel:
        """Load a model saved with :meth:`save`."""
        return joblib.load(path)


def model_key(features: pd.DataFrame, model: ThemeModel) -> str:
    """Cache key: the feature table's content and the model's parameters."""
    h = hashlib.sha256(pd.util.hash_pandas_object(features, index=False).to_numpy().tobytes())
    h.update(repr((model.k, model.k_range, model.weighting, model.lemma_weight, model.min_df,
                   model.n_top, model.seed)).encode())
    return h.hexdigest()[:20]


def concept_words(mentions: pd.DataFrame, per_language: int = 2) -> dict[str, str]:
    """The original-language words behind each concept in this corpus: its most frequent
    matched lemmas per language, e.g. ``customer -> "клиент, покупатель / お客様 / ügyfél"``."""
    counts = mentions.groupby(["concept", "language", "lemmas"]).size().rename("n").reset_index()
    counts = counts.sort_values(["concept", "language", "n", "lemmas"], ascending=[True, True, False, True])
    out = {}
    for cid, group in counts.groupby("concept", sort=True):
        parts = [", ".join(g["lemmas"].head(per_language)) for _, g in group.groupby("language", sort=True)]
        out[cid] = " / ".join(parts)
    return out


def describe_topics(model: ThemeModel, name: str, matrix: Matrix, weights: np.ndarray,
                    binary: sparse.spmatrix, words: dict[str, str]) -> pd.DataFrame:
    """The topics table for one model: label, top terms with glosses, weights, languages and
    coherence."""
    labels = concept_labels()
    comp = model.components(name)
    tops = top_terms(comp, model.n_top)
    coherence = npmi(binary, tops)
    lang = matrix.rows["language"].to_numpy()
    rows = []
    for t, top in enumerate(tops):
        feats = [model.features_[j] for j in top]
        concepts = [f for f in feats if f.startswith(CONCEPT_PREFIX)]
        label = " · ".join(feature_label(f, labels) for f in (concepts or feats)[:3])
        terms = []
        for f in feats:
            gloss = words.get(f[len(CONCEPT_PREFIX):], "") if f.startswith(CONCEPT_PREFIX) else f.split(":")[1]
            terms.append(f"{feature_label(f, labels)} ({gloss})" if gloss else feature_label(f, labels))
        col = weights[:, t]
        total = col.sum()
        shares = {code: col[lang == code].sum() / total for code in sorted(set(lang))} if total else {}
        shares = sorted(((c, s) for c, s in shares.items() if s >= 0.005), key=lambda x: (-x[1], x[0]))
        rows.append({
            "model": name, "topic_id": t, "label": label, "top_terms": "; ".join(terms),
            "weights": "; ".join(f"{comp[t, j]:.4f}" for j in top),
            "languages": "; ".join(f"{c} {s:.2f}" for c, s in shares),
            "n_languages_15": sum(s >= 0.15 for _, s in shares),
            "coherence_npmi": round(coherence[t], ROUND),
        })
    return pd.DataFrame(rows)


def doc_topics_table(name: str, matrix: Matrix, weights: np.ndarray, min_weight: float = 0.01) -> pd.DataFrame:
    """Long table of paragraph topic weights (weights under ``min_weight`` left out)."""
    r, t = np.nonzero(weights >= min_weight)
    return pd.DataFrame({
        "model": name, "doc_id": matrix.rows["doc_id"].to_numpy()[r],
        "para_id": matrix.rows["para_id"].to_numpy()[r], "topic_id": t,
        "weight": np.round(weights[r, t], ROUND),
    })


def article_themes_table(name: str, matrix: Matrix, weights: np.ndarray) -> pd.DataFrame:
    """Each article's theme profile: topic shares, paragraphs weighted by their feature count."""
    size = np.asarray(matrix.counts.sum(axis=1)).ravel()
    frame = pd.DataFrame(weights * size[:, None]).assign(doc_id=matrix.rows["doc_id"].to_numpy())
    sums = frame.groupby("doc_id", sort=True).sum()
    shares = sums.div(sums.sum(axis=1), axis=0)
    long = shares.stack().rename("share").reset_index().rename(columns={"level_1": "topic_id"})
    return long.assign(model=name, share=long["share"].round(ROUND))[["model", "doc_id", "topic_id", "share"]]


def key_terms_table(features: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Each article's key terms by class-based tf-idf (c-TF-IDF): a term's share of the
    article's features times log(1 + A / f), where A is the mean number of feature occurrences
    per article and f the term's occurrences in the whole corpus."""
    labels = concept_labels()
    per_doc = features.groupby(["doc_id", "feature"], sort=True)["count"].sum().reset_index()
    doc_total = per_doc.groupby("doc_id")["count"].transform("sum")
    term_total = per_doc.groupby("feature")["count"].transform("sum")
    avg = per_doc.groupby("doc_id")["count"].sum().mean()
    per_doc["score"] = (per_doc["count"] / doc_total * np.log1p(avg / term_total)).round(ROUND)
    top = per_doc.sort_values(["doc_id", "score", "feature"], ascending=[True, False, True]).groupby("doc_id").head(n)
    is_concept = top["feature"].str.startswith(CONCEPT_PREFIX)
    return pd.DataFrame({
        "doc_id": top["doc_id"],
        "term": [feature_label(f, labels) for f in top["feature"]],
        "concept": np.where(is_concept, top["feature"].str[len(CONCEPT_PREFIX):], ""),
        "score": top["score"],
    }).reset_index(drop=True)


def cross_lingual_share(topics: pd.DataFrame) -> float:
    """Share of topics that draw at least 15% of their weight from each of two or more
    languages (``n_languages_15`` in the topics table)."""
    return float((topics["n_languages_15"] >= 2).mean()) if len(topics) else math.nan


@dataclass
class ThemeResult:
    """What the themes stage produces: tables, the fitted model and its matrix."""

    tables: dict[str, pd.DataFrame]
    model: ThemeModel | None
    matrix: Matrix | None
    mentions: pd.DataFrame | None = None


THEME_TABLES = {
    "topics": ["model", "topic_id", "label", "top_terms", "weights", "languages", "n_languages_15",
               "coherence_npmi"],
    "doc_topics": ["model", "doc_id", "para_id", "topic_id", "weight"],
    "article_themes": ["model", "doc_id", "topic_id", "share"],
    "k_selection": ["k", "coherence_npmi", "diversity", "stability", "chosen"],
}


def run_themes(tokens: pd.DataFrame, mentions: pd.DataFrame, paragraphs: pd.DataFrame, *,
               topics: str | int = "auto", seed: int = 42, model_dir: Path | None = None) -> ThemeResult:
    """Build the matrix, fit (or load the cached fit of) the models, and derive the tables.

    The fitted model is saved as ``model_dir/themes.joblib``; it is reused when the features
    and parameters are unchanged (their hash is kept beside it).
    """
    features = paragraph_features(tokens, mentions, paragraphs)
    empty = {name: pd.DataFrame(columns=cols) for name, cols in THEME_TABLES.items()}
    if features.empty:  # nothing but stopwords and punctuation
        return ThemeResult({**empty, "key_terms": pd.DataFrame(columns=["doc_id", "term", "concept", "score"])},
                           None, None, mentions)
    key_terms = key_terms_table(features)
    matrix = build_matrix(features, min_df=ThemeModel.min_df)
    n_rows, n_feats = matrix.counts.shape
    k = int(topics) if str(topics) != "auto" else "auto"
    if n_rows < 4 or n_feats < 4:  # too little text for topics; key terms still say something
        return ThemeResult({**empty, "key_terms": key_terms}, None, None, mentions)
    model = ThemeModel(k=k if k == "auto" else min(k, n_rows - 1, n_feats - 1), seed=seed)
    key = model_key(features, model)
    path = model_dir / "themes.joblib" if model_dir else None
    key_file = path.with_suffix(".key") if path is not None else None
    if key_file is not None and path.exists() and key_file.exists() and key_file.read_text().strip() == key:
        model = ThemeModel.load(path)
    else:
        model.fit(matrix)
        if path is not None:
            model.save(path)
            path.with_suffix(".key").write_text(key + "\n")
    weights = model.transform(matrix)
    binary = matrix.counts > 0
    words = concept_words(mentions)
    tables = {
        "topics": pd.concat([describe_topics(model, n, matrix, weights[n], binary, words) for n in ("lda", "nmf")],
                            ignore_index=True),
        "doc_topics": pd.concat([doc_topics_table(n, matrix, weights[n]) for n in ("lda", "nmf")], ignore_index=True),
        "article_themes": pd.concat([article_themes_table(n, matrix, weights[n]) for n in ("lda", "nmf")],
                                    ignore_index=True),
        "k_selection": model.selection_,
        "key_terms": key_terms,
    }
    return ThemeResult(tables, model, matrix, mentions)
