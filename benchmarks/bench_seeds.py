"""Token throughput per language on the seed corpus: the project's annotation into columns
(``annotate_batch``, what the annotate stage runs) against a bare ``nlp.pipe`` loop over the
same pipelines (the ceiling). Prints a table.

    .venv/bin/python benchmarks/bench_seeds.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import time

from servicelens.config import RAW_DIR
from servicelens.ingest import read_folder
from servicelens.nlp import annotate_batch, get_pipeline
from servicelens.pipeline import prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the seed paragraphs")
    args = parser.parse_args()
    paragraphs = prepare(read_folder(RAW_DIR)).paragraphs
    print(f"{'lang':<5}{'paragraphs':>11}{'tokens':>8}{'bare tok/s':>12}{'project tok/s':>15}{'ratio':>7}")
    for code, group in paragraphs.groupby("language"):
        texts = group["text"].tolist() * args.repeat
        pipe = get_pipeline(code)
        list(pipe.nlp.pipe(texts[:5]))  # warm up caches and lazy loading
        start = time.perf_counter()
        n_tokens = sum(len(doc) for doc in pipe.nlp.pipe(texts, batch_size=256))
        bare = n_tokens / (time.perf_counter() - start)
        start = time.perf_counter()
        annotate_batch(texts, code)
        ours = n_tokens / (time.perf_counter() - start)
        print(f"{code:<5}{len(group):>11}{n_tokens // args.repeat:>8}{bare:>12,.0f}{ours:>15,.0f}{ours / bare:>7.2f}")


if __name__ == "__main__":
    main()
