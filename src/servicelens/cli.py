"""Command line: ``python -m servicelens run --raw DIR --out DIR``.

Bad input gives one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .config import DEFAULT_SEED, PROCESSED_DIR, RAW_DIR


def _topics(value: str) -> str:
    if value != "auto" and not (value.isdigit() and int(value) >= 2):
        raise argparse.ArgumentTypeError("must be 'auto' or a whole number of at least 2")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="servicelens",
        description="Compare what multilingual articles about customer service say.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each stage's progress")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="analyse a folder of articles and write the tables",
        description="Ingest, clean, identify languages and annotate every article in RAW, and "
                    "write the tables (documents, dropped_lines, paragraphs, sentences, tokens) "
                    "to OUT as parquet, with CSV copies of the summary tables. A rerun on unchanged "
                    "input and options loads the tables instead; after a change, unchanged paragraphs "
                    "keep their cached annotations (OUT/cache) and an unchanged feature matrix its "
                    "fitted topic model (OUT/models).",
    )
    run.add_argument("--raw", type=Path, default=RAW_DIR,
                     help="input: a folder of .txt, .md, .html and .htm files, or a JSON Lines or CSV file "
                          "with one text per row; never written to (default: data/raw)")
    run.add_argument("--out", type=Path, default=PROCESSED_DIR,
                     help="output folder for the tables, created if missing (default: data/processed)")
    run.add_argument("--topics", type=_topics, default="auto",
                     help="number of topics, or 'auto' to choose by coherence (default: auto)")
    run.add_argument("--seed", type=int, default=DEFAULT_SEED,
                     help=f"random seed for every stochastic step (default: {DEFAULT_SEED})")
    run.add_argument("--jobs", type=int, default=1,
                     help="annotate on a Dask LocalCluster of this many worker processes (default: 1, no cluster)")
    run.add_argument("--scheduler", default=None,
                     help="annotate on an existing Dask cluster at this address (e.g. tcp://10.0.0.5:8786)")
    run.add_argument("--text-col", default="text", help="JSONL/CSV input: the column holding the text (default: text)")
    run.add_argument("--id-col", default=None,
                     help="JSONL/CSV input: the column holding a document id (default: none; rows get <file>:<row>)")
    run.add_argument("--lang-col", default=None,
                     help="JSONL/CSV input: a column of language codes to use instead of detecting the language")

    nb = sub.add_parser(
        "notebooks", help="execute the notebooks headless with papermill",
        description="Execute notebooks/NN_*.ipynb in order with papermill, passing the parameters "
                    "below, and write the executed copies to reports/ as .ipynb and HTML.",
    )
    nb.add_argument("--raw", type=Path, default=RAW_DIR, help="input folder (default: data/raw)")
    nb.add_argument("--out", type=Path, default=PROCESSED_DIR, help="output folder (default: data/processed)")
    nb.add_argument("--topics", type=_topics, default="auto", help="number of topics or 'auto'")
    nb.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    nb.add_argument("--kernel", default="servicelens", help="Jupyter kernel name (default: servicelens)")
    return parser


def _summary(result) -> str:
    docs = result.tables["documents"]
    ok = docs[docs["status"] == "ok"]
    langs = ", ".join(f"{k} {v}" for k, v in ok["language"].value_counts().sort_index().items())
    lines = [
        f"servicelens: {len(ok)} documents analysed, {int((docs['status'] == 'skipped').sum())} skipped, "
        f"{int((docs['status'] == 'duplicate').sum())} duplicates",
        f"  languages: {langs or '-'}",
        f"  paragraphs {len(result.tables['paragraphs'])}, sentences {len(result.tables['sentences'])}, "
        f"tokens {len(result.tables['tokens'])}",
        f"  tables in {result.out_dir}",
    ]
    themes = result.themes
    if themes is not None and themes.model is not None:
        labels = result.tables["topics"].query("model == 'nmf'")["label"].tolist()
        lines.append(f"  themes: k = {themes.model.k_}: " + "; ".join(labels))
    stance = result.tables["stance_articles"]
    counts = stance["stance_label"].value_counts()
    lines.append("  stance on 'the customer is always right': "
                 + ", ".join(f"{n} {label}" for label, n in counts.items()))
    if len(stance) <= 20:  # one line per article fits on a screen
        for row in stance.itertuples():
            lines.append(f"    {row.doc_id}: {row.stance_label} ({row.stance_score:+.2f}, {row.n_evidence} evidence)")
    skipped = docs[docs["status"] != "ok"]
    for row in skipped.head(10).itertuples():
        lines.append(f"  {row.status}: {row.path} ({row.reason})")
    if len(skipped) > 10:
        lines.append(f"  … and {len(skipped) - 10} more: see documents.csv")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from .pipeline import UsageError, load_or_run

    try:
        if args.command == "run":
            result = load_or_run(args.raw, args.out, seed=args.seed, topics=args.topics, text_col=args.text_col,
                                 id_col=args.id_col, lang_col=args.lang_col, jobs=args.jobs,
                                 scheduler=args.scheduler)
            print(_summary(result))
        elif args.command == "notebooks":
            from .notebooks import NotebookError, run_notebooks

            try:
                run_notebooks(raw_dir=args.raw, out_dir=args.out, seed=args.seed,
                              topics=args.topics, kernel=args.kernel)
            except NotebookError as exc:
                raise UsageError(str(exc)) from exc
    except UsageError as exc:
        print(f"servicelens: error: {exc}", file=sys.stderr)
        return 2
    return 0
