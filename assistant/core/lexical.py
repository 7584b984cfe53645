"""Dutch BM25 over the live chunks: bm25s with the Snowball Dutch stemmer and Dutch stop words."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer
from stop_words import get_stop_words

_WORD = re.compile(r"\w+", re.UNICODE)
_EMPTY = "_leeg_"  # the token of a text without words (bm25s needs one)

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(fold(w) for w in get_stop_words("dutch"))


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so OCR'd 'barrieres' meets 'barrières'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class DutchTokenizer:
    """Folded, stop-word free, stemmed Dutch tokens."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("dutch")
        self._stop = _stopwords()

    def __call__(self, text: str) -> list[str]:
        """Tokens of one text."""
        words = [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in self._stop]
        return self._stemmer.stemWords(words)


class BM25Index:
    """An in-memory BM25 index over a fixed list of texts."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._tokenize = DutchTokenizer()
        self.size = len(texts)
        self._model = bm25s.BM25()
        corpus_tokens = [self._tokenize(t) or [_EMPTY] for t in texts]
        if self.size:
            self._model.index(corpus_tokens, show_progress=False)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every stem of the indexed texts."""
        if not self.size:
            return frozenset()
        return frozenset(self._model.vocab_dict) - {_EMPTY, ""}  # bm25s keeps an "" entry

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (position in the indexed list, score) with a positive score."""
        tokens = self._tokenize(query)
        if not self.size or not tokens or k <= 0:
            return []
        vocab = self._model.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return []
        k = min(k, self.size)
        docs, scores = self._model.retrieve(
            [known], k=k, show_progress=False, weight_mask=mask, n_threads=0
        )
        return [
            (int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if float(s) > 0.0
        ]
