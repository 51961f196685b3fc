"""Stance: cues in every language, negation and qualification, mentions, scores, evaluation."""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pandas as pd
import pytest

from servicelens import stance
from servicelens.config import ANNOTATION_DIR, SUPPORTED
from servicelens.nlp import annotate_texts

from .conftest import FIXTURES


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / "stance" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _lemmas(sentence: str, code: str) -> list[str]:
    ((_, tokens),) = list(annotate_texts([sentence], code))
    return [t.lemma for t in tokens]


def _matches(sentence: str, code: str) -> list[stance.CueMatch]:
    ((_, tokens),) = list(annotate_texts([sentence], code))
    return stance.get_matcher(code).match([t.lemma for t in tokens], [t.text for t in tokens])


def test_codebook_covers_every_language_and_both_sides() -> None:
    cues = stance.load_codebook().values()
    for code in SUPPORTED:
        mine = [c for c in cues if c.lang == code]
        assert {c.polarity for c in mine} == {1, -1}, code
        assert any(c.argument_type == "maxim" for c in mine), code
        assert all(c.description_en and 0 < c.weight <= 2 for c in mine)


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_cue_examples_match_with_their_polarity(code: str) -> None:
    rows = [r for r in _rows("cue_examples.csv") if r["lang"] == code]
    assert len(rows) >= 20
    codebook = stance.load_codebook()
    failures = []
    for row in rows:
        matches = _matches(row["sentence"], code)
        found = {(m.cue.cue_id, m.polarity) for m in matches}
        # a priority frame that spans the cue says the same thing: same argument, same polarity
        framed = {(m.cue.argument_type, m.polarity) for m in matches if ":" in m.cue.cue_id}
        expected = int(row["expected_polarity"])
        if (row["cue_id"], expected) not in found and (codebook[row["cue_id"]].argument_type, expected) not in framed:
            failures.append(f"{row['cue_id']} {row['expected_polarity']}: {row['sentence']} -> {found}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_negation_and_qualification(code: str) -> None:
    rows = [r for r in _rows("modifier_examples.csv") if r["lang"] == code]
    assert len(rows) >= 5
    failures = []
    for row in rows:
        found = {m.cue.cue_id: m for m in _matches(row["sentence"], code)}
        m = found.get(row["cue_id"])
        weakened = row["weakened"].lower() == "true"
        if m is None or m.polarity != int(row["expected_polarity"]) or (m.weight < m.cue.weight) != weakened:
            failures.append(f"{row['sentence']} -> {m}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_combinations_read_what_no_cue_reaches(code: str) -> None:
    """Each combination fires, with its sign or the negated one, on sentences no cue reads ("agents
    may end a call when a caller swears"), and not on near misses that share its words ("staff can
    process credit card payments at any till", a court ruling in a tenant's favour)."""
    rows = [r for r in _rows("combination_examples.csv") if r["lang"] == code]
    assert len(rows) >= 30
    ids = {c.cue.cue_id for c in stance.load_combinations() if c.cue.lang == code}
    assert {r["combination"] for r in rows if r["combination"]} == {i.rsplit("_", 1)[0] for i in ids}
    failures = []
    for row in rows:
        found = [m for m in _matches(row["sentence"], code) if m.cue.cue_id in ids and m.weight > 0]
        expected = int(row["expected_polarity"])
        if expected == 0:
            ok = not found
        else:
            ok = any(m.cue.cue_id == f"{row['combination']}_{code}" and m.polarity == expected for m in found)
        if not ok:
            failures.append(f"{row['combination']} {expected}: {row['sentence']} -> {found}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("pattern", "found"), [
    ("accept =returns|=exchanges", {"returns", "exchanges"}),  # either form
    ("accept =returns|exchanges", {"returns", "exchanges"}),
    ("accept refund|=exchanges", {"refund", "exchanges"}),  # the lemma refund or the form exchanges
])
def test_a_surface_form_may_have_alternatives(pattern: str, found: set[str]) -> None:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    matcher = Matcher(Vocab())
    matcher.add("remedy", stance._token_patterns(pattern, "en"))
    # lemma and form of each word: 'exchanges' reads as 'exchange', 'refunds' as 'refund'
    for lemma, form in [("return", "returns"), ("exchange", "exchanges"), ("exchange", "exchange"),
                        ("refund", "refunds")]:
        doc = Doc(matcher.vocab, words=["accept", lemma])
        for token, text in zip(doc, ["accept", form], strict=True):
            token.norm_ = text
        assert bool(matcher(doc)) == (form in found or lemma in found), (pattern, form)


@pytest.mark.parametrize("code", ["de", "en", "es", "fr", "ru"])  # not ja, hu: see unread_words
def test_every_lexicon_word_is_one_a_token_can_be_read_as(code: str) -> None:
    """A lexicon word the lemmatiser gives no token never matches (the Spanish table reads regla
    and reglas as reglar): the lexicons offer its reading too, or name the form itself."""
    assert stance.unread_words(code) == []


def test_a_word_no_token_is_read_as_is_reported_until_its_reading_or_form_is_named(monkeypatch) -> None:
    rows = {stance.CODEBOOK: [{"lang": "es", "cue_id": "bare", "pattern": "regla * cliente"},
                              {"lang": "es", "cue_id": "reading", "pattern": "regla|reglar * cliente"},
                              {"lang": "es", "cue_id": "form", "pattern": "=regla * cliente"},
                              {"lang": "de", "cue_id": "other", "pattern": "früher * Kunde"}],
            stance.ROLES: [{"lang": "es", "role": "rules", "lemma": "=reglas"}]}  # roles are read by lemma
    monkeypatch.setattr(stance, "read_rows", lambda name: rows.get(name, []))
    assert stance.unread_words("es") == [(stance.CODEBOOK, "bare", "regla", "reglar"),
                                         (stance.ROLES, "rules", "=reglas", "")]
    assert stance.unread_words("de") == [(stance.CODEBOOK, "other", "früher", "früh")]


@pytest.mark.parametrize(("code", "sentence", "score"), [
    # a past practice the writer left: the German table reads früher as früh (=früher)
    ("de", "Ich habe früher immer den Kunden recht gegeben, um Ruhe zu haben.", 0.0),
    # the role regla|reglar: the rule ranks above the customer
    ("es", "Las reglas están por encima de los clientes.", -1.0),
    ("es", "La regla está por encima del cliente.", -1.0),
    # the manager named by its forms (pymorphy reads управляющий as управлять)
    ("ru", "Официант сам решает вопрос, не спрашивая управляющего.", 1.0),
    # but not a finite verb: the guest is the one who does not call the manager
    ("ru", "Мы говорили тихо, чтобы гость не звал менеджера.", 0.0),
    ("ru", "Официанту не нужно звать менеджера, он сам вернёт деньги.", 1.0),
    # the plural's lemma (издержка), not the form named
    ("ru", "Для руководства служба поддержки — это центр издержек.", -1.0),
    # a participle in any gender and number: the table reads desmedidas as desmedir
    ("es", "El cliente tiene exigencias desmedidas y disparatadas.", -1.0),
])
def test_words_the_lemmatiser_reads_as_others_match_as_meant(code: str, sentence: str, score: float) -> None:
    assert [s for s, _ in _scored(sentence, code)] == [score]


@pytest.mark.parametrize(("code", "text", "score"), [
    ("hu", "Csak éppen nem gondoljuk, hogy a páciensnek mindig igaza van.", -1.0),
    ("ja", "お客様は神様だとは考えていません。", -1.0),
    # a question asks, in Japanese with a final か as well
    ("ja", "お客様は神様だとは思いませんか。", 0.0),
])
def test_a_denied_belief_negates_the_clause_it_holds(code: str, text: str, score: float) -> None:
    assert [s for s, _ in _scored(text, code)] == [score]


def test_a_combination_that_requires_a_negation_is_read_only_where_one_flips_it() -> None:
    """Arguing over fault argues for the customer when it is refused; a quarrel that is only
    reported, or one whose negation stands before a party, is not read."""
    (refused,) = _matches("When a parcel arrives damaged, we never argue about whose fault it was.", "en")
    assert (refused.cue.cue_id, refused.signed) == ("no_dispute_en", 1.0)
    assert _matches("The airline and the airport argued over who was to blame for the delays.", "en") == []
    assert _matches("We argue about fault with the courier, not with the customer.", "en") == []
    # an unread quarrel does not take the span of another combination
    sided = _matches("We side with the guest when staff quarrel over who is at fault.", "en")
    assert [m.cue.cue_id for m in sided] == ["favour_en"]


def test_a_combination_that_ignores_negation_reads_the_same_denied_or_deplored() -> None:
    """Treating honest customers like suspects is named to be rejected, so "we won't" argues as
    "it costs more than" does."""
    deplored = _matches("Suspecting everyone costs more than the few free meals we give away to chancers.", "en")
    denied = _matches("Nobody here will ever treat everyone who complains as a liar.", "en")
    feared = _matches("If we treat the honest majority like thieves, we lose them.", "en")  # no bad outcome turns it
    found = [(m.cue.cue_id, m.signed, m.modifiers) for m in deplored + denied + feared]
    assert found == [("no_suspicion_en", 1.0, ())] * 3
    assert _matches("He was questioned as a suspect after the robbery.", "en") == []


def test_an_unknown_negation_mode_is_a_clear_error(monkeypatch) -> None:
    row = {"combination_id": "x", "classes": "staff", "polarity": "1", "weight": "1", "argument_type": "maxim",
           "negation": "sometimes", "description_en": "", "comment": ""}
    monkeypatch.setattr(stance, "read_rows", lambda name: [row] if name == stance.COMBINATIONS else [])
    monkeypatch.setattr(stance, "load_classes", lambda: {"en": {"staff": ("staff",)}})
    with pytest.raises(ValueError, match="x has negation 'sometimes', not one of flips, required, ignored"):
        stance.load_combinations.__wrapped__()


@pytest.mark.parametrize(("code", "text"), [
    ("en", "Of course, the customer is not always right. Still, the point stands. But we never argue with a customer."),
    ("de", "Natürlich hat der Kunde nicht immer recht. Aber wir streiten nie mit Kunden."),
    ("fr", "Bien sûr, le client n'a pas toujours raison. Mais on ne discute jamais avec un client."),
    ("es", "Por supuesto, el cliente no siempre tiene la razón. Pero nunca discutimos con un cliente."),
    ("ru", "Конечно, клиент не всегда прав. Но мы никогда не спорим с клиентом."),
    ("hu", "Persze, a vevőnek nem mindig van igaza. De soha nem vitatkozunk a vevővel."),
    ("ja", "確かに、お客様が常に正しいわけではありません。でも、お客様の期待を超えるサービスを続けます。"),
])
def test_what_an_of_course_sentence_admits_a_but_sentence_answers(code: str, text: str) -> None:
    """The admitted side scores nothing once a later sentence of the paragraph opens with "But"
    and argues the other side."""
    scores = [s for s, _ in _scored(text, code)]
    assert scores[0] == 0.0 and scores[-1] > 0


@pytest.mark.parametrize("text", [
    "Of course, the customer is not always right. We never argue with them anyway.",  # no "But"
    "Of course, the customer is not always right. But some staff forget it.",  # the same side, or none
    "The customer is not always right. But we never argue with a customer.",  # nothing admitted
])
def test_what_is_not_answered_stays_argued(text: str) -> None:
    assert _scored(text, "en")[0][0] == -1.0


@pytest.mark.parametrize(("code", "empowered", "sanctions"), [
    ("en", "Our agents are empowered to refund customers on the spot.",
     "Give staff the authority to end conversations with rude customers."),
    ("ja", "スタッフに返金の権限を与えています。",
     "スタッフに、失礼なお客様に対して会話を終わらせる権限を与えてください。"),
])
def test_staff_empowered_to_sanction_abuse_argue_for_limits(code: str, empowered: str, sanctions: str) -> None:
    """Empowering staff argues for the customer, unless what they may do is cut off abuse."""
    assert [s for s, _ in _scored(empowered, code)] == [1.0]
    assert [s for s, _ in _scored(sanctions, code)] == [-1.0]


@pytest.mark.parametrize(("code", "text"), [
    ("en", "So when you tell me something isn't working, I believe you and I fix it."),
    ("en", "If you don't like an edit, I redo it at our own expense."),
])
def test_a_negation_inside_an_if_or_when_clause_does_not_deny_the_main_clause(code: str, text: str) -> None:
    assert [s for s, _ in _scored(text, code)] == [1.0]


def test_combinations_are_read_only_where_no_cue_is() -> None:
    alone = _matches("Our servers have the authority to comp a dessert.", "en")
    assert [m.cue.cue_id for m in alone] == ["empower_en"]
    with_cue = _matches("Never argue with customers, and our servers have the authority to comp a dessert.", "en")
    assert [m.cue.cue_id for m in with_cue] == ["no_argue_en"]


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_neutral_sentences_take_no_stance(code: str) -> None:
    rows = [r for r in _rows("neutral_examples.csv") if r["lang"] == code]
    assert rows
    for row in rows:
        assert sum(m.signed for m in _matches(row["sentence"], code)) == 0, row["sentence"]


@pytest.mark.parametrize(
    ("code", "sentence", "expected"),
    [
        ("ru", "Клиент всегда прав.", 1),
        ("ru", "Клиент не всегда прав.", -1),
        ("en", "The customer is always right.", 1),
        ("en", "The customer is not always right.", -1),
        ("de", "Der Kunde ist nicht immer König.", -1),
        ("ja", "お客様は神様です。", 1),
        ("hu", "A vevőnek nem mindig van igaza.", -1),
        ("es", "El cliente no siempre tiene la razón.", -1),
        ("fr", "Le client n'est pas toujours roi.", -1),
    ],
)
def test_maxim_and_its_negation(code: str, sentence: str, expected: int) -> None:
    maxims = [m for m in _matches(sentence, code) if m.cue.argument_type == "maxim"]
    assert maxims and np.sign(sum(m.signed for m in maxims)) == expected, maxims


def test_questions_and_quoted_maxims_are_mentions_not_claims() -> None:
    assert sum(m.signed for m in _matches("Клиент всегда прав?", "ru")) == 0
    assert sum(m.signed for m in _matches("Is the customer always right?", "en")) == 0
    assert sum(m.signed for m in _matches("The motto “the customer is always right” dates from 1909.", "en")) == 0
    assert sum(m.signed for m in _matches("Принцип «клиент всегда прав» придумал Селфридж.", "ru")) == 0
    # a quoted slogan and a quoted sector form of the maxim are named too; said outright, they count
    named = ['Das Programm heißt "Kunde zuerst 2026" und kostet 23 Millionen Euro.',
             'The sign on the wall said "The patient is always right."']
    claims = ["Bei uns gilt: Kunde zuerst.", "The patient is always right, even when the doctor disagrees."]
    for named_text, claim, code in zip(named, claims, ["de", "en"], strict=True):
        assert _matches(named_text, code) and sum(m.signed for m in _matches(named_text, code)) == 0
        assert sum(m.signed for m in _matches(claim, code)) > 0
    # and so does a slogan that someone is quoted saying
    for quoted, code in [('"Employees come first," she insists.', "en"),
                         ("«У нас сотрудники на первом месте», — говорит директор.", "ru"),
                         ("「当社では従業員第一です」と社長は語る。", "ja")]:
        assert sum(m.signed for m in _matches(quoted, code)) < 0, quoted


@pytest.mark.parametrize(("code", "sentence"), [
    ("fr", "« Le client est roi » n'est pas un slogan, c'est une stratégie."),
    ("ru", "«Клиент всегда прав» — это не лозунг, а стратегия."),
    ("en", "“The customer is always right” is not a slogan but a way of running a shop."),
    ("de", "„Der Kunde ist König“ ist kein Spruch, sondern eine Haltung."),
])
def test_a_corrected_negation_after_a_quoted_maxim_is_no_verdict(code: str, sentence: str) -> None:
    """'The maxim is not A, but B': the verdict lies in B, which cues do not read."""
    maxims = [m for m in _matches(sentence, code) if m.cue.argument_type == "maxim"]
    assert maxims and sum(m.signed for m in maxims) == 0, maxims


def test_a_negation_after_a_quoted_maxim_still_rejects_it() -> None:
    assert sum(m.signed for m in _matches("«Клиент всегда прав» не всегда содержит правду.", "ru")) < 0


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_priority_frames_put_one_party_above_another(code: str) -> None:
    """'Put employees before customers' rejects the maxim, 'customers come before the rules'
    endorses it, negation flips a frame, and temporal 'before' is no frame (fixtures per language)."""
    rows = [r for r in _rows("frame_examples.csv") if r["lang"] == code]
    assert len(rows) >= 4
    failures = []
    for row in rows:
        total = sum(m.signed for m in _matches(row["sentence"], code))
        if np.sign(total) != int(row["expected_polarity"]):
            failures.append(f"{row['sentence']} -> {total}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("code", "straight", "curly"), [
    ("en", "Don't argue with customers.", "Don’t argue with customers."),
    ("fr", "Le client n'a pas toujours raison.", "Le client n’a pas toujours raison."),
])
def test_a_curly_apostrophe_negates_as_a_straight_one(code: str, straight: str, curly: str) -> None:
    """Web text writes don’t and n’a with U+2019; the negation must still be read."""
    assert _lemmas(curly, code) == _lemmas(straight, code)
    assert sum(m.signed for m in _matches(curly, code)) == sum(m.signed for m in _matches(straight, code)) != 0


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_if_clauses_suppose_and_even_if_clauses_grant(code: str) -> None:
    """An if-clause supposes: a maxim in it is named, not endorsed; a cue in it argues against
    itself when the main clause is a bad outcome ("if the customer is always right, staff burn
    out"), and for itself when the clause is negated ("if you don't back your staff, they
    quit"). An even-if clause is granted. Not daring to say no laments, it does not negate.
    Expected: the sign of the sentence's score (fixtures per language)."""
    rows = [r for r in _rows("condition_examples.csv") if r["lang"] == code]
    assert len(rows) >= 5
    failures = []
    for row in rows:
        matches = _matches(row["sentence"], code)
        if not matches or np.sign(sum(m.signed for m in matches)) != int(row["expected"]):
            failures.append(f"{row['sentence']} -> {[(m.cue.cue_id, m.signed, m.modifiers) for m in matches]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("code", "sentence"), [
    ("en", "Don't be afraid to fire abusive customers."),
    ("ru", "Не бойтесь расставаться с клиентами, которые хамят персоналу."),
    ("de", "Haben Sie keine Angst, einem Kunden Hausverbot zu erteilen."),
    ("es", "No tengas miedo de despedir a un cliente abusivo."),
    ("fr", "N'ayez pas peur de vous séparer d'un client toxique."),
    ("hu", "Ne féljen kitiltani az agresszív vásárlót."),
    ("ja", "悪質な客を出入り禁止にすることを恐れないでください。"),
    ("ja", "ためらわずに出入り禁止にするべきだ。"),
])
def test_dont_be_afraid_to_urges_what_follows(code: str, sentence: str) -> None:
    """'Don't be afraid to let abusive customers go' argues for letting them go: its negation
    does not flip the cue."""
    assert sum(m.signed for m in _matches(sentence, code)) < 0


