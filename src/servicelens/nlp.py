"""Annotate: one spaCy pipeline per language, built from what installs from the package
registry (the official model packages cannot be downloaded here).

Recipes (``PIPELINE_VERSION`` changes whenever one does, which invalidates cached annotations):

====  =====================  ===============================================================
code  pipeline name          recipe
====  =====================  ===============================================================
ru    ru:pymorphy3           ``spacy.blank("ru")`` tokenizer; lemma = pymorphy3's top parse
                             ``normal_form`` with ё→е; UD POS from its OpenCorpora tag via
                             ``spacy.lang.ru.lemmatizer.oc2ud``; LRU cache per word form
ja    ja:sudachi-C           ``spacy.blank("ja")`` with SudachiPy split mode C (compounds such
                             as 顧客満足度 stay whole); lemma = Sudachi dictionary form; UD POS
                             from Sudachi's tag
hu    hu:simplemma           ``spacy.blank("hu")`` tokenizer; lemma = simplemma (bundled
                             dictionaries); no POS (no Hungarian tagger installs offline)
en    en:lookup              ``spacy.blank(code)`` tokenizer; lemma from the
de    de:lookup              spacy-lookups-data ``lemma_lookup`` table, tried on the form and
es    es:lookup              then on its lower case; a form that is itself a headword keeps
fr    fr:lookup              its reading; no POS. German keeps the table's case
                             (nouns capitalised: Kunden→Kunde), the others are lower-cased
other fallback:<code>        ``spacy.blank(code)`` where spaCy has that language and it needs
                             nothing extra, else the multilingual ``xx`` tokenizer; lemma =
                             lower-cased form; stopwords from stopwordsiso where it has them
====  =====================  ===============================================================

``data/lexicons/lemma_overrides.csv`` corrects the worst errors of the ru, hu, en, de, es and fr
lemmatisers, form by form (French "donne" is the noun la donne in the table, not donner).

Every pipeline ends with the rule-based ``sentencizer`` (Japanese has no sentence boundaries
otherwise), ``servicelens_quote_starts``, which gives an opening quote or bracket after a full
stop to the sentence it opens, and the ``servicelens_flags`` component, which flags stopwords
(spaCy's list, stopwordsiso and ``data/lexicons/stopwords_extra.csv``, checked on form and
lemma) and ``token._.is_content``: a word with letters that is not a stopword, at least two
characters long outside CJK, and, where the pipeline has POS, a noun, proper noun, verb or
adjective.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import spacy
from spacy import parts_of_speech
from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, ORTH, POS, SENT_START
from spacy.language import Language
from spacy.lookups import Table
from spacy.tokens import Doc, Token

from .config import SUPPORTED, UNDETERMINED
from .lexicons import extra_stopwords, file_hash, lemma_overrides

log = logging.getLogger(__name__)

PIPELINE_VERSION = "10"
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
LOOKUP_LANGS = ("en", "de", "es", "fr")
BATCH_SIZE = 256
_HAS_LETTER = re.compile(r"[^\W\d_]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_KANA_ONLY = re.compile(r"^[\u3040-\u309f]+$")
_URLISH = re.compile(r"^(?:https?://|www\.)|@\w+\.\w|\.\w{2,4}/")

# The content flags live in one list per Doc (fast to read in bulk); the Token extension reads it.
CONTENT_KEY = "servicelens_content"
STOP_KEY = "servicelens_stop"
if not Token.has_extension("is_content"):
    Token.set_extension("is_content", getter=lambda t: t.doc.user_data.get(CONTENT_KEY, [False] * len(t.doc))[t.i])


@dataclass(frozen=True)
class Pipeline:
    """A ready pipeline: its name (recorded in ``documents.pipeline``) and the spaCy object."""

    name: str
    code: str
    nlp: Language
    has_pos: bool


@cache
def _version(package: str) -> str:
    """An installed package's version (read once: a process does not change its packages)."""
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def normalize_lemma(lemma: str, code: str) -> str:
    """The form lemmas are stored and matched in: Russian ё folded to е (pymorphy writes
    полёт, всё, while texts mostly print е)."""
    return lemma.replace("ё", "е").replace("Ё", "Е") if code == "ru" else lemma


