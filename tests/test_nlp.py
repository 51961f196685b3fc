"""Per-language pipelines: real lemmas, POS where available, stopword and content flags."""

from __future__ import annotations

import pytest

from servicelens.nlp import CONTENT_KEY, STOP_KEY, annotate_batch, annotate_texts, get_pipeline


def lemmas(text: str, code: str) -> dict[str, str]:
    ((_, tokens),) = list(annotate_texts([text], code))
    return {t.text: t.lemma for t in tokens}


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("ru", "Сотрудники внимательно слушают клиентов.", {"клиентов": "клиент", "Сотрудники": "сотрудник"}),
        ("ru", "Полёт задержали, и всё пошло не так.", {"Полёт": "полет", "задержали": "задержать"}),
        ("hu", "Az ügyfelek panaszkodnak a munkavállalókra.",
         {"ügyfelek": "ügyfél", "munkavállalókra": "munkavállaló"}),
        # the dictionary's abbreviation paradigms (áll. "state") do not take common words
        ("hu", "Az eladók a vevő oldalán állnak, és 2023. aug.-ban nyitottak.", {"állnak": "áll", "eladók": "eladó"}),
        ("de", "Die Kunden beschweren sich bei den Mitarbeitern.", {"Kunden": "Kunde", "Mitarbeitern": "Mitarbeiter"}),
        ("es", "Los clientes siempre tienen la razón.", {"clientes": "cliente", "tienen": "tener"}),
        ("fr", "Les clients attendent des réponses rapides.", {"clients": "client", "attendent": "attendre"}),
        ("en", "Customers were waiting while agents apologised.", {"Customers": "customer", "were": "be"}),
        ("ja", "お客様からの苦情が増えました。", {"お客様": "お客様", "増え": "増える"}),
        # lemma_overrides.csv: the tables' reading is a rare word or a noun
        ("fr", "Le patron donne raison au client qui paie.", {"donne": "donner", "paie": "payer"}),
        ("ru", "Вы спорите с клиентами, и они пошли к конкурентам.", {"спорите": "спорить", "пошли": "пойти"}),
    ],
)
def test_lemmas(code: str, text: str, expected: dict[str, str]) -> None:
    found = lemmas(text, code)
    for form, lemma in expected.items():
        assert found[form] == lemma, (form, found)


def test_japanese_mode_c_keeps_compounds_whole() -> None:
    ((sents, tokens),) = list(annotate_texts(["航空会社のコールセンターに電話しました。接客業は大変です。"], "ja"))
    forms = [t.text for t in tokens]
    # mode A would give 航空 + 会社, コール + センター and 接客 + 業
    assert {"航空会社", "コールセンター", "接客業"} <= set(forms)
    assert len(sents) == 2  # the sentencizer splits at 。


def test_russian_pos_and_content_flags() -> None:
    ((_, tokens),) = list(annotate_texts(["Клиент всегда получает быстрый ответ от сотрудников."], "ru"))
    by_form = {t.text: t for t in tokens}
    assert by_form["Клиент"].pos == "NOUN" and by_form["Клиент"].is_content
    assert by_form["получает"].pos == "VERB"
    assert by_form["от"].is_stop and not by_form["от"].is_content
    assert not by_form["."].is_content


@pytest.mark.parametrize("code", ["en", "de", "es", "fr", "hu"])
def test_stopwords_are_not_content(code: str) -> None:
    text = {"en": "The customer and the staff", "de": "Der Kunde und die Mitarbeiter",
            "es": "El cliente y el personal", "fr": "Le client et le personnel",
            "hu": "Az ügyfél és a munkavállaló"}[code]
    ((_, tokens),) = list(annotate_texts([text], code))
    flags = [(t.is_stop, t.is_content) for t in tokens]
    assert flags[0] == (True, False) and flags[1] == (False, True) and flags[2] == (True, False)


def test_fallback_pipeline_for_other_languages() -> None:
    assert get_pipeline("it").name == "fallback:it"
    assert get_pipeline("und").name == "fallback:und"
    ((_, tokens),) = list(annotate_texts(["Il cliente ha sempre ragione."], "it"))
    assert [t.lemma for t in tokens if t.is_content] == ["cliente", "ragione"]