@pytest.mark.parametrize(("code", "sentence"), [
    ("en", "There is an old saying that the customer is always right."),
    ("ru", "Есть старая поговорка, что клиент всегда прав."),
    ("de", "Es gibt den alten Spruch, dass der Kunde König ist."),
    ("es", "Todos conocemos el dicho de que el cliente siempre tiene la razón."),
    ("fr", "On connaît tous l'adage selon lequel le client est roi."),
    ("hu", "Ismerjük a mondást, miszerint a vevő a király."),
    ("ja", "お客様は神様という言葉があります。"),
])
def test_a_named_maxim_is_a_mention(code: str, sentence: str) -> None:
    """'The old saying that the customer is always right' names the maxim, as quotation marks
    would: no verdict."""
    maxims = [m for m in _matches(sentence, code) if m.cue.argument_type == "maxim"]
    assert maxims and sum(m.signed for m in maxims) == 0, maxims


@pytest.mark.parametrize(("sentence", "cue_id", "signed"), [
    ("Saying no to a customer is part of the job.", "set_limits_en_2", -1.0),
    ("I keep saying that the customer is always right.", "maxim_always_right_en", 2.0),
    ("There is a famous saying that the customer is always right.", "maxim_always_right_en", 0.0),
    ("Staff well-being comes first, even when the customer is unhappy.", "employees_first_en_1012", -1.0),
])
def test_an_english_ing_form_matches_its_verb(sentence: str, cue_id: str, signed: float) -> None:
    """The lookup lemmatiser keeps "saying" whole (it is also a noun), so cues read an -ing form
    as its verb: "saying no" is the cue "say no". The noun still names the maxim when a
    determiner or adjective comes before it; the writer's own "I keep saying that" does not.
    Forms listed in lemma_overrides.csv keep their reading (well-being is not "be")."""
    matches = [m for m in _matches(sentence, "en") if m.cue.cue_id == cue_id]
    assert matches and sum(m.signed for m in matches) == signed, matches