@cache
def stopwords(code: str) -> frozenset[str]:
    """Stopwords for a language: spaCy's, stopwordsiso's and the project's extras, lower-case,
    with Russian ё folded to е."""
    import stopwordsiso

    words: set[str] = set()
    with contextlib.suppress(ImportError, KeyError, ValueError):
        words |= set(spacy.blank(code).Defaults.stop_words)
    if stopwordsiso.has_lang(code):
        words |= set(stopwordsiso.stopwords(code))
    words |= extra_stopwords().get(code, frozenset())
    return frozenset(normalize_lemma(w.lower(), code) for w in words)


def _register_components() -> None:
    if "servicelens_ru_morph" in Language.factories:
        return

    @Language.factory("servicelens_ru_morph")
    def ru_morph(nlp: Language, name: str) -> Callable[[Doc], Doc]:
        from spacy.lang.ru.lemmatizer import oc2ud

        morph = _morph_analyzer()
        overrides = lemma_overrides().get("ru", {})

        @lru_cache(maxsize=200_000)
        def analyse(form: str) -> tuple[str, str, str, str | None]:
            """(lemma, UD POS, OpenCorpora tag, short-adjective lemma if the top parse is a
            genitive-plural noun that could also be a short adjective)."""
            parses = morph.parse(form)
            top = parses[0]
            if form in overrides:  # the top parse is a rare word (спорите -> спороть, not спорить)
                top = next((p for p in parses if p.normal_form == overrides[form]), top)
            pos, _ = oc2ud(str(top.tag))
            alt = None
            if top.tag.POS == "NOUN" and {"gent", "plur"} <= top.tag.grammemes:
                alt = next((p.normal_form for p in parses[1:] if p.tag.POS == "ADJS"), None)
            return normalize_lemma(overrides.get(form, top.normal_form), "ru"), pos, str(top.tag), alt

        def component(doc: Doc) -> Doc:
            found = [analyse(t.lower_) if _HAS_LETTER.search(t.text) else None for t in doc]
            for i, token in enumerate(doc):
                if found[i] is None:
                    token.lemma_ = token.text
                    token.pos_ = "PUNCT" if token.is_punct else ("NUM" if token.like_num else "SYM")
                    continue
                lemma, pos, _, alt = found[i]
                # Context-free, pymorphy reads "прав" as the noun право (genitive plural). After a
                # particle or adverb ("не прав", "всегда прав"), closing a clause after a conjunction
                # ("…, когда прав."), or after a nominative subject at the end of a clause or before
                # a particle, adverb or conjunction ("клиент прав.", "клиент прав только тогда"), it
                # is the predicate: the short adjective.
                if alt is not None:
                    prev_tag = found[i - 1][2] if i and found[i - 1] else ""
                    next_tag = found[i + 1][2] if i + 1 < len(doc) and found[i + 1] else ""
                    clause_end = i + 1 == len(doc) or doc[i + 1].text in ".,;:!?…—"
                    subject = prev_tag.startswith(("NOUN", "NPRO")) and "nomn" in prev_tag
                    if prev_tag.startswith(("ADVB", "PRCL")) or (clause_end and prev_tag.startswith("CONJ")) or (
                        subject and (clause_end or next_tag.startswith(("PRCL", "CONJ", "ADVB")))
                    ):
                        lemma, pos = normalize_lemma(alt, "ru"), "ADJ"
                token.lemma_, token.pos_ = lemma, pos
            return doc

        return component

    @Language.factory("servicelens_simplemma", default_config={"lang": "hu"})
    def simplemma_lemma(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
        from simplemma.strategies import DictionaryLookupStrategy
        from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

        lookup = DictionaryLookupStrategy(DEFAULT_DICTIONARY_FACTORY)
        # As for the lookup tables: a form that is a lemma itself keeps its reading (the
        # dictionary sends pihen "rest" to pihe "fluff", dolgozó "employee" to dolgozik).
        headwords = _headwords(lang)
        overrides = lemma_overrides().get(lang, {})

        @lru_cache(maxsize=200_000)
        def lemma(form: str) -> str:
            if form in overrides:
                return overrides[form]
            if form in headwords:
                return form
            found = lookup.get_lemma(form, lang)
            if found and found.endswith(".") and "." not in form:
                # The dictionary inflects abbreviations (áll. "state", ker. "district") and so
                # takes common words: állnak "they stand" -> áll., telt -> tel., kert -> ker.
                # spaCy's lookup table reads them as words; else the form stands for itself.
                return lemma_lookup_table(lang).get(form, form)
            if found:
                return found.lower()
            # A compound missing from the dictionary inflects on its head, its last element:
            # lemmatise the longest known head and keep the modifier (ügyfélbázist ->
            # ügyfél + bázis). simplemma's own affix search returns the modifier instead.
            for cut in range(3, len(form) - 3):  # a head of four letters or more
                if form[cut:] in headwords:
                    return form.lower()
                head = lookup.get_lemma(form[cut:], lang)
                if head and head.isalpha():  # not an abbreviation entry ("szt" -> "sz.")
                    return (form[:cut] + head).lower()
            return form.lower()

        def component(doc: Doc) -> Doc:
            for token in doc:
                token.lemma_ = lemma(token.lower_) if _HAS_LETTER.search(token.text) else token.text
            return doc

        return component

    @Language.factory("servicelens_lookup", default_config={"lang": "en", "keep_case": False})
    def lookup_lemma(nlp: Language, name: str, lang: str, keep_case: bool) -> Callable[[Doc], Doc]:
        table = lemma_lookup_table(lang)
        # Forms that are lemmas themselves. The tables map many noun forms to a verb that shares
        # them (es contrato -> contratar, de klage -> klagen); a form that is itself a headword
        # keeps its own reading.
        headwords = _headwords(lang)

        overrides = lemma_overrides().get(lang, {})

        @lru_cache(maxsize=200_000)
        def lemma(form: str) -> str:
            # The tables spell elisions with a straight apostrophe; web text often has a curly
            # one (don’t, n’a, l’équipe).
            form = form.replace("\u2019", "'").replace("\u02bc", "'")
            if form.lower() in overrides:
                return overrides[form.lower()]
            found = None
            for candidate in (form, form.lower()):
                if candidate in headwords:
                    found = candidate
                    break
                if candidate in table:
                    found = table[candidate]
                    break
                if keep_case and form[:1].isupper():
                    found = form  # German: a capitalised word the table lacks is a noun in base form
                    break
            if isinstance(found, list):  # some tables list several lemmas: take the first
                found = found[0]
            found = found or form
            return found if keep_case else found.lower()

        def component(doc: Doc) -> Doc:
            for token in doc:
                token.lemma_ = lemma(token.text) if _HAS_LETTER.search(token.text) else token.text
            return doc

        return component

    @Language.factory("servicelens_lower_lemma")
    def lower_lemma(nlp: Language, name: str) -> Callable[[Doc], Doc]:
        def component(doc: Doc) -> Doc:
            for token in doc:
                token.lemma_ = token.lower_
            return doc

        return component

    @Language.component("servicelens_quote_starts")
    def quote_starts(doc: Doc) -> Doc:
        # The sentencizer keeps every punctuation token after a full stop in the sentence that
        # ends there, which is right for a closing quote ('…right." Then') but puts an opening
        # one in the wrong sentence ('…wall. „Der Kunde ist König“ steht darauf'). Move such
        # a start back over the opening quotes and brackets before it.
        for token in doc[1:]:
            if not token.is_sent_start:
                continue
            start = token.i
            while start > 1 and _opens(doc[start - 1], doc[start - 2]):
                start -= 1
            if start != token.i:
                token.is_sent_start = False
                doc[start].is_sent_start = True
        return doc

    @Language.factory("servicelens_flags", default_config={"code": "xx", "has_pos": False})
    def flags(nlp: Language, name: str, code: str, has_pos: bool) -> Callable[[Doc], Doc]:
        stops = stopwords(code)

        def component(doc: Doc) -> Doc:
            content, stop_flags = [], []
            for token in doc:
                lemma = token.lemma_.lower()
                # Kept per Doc, not written into the shared vocabulary: a lemma depends on context,
                # so a word form's flag must not depend on what the process saw before.
                stop = token.lower_ in stops or lemma in stops
                stop_flags.append(stop)
                cjk = bool(_CJK.search(token.text))
                content.append(bool(
                    not stop
                    and _HAS_LETTER.search(token.text)
                    and not token.like_url and not token.like_email and not _URLISH.search(token.text)
                    and (len(lemma) >= 2 or (cjk and not _KANA_ONLY.match(lemma)))
                    and not (cjk and _KANA_ONLY.match(lemma) and len(lemma) < 3)
                    and (not has_pos or token.pos_ in CONTENT_POS)
                ))
            doc.user_data[CONTENT_KEY] = content
            doc.user_data[STOP_KEY] = stop_flags
            return doc

        return component


_CJK_OPENERS = frozenset("「『（〈《【")
_OPENERS = frozenset("„‚«([{")  # open a quote or bracket even with a space after (« Le client »)
_QUOTES = frozenset('"\'“‘»‹›”')  # open one only when attached to the word after ("…", German »…«)


def _opens(token: Token, before: Token) -> bool:
    """Whether ``token``, which follows ``before``, opens a quote or bracket rather than closing
    one: CJK openers always; the others only with a space before them or right after another
    opener ('("The customer…'), and the ambiguous quote marks only when attached to the next word
    (French '… oui. » Puis' closes)."""
    if token.text in _CJK_OPENERS:
        return True
    if not before.whitespace_ and before.text not in _OPENERS:
        return False
    return token.text in _OPENERS or (token.text in _QUOTES and not token.whitespace_)


def _blank(code: str) -> Language:
    """``spacy.blank(code)`` if spaCy has it without extra dependencies, else ``xx``."""
    try:
        nlp = spacy.blank(code)
        nlp("test")
        return nlp
    except (ImportError, KeyError, ValueError, OSError):
        return spacy.blank("xx")


RECIPE_NAMES = {"ru": "ru:pymorphy3", "ja": "ja:sudachi-C", "hu": "hu:simplemma",
                **{code: f"{code}:lookup" for code in LOOKUP_LANGS}}


def pipeline_name(code: str) -> str:
    """The name recorded in ``documents.pipeline`` for a code, without loading the pipeline."""
    return RECIPE_NAMES.get(code, f"fallback:{code}")


@cache
def get_pipeline(code: str) -> Pipeline:
    """The pipeline for an ISO 639-1 code; unsupported codes and ``und`` get a fallback."""
    _register_components()
    has_pos = False
    if code == "ru":
        nlp = spacy.blank("ru")
        nlp.add_pipe("servicelens_ru_morph")
        has_pos = True
    elif code == "ja":
        nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": "C"}}})
        has_pos = True
    elif code == "hu":
        nlp = spacy.blank("hu")
        nlp.add_pipe("servicelens_simplemma", config={"lang": "hu"})
    elif code in LOOKUP_LANGS:
        nlp = spacy.blank(code)
        nlp.add_pipe("servicelens_lookup", config={"lang": code, "keep_case": code == "de"})
    else:
        nlp = _blank(code if code != UNDETERMINED else "xx")
        nlp.add_pipe("servicelens_lower_lemma")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("servicelens_quote_starts")
    nlp.add_pipe("servicelens_flags", config={"code": code, "has_pos": has_pos})
    return Pipeline(name=pipeline_name(code), code=code, nlp=nlp, has_pos=has_pos)


def pipeline_code(language: str) -> str:
    """The pipeline a paragraph in ``language`` runs through: its own if supported, else the
    fallback for that code."""
    return language if language in SUPPORTED else (language or UNDETERMINED)


def pipeline_key(code: str) -> str:
    """Cache key part naming a pipeline's recipe and the stopword resources it reads."""
    resources = "|".join([*(file_hash(name) for name in ("stopwords_extra.csv", "lemma_overrides.csv")),
                          *(_version(p) for p in ("spacy", "spacy-lookups-data", "pymorphy3-dicts-ru",
                                                  "sudachidict-core", "simplemma", "stopwordsiso"))])
    return f"{pipeline_name(code)}|v{PIPELINE_VERSION}|{resources}"


class TokenRow(NamedTuple):
    """One token as stored: sentence index within the paragraph, token index, and flags."""

    s_idx: int
    i: int
    text: str
    lemma: str
    pos: str
    is_stop: bool
    is_content: bool


SENTENCE_COLUMNS = ["n", "s_idx", "start", "end", "text"]
TOKEN_COLUMNS = ["n", *TokenRow._fields]
_ARRAY_ATTRS = [ORTH, LEMMA, POS, IS_SPACE, SENT_START, IDX, LENGTH]
_POS_NAMES = dict(parts_of_speech.NAMES)


def annotate_batch(texts: Sequence[str], code: str, *,
                   batch_size: int = BATCH_SIZE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run ``code``'s pipeline over texts (paragraphs) and return two tables: their sentences
    (``n`` the text's position, ``s_idx``, character ``start`` and ``end``, ``text``) and their
    tokens without whitespace (``n`` and the :class:`TokenRow` fields), in text order.

    Each Doc is read once into an array of attributes and dropped: no Token or Span objects are
    made, and string hashes become strings once per distinct value, not once per token. Memory
    stays flat across batches."""
    pipe = get_pipeline(code)
    arrays, content, stop, n_tokens = [], [], [], []
    for doc in pipe.nlp.pipe(texts, batch_size=batch_size):
        arrays.append(doc.to_array(_ARRAY_ATTRS).astype(np.int64, copy=False))
        content += doc.user_data[CONTENT_KEY]
        stop += doc.user_data[STOP_KEY]
        n_tokens.append(len(doc))
    orth, lemma, pos, space, sent_start, idx, length = (
        np.concatenate(arrays) if arrays else np.zeros((0, len(_ARRAY_ATTRS)), dtype=np.int64)).T
    n_tokens = np.asarray(n_tokens, dtype=np.int64)
    doc_of = np.repeat(np.arange(len(n_tokens)), n_tokens)
    i = np.arange(len(doc_of)) - (np.cumsum(n_tokens) - n_tokens)[doc_of]
    # As Doc.sents: a Doc's first token starts a sentence, and so does any marked as a start.
    is_start = (sent_start == 1) | (i == 0)
    sent_of = np.cumsum(is_start) - 1
    starts = np.flatnonzero(is_start)
    lasts = np.append(starts[1:], len(doc_of))[:len(starts)] - 1
    sent_doc = doc_of[starts]
    sent_idx = np.arange(len(starts)) - sent_of[starts - i[starts]]  # numbered within the Doc
    sent_start_char, sent_end_char = idx[starts], idx[lasts] + length[lasts]
    sentences = pd.DataFrame({
        "n": sent_doc, "s_idx": sent_idx, "start": sent_start_char, "end": sent_end_char,
        "text": [texts[n][a:b] for n, a, b in zip(sent_doc.tolist(), sent_start_char.tolist(),
                                                 sent_end_char.tolist(), strict=True)],
    }, columns=SENTENCE_COLUMNS)

    keep = space == 0
    orth, lemma = orth[keep], lemma[keep]
    lemma = np.where(lemma == 0, orth, lemma)  # no lemma: the form itself

    def strings(values: np.ndarray, lookup: Callable[[int], str]) -> pd.api.extensions.ExtensionArray:
        # Each distinct value is looked up once and the column is built in Arrow: a Python
        # object per token, converted to Arrow afterwards, costs several times more.
        codes, distinct = pd.factorize(values)
        names = pa.array([lookup(v) for v in distinct.tolist()], type=pa.large_string())
        return names.take(pa.array(codes)).to_pandas().array

    hashes = pipe.nlp.vocab.strings
    tokens = pd.DataFrame({
        "n": doc_of[keep],
        "s_idx": sent_idx[sent_of[keep]],
        "i": i[keep],
        "text": strings(orth.view(np.uint64), hashes.__getitem__),
        "lemma": strings(lemma.view(np.uint64), hashes.__getitem__),
        "pos": strings(pos[keep] if pipe.has_pos else np.zeros(len(orth), dtype=np.int64),
                       _POS_NAMES.__getitem__),  # POS 0 is the empty name
        "is_stop": np.asarray(stop, dtype=bool)[keep],
        "is_content": np.asarray(content, dtype=bool)[keep],
    }, columns=TOKEN_COLUMNS)
    return sentences, tokens


def annotate_texts(
    texts: Iterable[str], code: str, *, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[tuple[int, int, str]], list[TokenRow]]]:
    """Per text, its sentences as (start, end, text) character spans and its tokens: the
    tables of :func:`annotate_batch` split by text, for callers that look at a few texts."""
    texts = list(texts)
    sentences, tokens = annotate_batch(texts, code, batch_size=batch_size)
    sent_groups = dict(iter(sentences.groupby("n")))
    tok_groups = dict(iter(tokens.groupby("n")))
    empty_s, empty_t = sentences.iloc[:0], tokens.iloc[:0]
    for n in range(len(texts)):
        sents, toks = sent_groups.get(n, empty_s), tok_groups.get(n, empty_t)
        yield (list(zip(sents["start"], sents["end"], sents["text"], strict=True)),
               [TokenRow(*row) for row in toks[list(TokenRow._fields)].itertuples(index=False, name=None)])


@cache
def _morph_analyzer() -> Any:
    """pymorphy3's analyser, loaded once and only where Russian is read."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@cache
def _headwords(lang: str) -> frozenset[str]:
    """The lemmas a dictionary lemmatiser reads forms as: simplemma's for Hungarian, the values
    of spaCy's lookup table for the lookup languages."""
    if lang == "hu":
        from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

        return frozenset(DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang).values())
    words: set[str] = set()
    for value in lemma_lookup_table(lang).values():
        words.update(value if isinstance(value, list) else [value])
    return frozenset(words)


@cache
def _override_lemmas(code: str) -> frozenset[str]:
    return frozenset(lemma_overrides().get(code, {}).values())


def known_lemma(word: str, code: str) -> bool:
    """Whether ``code``'s pipeline reads some form as ``word``: a lemma of its lookup table or of
    pymorphy3's dictionary, or one of ``lemma_overrides.csv``. Another word can be a token's
    lemma only where it reads as itself (the Spanish table has no lemma regla: it reads regla
    and reglas as reglar). Elsewhere (Japanese, Hungarian, the fallbacks) any word may be one:
    simplemma strips affixes from forms its dictionary lacks."""
    if word in _override_lemmas(code):
        return True
    if code == "ru":
        return any(normalize_lemma(p.normal_form, "ru") == word for p in _morph_analyzer().parse(word))
    if code in LOOKUP_LANGS:
        headwords = _headwords(code)
        return word in headwords or word.lower() in headwords or word.capitalize() in headwords
    return True


@cache
def lemma_lookup_table(lang: str) -> Table:
    """spaCy's lemma lookup table for ``lang`` (spacy-lookups-data), loaded once per process."""
    from spacy.lookups import load_lookups

    return load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")


def release_pipelines() -> None:
    """Drop every loaded pipeline with its lookup tables and caches (hundreds of MB); the next
    call to :func:`get_pipeline` builds them again."""
    get_pipeline.cache_clear()
    lemma_lookup_table.cache_clear()
    _headwords.cache_clear()
    stopwords.cache_clear()
    gc.collect()
