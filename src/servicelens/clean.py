"""Clean: remove web boilerplate with general, language-independent rules and split the rest
into paragraphs with offsets.

Each raw line is judged on its own shape and on the page around it, never on strings taken from
particular sites. The rules, in the order they are tried:

=================  ==========================================================================
rule               drops a line that ...
=================  ==========================================================================
copyright          carries ©, "(c) 2020", "copyright" or an all-rights-reserved phrase
widget             carries a comment-form, cookie or legal phrase (``widget_phrase`` lexicon)
counter            has no letters at all: view counts, "0,1399", "16 +", rules of dashes
url                is only web addresses or e-mail addresses
date               is a date or time stamp, with at most a few words of post meta around it
nav                is a breadcrumb or menu: short segments between | » › > • · or " / "
byline             is post meta in segments, one of them dated ("Posted on 3 May 2024 by A. Name
                   | Category: Tips")
author_line        is a byline word and names alone ("By Rachel Hughes", "Автор: Иван Петров"): two
                   to four capitalised words each, none of them a function word
ui                 is made only of interface words: "Share", "Leave a comment", "Contents:"
ui_label           is an interface label with a colon and a short list: "Tags: a, b, c"
author_bio         opens with an author-box label and a colon ("About the author: ..."), however
                   long
caption            is a short caption that ends in its credit ("A queue at a branch. Photo: X")
repeated           repeats an earlier line that is not a sentence (site headers shown twice)
contents           is an entry of a table of contents: two or more lines in a row that each
                   return later as a section heading
repeated_title     is a non-sentence line that contains the title (category + title, footer)
header_short       stands above the article body in at most three words and is not the title
footer             is a non-sentence line, or a line with a link, after a footer marker in the
                   second half of the page; not a paragraph whose tail is a dated edit note
masthead           is a site name or tagline above the title, cut off from it by furniture
=================  ==========================================================================

Lines that glue page debris onto body text keep the body part: a leading image file name or
"name 300x279" caption, a copy of the title glued to the body without a space, and interface
words glued to the end of a sentence (rules ``image_debris``, ``glued_title``, ``glued_ui``).

A line is *sentence-like* when it ends in sentence-final punctuation, and *body-like* when it
is sentence-like and has at least five words. Sentence-like lines are dropped only by the
copyright and widget rules, by the nav rule when pipes, bullets or angle quotes cut them into
short segments, and in the footer zone (a line with a link, or a one-sentence headline of at
most twelve words); prose paragraphs survive.

Paragraph rule: blocks are separated by blank lines. Inside a block, each line is a paragraph
(web scrapes put one paragraph per line, and seed-style texts with no blank lines at all do the
same), except that a line that does not end a sentence and is followed by a line starting with
a lower-case letter continues on that line (a hard wrap), also across a blank line; and a block
in which at least half of the line breaks are such wraps is one hard-wrapped paragraph.
Paragraphs longer than ``MAX_PARAGRAPH_CHARS`` are split at sentence ends.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache

from .lexicons import boilerplate_terms

MAX_PARAGRAPH_CHARS = 4000
BODY_MIN_WORDS = 5
HEADER_MAX_WORDS = 3
SHORT_LINE_WORDS = 40  # copyright and widget phrases only drop lines up to this length
FIRST_BODY_WORDS = 12
FOOTER_HEADLINE_WORDS = 12  # in the footer, a one-sentence line this short is a link headline

SENTENCE_END = ".!?…。！？"
_CLOSERS = "\"'»”’)]」』）】›"
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f"
_CJK_RE = re.compile(f"[{_CJK}]")
# capitals and small letters beyond ASCII, for case changes in glued text ("UnsplashÉvente",
# "AdvertisementÁrak")
_UPPER = "A-ZÀ-ÖØ-ÞŐŰŁŚŻŹĆŃŠŽČŘА-ЯЁ"
_LOWER = "a-zß-öø-ÿőűłśżźćńšžčřа-яё"
# joins two names in a byline ("By A. Name and B. Other"); words that are not parts of a name
_NAME_JOINERS = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\bи\b|\bés\b)\s*", re.IGNORECASE)
_NOT_NAMES = frozenset({"the", "for", "of", "and", "to", "in", "on", "at", "a", "an", "le", "la", "les", "des",
                        "du", "pour", "der", "die", "das", "den", "dem", "für", "mit", "el", "los", "las", "del",
                        "al", "para", "con"})
_LETTER_RE = re.compile(r"[^\W\d_]")
_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|ru|jp|hu|de|es|fr|uk|info|biz|io|co|eu|su|рф)\b\S*",
    re.IGNORECASE,
)
_IMAGE_DEBRIS_RE = re.compile(
    r"^(?:\S+\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?)\b\s*"
    r"|(?-i:[a-z0-9][\w.-]{3,})\s+\d{2,4}\s?[x×]\s?\d{2,4}(?=\s|[^\W\d_]|$)\s*)",
    re.IGNORECASE,
)
# Breadcrumb and menu separators: space-delimited » › > · • / (so that «quotes» are not
# separators), pipes, and a leading bullet.
_NAV_SEP_RE = re.compile(r"\s[»›>·•/]\s|\s*\|\s*|^\s*[•·»›>]\s")
# Separators that never occur inside prose: pipes, bullets, middots and angle quotes with spaces.
_STRONG_SEP_RE = re.compile(r"\s*\|\s*|\s[»›·•]\s")
_NUMERIC_DATE_RE = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\d{2,4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?"
    r"|\d{1,2}\s?月\s?\d{1,2}\s?日|[月火水木金土日]曜日?|\b\d{1,2}:\d{2}(?::\d{2})?\b"
)
_SENTENCE_RE = re.compile(r"[^.!?…。！？]+[.!?…。！？]+")


def word_count(text: str) -> float:
    """Words in ``text``: whitespace tokens with letters, plus half a word per CJK character
    (Japanese and Chinese words average about two characters)."""
    cjk = len(_CJK_RE.findall(text))
    latin = sum(1 for tok in _CJK_RE.sub(" ", text).split() if _LETTER_RE.search(tok))
    return latin + cjk / 2


def is_sentence_like(line: str) -> bool:
    """True if ``line`` ends in sentence-final punctuation (closing quotes allowed after it)."""
    stripped = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in SENTENCE_END


def is_body_like(line: str) -> bool:
    """True if ``line`` reads as prose: a sentence ending of at least ``BODY_MIN_WORDS`` words."""
    return is_sentence_like(line) and word_count(line) >= BODY_MIN_WORDS


def _term_alternation(terms: tuple[str, ...]) -> str:
    parts = []
    for term in terms:
        escaped = r"\s+".join(re.escape(w) for w in term.split())
        # CJK terms sit inside unspaced text, so word boundaries do not apply to them.
        parts.append(escaped if _CJK_RE.search(term) else rf"(?<!\w){escaped}(?!\w)")
    return "|".join(parts) or r"(?!x)x"


@dataclass(frozen=True)
class _Patterns:
    ui: re.Pattern[str]
    widget: re.Pattern[str]
    date_words: re.Pattern[str]
    month_number: re.Pattern[str]
    ui_label: re.Pattern[str]
    trailing_ui: re.Pattern[str]
    leading_ui: re.Pattern[str]
    credit: re.Pattern[str]
    bio: re.Pattern[str]
    byline_word: re.Pattern[str]
    edit_note: re.Pattern[str]
    caption_credit: re.Pattern[str]
    prompt: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    terms = boilerplate_terms()
    months = _term_alternation(terms.get("month", ()))
    ui_terms = tuple(sorted(
        set(terms.get("ui", ())) | set(terms.get("widget_phrase", ())), key=lambda t: (-len(t), t)
    ))
    # ui_line terms ("search this site", "tiempo de lectura") and prompts drop a whole line made
    # of them, but are not stripped from the end or start of a line, nor read as labels: a title
    # may end in them ("Cómo reducir el tiempo de lectura").
    line_terms = tuple(sorted(set(ui_terms) | set(terms.get("ui_line", ())) | set(terms.get("prompt", ())),
                              key=lambda t: (-len(t), t)))
    dateish = terms.get("month", ()) + terms.get("weekday", ()) + terms.get("date_word", ())
    photo = _term_alternation(terms.get("photo_label", ()))
    return _Patterns(
        # Whole-line matching runs on noise-stripped text, so the terms are stripped the same way.
        ui=re.compile(_term_alternation(tuple(_strip_noise(t) for t in line_terms)), re.IGNORECASE),
        widget=re.compile(_term_alternation(terms.get("widget_phrase", ())), re.IGNORECASE),
        date_words=re.compile(_term_alternation(tuple(sorted(set(dateish), key=len, reverse=True))),
                              re.IGNORECASE),
        month_number=re.compile(
            rf"\d{{1,4}}\.?\s*(?:de\s+)?(?:{months})|(?:{months})\s*\d{{1,4}}", re.IGNORECASE
        ),
        ui_label=re.compile(rf"^\s*(?:{_term_alternation(ui_terms)})\s*:", re.IGNORECASE),
        # A label glued to the next word with no space: "AdvertisementFourteen days...". The next
        # word is capitalised, not in capitals: "JANUARY" is not "ja" glued to "NUARY".
        leading_ui=re.compile(
            rf"^(?:{'|'.join(re.escape(t) for t in ui_terms)})(?<=[^\W\d_])(?-i:(?=[{_UPPER}][{_LOWER}]))",
            re.IGNORECASE,
        ),
        # "Photo: Agency" before the body: the credit runs to the first space, to a
        # lower-to-upper case change ("UnsplashPendant") or from Latin script into Japanese
        # ("画像:Pexels返品は…").
        credit=re.compile(
            rf"^(?:{_term_alternation(terms.get('credit_label', ()))})\s*[:：]\s*\S+?"
            rf"(?:\s+|(?-i:(?=[{_UPPER}][{_LOWER}]))|(?<=[A-Za-z.)])(?=[{_CJK}])(?![\u3040-\u309f]))",
            re.IGNORECASE,
        ),
        trailing_ui=re.compile(
            rf"(?:{_term_alternation(tuple(t for t in ui_terms if word_count(t) >= 2))})[\s↑↓→←^]*$",
            re.IGNORECASE,
        ),
        # "About the author: ..." opens an author box, however long it runs.
        bio=re.compile(rf"^\s*(?:{_term_alternation(terms.get('bio_label', ()))})\s*:", re.IGNORECASE),
        # the word before an author's name: "By", "Von", "Автор:" (see _is_author_line)
        byline_word=re.compile(rf"^\s*(?:{_term_alternation(terms.get('byline_word', ()))})(?:\s+|(?<=:)\s*)",
                               re.IGNORECASE),
        # "Last edited by", "Editado por última vez", "отредактировано": a forum post's edit note
        edit_note=re.compile(_term_alternation(terms.get("edit_note", ())), re.IGNORECASE),
        # A caption that ends in its photo credit: "Queue at a branch. Photo: A. Name",
        # "… (Foto: dpa)", "…（撮影・佐藤健）". A source note ("Forrás: KSH") is not one.
        caption_credit=re.compile(
            rf"(?:^(?:{photo})\s*:\s*[^\s。！？!?]{{1,40}}(?:\s+[^\s。！？!?]{{1,40}}){{0,2}}"
            rf"|(?:[.!?)]\s+|\s[-–—|/]\s*)(?:{photo})\s*:\s*\S+(?:\s+\S+){{0,4}}"
            rf"|(?<![.!?。！？\s])\s*[(（]\s*(?:{photo})\s*[:：・]\s*[^()（）]{{1,40}}[)）])\s*$",
            re.IGNORECASE,
        ),
        # Reader prompts ("Was this article helpful?", "Понравилась статья?") also occur in
        # prose, so they drop a line only when they make up half of it.
        prompt=re.compile(_term_alternation(terms.get("prompt", ())), re.IGNORECASE),
    )


def _edited_prose(line: str, pats: _Patterns) -> bool:
    """A paragraph whose tail is a dated edit note: "… sin paciencia. Editado por última vez por X
    el 15/02/2024, 09:02" (a forum post). It does not end a sentence, yet it is text."""
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)|[。！？]", line)]
    if not ends or _URL_RE.search(line):
        return False
    head, tail = line[:ends[-1]], line[ends[-1]:]
    return (word_count(head) >= FIRST_BODY_WORDS and word_count(tail) <= FOOTER_HEADLINE_WORDS
            and bool(pats.edit_note.search(tail)) and _has_date(tail, pats) and not _STRONG_SEP_RE.search(tail))


