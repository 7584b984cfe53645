"""Term lists an advisor can edit: search synonyms and the topics outside the sources.

Both files share one format (see prompts/synonyms.txt, prompts/borders.txt):

    head words = variant, variant, multi-word variant

A line matches a text when one of its variants (or its head) occurs in it: single words
are compared as Dutch stems (so 'monteurs' matches 'monteur'), multi-word variants as
whole folded phrases, and so is a single word whose stem lost a 'ge' (the stemmer makes
'gezin' 'zin' and 'begeleiding' 'beleid', which are other words). What a match means
is up to the caller: the retriever adds the head words of matching synonym lines to the
lexical query; the scope check treats a matching border line as a topic the documents
do not cover.

One head is reserved: `negeer = ten koste van, ...` names expressions whose words mean
something else together than apart. They are taken out of a text before it is matched
or searched ("ten koste van mijn mensen" is not about costs).
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


IGNORE_HEAD = "negeer"


class TermList:
    """Lines of 'head = variants'; matches a text against them."""

    def __init__(self, lines: Iterable[TermLine] = (), ignored: Iterable[str] = ()) -> None:
        self.lines = tuple(lines)
        self.ignored = tuple(ignored)  # expressions taken out before matching
        self._ignored = (
            re.compile(
                r"\b(?:"
                + "|".join(r"\W+".join(map(re.escape, p.split())) for p in self.ignored)
                + r")\b",
                re.IGNORECASE,
            )
            if self.ignored
            else None
        )

    @classmethod
    def load(cls, path: Path) -> TermList:
        """Parse a term file; a missing or malformed file is a ConfigError naming the line."""
        if not path.is_file():
            raise ConfigError(f"Woordenlijst ontbreekt: {path}")
        lines, ignored = [], []
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            head, sep, rest = text.partition("=")
            if not sep or not head.strip():
                raise ConfigError(f"{path}, regel {number}: verwacht 'woorden = varianten'.")
            variants = [v.strip() for v in rest.split(",") if v.strip()]
            head = head.strip()
            if head.lower() == IGNORE_HEAD:
                ignored.extend(" ".join(_WORDS.findall(v.lower())) for v in variants)
            else:
                lines.append(_line(head, [head, *variants]))
        return cls(lines, ignored)

    def __len__(self) -> int:
        return len(self.lines)

    def plain(self, text: str) -> str:
        """The text without the expressions the list ignores."""
        return self._ignored.sub(" ", text) if self._ignored else text

    def expand(self, text: str) -> str:
        """The text without its ignored expressions, followed by the heads of the lines
        that match it: what is searched for and scored."""
        return f"{self.plain(text)} {' '.join(self.matches(text))}".strip()

    def matches(self, text: str) -> list[str]:
        """Heads of the lines one of whose variants occurs in the text, in file order
        (the ignored expressions taken out first)."""
        text = self.plain(text)
        padded = f" {' '.join(_WORDS.findall(fold(text)))} "
        stems = set(tokenizer()(text))
        return [
            line.head
            for line in self.lines
            if line.words & stems or any(f" {p} " in padded for p in line.phrases)
        ]

    def phrases_as_heads(self, text: str) -> str:
        """The folded text with each multi-word variant it holds replaced by its line's
        head: 'mee te denken' is about betrokkenheid, not about 'denken'."""
        padded = f" {' '.join(_WORDS.findall(fold(self.plain(text))))} "
        for line in self.lines:
            for phrase in line.phrases:
                if f" {phrase} " in padded:
                    padded = padded.replace(f" {phrase} ", f" {fold(line.head)} ")
        return padded.strip()

    def without(self, vocabulary: set[str]) -> TermList:
        """The list minus every single-word variant whose stem is in the vocabulary
        (and lines left with nothing to match)."""
        kept = []
        for line in self.lines:
            words = frozenset(w for w in line.words if w not in vocabulary)
            phrases = tuple(p for p in line.phrases if not set(tokenizer()(p)) <= vocabulary)
            if words or phrases:
                kept.append(TermLine(line.head, words, phrases))
        return TermList(kept, self.ignored)


def _line(head: str, variants: list[str]) -> TermLine:
    words: set[str] = set()
    phrases: list[str] = []
    for variant in variants:
        parts = _WORDS.findall(fold(variant))
        found = tokenizer()(variant)
        if len(parts) == 1 and found and "ge" in parts[0] and "ge" not in found[0]:
            # the stemmer took a 'ge' out ('gezin' -> 'zin', 'begeleiding' -> 'beleid'):
            # that stem is another word, so the word itself must occur
            phrases.append(parts[0])
        elif len(parts) == 1:
            words.update(found or parts)
        elif len(parts) > 1:
            phrases.append(" ".join(parts))
    return TermLine(head, frozenset(words), tuple(phrases))
