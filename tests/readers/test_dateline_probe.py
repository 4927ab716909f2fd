"""Datelines, found by probing: people and organisations followed by a dash aside were taken
for places ("Keir Starmer - Britain’s prime minister - promised …")."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.model import Article
from presslens.readers import read_articles
from presslens.readers.markers import find_dateline
from presslens.settings import Settings


@pytest.mark.parametrize(
    "para",
    [
        "Keir Starmer - Britain’s prime minister - promised new homes on Monday.",
        "Elon Musk — Tesla’s chief executive — said on Monday he would step down.",
        "The Federal Reserve — America’s central bank — raised rates on Wednesday.",
        "Hamas — Israel’s enemy for decades — said it would respond.",
        "Hamas — Israel’s enemy for decades, said it would respond.",
        "Donald Trump — “I will win,” he told supporters.",
        "NATO — Europe’s shield — said on Monday it would act.",
        "Mehmet Oz — Ivy League-trained surgeon and daytime TV star — has been called a fraud.",
        "Corey Taylor - America 51 review",
        "Donald Trump - Caricature (Image by DonkeyHotey)",
        "FILE - Rep. Jane Doe speaks to reporters in Washington.",
        "Sen. Ted Cruz (R-Texas) — the senator said he would vote no.",
    ],
)
def test_person_or_organisation_before_a_dash_is_no_dateline(para: str) -> None:
    assert find_dateline(para) is None


@pytest.mark.parametrize(
    ("para", "place"),
    [
        ("WASHINGTON — The Senate voted on Tuesday to pass the bill.", "WASHINGTON"),
        ("WASHINGTON — The senator — a Democrat — said the bill would pass.", "WASHINGTON"),
        ("WASHINGTON — The Senate passed the bill — the first in a decade.", "WASHINGTON"),
        ("PARIS (AFP) — French farmers blocked roads on Monday.", "PARIS"),
        ("RABAT, Nov 24 (Reuters) - Morocco’s central bank held rates.", "RABAT"),
        ("SAN JUAN, Puerto Rico — Power was restored on Monday.", "SAN JUAN, Puerto Rico"),
        ("KYIV, Ukraine (AP) — Russia launched drones overnight.", "KYIV, Ukraine"),
        ("Rabat, Nov. 24 (MAP) -- The minister said the plan would start.", "Rabat"),
        ("LONDON — Britain’s economy shrank in the third quarter.", "LONDON"),
        ("Wrenford – Wrenford's library reopened its doors on Monday, two years on.", "Wrenford"),
        (
            "Port Merrow – At least 14 are dead after a crash – and families are angry.",
            "Port Merrow",
        ),
    ],
)
def test_datelines_are_still_found(para: str, place: str) -> None:
    found = find_dateline(para)
    assert found is not None
    assert found.place == place
    assert para[found.place_start : found.place_end] == place


def test_name_with_aside_gets_no_dateline_span(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Keir Starmer - Britain’s prime minister - promised new homes on Monday.\n\n"
        "He spoke in Leeds.\n",
        "utf-8",
    )
    (art,) = read_articles([str(path)], Settings())
    assert isinstance(art, Article)
    assert "dateline" not in art.meta
    assert art.layers["datelines"] == []


@pytest.mark.parametrize(
    "para",
    [
        "NEW DELHI: The Union government on Tuesday announced a relief package for farmers hit "
        "by the floods in the north.",
        "MUMBAI : The civic body has begun clearing drains across the city before the monsoon "
        "arrives next week.",
        "NEW DELHI: PM Narendra Modi on Friday inaugurated the Navi Mumbai International "
        "Airport, built at a cost of Rs 19,650 crore.",
    ],
)
def test_a_place_in_capitals_with_a_colon_is_a_dateline(para: str) -> None:
    found = find_dateline(para, colon=True)
    assert found is not None and found.place in ("NEW DELHI", "MUMBAI")
    assert find_dateline(para) is None  # only where the caller allows the colon


@pytest.mark.parametrize(
    "para",
    [
        "AP: Trump chair routed Ukrainian money to D.C. lobbyists.",
        "LOOK: Shocking Photos Of GOP Candidate’s Rally Are Going Viral And Nobody Can Explain "
        "Why It Happened.",
        "Update: The council has now confirmed that the meeting will go ahead as planned on "
        "Monday evening.",
    ],
)
def test_labels_before_a_colon_are_no_dateline(para: str) -> None:
    assert find_dateline(para, colon=True) is None


def test_transcript_speaker_labels_are_no_dateline(tmp_path: Path) -> None:
    text = (
        "Interview with the minister\n\n"
        "SMITH: We are going to build the bridge whatever the opposition says about the cost of "
        "it.\n\nHOST: And the cost?\n\nSMITH: It will be paid back within ten years."
    )
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    (art,) = list(read_articles([str(tmp_path / "t.txt")], Settings()))
    assert isinstance(art, Article)
    assert "dateline" not in art.meta
    (tmp_path / "d.txt").write_text(
        "Relief for farmers\n\nNEW DELHI: The Union government on Tuesday announced a relief "
        "package for farmers hit by the floods.\n\nIt will be paid next month.",
        encoding="utf-8",
    )
    (art,) = list(read_articles([str(tmp_path / "d.txt")], Settings()))
    assert isinstance(art, Article)
    assert art.meta["dateline"]["place"] == "NEW DELHI"
