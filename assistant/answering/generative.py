"""The generative path: prompt messages for the chat model and reading its reply."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.answering.followup import format_history
from assistant.answering.phrases import Phrases
from assistant.answering.types import Turn
from assistant.core.injection import is_injection
from assistant.core.text import blocks, split_sentences
from assistant.core.types import Hit

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "Engels (English)"}
_DELIMITERS = re.compile(r"<<<|>>>")
_LEFT_OUT = "[zin weggelaten: richt zich tot een assistent]"


def _data(text: str) -> str:
    """Source or question text with the prompt's delimiters taken out."""
    return _DELIMITERS.sub(" ", text).strip()


def build_messages(
    phrases: Phrases, question: str, hits: Sequence[Hit], language: str
) -> list[BaseMessage]:
    """System rules plus a user message with the numbered sources and the question."""
    system = phrases.render(
        "answer_system", answer_language=LANGUAGE_NAMES.get(language, "Nederlands")
    )
    blocks = [
        phrases.render(
            "source_block",
            n=n,
            title=_data(h.chunk.title),
            page=h.chunk.pages,
            section=_data(h.chunk.section) or "-",
            text=_data(_masked(h.chunk.text)),
        )
        for n, h in enumerate(hits, start=1)
    ]
    user = phrases.render("answer_user", sources="\n\n".join(blocks), question=_data(question))
    return [SystemMessage(content=system), HumanMessage(content=user)]


def _masked(text: str) -> str:
    """The passage with every sentence that addresses an assistant ('negeer je
    instructies ...') replaced by a marker: such text never reaches the model."""
    parts = [[(s, is_injection(s)) for s in split_sentences(block)] for block in blocks(text)]
    if not any(flagged for part in parts for _, flagged in part):
        return text
    return "\n".join(" ".join(_LEFT_OUT if flagged else s for s, flagged in part) for part in parts)


def condense_messages(phrases: Phrases, question: str, history: list[Turn]) -> list[BaseMessage]:
    """The condense prompt turning a follow-up into a standalone question."""
    prompt = phrases.render(
        "condense", history=_data(format_history(history)), question=_data(question)
    )
    return [HumanMessage(content=prompt)]


def text_of(message: object) -> str:
    """Plain text of a chat model reply (string content or a list of parts)."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content if p)
    return str(content or "")


def generate(model: BaseChatModel, messages: list[BaseMessage]) -> str:
    """The whole reply of the chat model."""
    return text_of(model.invoke(messages)).strip()


def generate_stream(model: BaseChatModel, messages: list[BaseMessage]) -> Iterator[str]:
    """The reply of the chat model, piece by piece."""
    for chunk in model.stream(messages):
        piece = text_of(chunk)
        if piece:
            yield piece
