"""Language identification on committed fixtures and on the seeds."""

from __future__ import annotations

import pytest

from servicelens.config import SUPPORTED
from servicelens.language import assign_languages, detect_languages

from .conftest import FIXTURES


@pytest.mark.parametrize("code", ["en", "de", "es", "fr"])
def test_supported_fixture_paragraphs(code: str) -> None:
    text = (FIXTURES / "lang" / f"{code}.txt").read_text(encoding="utf-8")
    assert detect_languages([text]) == [code]


@pytest.mark.parametrize("code", ["it", "zh"])
def test_other_languages_are_not_forced_into_a_supported_one(code: str) -> None:
    text = (FIXTURES / "lang" / f"{code}.txt").read_text(encoding="utf-8")
    (found,) = detect_languages([text])
    assert found not in SUPPORTED
    assert found in (code, "und")


def test_japanese_is_decided_by_kana_and_han_only_dates_are_undetermined() -> None:
    assert detect_languages(["お客様は神様です。", "2012年10月8日"]) == ["ja", "und"]


def test_short_paragraphs_take_the_document_language() -> None:
    doc, paras = assign_languages([
        "Le client est roi",
        "Dans notre magasin, les vendeurs écoutent chaque client avec patience et respect.",
        "Pourtant, certains clients exigent des remboursements impossibles.",
    ])
    assert doc == "fr" and paras == ["fr", "fr", "fr"]


def test_a_quoted_paragraph_keeps_its_own_language() -> None:
    doc, paras = assign_languages([
        "Der Kunde ist König, sagen viele Händler in Deutschland, und sie meinen es ernst.",
        "Doch nicht jeder Wunsch eines Kunden lässt sich erfüllen, und das Personal braucht Schutz.",
        "The customer is always right in matters of taste, as the old saying from the store goes.",
    ])
    assert doc == "de" and paras == ["de", "de", "en"]


def test_seed_languages(seed_run) -> None:
    docs = seed_run.tables["documents"].sort_values("doc_id")
    assert docs["status"].tolist() == ["ok"] * 5
    assert docs["language"].tolist() == ["ru", "ru", "ru", "ja", "hu"]
    assert docs["pipeline"].tolist() == ["ru:pymorphy3"] * 3 + ["ja:sudachi-C", "hu:simplemma"]
