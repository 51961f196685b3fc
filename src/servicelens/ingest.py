"""Ingest: find input files, decode them, extract text from HTML, and flag bad files.

Every file found gets one row in ``documents`` with a status: ``ok``, ``skipped`` (empty,
binary, undecodable, unsupported type) or ``duplicate`` (the same text as a file earlier in
path order, which is kept). Nothing here writes to the input folder.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Comment
from charset_normalizer import from_bytes

from .config import HTML_SUFFIXES, INPUT_SUFFIXES

log = logging.getLogger(__name__)

# Legacy charsets of the supported languages, tried first. An open search over every codec
# misreads short texts (KOI8-R comes out as Shift_JIS, EUC-JP as GB18030), so the open search
# is only the fallback when none of these decodes cleanly.
PREFERRED_CHARSETS = (
    "cp1251", "koi8_r", "shift_jis", "cp932", "euc_jp", "iso2022_jp",
    "iso8859_2", "cp1250", "cp1252", "iso8859_15",
)
MAX_CHAOS = 0.25  # charset_normalizer's mess ratio above which a decoding is rejected
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class DecodeError(ValueError):
    """A file whose bytes are not text; the message is the reason recorded in documents."""


@dataclass
class RawDocument:
    """One input file (or row) after decoding, before cleaning."""

    doc_id: str
    path: str
    sha256: str
    status: str = "ok"
    reason: str = ""
    encoding: str = ""
    text: str = ""
    title_hint: str = ""
    html_dropped: list[tuple[int, str, str]] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)
    record: bool = False  # a row of a JSONL/CSV file (a review, a tweet), not a web page
    language_hint: str = ""  # a language code given with the input


def normalize_text(text: str) -> str:
    """Normalise Unicode (NFKC), line endings and invisible characters.

    NFKC folds full-width Latin and digits and half-width katakana, which Japanese web text
    mixes freely, so that matching sees one form.

    >>> normalize_text("Ａ１\\r\\nb\\u00a0c\\u200b")
    'A1\\nb c'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    # Zero-width characters and other format controls carry no text; tabs and odd spaces
    # become plain spaces.
    out = []
    for ch in text:
        if ch in "\n":
            out.append(ch)
        elif ch == "\t" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def _looks_binary(data: bytes) -> bool:
    if data.startswith(BINARY_MAGIC):
        return True
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > 0.05 * len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from its byte pattern: text in one script repeats the same high
    byte (0x00 for Latin, 0x04 for Cyrillic, 0x30 for kana) at every other position, while the
    low bytes vary. 8-bit text has no such split between even and odd positions."""
    if len(data) < 4 or len(data) % 2:
        return None

    def top_share(half: bytes) -> float:
        return max(Counter(half).values()) / len(half)

    even, odd = top_share(data[0::2]), top_share(data[1::2])
    if odd > 0.4 and even < 0.6 * odd:
        return "utf-16-le"
    if even > 0.4 and odd < 0.6 * even:
        return "utf-16-be"
    return None


# Unicode blocks of the scripts that ingest expects: Latin, Cyrillic, punctuation, CJK symbols,
# kana, CJK ideographs and full-width forms. Bytes misread as UTF-16 land mostly elsewhere.
_PLAUSIBLE = re.compile(
    r"[\u0000-\u024f\u0400-\u04ff\u2000-\u206f\u20a0-\u20bf\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]"
)


def _plausible_share(text: str) -> float:
    return len(_PLAUSIBLE.findall(text)) / max(1, len(text))


def _ideographs_without_kana(text: str) -> bool:
    """Mostly kanji and no kana: Shift_JIS or EUC-JP bytes misread as UTF-16 look like this,
    Japanese text never does."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return han > 0.3 * len(text) and not re.search(r"[\u3040-\u30ff]", text)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(
        1 for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    )
    return bad / len(text)


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and name its encoding.

    Order: byte-order marks, strict UTF-8, BOM-less UTF-16, then charset_normalizer restricted
    to the supported languages' legacy charsets, then charset_normalizer unrestricted.

    Returns:
        (text, encoding name)

    Raises:
        DecodeError: the bytes are empty, binary or not text in any known encoding.

    >>> detect_encoding("Клиент всегда прав".encode("cp1251"))[1]
    'cp1251'
    """
    if not data.strip():
        raise DecodeError("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable: invalid {name} after its byte-order mark") from exc
            return _accept(text, name.replace("-sig", " with BOM") if "sig" in name else name)
    utf8_error: DecodeError | None = None
    try:
        return _accept(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    except DecodeError as exc:
        utf8_error = exc  # valid UTF-8 full of controls: BOM-less UTF-16 Cyrillic looks so
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
            if _plausible_share(text) >= 0.95 and not _ideographs_without_kana(text):
                return _accept(text, utf16)
        except (UnicodeDecodeError, DecodeError):
            pass
    if utf8_error is not None:
        raise utf8_error
    if _looks_binary(data):
        raise DecodeError("binary file (control bytes or a known binary signature)")
    for isolation in (list(PREFERRED_CHARSETS), None):
        best = from_bytes(data, cp_isolation=isolation).best()
        if best is not None and best.chaos <= MAX_CHAOS:
            try:
                return _accept(str(best), best.encoding)
            except DecodeError:
                continue
    raise DecodeError("undecodable: no encoding gives readable text")


def _accept(text: str, encoding: str) -> tuple[str, str]:
    if "\x00" in text or _control_share(text) > 0.02:
        raise DecodeError("binary file (control characters in the decoded text)")
    if not text.strip():
        raise DecodeError("empty file (whitespace only)")
    return text, encoding


# HTML: elements that never hold article text, and class/id words that mark page furniture.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "form",
    "button", "select", "option", "footer", "head", "object", "embed", "canvas",
)
_DROP_ROLES = {"navigation", "contentinfo", "complementary", "search", "banner", "dialog"}
_FURNITURE = re.compile(
    r"(?:^|[-_ ])(cookie|consent|gdpr|share|sharing|social|breadcrumbs?|sidebar|comments?|"
    r"related|newsletter|subscribe|advert|ads?|banner|promo|popup|modal|menu|navbar|nav|"
    r"footer|masthead|widget|tags|pagination)(?:$|[-_ ])",
    re.IGNORECASE,
)
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "figure",
    "figcaption", "address", "hr",
)


def _is_furniture(tag) -> bool:
    if tag.name in ("article", "main", "body", "html"):
        return False
    if (tag.get("role") or "").lower() in _DROP_ROLES:
        return tag.find("h1") is None
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(names.strip()) and bool(_FURNITURE.search(names)) and tag.find("h1") is None


def extract_html(markup: str) -> tuple[str, str, list[tuple[int, str, str]]]:
    """Extract the visible article text of an HTML page with lxml (through BeautifulSoup).

    Block elements become paragraphs separated by blank lines. Scripts, styles, navigation,
    footers, forms and elements whose role, class or id marks page furniture (cookie banners,
    share bars, comment sections, breadcrumbs) are removed and reported. Where the page has an
    ``<article>`` or ``<main>`` element, only its text is kept.

    Returns:
        (text, title, dropped) where dropped lists (source line, text, rule).
    """
    soup = BeautifulSoup(markup, "lxml")
    dropped: list[tuple[int, str, str]] = []

    def drop(tag, rule: str) -> None:
        text = " ".join(tag.get_text(" ").split())
        if text and tag.name not in ("script", "style", "head", "template", "svg"):
            dropped.append((0, text, rule))  # line 0: an element of the markup, not a line of the text
        tag.decompose()

    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    h1 = soup.find("h1")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    title = " ".join(h1.get_text(" ").split()) if h1 else head_title
    for tag in soup.find_all(_DROP_TAGS):
        if not tag.decomposed:
            drop(tag, f"html:{tag.name}")
    for tag in soup.find_all(True):
        if not tag.decomposed and _is_furniture(tag):
            drop(tag, "html:furniture")
    root = soup.find("article") or soup.find("main") or soup.body or soup
    if root is not soup.body and soup.body is not None:
        for tag in soup.body.find_all(True, recursive=False):
            if tag is not root and root not in tag.descendants:
                text = " ".join(tag.get_text(" ").split())
                if text:
                    dropped.append((0, text, "html:outside-article"))
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = root.get_text()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if h1 is not None and title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text, title, dropped


def _markdown_to_text(text: str) -> str:
    """Strip the Markdown syntax that would otherwise read as words: heading marks, emphasis,
    link targets and images."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text