@pytest.mark.parametrize(
    ("sentence", "lemma"),
    [
        ("Клиент всегда прав.", "правый"),
        ("Клиент не всегда прав, когда требует.", "правый"),
        ("Он прав, но не во всём.", "правый"),
        ("Защита прав потребителей важна.", "право"),
        ("У клиента нет прав.", "право"),
    ],
)
def test_russian_short_adjective_in_predicate_position(sentence: str, lemma: str) -> None:
    """"прав" is the predicate "is right" after a particle or adverb, or closing a clause after
    its subject; otherwise the genitive plural of право ("rights")."""
    ((_, tokens),) = list(annotate_texts([sentence], "ru"))
    assert [t.lemma for t in tokens if t.text == "прав"] == [lemma]


@pytest.mark.parametrize(
    ("code", "texts", "a_sentence"),
    [
        ("ru", ["Клиент всегда прав.  Но не всегда!\n\nДа.", "", "   ", "Второй  текст без точки"],
         "Второй  текст без точки"),
        ("ja", ["お客様は神様です。本当に？　いいえ。", "店員も人間です"], "本当に？"),
        ("de", ["Der Kunde ist König. Oder?", "x"], "Oder?"),
        ("xx", ["Asiakas on aina oikeassa. Ei aina."], "Ei aina."),
        ("en", ["", "  "], "  "),  # no token to keep in the whole batch
    ],
)
def test_batch_tables_read_each_doc_as_spacy_does(code: str, texts: list[str], a_sentence: str) -> None:
    """The columnar reading (arrays of hashes, sentences from the start flags) gives exactly
    what reading Token and Span objects one by one gives, across Doc boundaries in a batch."""
    sentences, tokens = annotate_batch(texts, code)
    pipe = get_pipeline(code)
    want_s, want_t = [], []
    for n, doc in enumerate(pipe.nlp.pipe(texts)):
        for s_idx, sent in enumerate(doc.sents):
            want_s.append((n, s_idx, sent.start_char, sent.end_char, sent.text))
            want_t += [(n, s_idx, t.i, t.text, t.lemma_ or t.text, t.pos_ if pipe.has_pos else "",
                        doc.user_data[STOP_KEY][t.i], doc.user_data[CONTENT_KEY][t.i])
                       for t in sent if not t.is_space]
    assert list(sentences.itertuples(index=False, name=None)) == want_s
    assert list(tokens.itertuples(index=False, name=None)) == want_t
    assert a_sentence in set(sentences["text"])  # inner spacing kept, no trailing space


@pytest.mark.parametrize(
    ("code", "text", "sentences"),
    [
        ("de", "Das Schild hängt über der Theke. „Bei uns ist der Kunde König“ steht darauf.",
         ["Das Schild hängt über der Theke.", "„Bei uns ist der Kunde König“ steht darauf."]),
        ("de", "Er sagte »Ja.« Dann ging er. »Gut«, sagte sie.",  # » opens, « closes
         ["Er sagte »Ja.«", "Dann ging er.", "»Gut«, sagte sie."]),
        ("fr", "Il a dit « oui. » Puis il est parti. « Le client est roi » : voilà.",  # » closes
         ["Il a dit « oui. »", "Puis il est parti.", "« Le client est roi » : voilà."]),
        ("en", 'He said "no." Then he left. "The customer is always right" is a myth. (See below.) Fine.',
         ['He said "no."', "Then he left.", '"The customer is always right" is a myth.', "(See below.)", "Fine."]),
        ("ru", "Табличка висит. «Клиент всегда прав» написано на ней.",
         ["Табличка висит.", "«Клиент всегда прав» написано на ней."]),
        ("hu", "A tábla lóg. „A vevőnek mindig igaza van” áll rajta.",
         ["A tábla lóg.", "„A vevőnek mindig igaza van” áll rajta."]),
        ("en", 'Fine. ("The customer is always right" is a myth.) Next.',  # an opener after an opener
         ["Fine.", '("The customer is always right" is a myth.)', "Next."]),
        ("ja", "看板がある。「お客様は神様です」と書いてある。",
         ["看板がある。", "「お客様は神様です」と書いてある。"]),
    ],
)
def test_an_opening_quote_after_a_full_stop_starts_the_next_sentence(code: str, text: str,
                                                                     sentences: list[str]) -> None:
    """A quoted maxim at the start of a sentence keeps its opening quote, which the stance
    scorer reads as a mention; a closing quote stays with the sentence it closes."""
    ((spans, _),) = list(annotate_texts([text], code))
    assert [s[2] for s in spans] == sentences
