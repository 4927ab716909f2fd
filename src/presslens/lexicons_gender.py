"""Words that tell a person's grammatical gender in English news, for pronoun agreement.

Only explicit evidence: honorifics and gendered role nouns. First names are not used: a
first-name list would be a guess about people, and a poor one outside English names.
"""

from __future__ import annotations

MALE, FEMALE = "male", "female"

#: Honorifics right before a name (lower-cased, without the final period).
HONORIFICS: dict[str, str] = {
    **dict.fromkeys(
        (
            "mr",
            "sir",
            "lord",
            "king",
            "prince",
            "monsieur",
            "senor",
            "herr",
            "baron",
            "duke",
            "shri",
        ),
        MALE,
    ),
    **dict.fromkeys(
        (
            "mrs",
            "ms",
            "miss",
            "madam",
            "madame",
            "dame",
            "lady",
            "queen",
            "princess",
            "baroness",
            "duchess",
            "countess",
            "smt",
            "shrimati",
        ),
        FEMALE,
    ),
}

#: Role nouns (lemmas) whose gender is in the word: "actress Tara Reid", "X, his wife".
ROLE_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        (
            "businessman", "spokesman", "chairman", "congressman", "councilman",
            "assemblyman", "alderman", "father", "son", "brother", "husband", "boyfriend",
            "uncle", "nephew", "grandfather", "grandson", "man", "boy", "widower", "gentleman",
            "policeman", "fireman", "sportsman", "anchorman", "frontman", "kingpin",
        ),
        MALE,
    ),
    **dict.fromkeys(
        (
            "actress", "businesswoman", "spokeswoman", "chairwoman", "congresswoman",
            "councilwoman", "assemblywoman", "mother", "daughter", "sister", "wife",
            "girlfriend", "aunt", "niece", "grandmother", "granddaughter", "woman", "girl",
            "widow", "lady", "policewoman", "sportswoman", "anchorwoman", "waitress",
            "heiress", "hostess", "duchess", "empress", "countess", "baroness",
        ),
        FEMALE,
    ),
}  # fmt: skip
# "actor" is left out: it is used for women too ("actress" is never used for men).

#: Third-person pronouns with a gender, in every case.
PRONOUN_GENDER: dict[str, str] = {
    **dict.fromkeys(("he", "him", "his", "himself"), MALE),
    **dict.fromkeys(("she", "her", "hers", "herself"), FEMALE),
}