@pytest.mark.parametrize("sentence", [
    "Staff are told customers come first.",  # "be" does not stand for the cue's "(well-)being"
    "We refund customers every evening when the till closes.",  # "evening" is no "even"
])
def test_an_english_ing_noun_is_not_read_as_a_verb(sentence: str) -> None:
    assert sum(m.signed for m in _matches(sentence, "en")) == 0, _matches(sentence, "en")


@pytest.mark.parametrize(("code", "conceded", "plain"), [
    ("en", "Sure, the customer pays our wages, but that is no licence to shout at staff.",
     "The customer pays our wages."),
    ("ru", "Да, клиент всегда прав, но хамить сотрудникам нельзя никому.", "Клиент всегда прав."),
    ("de", "Der Kunde ist König, aber auch ein König muss sich benehmen.", "Der Kunde ist König."),
    ("es", "El cliente siempre tiene la razón, pero no puede insultar a nadie.",
     "El cliente siempre tiene la razón."),
    ("fr", "Le client est roi, mais il n'a pas tous les droits.", "Le client est roi."),
    ("hu", "A vevő a király, de a királynak is tudnia kell viselkedni.", "A vevő a király."),
    ("ja", "お客様は神様だと言われますが、限度があります。", "お客様は神様です。"),
])
def test_a_conceded_cue_scores_nothing(code: str, conceded: str, plain: str) -> None:
    """'A, but B': the writer concedes A to argue B, so A's cue is not the writer's point."""
    assert sum(m.signed for m in _matches(plain, code)) > 0
    conceded_cues = [m for m in _matches(conceded, code) if "concession" in m.modifiers]
    assert conceded_cues and all(m.weight == 0 for m in conceded_cues), _matches(conceded, code)


