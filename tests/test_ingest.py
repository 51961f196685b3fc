"""Ingest: encodings, HTML extraction, statuses, duplicates and ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from servicelens.ingest import DecodeError, detect_encoding, extract_html, read_folder

RU = "Клиент всегда прав? Сотрудники службы поддержки отвечают на жалобы покупателей каждый день."
JA = "お客様は神様です。顧客サービスの質が低いと、ビジネスはすぐに失敗します。"
HU = "Az ügyfélnek mindig igaza van? A munkavállalók szünetet tartanak, ő és ű betűkkel együtt."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RU, "utf-8"), (RU, "utf-8-sig"), (RU, "utf-16"), (RU, "utf-16-le"), (RU, "utf-16-be"),
        (RU, "cp1251"), (RU, "koi8-r"),
        (JA, "utf-8"), (JA, "utf-16"), (JA, "shift_jis"), (JA, "euc-jp"),
        (HU, "utf-8"), (HU, "iso-8859-2"), (HU, "cp1250"),
    ],
)
def test_detect_encoding_recovers_the_text(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")  # Python writes a BOM for plain utf-16
    decoded, name = detect_encoding(data)
    assert decoded.lstrip("\ufeff") == text, name


def test_detect_encoding_names_legacy_charsets() -> None:
    assert detect_encoding(RU.encode("cp1251"))[1] == "cp1251"
    assert detect_encoding(RU.encode("koi8-r"))[1] == "koi8_r"
    assert detect_encoding(JA.encode("euc-jp"))[1] == "euc_jp"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"), (b"  \n\t\n", "empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 20, "binary"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_bad_bytes_raise_decode_error_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        detect_encoding(data)


def test_extract_html_keeps_article_and_drops_furniture() -> None:
    page = """<html><head><title>Shop | Blog</title><style>p{color:red}</style></head><body>
    <nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
    <div class="cookie-banner">We use cookies to improve your experience.</div>
    <article><h1>Refunds done right</h1>
    <p>When a parcel arrives broken, the customer wants one thing: a quick refund.</p>
    <p>Our agents can approve refunds up to &euro;50 without asking a manager.</p></article>
    <footer>&copy; 2024 Shop Ltd</footer><script>var tracking = 1;</script></body></html>"""
    text, title, dropped = extract_html(page)
    assert title == "Refunds done right"
    assert text.split("\n\n") == [
        "Refunds done right",
        "When a parcel arrives broken, the customer wants one thing: a quick refund.",
        "Our agents can approve refunds up to €50 without asking a manager.",
    ]
    rules = {rule for _, _, rule in dropped}
    assert {"html:nav", "html:footer"} <= rules
    assert "cookies" not in text and "tracking" not in text


def _write(folder: Path, name: str, data: bytes) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_read_folder_statuses_duplicates_and_ids(tmp_path: Path) -> None:
    body = "Клиент всегда прав? Этот вопрос задают себе многие сотрудники магазинов.\n"
    _write(tmp_path, "a.txt", body.encode("utf-8"))
    _write(tmp_path, "a.html", b"<p>Customers queue at the counter every morning before nine.</p>")
    _write(tmp_path, "b.txt", body.encode("cp1251"))  # same text, other encoding
    _write(tmp_path, "c.md", b"")
    _write(tmp_path, "d.txt", b"\x00\x01\x02\x03" * 300)
    _write(tmp_path, "e.pdf", b"%PDF-1.4")
    _write(tmp_path, "sub/f.htm", "<p>Der Kunde ist König, sagt man.</p>".encode())
    _write(tmp_path, ".hidden.txt", b"ignored")
    docs = {d.path: d for d in read_folder(tmp_path)}
    assert sorted(docs) == ["a.html", "a.txt", "b.txt", "c.md", "d.txt", "e.pdf", "sub/f.htm"]
    assert docs["a.html"].doc_id == "a" and docs["a.txt"].doc_id == "a.txt"  # later path keeps its extension
    assert docs["sub/f.htm"].doc_id == "sub/f"
    assert docs["b.txt"].status == "duplicate" and "a.txt" in docs["b.txt"].reason
    assert docs["a.txt"].status == "ok"
    assert docs["c.md"].status == "skipped" and "empty" in docs["c.md"].reason
    assert docs["d.txt"].status == "skipped" and "binary" in docs["d.txt"].reason
    assert docs["e.pdf"].status == "skipped" and "unsupported" in docs["e.pdf"].reason
    assert docs["a.txt"].sha256 == hashlib.sha256(body.encode()).hexdigest()


def test_line_endings_are_normalised(tmp_path: Path) -> None:
    _write(tmp_path, "crlf.txt", b"First line.\r\nSecond line.\rThird line.\r\n")
    (doc,) = read_folder(tmp_path)
    assert doc.text == "First line.\nSecond line.\nThird line."


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_folder(tmp_path / "nope")


def test_records_get_unique_ids_and_pass_other_columns_through(tmp_path: Path) -> None:
    from servicelens.ingest import read_records

    path = tmp_path / "reviews.csv"
    path.write_text("id,text,source,title\n7,Great service at the desk.,web,t1\n7,The queue was far too long.,app,t2\n"
                    ",Staff were friendly and quick.,web,t3\n", encoding="utf-8")
    docs = read_records(path, id_col="id")
    assert [d.doc_id for d in docs] == ["7", "7#2", "reviews.csv:3"]
    assert docs[1].extra == {"source": "app", "input_title": "t2"}  # 'title' would clash with documents.title
    assert all(d.record and d.status == "ok" for d in docs)