def _is_author_line(text: str, pats: _Patterns) -> bool:
    """A byline of names alone: "By Rachel Hughes", "Von Katrin Wehner und Max Roth", "Автор:
    Иван Петров". Each name is two to four capitalised words or initials, none of them a
    function word, so that headings ("By the Numbers", "BY PHONE", "Von Kunden und
    Mitarbeitern") stay."""
    match = pats.byline_word.match(text)
    if not match:
        return False
    names = _NAME_JOINERS.split(text[match.end():].strip())
    return all(2 <= len(name.split()) <= 4 and all(map(_is_name_word, name.split())) for name in names)


def _is_name_word(token: str) -> bool:
    if token.lower() in _NOT_NAMES:
        return False
    if re.fullmatch(r"[^\W\d_]\.", token):  # an initial
        return True
    parts = [p for p in re.split(r"[-'’]", token) if p]
    return bool(parts) and all(p.isalpha() and p[0].isupper() and (len(p) == 1 or p[1:].islower()) for p in parts)


def _strip_noise(text: str) -> str:
    """Remove addresses, digits, punctuation and symbols; keep letters and single spaces.

    Words glued by a lost line break ("e-mailBlogThis!Share") are split at the case change."""
    text = re.sub(r"(?:(?<=[a-zа-яёà-ÿ]{4})|(?<=!))(?=[A-ZА-ЯЁÀ-Þ])", " ", text)
    text = _URL_RE.sub(" ", text)
    text = re.sub(r"[\d\W_]+", " ", text)
    return " ".join(text.split())