def test_japanese_obligation_is_not_a_negation() -> None:
    """なければならない ("must") holds two negations that make an obligation."""
    plain = _matches("従業員を守るべきだ。", "ja")
    must = _matches("従業員を守らなければならない。", "ja")
    if plain:  # the cue is in the codebook: "must" keeps its polarity
        assert np.sign(sum(m.signed for m in must)) == np.sign(sum(m.signed for m in plain))
    assert all(not m.modifiers or "obligation" in " ".join(m.modifiers) or m.polarity == m.cue.polarity
               for m in must)


def test_article_scores_and_labels() -> None:
    assert stance.label_article([0.5]) == "no_stance"  # one weak cue is too little evidence
    assert stance.label_article([0.5, 0.5]) == "endorses"
    assert stance.label_article([-1.0]) == "rejects"  # one clear argument is enough
    assert stance.label_article([1.0, 1.0, 0.5]) == "endorses"
    assert stance.label_article([-1.0, -1.0]) == "rejects"
    assert stance.label_article([1.0, -1.0, 1.0, -0.5]) == "mixed"  # 2 against 1.5
    assert stance.label_article([1.0, 1.0, 1.0, -1.0, -1.0]) == "mixed"  # 3 against 2
    assert stance.label_article([1.0, 1.0, -1.0]) == "endorses"  # 2 against 1: one side prevails
    assert stance.label_article([-1.0, 0.5]) == "rejects"  # a weak cue does not make the other side argued
    assert stance.article_score([]) == 0
    assert -1 < stance.article_score([1, 1, 1, 1]) < 1