def discover(raw_dir: Path) -> list[Path]:
    """All non-hidden files under ``raw_dir``, sorted by their relative POSIX path."""
    files = [
        p for p in raw_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(raw_dir).as_posix())


def _doc_ids(rel_paths: list[str]) -> list[str]:
    """Path without its extension; a later file that would repeat an id keeps its extension."""
    seen: set[str] = set()
    ids = []
    for rel in rel_paths:
        stem = rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel
        doc_id = stem if stem not in seen else rel
        seen.add(doc_id)
        ids.append(doc_id)
    return ids


def decode_document(doc_id: str, rel_path: str, data: bytes) -> RawDocument:
    """Decode one file's bytes into a RawDocument, recording a skip instead of raising."""
    doc = RawDocument(doc_id=doc_id, path=rel_path, sha256=hashlib.sha256(data).hexdigest())
    suffix = "." + rel_path.rsplit(".", 1)[-1].lower() if "." in rel_path else ""
    if suffix not in INPUT_SUFFIXES:
        doc.status, doc.reason = "skipped", f"unsupported file type {suffix or '(none)'}"
        return doc
    try:
        text, doc.encoding = detect_encoding(data)
    except DecodeError as exc:
        doc.status, doc.reason = "skipped", str(exc)
        return doc
    text = normalize_text(text)
    if suffix in HTML_SUFFIXES:
        text, doc.title_hint, doc.html_dropped = extract_html(text)
        text = normalize_text(text)
    elif suffix == ".md":
        text = _markdown_to_text(text)
    doc.text = text.strip("\n")
    if not doc.text.strip():
        doc.status, doc.reason = "skipped", "no text after extraction"
    return doc


