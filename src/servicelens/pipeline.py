"""The stages wired together: ingest -> clean -> language -> annotate -> concepts -> themes ->
stance, writing the tables listed in the README to an output folder. The CLI, the notebooks and
the tests all call these functions."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import logging
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from . import __version__
from .clean import CleanDocument, clean_text, split_plain
from .concepts import coverage, map_concepts
from .config import DEFAULT_SEED, LEXICON_DIR
from .ingest import DecodeError, RawDocument, discover, is_record_file, read_folder, read_records
from .language import assign_languages_batch, language_from_hint, release_detector
from .nlp import annotate_batch, get_pipeline, pipeline_code, pipeline_key, pipeline_name, release_pipelines
from .parallel import CHUNK, dask_client
from .stance import score_articles, score_sentences
from .tables import SCHEMAS, read_table, write_json, write_parquet, write_table
from .themes import ThemeResult, run_themes

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
SENT_CACHE_COLUMNS = ["key", "s_idx", "start", "end", "text"]
TOKEN_CACHE_COLUMNS = ["key", "s_idx", "i", "text", "lemma", "pos", "is_stop", "is_content"]
MODEL_DIR = "models"
_PACKAGES = ("spacy", "pymorphy3", "sudachipy", "simplemma", "lingua-language-detector",
             "pandas", "pyarrow", "scikit-learn", "numpy", "matplotlib", "charset-normalizer")


class UsageError(Exception):
    """Bad input the user can fix: reported as one line on stderr, never as a traceback."""


@dataclass
class Corpus:
    """The prepared corpus: one row per input file plus cleaned paragraphs."""

    documents: pd.DataFrame
    dropped_lines: pd.DataFrame
    paragraphs: pd.DataFrame


@dataclass
class RunResult:
    """What a run produced, for the summary and for ``run.json``."""

    out_dir: Path
    tables: dict[str, pd.DataFrame]
    timings: dict[str, float] = field(default_factory=dict)
    themes: ThemeResult | None = None


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - start, 3)
    log.info("%s: %.2f s", stage, timings[stage])


def prepare(docs: list[RawDocument]) -> Corpus:
    """Clean every ``ok`` document, identify languages, and build the documents, dropped-lines
    and paragraphs tables. A document that cleaning empties becomes ``skipped``."""
    doc_rows, dropped_rows, cleaned = [], [], {}
    for doc in tqdm(docs, desc="clean", unit="doc", disable=None, leave=False):
        row = {
            "doc_id": doc.doc_id, "path": doc.path, "sha256": doc.sha256,
            "encoding": doc.encoding, "status": doc.status, "reason": doc.reason,
            # n_chars_raw: the decoded text before cleaning (after HTML extraction for a page)
            "language": "", "pipeline": "", "title": "", "n_chars_raw": len(doc.text),
            "n_chars_clean": 0, "n_paragraphs": 0, "n_sentences": 0, **doc.extra,
        }
        doc_rows.append(row)
        if doc.status != "ok":
            continue
        result: CleanDocument = split_plain(doc.text) if doc.record else clean_text(doc.text, title_hint=doc.title_hint)
        dropped_rows += [(doc.doc_id, line, text, rule) for line, text, rule in doc.html_dropped]
        dropped_rows += [(doc.doc_id, line, text, rule) for line, text, rule in result.dropped]
        if not result.paragraphs:
            row["status"], row["reason"] = "skipped", "no text left after removing boilerplate"
            continue
        cleaned[len(doc_rows) - 1] = (doc, result)
    # Languages: given with the input, or detected for all documents in one batch.
    hinted = {i: language_from_hint(doc.language_hint) for i, (doc, _) in cleaned.items() if doc.language_hint}
    todo = [i for i in cleaned if not hinted.get(i)]
    detected = dict(zip(todo, assign_languages_batch([cleaned[i][1].paragraphs for i in todo]), strict=True))
    para_rows = []
    for i, (doc, result) in cleaned.items():
        if hinted.get(i):
            doc_lang, para_langs = hinted[i], [hinted[i]] * len(result.paragraphs)
        else:
            doc_lang, para_langs = detected[i]
        codes = sorted({pipeline_code(lang) for lang in para_langs}, key=lambda c: c != doc_lang)
        doc_rows[i].update(
            language=doc_lang, title=result.title, n_chars_clean=len(result.text),
            n_paragraphs=len(result.paragraphs), pipeline="+".join(pipeline_name(c) for c in codes),
        )
        for para_id, (text, (start, end), lang) in enumerate(zip(result.paragraphs, result.spans(), para_langs,
                                                                 strict=True)):
            para_rows.append((doc.doc_id, para_id, lang, text, start, end))
    return Corpus(
        documents=pd.DataFrame(doc_rows),
        dropped_lines=pd.DataFrame(dropped_rows, columns=SCHEMAS["dropped_lines"]),
        paragraphs=pd.DataFrame(para_rows, columns=SCHEMAS["paragraphs"]),
    )


def _cache_keys(paragraphs: pd.DataFrame) -> pd.Series:
    keys = {code: pipeline_key(code) for code in paragraphs["language"].map(pipeline_code).unique()}
    return pd.Series(
        [
            hashlib.sha256(f"{keys[pipeline_code(lang)]}\n{text}".encode()).hexdigest()[:24]
            for lang, text in zip(paragraphs["language"], paragraphs["text"], strict=True)
        ],
        index=paragraphs.index, dtype="string",
    )


def annotate(paragraphs: pd.DataFrame, *, cache_dir: Path | None = None, client: object | None = None,
             timings: dict[str, float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and tokens of every paragraph, each through its language's pipeline.

    Annotations are cached in ``cache_dir`` by a hash of the paragraph text, the pipeline's
    recipe and version and the stopword resources: a rerun on unchanged input runs no spaCy.
    With a Dask ``client``, chunks of paragraphs are annotated on its workers; the tables are
    the same either way.
    """
    keys = _cache_keys(paragraphs)
    cached_s = cached_t = None
    if cache_dir is not None and (cache_dir / "sentences.parquet").exists():
        cached_s = pd.read_parquet(cache_dir / "sentences.parquet")
        cached_t = pd.read_parquet(cache_dir / "tokens.parquet")
        have = set(cached_s["key"])
    else:
        have = set()
    todo = paragraphs.assign(key=keys).loc[lambda d: ~d["key"].isin(have)].drop_duplicates("key")
    groups = list(todo.groupby(todo["language"].map(pipeline_code), sort=True))
    if client is None:
        # Loading the models (lookup tables, dictionaries) is timed apart from annotating.
        with _timed(timings if timings is not None else {}, "load_pipelines"):
            for code, _ in groups:
                get_pipeline(code)
    chunks = [(code, group.iloc[i:i + CHUNK]) for code, group in groups for i in range(0, len(group), CHUNK)]
    if client is None:
        work = ((ch["key"], annotate_batch(ch["text"].tolist(), code)) for code, ch in chunks)
    else:
        futures = client.map(annotate_batch, [ch["text"].tolist() for _, ch in chunks], [c for c, _ in chunks],
                             pure=False)
        work = ((ch["key"], out) for (_, ch), out in zip(chunks, client.gather(futures), strict=True))
    sent_parts, tok_parts = [], []
    # spaCy allocates container objects by the million in this loop (Docs, their lists and
    # dicts), none of them in cycles: the cyclic collector's repeated scans are pure cost.
    # Pause it for the loop.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with tqdm(total=len(todo), desc="annotate", unit="para", disable=None, leave=False) as bar:
            for chunk_keys, (sentences, tokens) in work:
                sent_parts.append(_keyed(sentences, chunk_keys, SENT_CACHE_COLUMNS))
                tok_parts.append(_keyed(tokens, chunk_keys, TOKEN_CACHE_COLUMNS))
                bar.update(len(chunk_keys))
    finally:
        if collecting:
            gc.enable()

    log.info("annotate: %d paragraphs from cache, %d annotated", len(paragraphs) - len(todo), len(todo))
    sent_cache = pd.concat(sent_parts or [pd.DataFrame(columns=SENT_CACHE_COLUMNS)], ignore_index=True)
    tok_cache = pd.concat(tok_parts or [pd.DataFrame(columns=TOKEN_CACHE_COLUMNS)], ignore_index=True)
    del sent_parts, tok_parts
    if cached_s is not None:
        sent_cache = pd.concat([cached_s[cached_s["key"].isin(set(keys))], sent_cache], ignore_index=True)
        tok_cache = pd.concat([cached_t[cached_t["key"].isin(set(keys))], tok_cache], ignore_index=True)
    sent_index, tok_index = _KeyIndex(sent_cache, "s_idx"), _KeyIndex(tok_cache, "i")
    if cache_dir is not None and len(todo):
        write_parquet(sent_index.sorted_table(), cache_dir / "sentences.parquet")
        write_parquet(tok_index.sorted_table(), cache_dir / "tokens.parquet")
    return _assemble(paragraphs.assign(key=keys), sent_index, tok_index)


