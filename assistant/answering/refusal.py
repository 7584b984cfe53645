"""When to refuse: questions the sources do not cover, and attempts to change the rules.

Scope is decided on two signals, calibrated on evals/sets/calibration.jsonl
(bench/calibrate_refusal.py prints the sweep):

- dense_top: cosine similarity of the best dense hit (E5, query vs passage);
- relevance_top: the best sentence relevance (SentenceScorer.relevance: dense and
  stemmed word overlap of the question against single sentences of the hits).

A question is covered when both reach their threshold (the relevance threshold is lower
for English questions, whose words do not overlap with the Dutch passages). Requests for
the system prompt and "ignore your instructions" texts are caught by patterns before
retrieval (assistant.core.injection, shared with ingest).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# is_injection lives in the core (ingest flags documents with it); re-exported here.
from assistant.core.injection import is_injection as is_injection
from assistant.core.types import Chunk, Hit


@dataclass(frozen=True)
class ScopePolicy:
    """Thresholds below which a question counts as not covered by the sources."""

    min_dense: float = 0.78
    min_relevance: float = 0.30
    # English questions meet Dutch passages: word overlap is lost, so relevance runs lower.
    min_relevance_en: float = 0.21


@dataclass(frozen=True)
class ScopeSignals:
    """What the decision looks at, kept in the answer notes for inspection."""

    dense_top: float
    lexical_top: float
    relevance_top: float
    language: str = "nl"

    def covered(self, policy: ScopePolicy) -> bool:
        """Whether the sources cover the question under this policy."""
        floor = policy.min_relevance_en if self.language == "en" else policy.min_relevance
        return self.dense_top >= policy.min_dense and self.relevance_top >= floor

    def describe(self) -> str:
        """Compact key=value form for notes and logs."""
        return (
            f"dense_top={self.dense_top:.3f} lexical_top={self.lexical_top:.2f} "
            f"relevance_top={self.relevance_top:.3f}"
        )


def scope_signals(hits: Sequence[Hit], relevance_top: float, language: str = "nl") -> ScopeSignals:
    """Signals from the retrieved hits and the best sentence relevance."""
    dense = [h.dense_score for h in hits if h.dense_score is not None]
    lexical = [h.lexical_score for h in hits if h.lexical_score is not None]
    return ScopeSignals(
        dense_top=max(dense, default=0.0),
        lexical_top=max(lexical, default=0.0),
        relevance_top=relevance_top,
        language=language,
    )


def suggest_topics(
    hits: Sequence[Hit], all_chunks: Sequence[Chunk] = (), limit: int = 4
) -> list[str]:
    """Section headings closest to the question, topped up with the corpus's main sections."""
    topics: list[str] = []
    for section in [h.chunk.section for h in hits] + _main_sections(all_chunks):
        section = " ".join(section.split())
        if section and section.lower() not in {t.lower() for t in topics}:
            topics.append(section)
        if len(topics) >= limit:
            break
    return topics


def _main_sections(chunks: Sequence[Chunk]) -> list[str]:
    counts = Counter(c.section for c in chunks if c.section)
    return [s for s, _ in counts.most_common()]
