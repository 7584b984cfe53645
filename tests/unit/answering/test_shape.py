"""Question shape: definition questions, and a first sentence that only introduces the
asker's firm."""

from __future__ import annotations

import pytest

from assistant.answering.shape import fits_kind, is_advice, question_shape, without_firm


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
    assert without_firm(question) == rest


def test_a_firm_named_with_its_head_count_reads_as_a_firm():
    assert (
        without_firm("Geldt dit ook voor een webshop met drie medewerkers?")
        == "Geldt dit ook voor een bedrijf?"
    )
    # an introduction with nothing else asked stays, its firm read as a firm
    assert without_firm("Ik heb een bouwbedrijf met 20 man.") == "Ik heb een bedrijf."


@pytest.mark.parametrize(
    "question",
    [
        # a situation, not the firm: its words may be the topic
        "Ik heb een medewerker met een burn-out. Hoe help ik hem?",
        "Ik heb een vraag. Wat is sociale innovatie?",
        "Hoe krijg ik mijn mensen meer betrokken?",
    ],
)
def test_anything_else_is_kept_whole(question):
    assert without_firm(question) == question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Wat is sociale innovatie eigenlijk?", "define"),
        ("Wat wordt er bedoeld met slimmer werken?", "define"),
        ("What is social innovation?", "define"),
        ("Wat zijn de vier onderdelen?", "list"),  # a list question stays one
        ("Waarom doet niet iedereen dit al?", "why"),
    ],
)
def test_what_is_questions_ask_for_a_definition(question, kind):
    assert question_shape(question).kind == kind


def test_the_sentence_that_defines_fits_a_definition_question():
    shape = question_shape("Wat is sociale innovatie?")
    assert fits_kind("De definitie die de SER formuleerde: sociale innovatie is de ...", shape)
    assert fits_kind("Binnen Boost wordt sociale innovatie 'management' genoemd.", shape)
    assert not fits_kind("Er zijn vele definities van sociale innovatie.", shape)


def test_a_view_of_what_something_should_be_seen_as_is_no_advice():
    assert not is_advice(
        "Het optimaal gebruiken van het beschikbare potentieel moet worden gezien als een "
        "gezamenlijk belang, en niet een individuele waarbij werkgevers elkaar als concurrent zien."
    )
    assert is_advice("De kennis moet worden gedeeld met andere ondernemers.")


@pytest.mark.parametrize(
    "question",
    [
        "Wat moet de provincie volgens de SER doen?",
        "Wat kunnen vakbonden hieraan doen?",
        "Wat vindt de SER dat de provincie moet doen?",
    ],
)
def test_what_someone_should_do_asks_for_advice(question):
    assert question_shape(question).wants_advice


def test_what_someone_does_is_no_request_for_advice():
    assert not question_shape("Wat doen andere ondernemers hier al aan?").wants_advice


@pytest.mark.parametrize(
    "question",
    [
        "Vertel eens meer over slimmer werken.",
        "Leg flexibel organiseren uit.",
        "Tell me about co-creation.",
    ],
)
def test_asking_to_explain_something_asks_what_it_is(question):
    assert question_shape(question).kind == "define"


def test_is_it_wise_asks_whether_to_do_it():
    assert question_shape("Is het slim om mijn mensen zelf te laten roosteren?").kind == "may"