class _KeyIndex:
    """A cache table's rows in (key, ``within``) order, and where each key's rows are. The
    order is computed on integer key codes (a string sort of millions of keys is slow) and
    makes the cache file independent of which paragraphs were annotated when."""

    def __init__(self, table: pd.DataFrame, within: str) -> None:
        keys = pd.Categorical(table["key"])  # categories: the distinct keys, sorted
        self.table, self.keys = table, keys.categories
        self.order = np.lexsort((table[within].to_numpy(), keys.codes))
        self.codes = keys.codes[self.order]

    def sorted_table(self) -> pd.DataFrame:
        return self.table.take(self.order).reset_index(drop=True)

    def rows(self, keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Positions in the table of the rows of each of ``keys``, one block after another
        (a key that is missing has none), and each block's length."""
        where = self.keys.get_indexer(keys)
        starts = np.searchsorted(self.codes, where, side="left")
        lengths = np.searchsorted(self.codes, where, side="right") - starts
        lengths[where < 0] = 0
        offsets = np.cumsum(lengths) - lengths
        return self.order[np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))], lengths


def _assemble(paras: pd.DataFrame, sent_index: _KeyIndex,
              tok_index: _KeyIndex) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sentences and tokens tables: each paragraph's cached rows, in (doc_id, para_id) order,
    placed by position rather than joined (the joins and sorts of 1.5 million rows were most of
    the stage's own time). ``sent_id`` counts sentences through the document."""
    paras = paras.sort_values(["doc_id", "para_id"], kind="stable", ignore_index=True)
    at, s_len = sent_index.rows(paras["key"])
    # the document's sentences before each paragraph
    before = np.cumsum(s_len) - s_len
    doc_first = paras.groupby("doc_id", sort=False)["para_id"].transform("idxmin").to_numpy()
    offset = before - before[doc_first]

    def per_paragraph(column: str, lengths: np.ndarray):
        return paras[column].array.take(np.repeat(np.arange(len(paras)), lengths))

    # Each column is gathered once, straight from the cache into the table, and stays in its
    # own array type (a string column through numpy objects would be converted twice).
    cache = sent_index.table
    para_start = np.repeat(paras["start"].to_numpy(), s_len)
    sentences = pd.DataFrame({
        "doc_id": per_paragraph("doc_id", s_len),
        "para_id": per_paragraph("para_id", s_len),
        "sent_id": np.repeat(offset, s_len) + cache["s_idx"].to_numpy()[at],
        "language": per_paragraph("language", s_len),
        "text": cache["text"].array.take(at),
        "start": para_start + cache["start"].to_numpy()[at],
        "end": para_start + cache["end"].to_numpy()[at],
    }, copy=False)
    at, t_len = tok_index.rows(paras["key"])
    cache = tok_index.table
    tokens = pd.DataFrame({
        "doc_id": per_paragraph("doc_id", t_len),
        "para_id": per_paragraph("para_id", t_len),
        "sent_id": np.repeat(offset, t_len) + cache["s_idx"].to_numpy()[at],
        **{c: cache[c].array.take(at) for c in ("i", "text", "lemma", "pos", "is_stop", "is_content")},
        "concept": pd.Series(pd.NA, index=range(len(at)), dtype="string"),
    }, copy=False)
    return sentences[SCHEMAS["sentences"]], tokens[SCHEMAS["tokens"]]


def _keyed(table: pd.DataFrame, keys: pd.Series, columns: list[str]) -> pd.DataFrame:
    """A chunk's annotations with each text's position ``n`` replaced by its cache key."""
    return table.assign(key=keys.array.take(table["n"].to_numpy()))[columns]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "servicelens": __version__}
    for name in _PACKAGES:
        with suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def check_paths(raw: Path, out: Path) -> None:
    """Refuse a missing input or an output folder inside the input folder."""
    raw, out = Path(raw).resolve(), Path(out).resolve()
    if not raw.exists():
        raise UsageError(f"input not found: {raw}")
    if not raw.is_dir() and not is_record_file(raw):
        raise UsageError(f"input is neither a folder nor a .jsonl/.csv file: {raw}")
    if out == raw or raw in out.parents:
        raise UsageError(f"output folder {out} is inside the input folder; inputs are never written to")


