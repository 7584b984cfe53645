"""Retrieval and point selection for a brief.

Each section has several queries (prompts/brief_queries.txt). Their hits are merged by
reciprocal rank fusion and de-duplicated by chunk id into one pool; then the extractive
composer's sentence selection (assistant.answering.extractive.select_sentences) picks
sentences from the pool for every query, and the picks are interleaved query by query,
so the section covers the theme broadly. Sentences already used in an earlier section
are skipped, and near-repeats (stem overlap) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answering.extractive import ExtractConfig, select_sentences
from assistant.answering.support import SentenceScorer
from assistant.core.retrieval import Retriever, reciprocal_rank_fusion
from assistant.core.text import is_list_item, is_repeat, split_sentences, stems, strip_list_mark
from assistant.core.types import Chunk, Filters, Hit

MAX_LIST_ITEMS = 8  # a lead-in brings its whole list up to this many items ...
MAX_LIST_CHARS = 900  # ... and this many characters; else only the picked items
_NOT_CONTENT = re.compile(r"^(Voetnoot|Figuur|Onderschrift|Tabel|Bron)\b")
_POINTING = re.compile(
    r"^(Zo|Dit|Dat|Deze|Die|Daardoor|Daarom|Daarbij|Daarmee|Daarnaast|Hier\w*|Zij|Ze|Dan|"
    r"Waardoor|Hierdoor|Om dit|Ook dit)\b"
)


@dataclass
class Point:
    """Sentences of one chunk that make one point of the brief."""

    chunk: Chunk
    text: str
    details: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)  # as found in the chunk
    used: list[int] = field(default_factory=list)  # indices of the sentences used
    score: float = 0.0

    @property
    def is_lead_in(self) -> bool:
        """Whether the point introduces a list (its text ends with ':')."""
        return self.text.endswith(":")

    @property
    def full_text(self) -> str:
        """The point with its list items, for comparing and prompting."""
        return " ".join([self.text, *self.details])


def merged_hits(
    retriever: Retriever, queries: Sequence[str], k: int, filters: Filters | None = None
) -> list[Hit]:
    """Hits of every query, fused by reciprocal rank and de-duplicated by chunk id."""
    rankings: list[list[str]] = []
    best: dict[str, Hit] = {}
    for query in queries:
        hits = retriever.search(query, k=k, filters=filters)
        rankings.append([h.chunk.chunk_id for h in hits])
        for hit in hits:
            known = best.get(hit.chunk.chunk_id)
            if known is None or (hit.dense_score or 0.0) > (known.dense_score or 0.0):
                best[hit.chunk.chunk_id] = hit
    fused = reciprocal_rank_fusion(rankings)
    order = sorted(fused, key=lambda cid: (-fused[cid], cid))
    return [best[cid] for cid in order]


def pick_points(
    queries: Sequence[str],
    pool: Sequence[Hit],
    scorer: SentenceScorer,
    config: ExtractConfig,
    *,
    shown: str = "",
    limit: int = 5,
    min_score: float = 0.0,
    require: frozenset[str] = frozenset(),
) -> list[Point]:
    """Up to `limit` points from the pool answering the queries, interleaved per query.

    With `require` (stemmed words), only sentences containing one of them are picked
    (a picked list item still brings its lead-in).
    """
    if require:  # sentences without a required word are skipped like shown ones
        off_topic = [
            s for h in pool for s in split_sentences(h.chunk.text) if not stems(s) & require
        ]
        shown = "\n".join([shown, *off_topic])
    per_query = [_points_for(q, pool, scorer, config, shown, min_score) for q in queries]
    chosen: list[Point] = []
    seen: list[set[str]] = []
    sentences: set[str] = set()
    for rank in range(max((len(p) for p in per_query), default=0)):
        for points in per_query:
            if rank >= len(points) or len(chosen) >= limit:
                continue
            point, tokens = points[rank], stems(points[rank].full_text)
            if sentences & set(point.sentences) or is_repeat(tokens, seen):
                continue
            chosen.append(point)
            seen.append(tokens)
            sentences.update(point.sentences)
    return chosen


def _points_for(
    query: str,
    pool: Sequence[Hit],
    scorer: SentenceScorer,
    config: ExtractConfig,
    shown: str,
    min_score: float,
) -> list[Point]:
    skip = "\n".join([shown, *(s for h in pool for s in not_content(h.chunk.text))])
    sentences, selection = select_sentences(query, list(pool), scorer, config, skip)
    points = []
    for i in sorted(selection.picked, key=lambda i: -selection.scores[i]):
        if selection.scores[i] < min_score:
            continue
        for point in group_points(pool[i].chunk, sentences[i], sorted(selection.picked[i])):
            point.score = selection.scores[i]
            points.append(point)
    return points


def blocks_of(text: str) -> list[list[str]]:
    """The sentences of a passage per block (paragraph or list item), in order."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip():
            blocks.append([])
        elif is_list_item(line.strip()) or not blocks:
            blocks.append([line.strip()])
        else:
            blocks[-1].append(line.strip())
    return [split_sentences(" ".join(b)) for b in blocks if b]


