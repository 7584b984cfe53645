"""Follow-up questions become standalone queries (rule-based, no LLM)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from assistant.answering.followup import answer_items, key_words, rule_based_query
from assistant.answering.refusal import ScopePolicy
from assistant.answering.service import AnsweringService, ServiceTuning, _asks_for_more
from assistant.answering.types import Turn
from tests.fakes import FakeRetriever, load_fixture_chunks

PARTS_ANSWER = (
    "Dit antwoord bestaat uit letterlijk geciteerde passages uit de bronnen:\n\n"
    '- "Sociale innovatie bestaat uit vier onderdelen: 1. Dynamisch managen: modern '
    "leiderschap. 2. Flexibel organiseren: een minder hiërarchische structuur. 3. Slimmer "
    'werken: ideeën en talenten van medewerkers benutten. 4. Co-creatie: samen oplossingen." [1]'
)
PARTS_HISTORY = [
    Turn("user", "Uit welke onderdelen bestaat sociale innovatie?"),
    Turn("assistant", PARTS_ANSWER),
]
SUBSIDY_HISTORY = [
    Turn("user", "Wat is het probleem met subsidies?"),
    Turn(
        "assistant",
        '- "Er is vaak wel geld voor vernieuwende projecten, maar niet voor het duurzaam '
        'inzetten van de nieuwe aanpak." [1]',
    ),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("En wat bedoelen ze met het eerste onderdeel?", "Dynamisch managen"),
        ("En het tweede?", "Flexibel organiseren"),
        ("Kun je de derde uitleggen?", "Slimmer werken"),
        ("Vertel meer over punt 4", "Co-creatie"),
        ("En het laatste onderdeel?", "Co-creatie"),
        ("What about the first one?", "Dynamisch managen"),
    ],
)
def test_ordinals_resolve_to_items_of_the_previous_answer(question, expected):
    query = rule_based_query(question, PARTS_HISTORY)
    assert expected in query
    assert "eerste" not in query and "tweede" not in query


@pytest.mark.parametrize(
    "question",
    [
        "En daarnaast?",
        "Wat bedoelen ze daarmee?",
        "Kun je daar een voorbeeld van geven?",
        "Wat vraagt de SER de provincie daaraan te doen?",  # pronoun adverbs: daaraan,
        "Wat kan ik hieraan doen als ondernemer?",  # hieraan, eraan, daarop, ...
    ],
)
def test_context_leaning_followups_keep_the_topic(question):
    query = rule_based_query(question, SUBSIDY_HISTORY)
    assert "subsidies" in query.lower()


@pytest.mark.parametrize(
    "question",
    [
        "Wat is de rol van de provincie Overijssel bij het Pioniersprogramma?",
        "Hoe zorg ik dat mijn personeel niet vertrekt?",  # 'dat' opens a clause
        "Waar ontmoet ik ondernemers die hier al ervaring mee hebben?",  # relative 'die'
    ],
)
def test_standalone_question_is_left_alone(question):
    assert rule_based_query(question, SUBSIDY_HISTORY) == question


def test_a_demonstrative_dat_still_leans_on_the_context():
    assert "subsidies" in rule_based_query("Hoe los ik dat op?", SUBSIDY_HISTORY).lower()


def test_no_history_means_no_rewriting():
    assert rule_based_query("En daarnaast?", []) == "En daarnaast?"


def test_three_turn_chain_keeps_the_original_topic():
    history = [
        *SUBSIDY_HISTORY,
        Turn("user", "Wat bedoelen ze daarmee?"),
        Turn("assistant", '- "Veel innovaties zijn effectief dankzij subsidies." [1]'),
    ]
    query = rule_based_query("En daarnaast?", history)
    assert "subsidies" in query.lower()


def test_answer_key_words_do_not_pile_up_over_a_conversation():
    history = [
        *SUBSIDY_HISTORY,  # its answer's key words: vaak, geld, vernieuwende, ...
        Turn("user", "Wat bedoelen ze daarmee?"),
        Turn("assistant", '- "Veel innovaties zijn effectief dankzij regelingen." [1]'),
    ]
    query = rule_based_query("En wie helpt daarbij?", history)
    assert "subsidies" in query.lower() and "wie helpt daarbij" in query
    assert "vernieuwende" not in query  # the first answer's words stayed with the second question
    assert "effectief" in query  # the last answer's words help the question right after it


def test_numbered_items_are_read_from_an_answer():
    assert answer_items(PARTS_ANSWER) == {
        1: "Dynamisch managen",
        2: "Flexibel organiseren",
        3: "Slimmer werken",
        4: "Co-creatie",
    }


def _after_first_answer(settings, first_question: str):
    """A service over the fixture chunks, its retriever, and the history after one question."""
    retriever = FakeRetriever(load_fixture_chunks())
    tuning = ServiceTuning(scope=ScopePolicy(min_dense=0.0, min_relevance=0.1))
    service = AnsweringService(settings, retriever, None, tuning=tuning)
    first = service.answer(first_question)
    return service, retriever, [Turn("user", first_question), Turn("assistant", first.text)]


def test_service_answers_a_follow_up_about_the_first_item(settings):
    service, retriever, history = _after_first_answer(
        settings, "Uit welke onderdelen bestaat sociale innovatie?"
    )
    answer = service.answer("En wat bedoelen ze met het eerste onderdeel?", history)
    assert "Dynamisch managen" in answer.query
    assert not answer.refused
    assert "Dynamisch managen" in answer.text
    assert retriever.queries[-1] == answer.query


def test_en_daarnaast_shows_new_passages(settings):
    service, _, history = _after_first_answer(
        settings, "Wat is het struikelblok bij subsidies voor vernieuwende projecten?"
    )
    more = service.answer("En daarnaast?", history)
    assert not more.refused

    def quotes(text: str) -> set[str]:  # quoted sentences, lead-ins of a list aside
        return {q for q in re.findall(r'"([^"]*)"', text) if not q.endswith(":")}

    assert quotes(more.text) and not (quotes(more.text) & quotes(history[-1].content))


@pytest.mark.parametrize(
    ("question", "more_of_the_same"),
    [
        ("En verder?", True),
        ("Welke andere tips zijn er nog meer?", True),
        ("What else?", True),
        ("Welke andere groepen zou de SER de provincie laten helpen?", False),  # own words
        ("Wat is de rol van de provincie?", False),
    ],
)
def test_only_a_request_for_more_of_the_same_skips_what_was_shown(question, more_of_the_same):
    assert _asks_for_more(question) is more_of_the_same


def test_pipeline_labels_are_no_key_words_of_an_answer():
    answer = (
        '- "Voetnoot 7: Impact Oost is een netwerk van impact ondernemers." [1]\n'
        '- "Voetnoot 2 bij ‘Boost’: Het platform voor impact ondernemers." [2]'
    )
    words = key_words(answer)
    assert "voetnoot" not in words and {"impact", "ondernemers"} <= set(words)


def test_a_refused_question_adds_nothing_to_the_topic_nor_key_words():
    history = [
        Turn("user", "Hoe krijg ik mijn mensen meer betrokken?"),
        Turn("assistant", '- "Daardoor krijg je betrokkenheid en innovaties." [1]'),
        Turn("user", "Helpt dat ook tegen ziekteverzuim?"),
        Turn("assistant", "Over ziekte en verzuim staat niets in de documenten."),  # no citation
    ]
    query = rule_based_query("En wat als ze geen zin hebben om mee te denken?", history)
    assert "betrokken" in query and "ziekteverzuim" not in query
    assert "documenten" not in query and "verzuim" not in query
    assert key_words("Over ziekte en verzuim staat niets in de documenten.") == []


def test_an_ordinal_after_an_answer_without_a_list_means_the_latest_list():
    history = [
        *PARTS_HISTORY,
        Turn("user", "Tell me more about the second one."),
        Turn("assistant", '"Flexibel organiseren: zorg voor een passende structuur." [1]'),
    ]
    query = rule_based_query("And the last one?", history)
    # the item of the earlier list, with the question that list answered
    assert query == "Co-creatie (Uit welke onderdelen bestaat sociale innovatie)"
    assert rule_based_query("En de derde?", PARTS_HISTORY).startswith("Slimmer werken")


def test_a_follow_ups_own_phrase_picks_its_lead_by_what_it_means(settings):
    # "mee te denken" is betrokkenheid (prompts/synonyms.txt), not the 'denken' of "Denk
    # bijvoorbeeld aan ...", which led this follow-up before
    base = load_fixture_chunks()[0]
    texts = [
        "Sociale innovatie maakt medewerkers tevreden en betrokken bij het werk.",
        "Denk bijvoorbeeld aan mensen met een handicap die willen werken.",
        "Sociale innovatie vraagt overleg tussen leiding en medewerkers.",
    ]
    chunks = [dataclasses.replace(base, chunk_id=f"c{i}", text=t) for i, t in enumerate(texts)]
    service = AnsweringService(
        settings,
        FakeRetriever(chunks),
        None,
        tuning=ServiceTuning(scope=ScopePolicy(min_dense=0.0, min_relevance=0.0)),
    )
    history = [
        Turn("user", "Mijn medewerkers zijn ontevreden over het werk. Wat kan ik doen?"),
        Turn("assistant", f'"{texts[0]}" [1]'),
    ]
    answer = service.answer("En als ze geen zin hebben om mee te denken?", history)
    assert answer.citations[0].chunk_id == "c0"