def read_input(raw: Path, *, text_col: str = "text", id_col: str | None = None,
               lang_col: str | None = None) -> list[RawDocument]:
    """Documents from a folder of files, or from the rows of a JSONL or CSV file."""
    try:
        if is_record_file(raw):
            return read_records(raw, text_col=text_col, id_col=id_col, lang_col=lang_col)
        return read_folder(raw)
    except (ValueError, DecodeError, OSError, EOFError, csv.Error) as exc:  # corrupt gzip, huge CSV field, …
        raise UsageError(f"cannot read {raw}: {exc}") from exc


def run(raw_dir: Path, out_dir: Path, *, seed: int = DEFAULT_SEED, topics: str = "auto", text_col: str = "text",
        id_col: str | None = None, lang_col: str | None = None, jobs: int = 1,
        scheduler: str | None = None) -> RunResult:
    """Run every stage on ``raw_dir`` and write the tables to ``out_dir``.

    Raises:
        UsageError: the input is missing or holds no usable document.
    """
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    check_paths(raw_dir, out_dir)
    timings: dict[str, float] = {}
    with _timed(timings, "ingest"):
        docs = read_input(raw_dir, text_col=text_col, id_col=id_col, lang_col=lang_col)
    if not docs:
        raise UsageError(f"no files in {raw_dir} (looked for .txt, .md, .html, .htm)")
    with _timed(timings, "clean_language"):
        corpus = prepare(docs)
    # The raw texts and lingua's models are not needed past this point: free their memory.
    del docs
    release_detector()
    # The documents and paragraphs live to the end of the run: keep the cyclic collector from
    # rescanning them each time annotation allocates (with 80k texts that doubled its time).
    # release_detector() has just collected, so the garbage of cleaning is freed, not frozen.
    gc.freeze()
    try:
        if corpus.paragraphs.empty:
            reasons = "; ".join(sorted({f"{r.path}: {r.reason}" for r in corpus.documents.itertuples()})[:3])
            raise UsageError(f"no usable document in {raw_dir} ({reasons})")
        with _timed(timings, "annotate"), dask_client(jobs, scheduler) as client:
            sentences, tokens = annotate(corpus.paragraphs, cache_dir=out_dir / CACHE_DIR, client=client,
                                         timings=timings)
        # annotate() times the loading of the models as a stage of its own: count it once.
        timings["annotate"] = round(timings["annotate"] - timings.get("load_pipelines", 0.0), 3)
        release_pipelines()  # the later stages match on lemmas with their own vocabularies
        with _timed(timings, "concepts"):
            tokens, mentions = map_concepts(tokens, corpus.paragraphs)
            coverage_table = coverage(tokens, corpus.paragraphs)
        with _timed(timings, "themes"):
            themes = run_themes(tokens, mentions, corpus.paragraphs, topics=topics, seed=seed,
                                model_dir=out_dir / MODEL_DIR)
        documents = corpus.documents.copy()
        n_sent = sentences.groupby("doc_id").size()
        documents["n_sentences"] = documents["doc_id"].map(n_sent).fillna(0).astype("int64")
        with _timed(timings, "stance"):
            stance_sentences = score_sentences(tokens, sentences)
            stance_articles = score_articles(stance_sentences, documents, seed=seed)
        tables = {
            "documents": documents, "dropped_lines": corpus.dropped_lines,
            "paragraphs": corpus.paragraphs, "sentences": sentences, "tokens": tokens,
            "coverage": coverage_table, **themes.tables,
            "stance_sentences": stance_sentences, "stance_articles": stance_articles,
        }
        with _timed(timings, "write"):
            for name, df in tables.items():
                write_table(df, out_dir, name)
        write_json({
            "fingerprint": fingerprint(),
            "parameters": _parameters(raw_dir, seed, topics, text_col, id_col, lang_col),
            "chosen_k": themes.model.k_ if themes.model else None,
            "versions": _versions(),
            "inputs": input_hashes(raw_dir),
            "documents": {status: int(n) for status, n in documents["status"].value_counts().sort_index().items()},
            "timings_s": timings,
        }, out_dir / "run.json")
    finally:
        gc.unfreeze()
    return RunResult(out_dir=out_dir, tables=tables, timings=timings, themes=themes)


