"""Property-based tests for the parsers that meet untrusted input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicelens.clean import clean_text
from servicelens.ingest import DecodeError, detect_encoding, extract_html, normalize_text

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LETTERS = "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюяáéíóöőúüű"
word = st.text(alphabet=LETTERS, min_size=1, max_size=9)


@st.composite
def sentence(draw) -> str:
    words = draw(st.lists(word, min_size=3, max_size=12))
    end = draw(st.sampled_from([".", "!", "?", "…"]))
    return " ".join([words[0].capitalize(), *words[1:]]) + end


@st.composite
def body_paragraph(draw) -> str:
    return " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))


@SETTINGS
@given(st.binary(max_size=3000))
def test_decoding_arbitrary_bytes_never_crashes(data: bytes) -> None:
    try:
        text, encoding = detect_encoding(data)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and text.strip() and encoding


@SETTINGS
@given(st.text(max_size=2000))
def test_decoding_utf8_text_is_exact(text: str) -> None:
    try:
        decoded, _ = detect_encoding(text.encode("utf-8"))
    except DecodeError:
        return  # empty, whitespace or control characters only
    assert decoded == text


@SETTINGS
@given(st.text(max_size=2000))
def test_html_extraction_never_crashes(markup: str) -> None:
    text, title, _dropped = extract_html(markup)
    assert isinstance(text, str) and isinstance(title, str)
    assert "\n\n\n" not in text


@SETTINGS
@given(st.lists(body_paragraph(), min_size=1, max_size=8))
def test_html_paragraphs_survive_in_order(paragraphs: list[str]) -> None:
    markup = "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
    text, _, _ = extract_html(markup)
    assert text.split("\n\n") == paragraphs


@SETTINGS
@given(st.lists(body_paragraph(), min_size=1, max_size=10), st.sampled_from(["\n\n", "\n", "\r\n\r\n"]))
def test_body_paragraphs_are_kept_in_order(paragraphs: list[str], sep: str) -> None:
    text = normalize_text(sep.join(paragraphs))
    doc = clean_text(text)
    assert doc.paragraphs == [normalize_text(p) for p in paragraphs]
    assert not doc.dropped


@SETTINGS
@given(st.text(max_size=3000))
def test_segmentation_offsets_are_consistent(text: str) -> None:
    doc = clean_text(normalize_text(text))
    full = doc.text
    for para, (start, end) in zip(doc.paragraphs, doc.spans(), strict=True):
        assert full[start:end] == para
        assert para == para.strip() and para
