"""With a chat model: B1 rewrites and drafted questions pass the citation check or fall back."""

from __future__ import annotations

import re

from assistant.briefing.types import BriefItem
from tests.fakes import FakeChatModel
from tests.unit.briefing.brief_fixtures import make_service


def quoted_items(brief) -> list[BriefItem]:
    out = []
    for section in brief.sections[:4]:
        for item in section.items:
            out.append(item)
            out += [c for c in item.children if c.origin != "sjabloon"]
    return [i for i in out if i.origin in ("bron", "model")]


class Echo(FakeChatModel):
    """Rewrites point 1 faithfully (its own words), point 2 with an invented number."""

    def _next(self, messages):
        self.prompts.append(list(messages))
        prompt = messages[-1].content
        if "gespreksvragen" in prompt:
            return (
                "- Hoe geeft u medewerkers ruimte en vertrouwen? [2]\n"
                "- Wat doet u met 7 robots? [99]\n"
                "- Welke eerste stap zet u morgen?"
            )
        points = dict(re.findall(r"^(\d+)\. (.+)$", prompt.split("<<<")[1], re.MULTILINE))
        return f"1. {points['1']}\n2. Bedrijven moeten 7 robots kopen."


def test_faithful_rewrites_are_kept_and_invented_ones_fall_back(settings):
    plain = quoted_items(make_service(settings).build_brief("slimmer werken"))
    brief = make_service(settings, chat_model=Echo()).build_brief("slimmer werken")
    items = quoted_items(brief)
    assert brief.mode == "generatief"
    assert items[0].origin == "model" and items[0].original
    assert items[0].sources == plain[0].sources
    assert items[1] == plain[1]  # '7 robots' is not in the source: the quote stays
    assert "B1" in brief.note


def test_drafted_questions_keep_only_supported_markers(settings):
    brief = make_service(settings, chat_model=Echo()).build_brief("slimmer werken")
    questions = brief.section("vragen").items
    assert [q.origin for q in questions] == ["model"] * 3
    assert all("[" not in q.text for q in questions)
    assert questions[1].sources == ()  # [99] points at no source: removed
    assert all(n <= len(brief.sources) for q in questions for n in q.sources)


def test_a_failing_model_leaves_the_quoted_brief_with_a_note(settings):
    plain = make_service(settings).build_brief("slimmer werken")
    failing = FakeChatModel([TimeoutError("te traag"), TimeoutError("te traag")])
    brief = make_service(settings, chat_model=failing).build_brief("slimmer werken")
    assert brief.sections == plain.sections
    assert brief.sources == plain.sources
    assert brief.notes and "niet bereikbaar" in brief.notes[0]
    assert brief.note == plain.note  # says 'quoted', since nothing was rewritten
