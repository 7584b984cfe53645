"""Sentence selection across a pool of passages, for session briefs and the self-scan.

Every sentence of every hit is scored against a query (SentenceScorer.relevance, plus a
small bonus for the hit's retrieval rank). The best sentences are taken greedily while
they stay close to the best score, skipping near-repeats and anything already shown; a
lead-in ending in ':' brings its list items along, and a picked list item brings its
lead-in. (Answers to questions are composed passage-first in compose.py instead.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answering.support import SentenceScorer
from assistant.core.injection import is_injection
from assistant.core.text import is_list_item, is_repeat, normalise_space, split_sentences, stems
from assistant.core.types import Hit

_MIN_WORDS = 4


@dataclass(frozen=True)
class ExtractConfig:
    """Tuning of the sentence selection."""

    max_sentences: int = 4
    max_chars: int = 900
    relative_floor: float = 0.75  # keep sentences scoring at least this share of the best
    rank_bonus: float = 0.08  # bonus for the best-ranked hit, shrinking with rank
    max_list_items: int = 6
    max_list_chars: int = 450  # a lead-in brings list items only up to this length


@dataclass
class Selection:
    """Picked sentences, per hit index, plus the best relevance seen."""

    picked: dict[int, set[int]] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)  # best score per hit index
    best: float = 0.0


def select_sentences(
    question: str,
    hits: Sequence[Hit],
    scorer: SentenceScorer,
    config: ExtractConfig,
    shown: str = "",
) -> tuple[list[list[str]], Selection]:
    """Sentences of each hit and the indices chosen to answer the question.

    Sentences that occur verbatim in `shown` (the previous answer) are skipped.
    """
    sentences = [split_sentences(h.chunk.text) for h in hits]
    flat = [(i, j, s) for i, sents in enumerate(sentences) for j, s in enumerate(sents)]
    selection = Selection()
    if not flat:
        return sentences, selection
    relevance = scorer.relevance(question, [s for _, _, s in flat])
    bonus = np.array([config.rank_bonus / (1 + i) for i, _, _ in flat], dtype=np.float32)
    selection.best = float(np.max(relevance))
    shown = normalise_space(shown)
    eligible = np.array(
        [
            len(s.split()) >= _MIN_WORDS and not (shown and s in shown) and not is_injection(s)
            for _, _, s in flat
        ]
    )
    if not eligible.any():
        return sentences, selection
    scores = np.where(eligible, relevance + bonus, -1.0)
    floor = config.relative_floor * float(scores.max())
    chosen: list[set[str]] = []
    used_chars = 0
    for pos in np.argsort(-scores, kind="stable"):
        i, j, text = flat[pos]
        if scores[pos] < floor:
            break
        tokens = stems(text)
        if is_repeat(tokens, chosen):
            continue
        group = {
            k for k in _with_context(sentences[i], j, config) if not is_injection(sentences[i][k])
        }
        selection.picked.setdefault(i, set()).update(group)
        selection.scores[i] = max(selection.scores.get(i, 0.0), float(scores[pos]))
        chosen.append(tokens)
        used_chars += sum(len(sentences[i][k]) for k in group)
        if len(chosen) >= config.max_sentences or used_chars >= config.max_chars:
            break
    return sentences, selection


def _with_context(sentences: list[str], j: int, config: ExtractConfig) -> set[int]:
    """The sentence plus its list items (if a lead-in) or its lead-in (if a list item)."""
    group = {j}
    if sentences[j].rstrip().endswith(":"):
        k = j + 1
        size = len(sentences[j])
        while k < len(sentences) and len(group) <= config.max_list_items:
            if is_list_item(sentences[k]):
                size += len(sentences[k])
                if size > config.max_list_chars and len(group) > 1:
                    break
                group.add(k)
            elif not group - {j}:
                break
            k += 1
    elif is_list_item(sentences[j]):
        for k in range(j - 1, -1, -1):
            if sentences[k].rstrip().endswith(":"):
                group.add(k)
                break
    return group
