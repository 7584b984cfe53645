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
_YEAR = re.compile(r"(19|20)\d\d")
_DATE_WORDS = frozenset({"begin", "eind", "medio", "half"})  # "begin 2022", "eind 2023"
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
        """Tokens of one text ("begin" in a date such as "Begin 2022" is no token: it is
        not the "begin" of "Waar moet ik beginnen?")."""
        found = _WORD.findall(fold(text))
        words = [
            w
            for i, w in enumerate(found)
            if len(w) > 1
            and w not in self._stop
            and not (w in _DATE_WORDS and i + 1 < len(found) and _YEAR.fullmatch(found[i + 1]))
        ]
        return self._stemmer.stemWords(words)


class BM25Index:
    """An in-memory BM25 index over a fixed list of texts."""

    def __init__(self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None) -> None:
        """Index the texts; `tokens`, when given, are those texts already tokenized by
        DutchTokenizer (so a caller that needs them too does not tokenize twice)."""
        self._tokenize = DutchTokenizer()
        if tokens is None:
            tokens = [self._tokenize(t) for t in texts]
        self.size = len(tokens)
        self._model = bm25s.BM25()
        corpus_tokens = [list(t) or [_EMPTY] for t in tokens]
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
        return self.search_tokens(self._tokenize(query), k, mask)

    def search_tokens(
        self, tokens: list[str], k: int, mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """search() for a query already tokenized (by DutchTokenizer)."""
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


_FIRST_READ = 10  # sentences read per passage wanted, before reading further
# A word is distinctive when it occurs in at most this share of the passages.
DISTINCTIVE_SHARE = 0.25


class BestSentenceIndex:
    """BM25 over single sentences; a passage ranks by its best sentence.

    Passage-level BM25 rewards a passage that holds the question's words anywhere in it;
    this ranking rewards one that holds them together, in one sentence ("overleg ...
    tussen leiding en medewerkers over ... nieuwe technologieën"), which is where an
    answer is. A sentence counts only when it holds one of the question's distinctive
    words (in at most `distinctive_share` of the passages): words found everywhere
    ("sociale innovatie", "SER") together in a short sentence say nothing. Built from
    sentence texts per passage; splitting is the caller's.
    """

    def __init__(
        self, passages: Sequence[Sequence[str]], distinctive_share: float = DISTINCTIVE_SHARE
    ) -> None:
        self.size = len(passages)
        self._tokenize = DutchTokenizer()
        sentences = [s for sents in passages for s in sents]
        self._owner = np.array([i for i, sents in enumerate(passages) for _ in sents], dtype=int)
        tokens = [self._tokenize(s) for s in sentences]
        self._stems = [frozenset(t) for t in tokens]
        self._index = BM25Index(sentences, tokens=tokens)
        per_passage: list[set[str]] = [set() for _ in passages]
        for owner, stems in zip(self._owner, self._stems, strict=True):
            per_passage[owner] |= stems
        in_passages: dict[str, int] = {}
        for stems in per_passage:
            for stem in stems:
                in_passages[stem] = in_passages.get(stem, 0) + 1
        limit = distinctive_share * self.size
        self._distinctive = frozenset(t for t, n in in_passages.items() if n <= limit)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (passage position, its best sentence's score) with a positive score."""
        tokens = self._tokenize(query)
        wanted = self._distinctive.intersection(tokens)
        if k <= 0 or not wanted:
            return []
        sentence_mask = None if mask is None else mask[self._owner]
        # Read the best sentences in growing batches until k passages are found: most
        # questions need the first few hundred, never all of a large corpus.
        limit = min(self._index.size, _FIRST_READ * k)
        while True:
            found = self._index.search_tokens(tokens, limit, sentence_mask)
            best: dict[int, float] = {}
            for i, score in found:
                if self._stems[i] & wanted:
                    best.setdefault(int(self._owner[i]), score)  # hits come best first
                    if len(best) == k:
                        break
            if len(best) == k or len(found) < limit or limit == self._index.size:
                return sorted(best.items(), key=lambda item: (-item[1], item[0]))
            limit = min(self._index.size, 4 * limit)
