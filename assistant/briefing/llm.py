"""With a chat model: points rewritten at B1 level and discussion questions drafted.

Both go through the answering module's citation check (check_citations): a rewritten
point is kept only when every sentence of it is supported by the passage it cites,
otherwise the quoted point stays; a drafted question keeps only supported [n] markers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from assistant.answering.citations import check_citations, markers_of
from assistant.answering.generative import generate
from assistant.answering.support import SentenceScorer
from assistant.briefing.templates import BriefTemplates
from assistant.briefing.types import BriefItem, BriefSection
from assistant.core.prompts import load_prompt
from assistant.core.text import split_sentences

_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(.+)$")
_QUESTION = re.compile(r"^\s*[-*•]\s+(.+)$")
_DELIMITERS = re.compile(r"<<<|>>>")
_MARKERS = re.compile(r"\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]")
MAX_QUESTIONS = 6


def _quoted_items(sections: list[BriefSection]) -> Iterator[BriefItem]:
    for section in sections:
        for item in section.items:
            if item.origin == "bron":
                yield item
            yield from (c for c in item.children if c.origin == "bron")


def _plain(item: BriefItem) -> str:
    return _DELIMITERS.sub(" ", " ".join([item.text, *item.details]))


def rewrite_sections(
    model: BaseChatModel,
    templates: BriefTemplates,
    sections: list[BriefSection],
    passages: dict[int, str],
    scorer: SentenceScorer,
) -> list[BriefSection]:
    """Sections whose quoted points are replaced by checked B1 rewrites where possible."""
    items = list(_quoted_items(sections))
    if not items:
        return sections
    listing = "\n".join(f"{i}. {_plain(item)}" for i, item in enumerate(items, start=1))
    prompt = _prompt(templates, "brief_llm_b1", punten=listing)
    reply = generate(model, [HumanMessage(content=prompt)])
    rewrites = {
        int(m.group(1)): m.group(2).strip() for m in map(_NUMBERED.match, reply.splitlines()) if m
    }
    new = {
        id(item): _checked_rewrite(item, rewrites.get(i, ""), passages, scorer)
        for i, item in enumerate(items, start=1)
    }
    return [_swap(section, new) for section in sections]


def _checked_rewrite(
    item: BriefItem, candidate: str, passages: dict[int, str], scorer: SentenceScorer
) -> BriefItem:
    candidate = _MARKERS.sub("", candidate).strip()
    sentences = split_sentences(candidate)
    if not sentences or not item.sources:
        return item
    passage = passages[item.sources[0]]
    marked = " ".join(f"{s} [1]" for s in sentences)
    checked = check_citations(marked, [passage], scorer)
    if checked.removed:
        return item
    return replace(item, text=candidate, details=(), origin="model", original=_plain(item).strip())


def _swap(section: BriefSection, new: dict[int, BriefItem]) -> BriefSection:
    items = []
    for item in section.items:
        children = tuple(new.get(id(c), c) for c in item.children)
        items.append(replace(new.get(id(item), item), children=children))
    return replace(section, items=tuple(items))


def draft_questions(
    model: BaseChatModel,
    templates: BriefTemplates,
    sections: list[BriefSection],
    passages: dict[int, str],
    scorer: SentenceScorer,
    values: dict[str, str],
) -> list[BriefItem]:
    """Questions drafted by the model from the cited points; markers checked per question."""
    points = [
        f"[{item.sources[0]}] {_plain(item)}" for item in _all_cited(sections) if item.sources
    ]
    prompt = _prompt(
        templates,
        "brief_llm_questions",
        thema=values["thema"],
        bij_sector=values["bij_sector"],
        doelgroep=values["doelgroep"],
        aantal=MAX_QUESTIONS - 1,
        punten="\n".join(points),
    )
    reply = generate(model, [HumanMessage(content=prompt)])
    numbers = sorted(passages)
    ordered = [passages[n] for n in numbers]
    questions = []
    for match in filter(None, map(_QUESTION.match, reply.splitlines())):
        questions.append(_checked_question(match.group(1).strip(), ordered, numbers, scorer))
    return [q for q in questions if q.text][:MAX_QUESTIONS]


def _all_cited(sections: list[BriefSection]) -> Iterator[BriefItem]:
    for section in sections:
        for item in section.items:
            yield item
            yield from item.children


def _checked_question(
    text: str, passages: list[str], numbers: list[int], scorer: SentenceScorer
) -> BriefItem:
    if not markers_of(text):
        return BriefItem(_MARKERS.sub("", text).strip(), origin="model")
    checked = check_citations(text, passages, scorer)
    kept = tuple(numbers[old - 1] for old in checked.sources)
    return BriefItem(_MARKERS.sub("", checked.text).strip(), sources=kept, origin="model")


def _prompt(templates: BriefTemplates, name: str, **values: object) -> str:
    return load_prompt(templates.prompts_dir, name).render(**values).strip()
