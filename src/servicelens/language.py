"""Language identification for documents and paragraphs, with lingua.

The detector knows the supported languages plus their confusable neighbours only
(``config.NEIGHBOURS``): enough that Italian or Chinese text is named as such, not forced into
Spanish or Japanese, and small enough to keep memory low. When lingua is unsure (its minimum
relative distance is not met) the answer is ``und``, and the fallback pipeline runs.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from functools import cache

from lingua import Language, LanguageDetectorBuilder

from .clean import word_count
from .config import NEIGHBOURS, SUPPORTED, UNDETERMINED

MIN_RELATIVE_DISTANCE = 0.1
# Below this many words a paragraph (a heading, a caption) takes its document's language:
# lingua's guesses on two or three words are noise.
MIN_PARAGRAPH_WORDS = 4
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@cache
def _detector():
    names = [lang.lingua for lang in SUPPORTED.values()] + list(NEIGHBOURS.values())
    return (
        LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names))
        .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
        .build()
    )


def _code(language: Language | None) -> str:
    return language.iso_code_639_1.name.lower() if language is not None else UNDETERMINED


def _by_script(text: str) -> str | None:
    """Decide from the writing system where it is unambiguous: kana is Japanese only, and
    short Han-only strings (dates, names) could be Japanese or Chinese."""
    if _KANA.search(text):
        return "ja"
    han = len(_HAN.findall(text))
    if han and han < 12 and not re.search(r"[^\W\d_]", _HAN.sub("", text)):
        return UNDETERMINED
    return None


def detect_languages(texts: Sequence[str]) -> list[str]:
    """ISO 639-1 code of each text, or ``und`` when the detector is unsure.

    >>> detect_languages(["Der Kunde ist König, aber nicht immer.", "2012年10月8日"])
    ['de', 'und']
    """
    out: list[str | None] = [_by_script(t) for t in texts]
    todo = [i for i, code in enumerate(out) if code is None]
    if todo:
        found = _detector().detect_languages_in_parallel_of([texts[i] for i in todo])
        for i, language in zip(todo, found, strict=True):
            out[i] = _code(language)
    return [code or UNDETERMINED for code in out]


def assign_languages(paragraphs: Sequence[str]) -> tuple[str, list[str]]:
    """The language of a document and of each of its paragraphs.

    The document's language is detected on its text (the first 5,000 characters). A
    paragraph's own language is used when it is long enough and lingua is sure of it;
    otherwise the paragraph takes the document's language.
    """
    return assign_languages_batch([paragraphs])[0]


def assign_languages_batch(documents: Sequence[Sequence[str]]) -> list[tuple[str, list[str]]]:
    """:func:`assign_languages` for many documents in one call to the detector (much faster
    than one call per document for thousands of short texts). A one-paragraph document's
    paragraph has the document's language."""
    texts, slots = [], []
    for d, paragraphs in enumerate(documents):
        texts.append("\n".join(paragraphs)[:5000])
        slots.append((d, None))
        if len(paragraphs) > 1:
            for p, para in enumerate(paragraphs):
                if word_count(para) >= MIN_PARAGRAPH_WORDS:
                    texts.append(para)
                    slots.append((d, p))
    found = detect_languages(texts)
    out = [(UNDETERMINED, [UNDETERMINED] * len(p)) for p in documents]
    own: dict[tuple[int, int], str] = {}
    for (d, p), code in zip(slots, found, strict=True):
        if p is None:
            out[d] = (code, [code] * len(documents[d]))
        else:
            own[(d, p)] = code
    for (d, p), code in own.items():
        if code != UNDETERMINED:
            out[d][1][p] = code
    return out


def language_from_hint(hint: str) -> str | None:
    """An ISO 639-1 code from a language column value ("ru", "RU", "ru-RU", "ja_JP"), or None."""
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() else None


def release_detector() -> None:
    """Drop the detector and its language models (several hundred MB); the next call reloads
    them."""
    _detector.cache_clear()
    gc.collect()