def _only_terms(text: str, pattern: re.Pattern[str]) -> bool:
    """True if ``text`` has letters and every letter belongs to a match of ``pattern``."""
    for variant in (_strip_noise(text.lower()), _strip_noise(text).lower()):
        if not variant:
            continue
        rest = pattern.sub(" ", variant).split()
        # Short glue words between interface labels ("Share on X", "Partager sur Facebook").
        if not rest or (len(variant.split()) >= 4 * len(rest) and all(len(w) <= 3 for w in rest)):
            return True
    return False


def _has_date(line: str, pats: _Patterns) -> bool:
    return bool(_NUMERIC_DATE_RE.search(line) or pats.month_number.search(line))


def _undated_words(line: str, pats: _Patterns) -> float:
    """Words of ``line`` besides its dates and date words ("Posted on", "updated")."""
    rest = pats.month_number.sub(" ", _NUMERIC_DATE_RE.sub(" ", line))
    return word_count(_strip_noise(pats.date_words.sub(" ", rest.lower())))


def classify_line(line: str) -> str | None:
    """The boilerplate rule that drops ``line`` on its own, or None.

    Context rules (repeats, header and footer zones) are applied by :func:`clean_text`.

    >>> classify_line("© 2009")
    'copyright'
    >>> classify_line("Home » Blog » Customer service") is not None
    True
    >>> classify_line("Our staff answered every complaint within a day.") is None
    True
    """
    pats = _patterns()
    text = " ".join(line.split())
    if not text:
        return None
    # Menus laid out with runs of spaces: "Home   About   Blog   Contact".
    items = [s for s in re.split(r"\s{2,}|\t", line.strip()) if s]
    if len(items) >= 3 and all(word_count(s) <= 3 and not is_sentence_like(s) for s in items):
        return "nav"
    words = word_count(text)
    lowered = text.lower()
    sentence = is_sentence_like(text)
    # "copyright" alone may be prose ("copyright law changed"); with a year, a © or on a line
    # that is not a sentence it is a notice.
    if words <= SHORT_LINE_WORDS and (
        "©" in text or re.search(r"\(c\)\s*\d{4}|(?<!\w)copyright\W+(?:\S+\s+){0,2}?\d{4}", lowered)
        or (re.search(r"(?<!\w)copyright(?!\w)", lowered) and not is_sentence_like(text))
    ):
        return "copyright"
    found = pats.widget.findall(lowered) if words <= SHORT_LINE_WORDS else []
    # A long widget phrase ("your email address will not be published") is specific enough
    # anywhere; one- or two-word ones ("comments", "понравилась статья") only when they make up
    # most of the line, and on a sentence only when they add up to three words or more.
    longest = max(map(word_count, found), default=0)
    covered = sum(map(word_count, found))
    if longest >= 3 or (found and words <= 1.5 * covered and (not sentence or covered >= 3)):
        return "widget"
    prompts = pats.prompt.findall(lowered) if words <= SHORT_LINE_WORDS else []
    if prompts and words <= 2 * sum(map(word_count, prompts)):
        return "widget"
    if pats.bio.search(text) and words <= 3 * SHORT_LINE_WORDS:
        return "author_bio"
    caption = pats.caption_credit.search(text)
    # a caption is a phrase or one sentence before its credit, not a paragraph with a source
    if caption and word_count(text[:caption.start()]) <= 25 and len(_SENTENCE_RE.findall(text[:caption.start()])) <= 1:
        return "caption"
    if not _LETTER_RE.search(text):
        return "counter"
    if len(text.split()) >= 2 and all(w.startswith("#") for w in text.split()):
        return "ui"  # hashtags: "#service #hotels"
    if not _LETTER_RE.search(_URL_RE.sub(" ", text)):
        return "url"
    # A breadcrumb may end in the page's own title, however long.
    strong = [s for s in _STRONG_SEP_RE.split(text) if s.strip()]
    if len(strong) >= 2 and all(word_count(s) <= 4 for s in strong[:-1]) and (
        word_count(strong[-1]) <= 4 or (len(strong) >= 3 and _STRONG_SEP_RE.search(text).group(0).strip() != "|")
    ):
        return "nav"
    if sentence:
        # A few words trailing off into an ellipsis may be a placeholder ("Search…", "Keresés …").
        if words <= 4 and text.endswith(("…", "...")) and _only_terms(text, pats.ui):
            return "ui"
        return None
    if _is_author_line(text, pats):
        return "author_line"
    # Post meta cut into segments, one of them dated: "Posted on 3 May 2024 by A. Name | Tips".
    if len(strong) >= 2 and _has_date(text, pats) and all(word_count(s) <= 8 for s in strong):
        return "byline"
    if _has_date(text, pats) and _undated_words(text, pats) <= 4:
        return "date"
    segments = [s for s in _NAV_SEP_RE.split(text) if s and s.strip()]
    if len(segments) >= 2 and _NAV_SEP_RE.search(text) and all(word_count(s) <= 4 for s in segments):
        return "nav"
    if _only_terms(text, pats.ui):
        return "ui"
    if pats.ui_label.search(text) and words <= 10:
        return "ui_label"
    return None


