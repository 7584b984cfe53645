"""Term lists an advisor can edit: search synonyms and the topics outside the sources.

Both files share one format (see prompts/synonyms.txt, prompts/borders.txt):

    head words = variant, variant, multi-word variant

A line matches a text when one of its variants (or its head) occurs in it: single words
are compared as Dutch stems (so 'monteurs' matches 'monteur'), multi-word variants as
whole folded phrases. What a match means is up to the caller: the retriever adds the
head words of matching synonym lines to the lexical query; the scope check treats a
matching border line as a topic the documents do not cover.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import ConfigError
from assistant.core.lexical import fold
from assistant.core.text import tokenizer

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class TermLine:
    """One line: the head (document wording or topic name) and what matches it."""

    head: str
    words: frozenset[str]  # stems of single-word variants
    phrases: tuple[str, ...]  # folded multi-word variants, space-joined


class TermList:
    """Lines of 'head = variants'; matches a text against them."""

    def __init__(self, lines: Iterable[TermLine] = ()) -> None:
        self.lines = tuple(lines)

    @classmethod
    def load(cls, path: Path) -> TermList:
        """Parse a term file; a missing or malformed file is a ConfigError naming the line."""
        if not path.is_file():
            raise ConfigError(f"Woordenlijst ontbreekt: {path}")
        lines = []
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            head, sep, rest = text.partition("=")
            if not sep or not head.strip():
                raise ConfigError(f"{path}, regel {number}: verwacht 'woorden = varianten'.")
            variants = [v.strip() for v in rest.split(",") if v.strip()]
            head = head.strip()
            lines.append(_line(head, [head, *variants]))
        return cls(lines)

    def __len__(self) -> int:
        return len(self.lines)

    def matches(self, text: str) -> list[str]:
        """Heads of the lines one of whose variants occurs in the text, in file order."""
        padded = f" {' '.join(_WORDS.findall(fold(text)))} "
        stems = set(tokenizer()(text))
        return [
            line.head
            for line in self.lines
            if line.words & stems or any(f" {p} " in padded for p in line.phrases)
        ]

    def without(self, vocabulary: set[str]) -> TermList:
        """The list minus every single-word variant whose stem is in the vocabulary
        (and lines left with nothing to match)."""
        kept = []
        for line in self.lines:
            words = frozenset(w for w in line.words if w not in vocabulary)
            phrases = tuple(p for p in line.phrases if not set(tokenizer()(p)) <= vocabulary)
            if words or phrases:
                kept.append(TermLine(line.head, words, phrases))
        return TermList(kept)


def _line(head: str, variants: list[str]) -> TermLine:
    words: set[str] = set()
    phrases: list[str] = []
    for variant in variants:
        parts = _WORDS.findall(fold(variant))
        if len(parts) == 1:
            words.update(tokenizer()(variant) or parts)
        elif len(parts) > 1:
            phrases.append(" ".join(parts))
    return TermLine(head, frozenset(words), tuple(phrases))
