"""Citation check for generated answers: every [n] must be supported by passage n.

Each sentence of the answer is checked on its own: its markers are taken off, and for
each marker n the sentence (the claim) is scored against passage n with
SentenceScorer.supports (dense E5 similarity and stemmed word overlap, plus a check
that the numbers it states occur in the passage; see assistant/answering/support.py).
Markers that fail, or that point at no passage, are removed. The markers that remain
are renumbered 1..m in order of first appearance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answering.support import SentenceScorer
from assistant.core.text import MARKER_GROUP, markers_of

_MARKER_BEFORE_STOP = re.compile(r"([.!?])((?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class CheckedAnswer:
    """The answer with only supported markers, renumbered, and what was removed."""

    text: str
    sources: list[int] = field(default_factory=list)  # original numbers, in new order
    removed: int = 0
    supported: int = 0  # markers kept

    @property
    def any_supported(self) -> bool:
        """Whether at least one citation survived the check."""
        return self.supported > 0


def check_citations(text: str, passages: Sequence[str], scorer: SentenceScorer) -> CheckedAnswer:
    """Remove markers whose passage does not support their sentence; renumber the rest."""
    text = _MARKER_BEFORE_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text.strip())
    result = CheckedAnswer(text="")
    kept_per_sentence: list[tuple[str, list[int], str]] = []
    for line in text.splitlines():
        for sentence in _SENTENCE_END.split(line) if line.strip() else [""]:
            claim, stop = _claim(sentence)
            kept = []
            for n in dict.fromkeys(markers_of(sentence)):
                if 1 <= n <= len(passages) and scorer.supports(claim, passages[n - 1]):
                    kept.append(n)
                else:
                    result.removed += 1
            kept_per_sentence.append((claim, kept, stop))
        kept_per_sentence.append(("\n", [], ""))
    order = list(dict.fromkeys(n for _, kept, _ in kept_per_sentence for n in kept))
    renumber = {old: new for new, old in enumerate(order, start=1)}
    result.sources = order
    result.supported = sum(len(kept) for _, kept, _ in kept_per_sentence)
    result.text = _rebuild(kept_per_sentence, renumber)
    return result


def _claim(sentence: str) -> tuple[str, str]:
    """The sentence without markers, and its final punctuation."""
    bare = MARKER_GROUP.sub("", sentence).rstrip()
    if bare[-1:] in ".!?":
        return bare[:-1].rstrip(), bare[-1]
    return bare, ""


def _rebuild(parts: list[tuple[str, list[int], str]], renumber: dict[int, int]) -> str:
    out: list[str] = []
    line: list[str] = []
    for claim, kept, stop in parts:
        if claim == "\n":
            out.append(" ".join(s for s in line if s))
            line = []
            continue
        marks = "".join(f"[{renumber[n]}]" for n in kept)
        line.append(f"{claim} {marks}{stop}" if marks else f"{claim}{stop}")
    return "\n".join(out).strip()