def test_an_article_that_turns_to_the_other_side_is_mixed() -> None:
    # 2 against 1 prevails, unless the writer turns to the other side in so many words
    assert stance.label_article([1.0, 1.0, -1.0], turns=True) == "mixed"
    assert stance.label_article([-1.0, -1.0, 0.5], turns=True) == "mixed"
    # a turn does not make up for a side without evidence
    assert stance.label_article([1.0, 1.0], turns=True) == "endorses"
    sentences = pd.DataFrame({"doc_id": ["a"] * 4, "score": [1.0, 1.0, -1.0, 0.0],
                              "argument_types": ["maxim"] * 3 + [""], "turn": [False, False, False, True]})
    documents = pd.DataFrame({"doc_id": ["a"], "status": ["ok"], "language": ["en"]})
    assert stance.score_articles(sentences, documents).iloc[0]["stance_label"] == "mixed"
    assert stance.score_articles(sentences.assign(turn=False), documents).iloc[0]["stance_label"] == "endorses"


@pytest.mark.parametrize("title", ["Is the customer always right?", "Hat der Kunde immer recht? Fünf Meinungen",
                                   "お客様は神様か？", "Le client a-t-il toujours raison ?"])
def test_an_article_whose_title_asks_is_mixed_when_both_sides_have_evidence(title: str) -> None:
    sentences = pd.DataFrame({"doc_id": ["a"] * 3, "score": [1.0, 1.0, -1.0], "argument_types": ["maxim"] * 3,
                              "turn": [False] * 3})
    documents = pd.DataFrame({"doc_id": ["a"], "status": ["ok"], "language": ["en"], "title": [title]})
    assert stance.score_articles(sentences, documents).iloc[0]["stance_label"] == "mixed"
    # a statement for a title, a question why, or a question answered on one side only, is not a weighing
    for stated in ["Why the customer is always right", "Miért mondunk igent szinte mindenre?",
                   "Warum wir nie streiten?"]:
        assert stance.score_articles(sentences, documents.assign(title=stated)).iloc[0]["stance_label"] == "endorses"
    one_sided = sentences.assign(score=[1.0, 1.0, 0.0])
    assert stance.score_articles(one_sided, documents).iloc[0]["stance_label"] == "endorses"


