"""Title Case headline detection: capitals there say nothing about names."""

from __future__ import annotations

import pytest

from presslens.text_case import in_title_case_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Colts Beat Chiefs 20-13 To Clinch Playoff Berth", True),
        ("Greek Prime Minister Calls Bank Workers' Riot Deaths 'Murder'", True),
        ("Prime Minister George Papandreou spoke on Monday.", False),  # a sentence
        ("Prime Minister George Papandreou Spoke On Monday.", False),  # ends like one
        ("The ferry left Harbourtown at dawn and reached the island", False),
        ("Koval Wins", False),  # too few words to tell
        # long prepositions in lower case, as many headline styles set them
        ("Lohan Checks into Betty Ford, Rehires Attorney", True),
        ("Storm Sweeps through Coastal Towns after Warning", True),
        # they are not counted, so a sentence's lower-case words still tell
        ("Koval said that the talks with Nordbank would resume", False),
    ],
)
def test_line(line: str, expected: bool) -> None:
    text = f"First paragraph here.\n\n{line}\n\nLast paragraph."
    assert in_title_case_line(text, text.index(line) + 2) is expected
    assert in_title_case_line(text, 3) is False
