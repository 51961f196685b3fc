"""Topic quality against peers: k topics on a whole corpus, fitted three ways on the same tokens
(the project's topic stage, gensim's LdaMulticore and tomotopy's LDA), with the time and the mean
NPMI of each. NPMI is computed the same way for all: top 10 terms, paragraph co-occurrence.

The tokens are the project's paragraph features (concept ids and unmapped content lemmas, the
features in at least two paragraphs), so every model sees exactly the same input.

    .venv/bin/python benchmarks/bench_topics.py --tables OUT [--k 20]

OUT is the output folder of ``servicelens run`` on the corpus. gensim and tomotopy are
benchmark-only dependencies (benchmarks/requirements.txt).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from servicelens.concepts import map_concepts
from servicelens.themes import ThemeModel, build_matrix, npmi, paragraph_features, top_terms

N_TOP = 10


def texts_of(matrix) -> list[list[str]]:
    """Each paragraph as a list of feature tokens, repeated by count."""
    coo = matrix.counts.tocoo()
    texts: list[list[str]] = [[] for _ in range(matrix.counts.shape[0])]
    for r, c, v in zip(coo.row, coo.col, coo.data, strict=True):
        texts[r].extend([matrix.features[c]] * int(v))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=Path, required=True, help="output folder of a run on the corpus")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tomotopy-iterations", type=int, default=500)
    args = parser.parse_args()

    tokens = pd.read_parquet(args.tables / "tokens.parquet")
    paragraphs = pd.read_parquet(args.tables / "paragraphs.parquet")
    tokens, mentions = map_concepts(tokens, paragraphs)
    matrix = build_matrix(paragraph_features(tokens, mentions, paragraphs))
    binary = matrix.counts > 0
    index = {f: j for j, f in enumerate(matrix.features)}
    texts = texts_of(matrix)
    print(f"{matrix.counts.shape[0]} paragraphs, {matrix.counts.shape[1]} features, k = {args.k}")
    rows = []

    start = time.perf_counter()
    model = ThemeModel(k=args.k, seed=args.seed).fit(matrix)
    fit_s = time.perf_counter() - start
    for name in ("nmf", "lda"):
        tops = top_terms(model.models_[name].components_, N_TOP)
        rows.append((f"servicelens {name.upper()} (the topic stage, both models fitted)", fit_s,
                     float(np.nanmean(npmi(binary, tops)))))
    start = time.perf_counter()
    ThemeModel(k=args.k, seed=args.seed)._nmf(args.k, args.seed).fit(model._weight(matrix.counts, fit=False))
    nmf_s = time.perf_counter() - start
    rows.append(("servicelens NMF alone", nmf_s, rows[0][2]))

    try:
        from gensim.corpora import Dictionary
        from gensim.models import LdaMulticore

        dictionary = Dictionary(texts)
        corpus = [dictionary.doc2bow(t) for t in texts]
        start = time.perf_counter()
        lda = LdaMulticore(corpus, id2word=dictionary, num_topics=args.k, passes=5, workers=2,
                           random_state=args.seed)
        gensim_s = time.perf_counter() - start
        tops = [[index[dictionary[i]] for i, _ in lda.get_topic_terms(t, N_TOP)] for t in range(args.k)]
        rows.append(("gensim LdaMulticore, 5 passes", gensim_s, float(np.nanmean(npmi(binary, tops)))))
    except ImportError:
        print("gensim is not installed: skipped")

    try:
        import tomotopy as tp

        mdl = tp.LDAModel(k=args.k, seed=args.seed)
        for t in texts:
            if t:
                mdl.add_doc(t)
        start = time.perf_counter()
        mdl.train(args.tomotopy_iterations, workers=2)
        tomo_s = time.perf_counter() - start
        tops = [[index[w] for w, _ in mdl.get_topic_words(t, top_n=N_TOP)] for t in range(args.k)]
        rows.append((f"tomotopy LDA, {args.tomotopy_iterations} iterations", tomo_s,
                     float(np.nanmean(npmi(binary, tops)))))
    except ImportError:
        print("tomotopy is not installed (pip install -r benchmarks/requirements.txt): skipped")

    print(f"{'model':<60}{'time s':>8}{'mean NPMI':>11}")
    for name, seconds, score in rows:
        print(f"{name:<60}{seconds:>8.1f}{score:>11.3f}")


if __name__ == "__main__":
    main()