def _scored(text: str, code: str) -> list[tuple[float, str]]:
    """(score, cues) of each sentence of a short text, scored as an article."""
    ((sents, tokens),) = list(annotate_texts([text], code))
    tok = pd.DataFrame({"doc_id": "d", "sent_id": [t.s_idx for t in tokens], "lemma": [t.lemma for t in tokens],
                        "text": [t.text for t in tokens]})
    sen = pd.DataFrame({"doc_id": "d", "para_id": 0, "sent_id": range(len(sents)),
                        "text": [t for _, _, t in sents], "language": code})
    return [(r.score, r.cues) for r in stance.score_sentences(tok, sen).itertuples()]


@pytest.mark.parametrize(("code", "text"), [
    ("en", "The customer is always right. Well, not quite always."),
    ("en", "Is the customer always right? No. Staff need rules too."),
    ("de", "Der Kunde ist König. Aber eben nicht immer."),
    ("de", "Hat der Kunde immer recht? Nein, und das wissen unsere Mitarbeiter."),
    ("fr", "Le client a-t-il toujours raison ? Non."),
    ("es", "¿Tiene el cliente siempre la razón? No siempre."),
    ("ru", "Клиент всегда прав. Так вот, не всегда."),
    ("ru", "Всегда ли прав клиент? Нет."),
    ("hu", "A vevőnek mindig igaza van. Nem mindig van igaza."),
    ("ja", "お客様は神様です。必ずしもそうではありません。"),
    ("ja", "お客様は本当に神様なのでしょうか？いいえ。"),
    ("ja", "「お客様は神様か？」「いいえ。」"),  # the question mark inside the quotes
    ("ja", "お客様は神様です。常にそうとは限りません。"),
])
def test_a_short_answer_to_the_maxim_rejects_it(code: str, text: str) -> None:
    (first, _), (second, cues), *_ = _scored(text, code)
    assert second == -1 and "[answer]" in cues
    assert first == 0  # the maxim answered, or asked, is named, not claimed


@pytest.mark.parametrize(("code", "text"), [
    ("en", "Is the customer always right? No one can say."),  # 'no' opens, but is no reply
    ("en", "We opened a new branch. Not always easy."),  # no maxim before
    ("en", "The customer is always right. Not always the same customer, though, and we open on Sundays."),
    ("ru", "Так что клиент прав не всегда. Но и продавец прав не всегда."),  # a subject of its own
    ("de", "Der Kunde ist König. Nicht immer?"),  # a question answers nothing
    ("es", "El cliente siempre tiene la razón. No siempre es fácil."),  # not always easy: no filler
    ("ru", "Сегодня у нас клиент всегда прав. Так было не всегда."),
    ("ja", "お客様は神様です。いつも店ではそう言っています。"),  # いつも without a negation
    ("en", "Is the patient all right? No, he needs surgery."),  # not the maxim asked
    ("en", "Does 'the customer is always right' apply to sale items? No, it does not."),  # it asks about sales
    ("en", "The customer is not always right. Well, not always."),  # already rejected: no second answer
])
def test_what_is_not_a_short_answer(code: str, text: str) -> None:
    assert not any("[answer]" in cues for _, cues in _scored(text, code))