def text_key(text: str) -> str:
    """Hash of a text with whitespace collapsed: two files with the same words share it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def mark_duplicates(docs: Iterable[RawDocument]) -> Iterator[RawDocument]:
    """Flag each ``ok`` document whose text repeats an earlier one's (the earlier is kept)."""
    first: dict[str, str] = {}
    for doc in docs:
        if doc.status == "ok":
            key = text_key(doc.text)
            if key in first:
                doc.status, doc.reason = "duplicate", f"same text as {first[key]}"
            else:
                first[key] = doc.doc_id
        yield doc


def read_folder(raw_dir: Path) -> list[RawDocument]:
    """Read every file under ``raw_dir`` into RawDocuments, in path order.

    Raises:
        FileNotFoundError: ``raw_dir`` does not exist or is not a folder.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"input folder not found: {raw_dir}")
    files = discover(raw_dir)
    rel_paths = [p.relative_to(raw_dir).as_posix() for p in files]
    docs = []
    for path, rel, doc_id in zip(files, rel_paths, _doc_ids(rel_paths), strict=True):
        try:
            data = path.read_bytes()
        except OSError as exc:
            doc = RawDocument(doc_id=doc_id, path=rel, sha256="")
            doc.status, doc.reason = "skipped", f"unreadable: {exc.strerror or exc}"
            docs.append(doc)
            continue
        docs.append(decode_document(doc_id, rel, data))
    docs = list(mark_duplicates(docs))
    for doc in docs:
        if doc.status != "ok":
            log.info("%s: %s (%s)", doc.path, doc.status, doc.reason)
    return docs


RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".csv", ".csv.gz", ".tsv")


def is_record_file(path: Path) -> bool:
    """True for a JSON Lines or CSV file of texts (one document per row)."""
    name = Path(path).name.lower()
    return Path(path).is_file() and name.endswith(RECORD_SUFFIXES)


def _record_rows(path: Path) -> Iterator[dict[str, object]]:
    import csv
    import gzip
    import io
    import json

    name = path.name.lower()
    data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    text, _ = detect_encoding(data)
    if ".jsonl" in name or name.endswith(".ndjson"):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield {"__error__": f"line {n} is not JSON: {exc.msg}", "__row__": n}
                    continue
                yield {**row, "__row__": n} if isinstance(row, dict) else {"__error__": f"line {n} is not an object",
                                                                           "__row__": n}
    else:
        delimiter = "\t" if name.endswith(".tsv") else ","
        for n, row in enumerate(csv.DictReader(io.StringIO(text), delimiter=delimiter), start=1):
            yield {**row, "__row__": n}


def read_records(path: Path, *, text_col: str = "text", id_col: str | None = None,
                 lang_col: str | None = None) -> list[RawDocument]:
    """Read a JSON Lines or CSV file, one document per row.

    The text is in ``text_col``; the id in ``id_col`` (``<file>:<row>`` where missing, rows
    counted from 1); a language code in ``lang_col`` is used instead of detecting it. Every
    other column passes through to ``documents`` (renamed ``input_<name>`` where it would clash
    with a column of that table).

    Raises:
        ValueError: the text column is missing from the file.
    """
    from .tables import SCHEMAS

    path = Path(path)
    docs, seen_text_col, seen_ids = [], False, set()
    for row in _record_rows(path):
        n = row.pop("__row__")
        error = row.pop("__error__", None)
        raw_id = row.get(id_col) if id_col else None
        doc_id = str(raw_id) if raw_id not in (None, "") else f"{path.name}:{n}"
        if doc_id in seen_ids:  # ids must be unique: a repeat keeps its row number
            doc_id = f"{doc_id}#{n}"
        seen_ids.add(doc_id)
        text = row.get(text_col)
        seen_text_col |= text_col in row
        doc = RawDocument(doc_id=doc_id, path=f"{path.name}:{n}",
                          sha256=hashlib.sha256(str(text or "").encode("utf-8")).hexdigest(), encoding="utf-8")
        doc.record = True
        doc.language_hint = str(row.get(lang_col) or "").strip().lower() if lang_col else ""
        doc.extra = {
            (f"input_{k}" if k in SCHEMAS["documents"] else k): ("" if v is None else str(v))
            for k, v in row.items() if k not in (text_col, id_col, lang_col)
        }
        if error:
            doc.status, doc.reason = "skipped", error
        elif not isinstance(text, str) or not text.strip():
            doc.status, doc.reason = "skipped", f"empty or missing '{text_col}'"
        else:
            doc.text = normalize_text(text).strip("\n")
        docs.append(doc)
    if docs and not seen_text_col:
        raise ValueError(f"no column '{text_col}' in {path.name}; name the text column with --text-col")
    return list(mark_duplicates(docs))
