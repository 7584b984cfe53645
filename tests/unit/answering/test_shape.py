"""Question shape: a first sentence that only introduces the asker's firm."""

from __future__ import annotations

import pytest

from assistant.answering.shape import without_introduction


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        ("Ik heb een bakkerij met 12 mensen. Waar moet ik op letten?", "Waar moet ik op letten?"),
        ("Wij zijn een installatiebedrijf. Hoe begin ik?", "Hoe begin ik?"),
        ("I run a bakery with 12 staff. Where do I start?", "Where do I start?"),
        (
            "Ik heb een thuiszorgorganisatie. Is dit advies ook bedoeld voor de zorg?",
            "Is dit advies ook bedoeld voor de zorg?",
        ),
    ],
)
def test_a_firm_introduction_is_left_out(question, rest):
    assert without_introduction(question) == rest


@pytest.mark.parametrize(
    "question",
    [
        # a situation, not the firm: its words may be the topic
        "Ik heb een medewerker met een burn-out. Hoe help ik hem?",
        "Ik heb een vraag. Wat is sociale innovatie?",
        "Ik heb een bouwbedrijf met 20 man.",  # nothing else is asked
        "Hoe krijg ik mijn mensen meer betrokken?",
    ],
)
def test_anything_else_is_kept_whole(question):
    assert without_introduction(question) == question
