"""Text addressed to an assistant: requests for its instructions and attempts to override them.

One pattern list serves two places: questions (answering refuses them before retrieval) and
documents (ingest counts such sentences per document; the extractive answer never quotes them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_INJECTION = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bsystee?m[\s-]*(prompt|instructie|bericht|message)",
        r"\bsystem[\s-]*(prompt|instruction|message)",
        r"\b(negeer|vergeet|omzeil|ignore|disregard|forget|bypass)\b.{0,60}\b(instructies?|"
        r"regels?|opdracht(en)?|prompt|instructions?|rules?|guidelines?)\b",
        r"\b(toon|geef|laat|print|herhaal|vertel|show|reveal|repeat|print|tell)\b.{0,40}\b"
        r"(je|jouw|uw|your)\s+(instructies|regels|prompt|opdracht|instructions|rules|prompt)\b",
        r"\b(vanaf nu ben je|je bent nu|doe alsof je|you are now|pretend (you are|to be)|act as)\b",
        r"\b(jailbreak|developer mode|DAN mode)\b",
        r"\b(antwoord|beantwoord|answer|respond)\b.{0,30}\b(vanaf nu|from now on)\b",
        r"\b(antwoord|beantwoord|answer|respond)\w*\s+(zonder|without)\s+(bronnen|sources)\b",
        r"^\W*(systeem|system|assistent|assistant|admin)\s*:",
        r"\b(vanaf nu|from now on)\b.{0,60}\b(antwoord|beantwoord|answer|respond|ben je|you are)",
    )
]


def is_injection(text: str) -> bool:
    """Whether the text asks for the instructions or tries to override them."""
    return any(p.search(text) for p in _INJECTION)


def count_injections(sentences: Iterable[str]) -> int:
    """How many of the sentences are addressed to an assistant (see is_injection)."""
    return sum(1 for sentence in sentences if is_injection(sentence))
