"""Name keys: spelling and transliteration variants meet, different names stay apart."""

from __future__ import annotations

import pytest

from presslens.corpus.names import acronym, fold, is_acronym, name_key, translit, words_match


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohamed", "Mohammad"),
        ("Mohamed", "Muhammad"),
        ("Mohammed", "Mohamad"),
        ("Taqiyya", "Taqqiya"),
        ("Khatab", "Khattab"),
        ("Ahmed", "Ahmad"),
        ("Yosef", "Josef"),
        ("Fatimah", "Fatima"),
    ],
)
def test_transliteration_variants_share_a_loose_key(a: str, b: str) -> None:
    assert translit(fold(a)) == translit(fold(b))
    assert words_match(fold(a), fold(b))


@pytest.mark.parametrize(("a", "b"), [("martin", "morton"), ("li", "le"), ("mark", "mike")])
def test_different_names_do_not_match(a: str, b: str) -> None:
    assert not words_match(a, b)


def test_name_key_ignores_titles_particles_hyphens_and_case() -> None:
    assert name_key("the Emir Hassan El-Khatab") == name_key("Hassan al Khatab")
    assert name_key("Former President Barack  Obama") == "barack obama"
    assert name_key("O'Neill") == name_key("ONeill")


def test_acronyms() -> None:
    assert is_acronym("BCIJ") and is_acronym("U.N.") and not is_acronym("Bureau")
    assert acronym("Central Bureau of Judicial Investigation") == "cbji"
    assert acronym("Morocco") is None


def test_a_quoted_nickname_is_no_part_of_the_name_key() -> None:
    assert name_key("Vincent 'The Chin' Gigante") == name_key("Vincent Gigante")
    assert name_key("Joaquin “El Chapo” Guzman") == name_key("Joaquin Guzman")
    assert name_key("Rock 'n' Roll Hall of Fame") != name_key("Rock Roll Hall of Fame")