@dataclass
class CleanDocument:
    """A cleaned document: title, paragraphs with offsets, and what was dropped and why."""

    title: str
    paragraphs: list[str]
    dropped: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The cleaned text: paragraphs separated by one blank line."""
        return "\n\n".join(self.paragraphs)

    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of each paragraph in :attr:`text`."""
        out, pos = [], 0
        for para in self.paragraphs:
            out.append((pos, pos + len(para)))
            pos += len(para) + 2
        return out


def _strip_glued_debris(line: str, title: str) -> tuple[str, list[tuple[str, str]]]:
    """Remove image debris and a glued copy of the title from the start of a body line."""
    removed: list[tuple[str, str]] = []
    pats = _patterns()
    for pattern, name in ((pats.credit, "photo_credit"), (pats.leading_ui, "glued_ui")):
        match = pattern.match(line)
        if match and word_count(line[match.end():]) >= BODY_MIN_WORDS - 2:
            removed.append((match.group(0).strip(), name))
            line = line[match.end():].lstrip()
    match = _IMAGE_DEBRIS_RE.match(line)
    if match and match.end() < len(line) and word_count(line[match.end():]) >= BODY_MIN_WORDS:
        removed.append((match.group(0).strip(), "image_debris"))
        line = line[match.end():]
    if title and word_count(title) >= 1 and line.startswith(title) and len(line) > len(title):
        rest = line[len(title):]
        # Only a title glued to the text (no space), or following image debris, is page debris;
        # prose that merely begins with the title's words is left alone.
        if (not rest[0].isspace() or removed) and word_count(rest) >= BODY_MIN_WORDS:
            removed.append((title, "glued_title"))
            line = rest.lstrip()
    line, trailing = _strip_trailing_ui(line)
    return line, removed + trailing