def not_content(text: str) -> list[str]:
    """Sentences that never make a point: footnotes, figure captions and questions."""
    skip = []
    for block in blocks_of(text):
        if block and _NOT_CONTENT.match(block[0]):
            skip.extend(block)
        else:
            skip.extend(s for s in block if s.rstrip().endswith("?"))
    return skip


def group_points(chunk: Chunk, sentences: list[str], indices: list[int]) -> list[Point]:
    """Turn picked sentences of one chunk into points.

    A lead-in brings its whole list when the list is short (else the picked items); a
    list item brings the sentences of its own item; a sentence starting with a pointing
    word ('Zo', 'Dit', ...) brings the sentence before it from the same paragraph.
    """
    block_of = [b for b, block in enumerate(blocks_of(chunk.text)) for _ in block]
    if len(block_of) != len(sentences):  # defensive: unexpected split, no context rules
        block_of = list(range(len(sentences)))
    members: dict[int, list[int]] = {}
    for j, b in enumerate(block_of):
        members.setdefault(b, []).append(j)
    points: list[Point] = []
    covered: set[int] = set()
    for j in indices:
        if j in covered:
            continue
        if sentences[j].rstrip().endswith(":"):
            point = _lead_in(chunk, sentences, block_of, members, j, set(indices))
        else:
            point = _single(chunk, sentences, block_of, members, j, set(indices))
        covered.update(point.used)
        if point.details or not point.is_lead_in:
            points.append(point)
    return points


def _lead_in(chunk, sentences, block_of, members, j, picked) -> Point:
    items = []
    for b in range(block_of[j] + 1, max(block_of) + 1):
        block = members[b]
        if not is_list_item(sentences[block[0]]) or sentences[block[0]].rstrip().endswith(":"):
            break
        items.append(block)
    size = sum(len(sentences[k]) for block in items for k in block)
    if len(items) > MAX_LIST_ITEMS or size > MAX_LIST_CHARS:
        items = [block for block in items if picked & set(block)]
    point = Point(chunk, strip_list_mark(sentences[j]).rstrip())
    point.details = [_clean_item(" ".join(sentences[k] for k in block)) for block in items]
    point.used = [j, *(k for block in items for k in block)]
    point.sentences = [sentences[k] for k in point.used]
    return point


def _single(chunk, sentences, block_of, members, j, picked) -> Point:
    block = members[block_of[j]]
    if is_list_item(sentences[block[0]]):
        used = block
    else:
        start = j - 1 if _POINTING.match(sentences[j]) and j - 1 in block else j
        end = j
        while end + 1 in block and end + 1 in picked:
            end += 1
        used = list(range(start, end + 1))
    point = Point(chunk, _clean_item(" ".join(sentences[k] for k in used)))
    point.used = used
    point.sentences = [sentences[k] for k in used]
    return point


def _clean_item(sentence: str) -> str:
    """A list item without its bullet; a trailing ';' becomes '.'."""
    text = strip_list_mark(sentence).strip()
    return text[:-1].rstrip() + "." if text.endswith(";") else text


class SourceList:
    """Numbers sources [1], [2], ... in order of first citation; one per chunk."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self.chunks: list[Chunk] = []

    def cite(self, chunk: Chunk) -> int:
        """The number of a chunk, assigning the next one on first use."""
        if chunk.chunk_id not in self._numbers:
            self.chunks.append(chunk)
            self._numbers[chunk.chunk_id] = len(self.chunks)
        return self._numbers[chunk.chunk_id]