@pytest.mark.parametrize(("loader", "row", "unknown"), [
    ("load_answers", {"answer_id": "x", "lang": "en", "kind": "retort", "pattern": "no", "polarity": "-1",
                      "description_en": "x"}, "retort"),
    ("load_modifiers", {"lang": "en", "kind": "verdict", "pattern": "myth", "scope": "after", "effect": "flipp"},
     "flipp"),
    ("load_modifiers", {"lang": "en", "kind": "verdict", "pattern": "myth", "scope": "later", "effect": "flip"},
     "later"),
])
def test_an_unknown_kind_scope_or_effect_is_a_clear_error(monkeypatch, loader: str, row: dict, unknown: str) -> None:
    """An answer kind, or a modifier scope or effect, that the matcher does not read stops the
    run with a one-line error naming it, rather than being ignored."""
    load = getattr(stance, loader)
    monkeypatch.setattr(stance, "read_rows", lambda name: [row])
    load.cache_clear()
    try:
        with pytest.raises(ValueError, match=unknown):
            load()
    finally:
        monkeypatch.undo()
        load.cache_clear()


@pytest.mark.parametrize(("code", "turning", "literal"), [
    ("en", "On the other hand, staff deserve respect too.", "He held the cup in the other hand."),
    ("de", "Andererseits haben auch Mitarbeiter Rechte.", "Das Café liegt auf der anderen Seite der Straße."),
    ("fr", "De l’autre côté, le personnel a aussi des droits.", "La boulangerie est de l’autre côté de la rue."),
    ("es", "Por otro lado, el personal también tiene derechos.", "La tienda está al otro lado de la calle."),
    ("ru", "С другой стороны, у сотрудников тоже есть права.", "Магазин находится с другой стороны улицы."),
    ("hu", "Másrészt a dolgozóknak is vannak jogaik.", "A bolt az utca másik oldalán van."),
    ("ja", "一方で、従業員にも権利がある。", "店は駅の反対側にある。"),
])
def test_turns_to_the_other_side(code: str, turning: str, literal: str) -> None:
    matcher = stance.get_matcher(code)
    assert matcher.turns_to_other_side(_lemmas(turning, code))
    assert not matcher.turns_to_other_side(_lemmas(literal, code))


def test_scores_intervals_and_evidence_on_the_seeds(seed_run) -> None:
    articles = seed_run.tables["stance_articles"]
    assert articles["stance_label"].isin(["endorses", "rejects", "mixed", "no_stance"]).all()
    assert articles["stance_score"].between(-1, 1).all()
    with_ci = articles.dropna(subset=["ci_low"])
    assert (with_ci["n_evidence"] >= stance.MIN_EVIDENCE_INTERVAL).all()
    assert ((with_ci["ci_low"] <= with_ci["stance_score"]) & (with_ci["stance_score"] <= with_ci["ci_high"])).all()
    assert (articles.loc[articles["n_evidence"] == 0, "stance_label"] == "no_stance").all()
    evidence = seed_run.tables["stance_sentences"]
    cued = evidence[evidence["cues"] != ""]
    assert (cued["cue_glosses"] != "").all()


def test_evaluation_on_the_seeds_does_not_regress(seed_run) -> None:
    """Against the hand labels of the seeds (never used to write the codebook). Measured:
    sentence macro-F1 0.49 over pro, contra and neutral; 000, 001 and 002 within the reference
    reading, 003 and 004 below the minimum evidence (003 has no cue in its wording; in 004 a
    counter shut in the queue's face, a weak cue, is its only evidence). The target is
    macro-F1 0.55 and every article within its reference reading; this guards what is reached."""
    gold = pd.read_csv(ANNOTATION_DIR / "stance_sentences.csv")
    metrics, confusion = stance.evaluate_sentences(seed_run.tables["stance_sentences"], gold)
    macro = float(metrics.loc[metrics["label"] == "macro", "f1"].iloc[0])
    assert macro >= 0.48, metrics
    assert confusion.loc["neutral", "contra"] == 0 and confusion.loc["contra", "pro"] == 0, confusion
    agreement = stance.article_agreement(seed_run.tables["stance_articles"],
                                         pd.read_csv(ANNOTATION_DIR / "stance_articles.csv")).set_index("doc_id")
    assert agreement.loc["000_9585c94b345659fc", "stance_label"] == "endorses"
    assert agreement.loc["001_23c6dccc23bc1a55", "stance_label"] == "rejects"
    assert agreement["within_reference"].sum() >= 3, agreement


def test_an_earlier_closed_quotation_does_not_silence_the_maxim() -> None:
    plain = _matches("Our manager said no refunds last year, but the customer is always right.", "en")
    quoted = _matches('Our manager said "no refunds" last year, but the customer is always right.', "en")
    assert sum(m.signed for m in quoted) == sum(m.signed for m in plain) > 0


