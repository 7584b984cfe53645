"""Checks on what users send in: the question and the conversation history."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.answering.types import Turn
from assistant.core import limits
from assistant.core.errors import InvalidInputError

_ALLOWED_CONTROL = {"\n", "\t", "\r"}
_ROLES = ("user", "assistant")


def clean_question(question: object) -> str:
    """The question stripped; InvalidInputError when empty, too long or with control chars."""
    if not isinstance(question, str):
        raise InvalidInputError("De vraag moet tekst zijn.")
    text = question.strip()
    if not text:
        raise InvalidInputError("De vraag is leeg. Typ een vraag over sociale innovatie.")
    if len(text) > limits.QUESTION_CHARS:
        raise InvalidInputError(
            f"De vraag is te lang ({len(text)} tekens). "
            f"Het maximum is {limits.QUESTION_CHARS} tekens."
        )
    if any(_is_control(ch) for ch in text):
        raise InvalidInputError(
            "De vraag bevat onzichtbare stuurtekens. Typ de vraag opnieuw als gewone tekst."
        )
    return re.sub(r"[ \t]+", " ", text)


def _is_control(ch: str) -> bool:
    return ch not in _ALLOWED_CONTROL and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")


def clean_history(history: object) -> list[Turn]:
    """History as a list of Turns; accepts Turns or {'role', 'content'} dicts."""
    if history is None:
        return []
    if isinstance(history, str | bytes) or not isinstance(history, Sequence):
        raise InvalidInputError(
            "De gespreksgeschiedenis moet een lijst zijn van beurten met 'role' en 'content'."
        )
    if len(history) > limits.HISTORY_MESSAGES:  # only the recent conversation matters
        history = history[-limits.HISTORY_MESSAGES :]
    return [_turn(item, i) for i, item in enumerate(history)]


def _turn(item: Any, index: int) -> Turn:
    if isinstance(item, Turn):
        role, content = item.role, item.content
    elif isinstance(item, Mapping):
        role, content = item.get("role"), item.get("content")
    else:
        raise InvalidInputError(
            f"Beurt {index + 1} in de gespreksgeschiedenis heeft niet de vorm "
            "{'role': 'user' of 'assistant', 'content': tekst}."
        )
    if role not in _ROLES:
        raise InvalidInputError(
            f"Beurt {index + 1} in de gespreksgeschiedenis heeft een onbekende rol: {role!r} "
            "(kies 'user' of 'assistant')."
        )
    if not isinstance(content, str):
        raise InvalidInputError(
            f"Beurt {index + 1} in de gespreksgeschiedenis heeft geen tekst als 'content'."
        )
    return Turn(role=role, content=content)