TABLES = (*SCHEMAS, "coverage", "topics", "doc_topics", "article_themes", "k_selection", "key_terms",
          "stance_sentences", "stance_articles")


def fingerprint() -> str:
    """Hash of the package's code and curated resources: tables written by other code or
    other lexicons are not current."""
    h = hashlib.sha256(repr(sorted(_versions().items())).encode())  # library upgrades change output too
    for path in sorted([*Path(__file__).parent.glob("*.py"), *LEXICON_DIR.glob("*.csv")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def input_hashes(raw: Path) -> dict[str, str]:
    """sha256 of every input file, by path relative to the input folder (or of the file)."""
    if raw.is_file():
        return {raw.name: hashlib.sha256(raw.read_bytes()).hexdigest()}
    return {p.relative_to(raw).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in discover(raw)}


def _parameters(raw: Path, seed: int, topics: str, text_col: str, id_col: str | None, lang_col: str | None) -> dict:
    return {"raw": str(Path(raw).resolve()), "seed": seed, "topics": str(topics), "text_col": text_col,
            "id_col": id_col, "lang_col": lang_col}


def load_or_run(raw_dir: Path, out_dir: Path, *, seed: int = DEFAULT_SEED, topics: str = "auto",
                text_col: str = "text", id_col: str | None = None, lang_col: str | None = None,
                jobs: int = 1, scheduler: str | None = None) -> RunResult:
    """The tables of ``out_dir`` if a previous run made them from the same input, parameters,
    code and lexicons; otherwise run every stage. Lets each notebook run alone, cheaply."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    check_paths(raw_dir, out_dir)
    meta_path = out_dir / "run.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        current = (
            meta.get("fingerprint") == fingerprint()
            and meta.get("parameters") == _parameters(raw_dir, seed, topics, text_col, id_col, lang_col)
            and meta.get("inputs") == input_hashes(raw_dir)
            and all((out_dir / f"{name}.parquet").exists() for name in TABLES)
        )
        if current:
            log.info("tables in %s are current: loading them", out_dir)
            tables = {name: read_table(out_dir, name) for name in TABLES}
            _, mentions = map_concepts(tables["tokens"], tables["paragraphs"])
            themes = run_themes(tables["tokens"], mentions, tables["paragraphs"], topics=topics, seed=seed,
                                model_dir=out_dir / MODEL_DIR)
            return RunResult(out_dir=out_dir, tables=tables, timings=meta.get("timings_s", {}), themes=themes)
    return run(raw_dir, out_dir, seed=seed, topics=topics, text_col=text_col, id_col=id_col, lang_col=lang_col,
               jobs=jobs, scheduler=scheduler)
