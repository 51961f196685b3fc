"""Cleaning: the hand-labelled seed lines, held-out pages in seven languages, and single rules."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from servicelens.clean import classify_line, clean_text
from servicelens.config import ANNOTATION_DIR, RAW_DIR
from servicelens.ingest import normalize_text, read_folder

from .conftest import FIXTURES

PARTIAL_RULES = {"image_debris", "glued_title", "glued_ui", "photo_credit"}


def _predict(doc_text: str, title_hint: str = "") -> tuple[dict[int, str], dict[int, str], object]:
    """Line number -> 'drop' or 'partial', plus the kept text of partial lines."""
    cleaned = clean_text(doc_text, title_hint=title_hint)
    fates: dict[int, str] = {}
    for line_no, _, rule in cleaned.dropped:
        fates[line_no] = "partial" if rule in PARTIAL_RULES and fates.get(line_no) != "drop" else "drop"
    return fates, cleaned


def _score(gold: dict[tuple[str, int], dict[str, str]], docs) -> tuple[float, float, list]:
    tp = fp = fn = 0
    errors = []
    for doc in docs:
        fates, cleaned = _predict(doc.text, doc.title_hint)
        for (name, line_no), row in gold.items():
            if name != doc.path or not row["raw_text"].strip():
                continue
            pred = fates.get(line_no, "keep")
            if row["label"] == "drop":
                tp += pred == "drop"
                fn += pred != "drop"
            elif pred == "drop":
                fp += 1
            if (row["label"] == "drop") != (pred == "drop"):
                errors.append((name, line_no, row["label"], pred, row["raw_text"][:60]))
            if row["label"] == "partial":
                # ingest's NFKC folds "：" and "№" in the page; the labels keep them as written
                assert any(normalize_text(row["kept_text"]) in p for p in cleaned.paragraphs), (name, line_no)
    return tp / max(1, tp + fp), tp / max(1, tp + fn), errors


def test_seed_boilerplate_precision_and_recall() -> None:
    with (ANNOTATION_DIR / "boilerplate_lines.csv").open(encoding="utf-8", newline="") as fh:
        gold = {(r["doc_id"] + ".txt", int(r["line_no"])): r for r in csv.DictReader(fh)}
    docs = read_folder(RAW_DIR)
    # The labels describe the raw files line by line: check that they still match them.
    for doc in docs:
        for no, line in enumerate(doc.text.split("\n"), start=1):
            assert normalize_text(gold[(doc.path, no)]["raw_text"]) == line
    precision, recall, errors = _score(gold, docs)
    assert precision >= 0.95 and recall >= 0.95, errors


def test_held_out_pages_precision_and_recall(web_labels) -> None:
    gold = {(r["file"], int(r["line_no"])): r for r in web_labels if r["line_no"]}
    docs = [d for d in read_folder(FIXTURES / "web") if d.path.endswith(".txt")]
    assert len(docs) == 7
    precision, recall, errors = _score(gold, docs)
    assert precision >= 0.95 and recall >= 0.9, errors


@pytest.mark.parametrize(("folder", "n_pages", "recall_floor"), [("web2", 14, 0.90), ("web3", 7, 0.90),
                                                                 ("web4", 14, 0.81)])
def test_later_held_out_sets_precision_and_recall(folder: str, n_pages: int, recall_floor: float) -> None:
    """Pages written after the rules by writers who never saw them, in all seven languages, about
    half worded as machine translations (``tests/fixtures/HELDOUT.md`` has each set's first run
    and what it led to). Precision stays at 0.99 or more; recall is held at its current level."""
    with (FIXTURES / folder / "labels.csv").open(encoding="utf-8", newline="") as fh:
        gold = {(r["file"], int(r["line_no"])): r for r in csv.DictReader(fh)}
    docs = [d for d in read_folder(FIXTURES / folder) if d.path.endswith(".txt")]
    assert len(docs) == n_pages
    precision, recall, errors = _score(gold, docs)
    assert precision >= 0.99 and recall >= recall_floor, errors


def test_held_out_html_keeps_body_and_drops_debris(web_labels) -> None:
    (doc,) = [d for d in read_folder(FIXTURES / "web") if d.path.endswith(".html")]
    text = " ".join(clean_text(doc.text, title_hint=doc.title_hint).text.split()).lower()
    rows = [r for r in web_labels if r["file"] == doc.path]
    assert any(r["label"] == "body" for r in rows)
    for row in rows:
        snippet = " ".join(row["raw_text"].split()).lower()
        assert (snippet in text) == (row["label"] == "body"), row


def test_seeds_keep_title_and_body_paragraphs() -> None:
    docs = {d.doc_id[:3]: d for d in read_folder(RAW_DIR)}
    cleaned = {k: clean_text(d.text) for k, d in docs.items()}
    assert cleaned["001"].title == "Клиент всегда прав?"
    assert cleaned["001"].paragraphs[0] == "Клиент всегда прав?"
    # image file name and the glued title removed, the body sentence kept whole
    assert cleaned["001"].paragraphs[1].startswith("Настолько ли это истина в последней инстанции?")
    assert cleaned["003"].title == "貧弱な顧客サービス=ディールブレイカー"
    # seed 004 has no blank lines: every line is a paragraph, none is lost
    raw_004 = [line for line in docs["004"].text.split("\n") if line.strip()]
    assert cleaned["004"].paragraphs == [" ".join(x.split()) for x in raw_004]
    # seed 000 breaks one sentence over a blank line; the two halves are one paragraph again
    assert any("Источник стеблей" in p and "люди полосы" in p for p in cleaned["000"].paragraphs)


def test_offsets_index_the_clean_text() -> None:
    doc = clean_text("Title here\n\nFirst paragraph is a sentence.\nSecond one, too.\n\n© 2020 Foo")
    for para, (start, end) in zip(doc.paragraphs, doc.spans(), strict=True):
        assert doc.text[start:end] == para
    assert doc.paragraphs == ["Title here", "First paragraph is a sentence.", "Second one, too."]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("© 2024 Example Ltd. All rights reserved.", "copyright"),
        ("Copyright 2005 John Smith", "copyright"),
        ("Alle Rechte vorbehalten", "widget"),
        ("Ваш e-mail не будет опубликован. Обязательные поля помечены *", "widget"),
        ("Your email address will not be published. Required fields are marked *", "widget"),
        ("0,13990,1399", "counter"),
        ("www.example.com", "url"),
        ("Posted on March 3, 2021 by Jenna Hollis", "date"),
        ("Вторник, 16 апреля 2024", "date"),
        ("12.05.2022, 14:30 Uhr", "date"),
        ("2012年10月8日月曜日", "date"),
        ("2020. április 7., kedd 10:15", "date"),
        ("lunes, 4 de octubre de 2021", "date"),
        ("lundi 4 octobre 2021", "date"),
        ("Home » Blog » Customer service", "nav"),
        ("главная | карта сайта", "nav"),
        ("Startseite   Politik   Wirtschaft   Kultur", "nav"),
        ("Share this:", "ui"),
        ("Добавить комментарий", "ui"),
        ("コメントを投稿", "widget"),
        ("Megosztás", "ui"),
        ("Compartir", "ui"),
        ("Laisser un commentaire", "widget"),
        ("Search…", "ui"),  # a placeholder trailing off is not a sentence
        ("Keresés …", "ui"),
        ("Was this article helpful?   Yes   No", "widget"),
        ("Понравилась статья? Поделитесь с друзьями!", "widget"),
        ("Vous avez aimé cet article ? Partagez-le !", "widget"),
        ("About the author: Dana Wells ran a hotel front desk for ten years. She now trains "
         "reception teams and writes about guest complaints.", "author_bio"),
        ("Об авторе: Ирина Котова пятнадцать лет руководила контакт-центром.", "author_bio"),
        ("A queue outside the post office on Monday morning. Photo: Jan Novak", "caption"),
        ("Kunden vor dem Schalter der Sparkasse — Foto: dpa", "caption"),
        ("窓口で順番を待つ来店客＝本店（撮影・山田花子）", "caption"),
        ("#service #hotels #complaints", "ui"),
        ("Publicado el 3 de mayo de 2024 por Ana Ruiz | Categoría: Atención al cliente", "byline"),
        ("Compartir en LinkedIn", "ui"),
    ],
)
def test_classify_line_drops_boilerplate(line: str, rule: str) -> None:
    assert classify_line(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "On 3 March 2021, the company changed its refund policy for all customers.",
        "Клиент всегда прав? Этот вопрос задают себе многие сотрудники.",
        "Customer comments",  # a section heading, not a comment counter
        "Warum Kundenhotlines so oft enttäuschen",
        "お客様は神様です。",
        "Az ügyfélszolgálat reggel nyolckor nyit, és este hatig tart nyitva.",
        "We read every one of the 250 comments our customers left last month.",
        "Home delivery is where most complaints start, and it is where we began.",
        "Our photo: a queue of forty people at nine in the morning.",  # "photo:" inside prose
        "The book says little about the author: it is about the customers.",
        "Yes, we refunded the whole order.",
        # answers, section headings and prose that share words with page furniture
        "Nein…", "Yes", "Настройки", "Search: customers expect results within two seconds and leave after five",
        "Der Rabatt gilt nur für Abonnenten der Premium-Version.",
        "Чтобы получать скидки, подпишитесь на рассылку магазина.",
        "A munkanélküliség tavaly 5 százalék volt. Forrás: KSH",  # a source note, not a photo credit
        "Die Zahl der Beschwerden stieg 2023 um zwölf Prozent. (Bild: Verbraucherzentrale)",
    ],
)
def test_classify_line_keeps_prose_and_headings(line: str) -> None:
    assert classify_line(line) is None


def test_header_lines_and_footer_zone() -> None:
    page = "\n".join([
        "Customer Voice Weekly", "News | Opinion | Podcasts", "", "Why queues make us angry", "By Ann Lee", "",
        "Waiting in line feels longer when nobody explains the delay. Stores that show the "
        "expected wait get fewer complaints.", "",
        "Staff can help by talking to the queue. A short apology costs nothing.", "",
        "Related articles", "Five ways to shorten a queue", "Leave a comment",
    ])
    doc = clean_text(page)
    assert doc.title == "Why queues make us angry"
    assert doc.paragraphs == [
        "Why queues make us angry",
        "Waiting in line feels longer when nobody explains the delay. Stores that show the "
        "expected wait get fewer complaints.",
        "Staff can help by talking to the queue. A short apology costs nothing.",
    ]
    rules = defaultdict(list)
    for _, text, rule in doc.dropped:
        rules[rule].append(text)
    assert rules["masthead"] == ["Customer Voice Weekly"]
    assert "Five ways to shorten a queue" in rules["footer"]


def test_title_is_the_line_above_the_byline_not_a_caption_below_it() -> None:
    title = "Why refunds should take one click, not three"
    for caption in ["A self-service kiosk", "A customer at a self-service kiosk in a shopping mall on a Saturday"]:
        page = "\n".join([
            "Service Desk Journal", "News | Guides | Events", "", title, "By Ann Lee | 4 March 2024 | 5 min read",
            caption, "", "Most customers who ask for a refund have already decided. Making them wait only adds anger.",
        ])
        doc = clean_text(page)
        assert doc.title == title and doc.paragraphs[0] == title  # however long the caption


def test_title_below_a_byline_under_the_site_name_is_kept() -> None:
    body = "Most customers who ask for a refund have already decided to leave. Making them wait only adds anger."
    doc = clean_text("\n".join(["The Service Desk", "Guides | Reviews | News", "May 3, 2024 · 5 min read",
                                "Refunds Done Right", "", body]))
    assert doc.title == "Refunds Done Right"
    assert doc.paragraphs[-2:] == ["Refunds Done Right", body]
    # a title may end in interface words and stays whole
    doc = clean_text("Cómo reducir el tiempo de lectura\n\n" + "Los clientes leen poco. " * 3)
    assert doc.paragraphs[0] == "Cómo reducir el tiempo de lectura"


def test_dated_lines_below_the_body_are_text_not_bylines() -> None:
    body = "We changed how refunds work three times in a year. Each change came from a complaint."
    entries = ["March 2024 | Refund policy changed to 30 days for all orders",
               "May 2024 | Refunds paid within two days of the parcel's return"]
    page = "\n".join(["What changed in our refunds", body, "", *entries, "", body])
    assert all(entry in clean_text(page).paragraphs for entry in entries)


def test_table_of_contents_goes_and_section_headings_stay() -> None:
    intro = "Returns are a headache for shop owners. Done well, they bring customers back."
    page = "\n".join([
        "Why returns matter", intro, "", "Contents", "What customers expect", "Five rules for returns", "",
        "What customers expect", "Most buyers read the returns policy before they pay for anything.", "",
        "Five rules for returns", "Keep the window long, the label free and the refund fast for everyone.",
    ])
    doc = clean_text(page)
    assert doc.paragraphs == [
        "Why returns matter", intro,
        "What customers expect", "Most buyers read the returns policy before they pay for anything.",
        "Five rules for returns", "Keep the window long, the label free and the refund fast for everyone.",
    ]
    assert [text for _, text, rule in doc.dropped if rule == "contents"] == [
        "What customers expect", "Five rules for returns"]


def test_a_widget_between_two_sections_does_not_start_the_footer() -> None:
    para = "Keep every receipt and every e-mail from the shop, because they decide a dispute later on."
    page = "\n".join([
        "How to get your money back", "A shop has fourteen days to refund you after you cancel an order online.", "",
        *[para] * 4, "Was this article helpful? Yes / No", "", "If the refund is late",
        *["Write to the shop again and give it a last date for the refund, then call the ombudsman."] * 4,
        "Keep the proof of posting too. Back to top",
    ])
    doc = clean_text(page)
    assert "If the refund is late" in doc.paragraphs
    assert doc.paragraphs[-1] == "Keep the proof of posting too."


def test_headings_in_capitals_and_short_captioned_paragraphs_keep_their_words() -> None:
    # "ja", "no", "nem", "да" are interface words, but not the start of JANUARY, NEMZETI, ДАННЫЕ
    for heading in ["JANUARY SALES START NOW TODAY", "NEMZETI BANK ÜGYFÉLSZOLGÁLAT ÚJ RENDSZER",
                    "ДАННЫЕ КЛИЕНТОВ ЗАЩИЩЕНЫ ЗАКОНОМ СТРОГО"]:
        page = f"A title for the page\n\n{heading}\n\nThe shop opened at nine, and the queue was long already."
        assert heading in clean_text(page).paragraphs
    # a credit glued to a short paragraph goes, the paragraph stays
    page = "A title for the page\n\nPhoto: AP The bank closed its branch at noon.\n\nA second paragraph follows it."
    assert "The bank closed its branch at noon." in clean_text(page).paragraphs


def test_a_byline_of_a_name_alone_goes_and_headings_stay() -> None:
    lead = "Pushing agents to close calls faster looks good on a dashboard, and the repeat calls do not."
    body = "Handle time became a target, and agents learned to end calls before the problem was solved."
    for byline in ["By Rachel Hughes", "Von Katrin Wehner", "Par Jean-Luc Ménard et Anne Roy", "Автор: Иван Петров",
                   "Írta: Kovács Anna"]:
        doc = clean_text("\n".join(["Why handle time is the wrong target", lead, byline, "", body]))
        assert byline not in doc.paragraphs and lead in doc.paragraphs and body in doc.paragraphs
    for heading in ["By the numbers", "BY THE NUMBERS", "VON ANFANG AN", "By Customers, For Customers",
                    "Von Kunden und Mitarbeitern", "Текст Конституции РФ", "By Phone"]:
        page = "\n".join(["Why handle time is the wrong target", lead, "", heading, body])
        assert heading in clean_text(page).paragraphs


def test_a_credit_glued_to_japanese_text_goes_and_the_text_stays() -> None:
    body = "返品は、すべてのオンラインストアのオーナーにとって頭痛の種です。しかし、避けられない部分です。"
    doc = clean_text(f"返品ポリシーの書き方\n\n画像：Pexels{body}\n\n二つ目の段落です。期限をはっきり書きましょう。")
    assert body in doc.paragraphs
    assert [(text, rule) for _, text, rule in doc.dropped] == [("画像：Pexels", "photo_credit")]
    # a Latin word the sentence goes on from is no credit, and a spaced credit does not make the
    # paragraph after it a caption
    for line, kept in [("写真：LINEで届いたお客様の声を、毎週の会議で全員が読んでいます。", "LINEで届いたお客様の声"),
                       (f"写真：Pexels　{body}", body)]:
        doc = clean_text(normalize_text(f"返品ポリシーの書き方\n\n{line}\n\n二つ目の段落です。"))
        assert any(kept in p for p in doc.paragraphs), doc.paragraphs


def test_a_forum_posts_edit_note_does_not_take_its_last_paragraph() -> None:
    para = "I have written to the shop three times about the refund for the returned shoes, and nobody answers."
    last = "Thanks in advance. Any advice is welcome, because I am running out of patience with this shop."
    page = "\n".join([
        "Home", "Forums", "Shopping", "Travel", "Banks", "Log in", "Register", "Search the forum", "",
        "Refund never arrived for returned running shoes", "", *[para] * 4, "", "Advertisement", "",
        "What I have tried so far", para, "", last + " Last edited by marta_84 on 15/02/2024, 09:02",
        "Reply with quote   Like (12)   Report", "", "Similar threads", "Voucher instead of a refund: is it legal?",
        "Chargeback when the shop does not refund?",
    ])
    doc = clean_text(page)
    assert any(last in p for p in doc.paragraphs)
    assert "Voucher instead of a refund: is it legal?" not in doc.paragraphs
    # a dated teaser in the footer is no edit note
    teaser = "Consumer rights online: what you can demand when a refund never arrives. 12 March 2024 · 5 min read"
    doc = clean_text(page + "\n" + teaser)
    assert not any(teaser in p for p in doc.paragraphs)


def test_hard_wrapped_paragraph_is_joined() -> None:
    page = ("Customer service is a conversation,\nnot a script that agents read aloud\nto every caller.\n\n"
            "Second paragraph stands alone here.")
    assert clean_text(page).paragraphs == [
        "Customer service is a conversation, not a script that agents read aloud to every caller.",
        "Second paragraph stands alone here.",
    ]


def test_long_paragraph_is_split_at_sentences() -> None:
    sentence = "Клиенты ждут ответа от службы поддержки слишком долго. "
    doc = clean_text(sentence * 200)
    assert all(len(p) <= 4000 for p in doc.paragraphs)
    assert all(p.endswith(".") for p in doc.paragraphs)
    assert " ".join(doc.paragraphs) == (sentence * 200).strip()