def _strip_trailing_ui(line: str, *, force: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Interface words glued to the end of a sentence ("...right.Click To Tweet"); with
    ``force``, also to the end of a heading ("Title Print version")."""
    match = _patterns().trailing_ui.search(line)
    if match and match.start() > 0:
        head = line[:match.start()].rstrip()
        if head and (force or is_sentence_like(head)):
            return head, [(match.group(0).strip(), "glued_ui")]
    return line, []


def _split_long(paragraph: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """Split an over-long paragraph at sentence ends (or spaces, or anywhere) under ``limit``."""
    parts = []
    while len(paragraph) > limit:
        window = paragraph[:limit]
        cut = max(window.rfind(ch) for ch in SENTENCE_END) + 1
        if cut <= limit // 4:
            cut = window.rfind(" ") + 1
        if cut <= limit // 4:
            cut = limit
        parts.append(paragraph[:cut].strip())
        paragraph = paragraph[cut:].strip()
    if paragraph:
        parts.append(paragraph)
    return [p for p in parts if p]


def _continues(prev: str, nxt: str) -> bool:
    """A hard wrap: ``prev`` stops mid-sentence and ``nxt`` starts with a lower-case letter."""
    prev = prev.rstrip()
    return bool(prev) and prev[-1] not in SENTENCE_END + ":;" + _CLOSERS and nxt[:1].islower()


def build_paragraphs(blocks: list[list[str]]) -> list[str]:
    """Apply the paragraph rule (module docstring) to blocks of kept lines."""
    paragraphs: list[str] = []
    joinable = False  # may the next block continue the last paragraph?
    for block in blocks:
        links = [_continues(a, b) for a, b in itertools.pairwise(block)]
        if links and sum(links) * 2 >= len(links):
            block = [" ".join(block)]  # a hard-wrapped paragraph
        for i, line in enumerate(block):
            if paragraphs and (i > 0 or joinable) and _continues(paragraphs[-1], line):
                paragraphs[-1] = f"{paragraphs[-1]} {line}"
            else:
                paragraphs.append(line)
        joinable = True
    return [part for para in paragraphs for part in _split_long(para)]


def clean_text(text: str, *, title_hint: str = "") -> CleanDocument:
    """Remove boilerplate from a decoded, normalised document and split it into paragraphs.

    Args:
        text: the document text with ``\\n`` line endings (see ``ingest.normalize_text``).
        title_hint: a title known from markup (an HTML ``<h1>``), preferred when present.

    Returns:
        A CleanDocument whose first paragraph is the title, when one was found.

    >>> doc = clean_text("Home | About\\n\\nWhy service matters\\n\\nGood service keeps customers loyal.")
    >>> doc.paragraphs
    ['Why service matters', 'Good service keeps customers loyal.']
    """
    raw_lines = text.split("\n")
    lines = [" ".join(raw.split()) for raw in raw_lines]
    rule: dict[int, str] = {}
    for i, raw in enumerate(raw_lines):
        found = classify_line(raw) if lines[i] else None
        if found:
            rule[i] = found

    nonblank = [i for i, line in enumerate(lines) if line]
    # The body starts at the first substantial paragraph: body-like and at least two sentences
    # or a dozen words. A question used as a title ("Is the customer always right?") is not it.
    body = [i for i in nonblank if i not in rule and is_body_like(lines[i]) and (
        len(_SENTENCE_RE.findall(lines[i])) >= 2 or word_count(lines[i]) >= FIRST_BODY_WORDS)]
    first_body = body[0] if body else len(lines)
    # Post meta in segments is a byline above the body; below it, a dated line is text (a timeline).
    for i in [i for i, r in rule.items() if r == "byline" and i > first_body]:
        del rule[i]

    # Repeats of a line that is not a sentence: the first stays, later copies go. Except a table
    # of contents: two or more lines in a row that each come back as a section heading (a copy
    # followed by a paragraph of text); there the list goes and the headings stay.
    following = dict(itertools.pairwise(nonblank))
    copies: dict[str, list[int]] = {}
    for i in nonblank:
        if i not in rule and not is_sentence_like(lines[i]):
            copies.setdefault(lines[i].casefold(), []).append(i)
    headings = {j for at in copies.values() for j in at[1:] if j in following
                and following[j] not in rule and word_count(lines[following[j]]) >= BODY_MIN_WORDS}
    listed = {at[0] for at in copies.values() if headings.intersection(at[1:])}
    for i in listed:
        if following.get(i) in listed or any(following.get(j) == i for j in listed):
            rule[i] = "contents"
    seen: set[str] = set()
    for i in nonblank:
        key = lines[i].casefold()
        if key in seen and i not in rule and not is_sentence_like(lines[i]) and not (
                i in headings and any(rule.get(j) == "contents" for j in copies[key])):
            rule[i] = "repeated"
        seen.add(key)

    # Header zone: everything above the first body paragraph. A non-sentence line that contains
    # an earlier header line is that line again with a prefix (category, site name).
    header = [i for i in nonblank if i < first_body and i not in rule]
    glued: dict[int, list[tuple[str, str]]] = {}
    for i in header:  # a header line may carry a link glued to its end ("... Print version")
        head, removed = _strip_trailing_ui(lines[i], force=True)
        if removed and word_count(head) >= 2:
            lines[i], glued[i] = head, removed
    for j, i in enumerate(header):
        earlier = [lines[h] for h in header[:j] if h not in rule and word_count(lines[h]) >= 2]
        if not is_sentence_like(lines[i]) and any(e in lines[i] for e in earlier):
            rule[i] = "repeated_title"
    # Dropped furniture (menus, dates, labels) cuts the header into runs of lines. The title is
    # the longest line of two words or more in the title's run (the HTML <h1> when known): the
    # last run that has one, or the one above a byline (below). Lines in earlier runs are the
    # masthead: site name and tagline. Other short non-sentence header lines are bylines and labels.
    header = [i for i in header if i not in rule]
    runs: list[list[int]] = [[]]
    for i in nonblank:
        if i >= first_body:
            break
        if i in rule:
            runs.append([])
        elif word_count(lines[i]) >= 2 and not lines[i].endswith("."):
            runs[-1].append(i)
    # A byline with a date ("By A. Name | 3 May 2024 | 5 min read", "Publié le 3 mai 2024 par
    # A. Nom") usually follows the title, and a caption or a lead may come after it: the title is
    # then in the run just before the header's last byline. But a byline may also stand under the
    # site name, above the title: a run before it whose lines are all as short as a site name
    # (``HEADER_MAX_WORDS`` + 1) leaves the title to the last run, and is kept (it may be a title).
    pats = _patterns()
    bylines = [i for i in nonblank if i < first_body and _has_date(lines[i], pats) and (
        rule.get(i) in ("nav", "byline") or (rule.get(i) == "date" and _undated_words(lines[i], pats) >= 2))]
    filled = [run for run in runs if run]
    last_run = filled[-1] if filled else []
    above = next((run for run in reversed(filled) if bylines and run[-1] < bylines[-1]), last_run)
    if any(word_count(lines[i]) > HEADER_MAX_WORDS + 1 for i in above):
        last_run = above
    kept_above = set(above) - set(last_run)
    title_at = next((i for i in header if title_hint and lines[i] == title_hint), None)
    if title_at is None and last_run:
        title_at = max(last_run, key=lambda i: (word_count(lines[i]), -i))
    title = lines[title_at] if title_at is not None else ""
    for i in header:
        if i == title_at or i in kept_above or is_sentence_like(lines[i]):
            continue
        if title_at is not None and i < title_at and any(i < j < title_at for j in rule):
            rule[i] = "masthead"
        elif word_count(lines[i]) <= HEADER_MAX_WORDS:
            rule[i] = "header_short"

    # Later lines that only restate the title (with a category, or alone) are debris too.
    if title:
        for i in nonblank:
            if i > first_body and i not in rule and not is_sentence_like(lines[i]) \
                    and title in lines[i] and len(lines[i]) <= len(title) + 60:
                rule[i] = "repeated_title"

    # Footer zone: after the first footer marker in the second half of the page, non-sentence
    # lines and lines carrying a link are page furniture. A marker with four body paragraphs among
    # the next six lines is a widget between two sections of the article, not the footer.
    markers = {"copyright", "widget", "ui", "nav", "ui_label"}
    half = nonblank[len(nonblank) // 2] if nonblank else 0

    def inside_article(k: int) -> bool:
        after = itertools.islice((j for j in itertools.islice(nonblank, k + 1, None) if j not in rule), 6)
        return sum(is_body_like(lines[j]) and word_count(lines[j]) >= FIRST_BODY_WORDS for j in after) >= 4

    start = next((i for k, i in enumerate(nonblank) if i >= half and i > first_body
                  and rule.get(i) in markers and not inside_article(k)), None)
    if start is not None:
        for i in nonblank:
            has_link = bool(_URL_RE.search(lines[i])) and word_count(lines[i]) < SHORT_LINE_WORDS
            headline = word_count(lines[i]) <= FOOTER_HEADLINE_WORDS and len(_SENTENCE_RE.findall(lines[i])) <= 1
            unfinished = not is_sentence_like(lines[i]) and not _edited_prose(lines[i], pats)
            if i > start and i not in rule and (unfinished or has_link or headline):
                rule[i] = "footer"

    dropped = [(i + 1, lines[i], rule[i]) for i in sorted(rule)]
    blocks: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        if i in rule:
            continue
        kept, removed = _strip_glued_debris(line, title) if line != title else (line, [])
        removed = glued.get(i, []) + removed
        dropped.extend((i + 1, span, name) for span, name in removed)
        blocks[-1].append(kept)
    blocks = [b for b in blocks if b]
    paragraphs = build_paragraphs(blocks)
    dropped.sort(key=lambda d: (d[0], d[2]))
    return CleanDocument(title=title, paragraphs=paragraphs, dropped=dropped)


def split_plain(text: str) -> CleanDocument:
    """Paragraphs of a text that is not a web page (a review, a tweet, a dialogue turn): the
    paragraph rule only, no boilerplate rules, which would mistake a short review for a menu."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return CleanDocument(title="", paragraphs=build_paragraphs([b for b in blocks if b]))