def test_an_articles_interval_does_not_depend_on_other_articles() -> None:
    sentences = pd.DataFrame({"doc_id": ["b"] * 4, "score": [1.0, 1.0, -0.5, 1.0], "argument_types": ["maxim"] * 4})
    alone = stance.score_articles(sentences, pd.DataFrame({"doc_id": ["b"], "status": ["ok"], "language": ["en"]}))
    other = pd.DataFrame({"doc_id": ["a"] * 3, "score": [1.0, -1.0, 0.5], "argument_types": ["maxim"] * 3})
    both = stance.score_articles(pd.concat([other, sentences]), pd.DataFrame(
        {"doc_id": ["a", "b"], "status": ["ok", "ok"], "language": ["en", "en"]}))
    assert alone.iloc[0][["ci_low", "ci_high"]].tolist() == both.iloc[1][["ci_low", "ci_high"]].tolist()


@pytest.fixture(scope="module")
def held_out_labels(tmp_path_factory) -> pd.DataFrame:
    """Every held-out set in one run, as ``python -m servicelens run`` would score it: set folder,
    file and stance label per article. Each article is scored on its own, so the labels are those
    of a run per set, and the models load once instead of once per set."""
    from servicelens.pipeline import run

    raw = tmp_path_factory.mktemp("heldout_raw")
    for folder in sorted(FIXTURES.glob("stance_heldout*")):
        for path in sorted((folder / "texts").iterdir()):
            shutil.copyfile(path, raw / f"{folder.name}__{path.name}")
    result = run(raw, tmp_path_factory.mktemp("heldout_out"))
    names = result.tables["documents"]["path"].map(lambda p: p.rsplit("/", 1)[-1]).str.split("__", n=1)
    files = result.tables["documents"].assign(folder=names.str[0], file=names.str[1])
    return files[["doc_id", "folder", "file"]].merge(result.tables["stance_articles"], on="doc_id")


@pytest.mark.parametrize(("folder", "n_articles", "floor", "sided"), [
    ("stance_heldout", 35, 28, 0), ("stance_heldout2", 28, 25, 0), ("stance_heldout3", 28, 21, 0),
    ("stance_heldout4", 28, 23, 0), ("stance_heldout5", 28, 23, 0), ("stance_heldout6", 28, 26, 0),
    ("stance_heldout7", 28, 27, 1), ("stance_heldout8", 28, 24, 0), ("stance_heldout9", 24, 22, 0),
    ("stance_heldout10", 14, 12, 0), ("stance_heldout11", 17, 16, 0), ("stance_heldout12", 14, 13, 0),
    ("stance_heldout13", 14, 14, 0), ("stance_heldout14", 14, 14, 0),
    ("stance_heldout15", 14, 14, 0), ("stance_heldout16", 14, 13, 0), ("stance_heldout17", 14, 10, 0),
    ("stance_heldout18", 14, 12, 0), ("stance_heldout19", 14, 13, 0), ("stance_heldout20", 14, 14, 0),
    ("stance_heldout21", 14, 10, 0), ("stance_heldout22", 14, 14, 0), ("stance_heldout23", 14, 13, 0),
    ("stance_heldout24", 14, 12, 0), ("stance_heldout25", 14, 14, 0),
    ("stance_heldout26", 14, 12, 0), ("stance_heldout27", 14, 11, 0), ("stance_heldout28", 14, 14, 0),
    ("stance_heldout29", 14, 14, 0), ("stance_heldout30", 14, 14, 0), ("stance_heldout31", 14, 14, 0),
    ("stance_heldout32", 14, 11, 0), ("stance_heldout33", 14, 11, 0),
    ("stance_heldout34", 14, 13, 0), ("stance_heldout35", 14, 9, 0),
    ("stance_heldout36", 14, 14, 0), ("stance_heldout37", 14, 12, 0), ("stance_heldout38", 14, 10, 0),
    ("stance_heldout39", 14, 10, 0), ("stance_heldout40", 14, 8, 0), ("stance_heldout41", 14, 9, 0),
    ("stance_heldout42", 14, 13, 0), ("stance_heldout43", 14, 12, 0), ("stance_heldout44", 14, 10, 0),
    ("stance_heldout45", 14, 8, 0), ("stance_heldout46", 14, 9, 0), ("stance_heldout47", 14, 12, 0),
    ("stance_heldout48", 14, 7, 0),
])
def test_held_out_articles_in_seven_languages(held_out_labels, folder: str, n_articles: int, floor: int,
                                              sided: int) -> None:
    """Articles in all seven languages, labelled by writers who never saw the codebook or the
    seeds: short articles, long web pages as scraped, pages worded as machine translations
    (``tests/fixtures/HELDOUT.md`` describes each set, its first run and what moved it).
    ``floor`` is the number of article labels right now: a change that loses one fails.
    ``sided`` is the number of no_stance articles given a side: none, except in set 7 a consumer
    report's statistic of the average goodwill gesture, read as an argument for it."""
    scored = held_out_labels[held_out_labels["folder"] == folder]
    table = pd.read_csv(FIXTURES / folder / "labels.csv").merge(scored, on="file")
    assert len(table) == n_articles == len(scored)
    assert (table["label"] == table["stance_label"]).sum() >= floor, table[["file", "label", "stance_label"]]
    assert (table.loc[table["label"] == "no_stance", "stance_label"] != "no_stance").sum() <= sided
