"""Citation check for generated answers: every [n] must be supported by passage n.

The model's reply is read with the core marker parser (assistant.core.text): whatever
shape its markers take ([1][2], [1, 2], [1-3], (bron 1), [^1], ¹, before or after the
final punctuation), each sentence carries the source numbers it cites. For each number
n the sentence (the claim, without markers) is scored against passage n with
SentenceScorer.supports (dense E5 similarity and stemmed word overlap, plus a check that
the numbers it states occur in the passage; see assistant/answering/support.py).
Numbers that fail, or that point at no passage, are removed; a group keeps each
supported member. What remains is written as [1], [2] ... in order of first appearance
(before the final punctuation; a marker inside a sentence stays where it was). A source
list or footnote definitions the model wrote itself are dropped: the app lists the
sources, and that text was never checked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answering.support import SentenceScorer
from assistant.core.text import (
    CitedLine,
    CitedSentence,
    cited_lines,
    drop_source_list,
    markers_of,
)

__all__ = ["CheckedAnswer", "check_citations", "markers_of"]

log = logging.getLogger(__name__)

# Per sentence: for each of its markers, the offset and the supported numbers it keeps.
_Kept = list[tuple[int, list[int]]]
_STOP = re.compile(r"[.!?…:;,]*$")  # a closing marker goes before this (not before a quote)


@dataclass
class CheckedAnswer:
    """The answer with only supported markers, renumbered, and what was removed."""

    text: str
    sources: list[int] = field(default_factory=list)  # original numbers, in new order
    removed: int = 0  # distinct numbers per sentence that failed the check
    supported: int = 0  # distinct numbers per sentence kept
    dropped: list[str] = field(default_factory=list)  # lines of a model-written source list

    @property
    def any_supported(self) -> bool:
        """Whether at least one citation survived the check."""
        return self.supported > 0


def check_citations(text: str, passages: Sequence[str], scorer: SentenceScorer) -> CheckedAnswer:
    """Remove markers whose passage does not support their sentence; renumber the rest."""
    body, dropped = drop_source_list(text.strip())
    if dropped:
        log.info("model source list dropped lines=%s", len(dropped))
    result = CheckedAnswer(text="", dropped=dropped)
    lines = cited_lines(body)
    kept = [[_keep_supported(s, passages, scorer, result) for s in ln.sentences] for ln in lines]
    order = list(dict.fromkeys(_appearance(lines, kept)))
    renumber = {old: new for new, old in enumerate(order, start=1)}
    result.sources = order
    rendered = [_render_line(ln, k, renumber) for ln, k in zip(lines, kept, strict=True)]
    result.text = _tidy("\n".join(rendered))
    return result


def _keep_supported(
    sentence: CitedSentence, passages: Sequence[str], scorer: SentenceScorer, result: CheckedAnswer
) -> _Kept:
    """The sentence's markers, each with only the numbers whose passage supports it."""
    claim = sentence.claim
    verdict = {
        n: bool(re.search(r"\w", claim))
        and 1 <= n <= len(passages)
        and scorer.supports(claim, passages[n - 1])
        for n in sentence.numbers
    }
    result.supported += sum(verdict.values())
    result.removed += len(verdict) - sum(verdict.values())
    return [(at, [n for n in group if verdict[n]]) for at, group in sentence.marks]


def _groups(sentence: CitedSentence, kept: _Kept) -> tuple[list[tuple[int, list[int]]], list[int]]:
    """Markers inside the sentence (in order) and the merged group that closes it."""
    inside = sorted((at, ns) for at, ns in kept if ns and not sentence.is_final(at))
    closing = list(dict.fromkeys(n for at, ns in kept if sentence.is_final(at) for n in ns))
    return inside, closing


def _appearance(lines: list[CitedLine], kept: list[list[_Kept]]) -> list[int]:
    """Kept source numbers in the order the rebuilt answer shows them."""
    seen: list[int] = []
    for line, per_sentence in zip(lines, kept, strict=True):
        for sentence, marks in zip(line.sentences, per_sentence, strict=True):
            inside, closing = _groups(sentence, marks)
            seen.extend(n for _, ns in inside for n in ns)
            seen.extend(closing)
    return seen


def _render_line(line: CitedLine, kept: list[_Kept], renumber: dict[int, int]) -> str:
    if not line.has_marks:
        return line.raw
    parts = [_render(s, k, renumber) for s, k in zip(line.sentences, kept, strict=True)]
    return line.prefix + " ".join(p for p in parts if p)


def _render(sentence: CitedSentence, kept: _Kept, renumber: dict[int, int]) -> str:
    """The sentence with its kept markers in canonical form: 'claim [1][2].'"""
    inside, closing = _groups(sentence, kept)
    text, pos, out = sentence.text, 0, ""
    for at, numbers in inside:
        marks = _canonical(numbers, renumber)
        out += f"{text[pos:at]} {marks}" if at else f"{marks} "
        pos = at
    rest = text[pos:].rstrip()
    if closing:
        stop = _STOP.search(rest).group()
        rest = f"{rest[: len(rest) - len(stop)].rstrip()} {_canonical(closing, renumber)}{stop}"
    return (out + rest).strip()


def _canonical(numbers: list[int], renumber: dict[int, int]) -> str:
    return "".join(f"[{n}]" for n in sorted(renumber[old] for old in numbers))


def _tidy(text: str) -> str:
    """At most one blank line in a row, none at the ends."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip() if line.strip() else "")
    return "\n".join(lines).strip()
