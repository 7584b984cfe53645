"""Extractive answers that keep what retrieval found and read as advice, 100 % quoted.

Retrieval ranks the passages well, and on evals/sets/dev.jsonl every way of re-ordering
them by sentence scores did worse (README, "Answers"). So the composer is passage-first:

1. One point is quoted from each retrieved passage, in retrieval order: its best
   sentence, scored by the question's content words it contains (synonyms included,
   each word weighted by how rare it is in the corpus) plus a bonus when it is what this
   kind of question asks for (advice for how/where-to-begin/may-I, causes for why, ...).
   A lead-in ending in ':' (or a sentence announcing a table, whose rows ingest made
   list items) brings its list items, up to `max_list_items` and then a bare '…' line;
   a list item brings its short lead-in, or the whole list when the question asks for
   a list or for advice.
2. A point is kept when its passage bears on the question: it shares at least half the
   (weighted) overlap of the best point, or is about as close in meaning as the best
   passage; a point of the top three that may lead (step 3) always stays. At most
   `max_passages` points: the answer cites what retrieval ranked high.
3. The first point leads; an advice question leads with the first advising point of
   the first three, so a practical question is not answered with a definition (advice
   to the province counts only when the question is about government). A follow-up
   leads with the first of the top three that quotes its own words ("En wat moet de
   leidinggevende dan doen?"), not with the passage of the earlier topic.
4. Long sentences are shortened to whole clauses with '…' where text was left out: the
   run of clauses that holds most of the question's words ('… vergroot de binding van
   medewerkers …'), else the start; a long list item keeps its label before those
   clauses. Words are never changed. Points are numbered [1], [2], ... in the order
   they appear.

The only text that is not quoted comes from the fixed phrases in prompts/.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from assistant.answering.shape import QuestionShape, about_government, fits_kind, is_advice
from assistant.answering.types import Citation
from assistant.core.injection import is_injection
from assistant.core.text import (
    LIST_MARK,
    announces_table,
    blocks,
    is_repeat,
    normalise_space,
    split_sentences,
    stems,
    strip_list_mark,
    telling_part,
)
from assistant.core.types import Hit

_MIN_WORDS = 4
LIST_CUT = "…"  # the line that shows a quoted list goes on in the source
_ELLIPSIS = " …"
_LEAD_ELLIPSIS = "… "
_QUOTED = re.compile(r'"([^"]+)"')
# Where a quoted run of clauses may end (at a clause mark) and start (where a clause
# starts: after ';' or ':', at a bracket, or after ',' before a conjunction).
_CLAUSE_END = re.compile(r"[;:,]\s|\s\(|\)[\s;:,]")
_CLAUSE_START = re.compile(
    r"[;:]\s+|\s(?=\()|\)\s+|,\s+(?=(maar|waardoor|zodat|omdat|terwijl|doordat|waarbij|"
    r"waarmee|waarin|die|dat|wat|want|als|zoals|om)\b)",
    re.IGNORECASE,
)
# Between two sentences of one quoted block (a list item of several sentences).
_SENTENCE_GAP = re.compile(r"(?<=\.)\s+(?=[A-ZÀ-Ý])")


@dataclass(frozen=True)
class ComposeConfig:
    """How much an answer quotes."""

    max_passages: int = 5  # citations in one answer (retrieval's hit@5 is kept)
    lead_window: int = 3  # an advice question may take its lead from the first three
    max_point_chars: int = 240
    max_support_chars: int = 200  # a supporting point is one line
    max_list_items: int = 10  # a longer list is cut, and the cut is shown with '…'
    max_item_chars: int = 260
    kind_bonus: float = 0.35  # a sentence of the asked kind beats one with a word more
    bearing_share: float = 0.5  # a point needs this share of the best point's overlap ...
    dense_margin: float = 0.03  # ... or a passage this close to the best in meaning


@dataclass(frozen=True)
class Point:
    """The quote taken from one passage."""

    hit: Hit
    lines: list[str]  # the quote: one sentence, or a lead-in and its list items
    sentences: list[str] = field(default_factory=list)  # as found in the passage
    score: float = 0.0  # of the best sentence: weighted term overlap plus the kind bonus
    overlap: float = 0.0  # weighted share of the question's terms in the best sentence
    advice: bool = False
    compact: list[str] = field(default_factory=list)  # one line, for a supporting point


@dataclass(frozen=True)
class Composition:
    """The quoted points in answer order, with their citations."""

    points: list[Point]
    citations: list[Citation]

    @property
    def empty(self) -> bool:
        """Whether nothing could be quoted."""
        return not self.points


def compose(
    terms: set[str],
    hits: Sequence[Hit],
    shape: QuestionShape,
    config: ComposeConfig | None = None,
    shown: str = "",
    weights: Mapping[str, float] | None = None,
    focus: set[str] | None = None,
    words: set[str] | None = None,
    previous: str = "",
) -> Composition:
    """The points that answer a question with these content terms, from the ranked hits.

    `weights` gives each term its weight (rarer words in the corpus weigh more; 1.0 when
    absent). Sentences that occur verbatim in `shown` (the previous answer) are skipped.
    `focus` holds a rewritten follow-up's own content stems. `words` holds all the
    question's stems, filler included ("aan het werk houden"): between sentences that
    score the same on the content terms, the one holding more of them is quoted.
    """
    config = config or ComposeConfig()
    scorer = _Scorer(terms, shape, config, weights or {}, words or set())
    shown = normalise_space(shown)
    points: list[Point] = []
    seen: list[set[str]] = []
    for hit in hits:
        point = _point(scorer, hit, shown, seen)
        if point is not None:
            points.append(point)
            seen.extend(stems(s) for s in point.sentences)
    focus = focus or set()
    points = _bearing(points, config, shape, focus)
    points = _focus_first(points[: config.max_passages], focus, config)
    points = _lead_first(points, shape, config, scorer.words)
    points = _not_the_previous_lead(points, previous, scorer)
    # The lead answers in full (with its list); the points after it are one line each.
    points = [*points[:1], *(replace(p, lines=p.compact or p.lines) for p in points[1:])]
    citations = [Citation.of(n, p.hit) for n, p in enumerate(points, start=1)]
    return Composition(points, citations)


_TIE = 1e-3  # a question word outside the content terms: only ever breaks a tie


class _Scorer:
    """Scores sentences: weighted share of the question's terms, plus the kind bonus."""

    def __init__(
        self,
        terms: set[str],
        shape: QuestionShape,
        config: ComposeConfig,
        weights: Mapping[str, float],
        words: set[str],
    ) -> None:
        self.weights = {t: weights.get(t, 1.0) for t in terms}
        self.total = math.fsum(self.weights.values())
        self.shape = shape
        self.config = config
        self.words = words

    def overlap(self, sentence: str) -> float:
        if not self.total:
            return 0.0
        # fsum: exact, so the order of the set (it varies between runs) never breaks a tie
        return math.fsum(self.weights.get(t, 0.0) for t in stems(sentence)) / self.total

    def weigh(self, clause: str) -> float:
        """The overlap, with the question's other words as a tie-breaker (for shortening)."""
        return self.overlap(clause) + _TIE * len(stems(clause) & self.words)

    def score(self, sentence: str) -> tuple[float, int]:
        """The weighted overlap plus the kind bonus; then, to break ties, how many of all
        the question's words the sentence holds."""
        bonus = self.config.kind_bonus if fits_kind(sentence, self.shape) else 0.0
        return self.overlap(sentence) + bonus, len(stems(sentence) & self.words)


def _bearing(
    points: list[Point], config: ComposeConfig, shape: QuestionShape, focus: set[str]
) -> list[Point]:
    """The points in rank order, without those that neither share enough of the question's
    words with the best point nor come close to the best passage in meaning. An advising
    point of the top `lead_window` always stays when advice is asked for (it may lead),
    and so does one of the top `max_passages` that quotes a follow-up's own words: "Wat
    moet ik dan aan scholing doen?" shares few words with the earlier topic that its
    query carries, but the passage on scholing is what it asks for."""
    if not points:
        return points
    best = max(p.overlap for p in points)
    dense = [p.hit.dense_score for p in points if p.hit.dense_score is not None]
    floor = max(dense, default=0.0) - config.dense_margin
    return [
        p
        for i, p in enumerate(points)
        if i == 0
        or (i < config.lead_window and shape.wants_advice and p.advice)
        or (i < config.max_passages and _quotes(p, focus))
        or p.overlap >= config.bearing_share * best > 0
        or (p.hit.dense_score or 0.0) >= floor
    ]


_CAPTION = re.compile(r"^\s*(?:figuur|figure|afbeelding|tabel|table)\s+\d+\s*[:.]", re.I)
_FIGURE_WORDS = stems("figuur figure afbeelding plaatje tekening tabel table")


def _point(scorer: _Scorer, hit: Hit, shown: str, seen: list[set[str]]) -> Point | None:
    units = _units(hit.chunk.text)
    scored = [
        (i, scorer.score(unit.text))
        for i, unit in enumerate(units)
        if _quotable(unit.text, shown, seen)
    ]
    # A figure caption names its subject ("Figuur 1: Succesfactoren sociale innovatie ...
    # Onderschrift: Met de tandwielen ...") but says little about it, and a question in
    # the source ("Wat heeft het mkb/bedrijfsleven nodig om ...?") asks rather than
    # answers: they are quoted only when nothing else in the passage shares a
    # word with the question (or, for a caption, when the question asks about the figure).
    asides = [c for c in scored if _aside(units[c[0]].text, scorer.words)]
    if asides:
        text = [c for c in scored if c not in asides]
        scored = text if any(score[0] > 0 for _, score in text) else text + asides
    if not scored:
        return None
    best, best_score = max(scored, key=lambda c: c[1])  # the first of equals
    picked = _with_context(units, best, scorer.shape, scorer.config)
    used = [units[i].text for i in picked]
    return Point(
        hit,
        _quote(units, picked, scorer),
        used,
        best_score[0],
        scorer.overlap(units[best].text),
        any(is_advice(s) for s in used) and _advice_for_asker(hit, scorer.shape),
        _compact(units, picked, best, scorer),
    )


def _aside(sentence: str, words: set[str]) -> bool:
    """A figure caption (unless the question asks about a figure), or a question that
    tells nothing ('... met als centrale vraag: ...?' tells, and is quotable)."""
    if _CAPTION.match(sentence):
        return not words & _FIGURE_WORDS
    return not telling_part(sentence)


def _advice_for_asker(hit: Hit, shape: QuestionShape) -> bool:
    """Advice to the province does not answer an owner's "how do I ...": it counts as
    advice only when the question itself is about government."""
    return shape.about_government or not about_government(f"{hit.chunk.section}\n{hit.chunk.text}")


def _compact(units: Sequence[_Unit], picked: list[int], best: int, scorer: _Scorer) -> list[str]:
    """One line for a supporting point: the sentence, or a lead-in with its best item."""

    def line(text: str) -> list[str]:
        return [shorten(text, scorer.config.max_support_chars, scorer.weigh)]

    items = [k for k in picked if units[k].item]
    if not items:
        return line(strip_list_mark(units[best].text))
    top = max(items, key=lambda k: (scorer.score(units[k].text), -k))
    lead = [k for k in picked if not units[k].item]
    if not lead:
        return line(strip_list_mark(units[top].text))
    if top == lead[0] + 1:  # the first item: quoted as it stands, with its number or bullet
        return line(f"{units[lead[0]].text} {units[top].text}")
    return line(f"{units[lead[0]].text} … {strip_list_mark(units[top].text)}")


@dataclass(frozen=True)
class _Unit:
    """A sentence of a passage and where it sits: its block, and whether that block is a
    list item or ends in a lead-in to a list (':', or a sentence announcing a table)."""

    text: str
    block: int
    item: bool
    lead_in: bool


@lru_cache(maxsize=8192)
def _units(text: str) -> tuple[_Unit, ...]:
    parts = blocks(text)
    items = [bool(LIST_MARK.match(b)) for b in parts]
    units = []
    for b, block in enumerate(parts):
        sentences = split_sentences(block)
        follows = b + 1 < len(parts) and items[b + 1]
        for k, sentence in enumerate(sentences):
            last = k == len(sentences) - 1
            lead_in = (
                last and follows and (sentence.rstrip().endswith(":") or announces_table(sentence))
            )
            units.append(_Unit(sentence, b, items[b], lead_in))
    return tuple(units)


def prepare(text: str) -> list[str]:
    """Split a passage into the sentences the composer quotes (cached per passage)."""
    return [unit.text for unit in _units(text)]


@lru_cache(maxsize=65536)
def _addresses_assistant(sentence: str) -> bool:
    return is_injection(sentence)


def _quotable(sentence: str, shown: str, seen: list[set[str]]) -> bool:
    if len(strip_list_mark(sentence).split()) < _MIN_WORDS or _addresses_assistant(sentence):
        return False
    if shown and _was_shown(sentence, shown):
        return False
    return not is_repeat(stems(sentence), seen)


def _was_shown(sentence: str, shown: str) -> bool:
    """Whether the sentence, or a shortened quote of it, is in `shown`."""
    bare = normalise_space(strip_list_mark(sentence))
    return bare in shown or any(part in bare for part in _quoted_parts(shown))


@lru_cache(maxsize=64)
def _quoted_parts(shown: str) -> tuple[str, ...]:
    """The longer pieces of the quotes in an answer, split where it left text out ('…')."""
    return tuple(
        piece.strip()
        for quote in _QUOTED.findall(shown)
        for piece in quote.split("…")
        if len(piece.strip()) >= 40
    )


def _with_context(
    units: Sequence[_Unit], i: int, shape: QuestionShape, config: ComposeConfig
) -> list[int]:
    """Unit indices to quote: a lead-in brings its list; a list item brings its short
    lead-in (the whole list when the question asks for a list or for advice)."""
    unit = units[i]
    if unit.lead_in:
        return [i, *_list_after(units, i, config)]
    if unit.item:
        lead = next((k for k in range(i - 1, -1, -1) if not units[k].item), None)
        if lead is not None and units[lead].lead_in:
            if shape.wants_list or shape.wants_advice:
                return [lead, *_list_after(units, lead, config)]
            if len(units[lead].text) <= config.max_item_chars:
                return [lead, *_item(units, i)]
        return _item(units, i)
    return [i]


def _list_after(units: Sequence[_Unit], lead: int, config: ComposeConfig) -> list[int]:
    """The units of the list items right after a lead-in (whole items, in order)."""
    out: list[int] = []
    blocks_seen: list[int] = []
    for k in range(lead + 1, len(units)):
        if not units[k].item:
            break
        if units[k].block not in blocks_seen:
            if len(blocks_seen) >= config.max_list_items:
                break
            blocks_seen.append(units[k].block)
        if not _addresses_assistant(units[k].text):
            out.append(k)
    return out


def _item(units: Sequence[_Unit], i: int) -> list[int]:
    """All sentences of the list item (block) unit i belongs to."""
    block = units[i].block
    return [k for k, u in enumerate(units) if u.block == block and not _addresses_assistant(u.text)]


def _quote(units: Sequence[_Unit], picked: list[int], scorer: _Scorer) -> list[str]:
    """The quoted lines: the first (without its bullet), then one line per list item.
    A long sentence keeps the clauses that answer; a list item keeps its start (its label)."""
    config = scorer.config
    first, *rest = picked
    if not units[first].item:  # a sentence or a lead-in, then whole items
        head = [shorten(units[first].text, config.max_point_chars, scorer.weigh)]
        pool = rest
    else:
        head, pool = [], picked
    items: list[str] = []
    for block in dict.fromkeys(units[k].block for k in pool):
        text = " ".join(units[k].text for k in pool if units[k].block == block)
        items.append(_shorten_item(text, config.max_item_chars, scorer.weigh))
    if not head:  # a list item on its own: quoted without its bullet
        return [strip_list_mark(items[0]), *items[1:]]
    after = picked[-1] + 1
    if len(items) > 1 and after < len(units) and units[after].item:
        items.append(LIST_CUT)  # the list goes on beyond what is quoted
    return [*head, *items]


def _quotes(point: Point, words: set[str]) -> bool:
    """Whether the point's quote holds one of these stems (a follow-up's own words)."""
    return bool(words) and bool(stems(" ".join(point.lines)) & words)


def _focus_first(points: list[Point], focus: set[str], config: ComposeConfig) -> list[Point]:
    """A follow-up leads with the first of the top few points that quotes what it newly
    asks about (its own words, `focus`), not with the earlier topic's passage."""
    if not focus:
        return points
    return _promote(points, lambda p: _quotes(p, focus), config)


def _lead_first(
    points: list[Point], shape: QuestionShape, config: ComposeConfig, words: set[str]
) -> list[Point]:
    """Retrieval order, except that an advice question leads with the first advising point
    of the first few, and a benefit question with the first that says what something
    brings (ordering by sentence scores did worse on dev: README, "Answers")."""
    if shape.wants_advice:
        return _promote(points, lambda p: p.advice, config)
    if shape.kind == "benefit":
        # "Helpt het als ik ze meer laat meebeslissen?": a passage that says what something
        # brings ('vergroot de binding ... minder verloop') over one ranked just above it
        # that only names the subject (dev: two answers up, none down)
        return _promote(points, lambda p: any(fits_kind(s, shape) for s in p.sentences), config)
    if shape.kind == "define":
        # "Wat is sociale innovatie?": the sentence that gives the definition ('De definitie
        # die de landelijke SER ... formuleerde: "Sociale innovatie is ...') over one that
        # only names the subject ('De term ... wordt internationaal als ... geduid'); and
        # "Wat is slimmer werken?": the list item labelled with it ('3. Slimmer werken:
        # ideeën en talenten van medewerkers benutten.') over a sentence that names it
        # among others. A definition is rare and says exactly what is asked: it may lead
        # from any of the cited points, provided it shares a word with the question.
        window = replace(config, lead_window=config.max_passages)
        for defines in (_gives_definition, lambda p: _labelled(p, words)):
            if any(defines(p) for p in points[: window.lead_window]):
                return _promote(points, defines, window)
    return points


_DEFINITION = re.compile(r"\b(definitie|definition|verst(aa|a)n onder|defined as)\b", re.I)
_LABEL_WORDS = 4  # 'Dynamisch managen:', 'Flexibel organiseren:'


def _gives_definition(point: Point) -> bool:
    return point.overlap > 0 and any(_DEFINITION.search(s) for s in point.sentences)


def _labelled(point: Point, words: set[str]) -> bool:
    """Whether the point quotes a list item whose label the question names."""
    for sentence in point.sentences:
        body = strip_list_mark(sentence)
        if body == sentence or ":" not in body:
            continue  # not a list item, or one without a label
        label = body.split(":", 1)[0]
        if len(label.split()) <= _LABEL_WORDS and stems(label) and stems(label) <= words:
            return True
    return False


def _not_the_previous_lead(points: list[Point], previous: str, scorer: _Scorer) -> list[Point]:
    """A follow-up led by the passage that led the answer before it quotes what that answer
    did not show yet ("En hoe komt dat dan?" after the struikelblok: the next sentence,
    '... omdat alleen dan subsidie mogelijk is'), when the passage has more to quote that
    shares a word with the question. The passage keeps its place."""
    first = _QUOTED.search(previous) if previous else None
    if first is None or not points or not points[0].sentences:
        return points
    shown = normalise_space(first.group(0))
    if not _was_shown(points[0].sentences[0], shown):
        return points
    fresh = _point(scorer, points[0].hit, shown, [])
    if fresh is None or fresh.overlap <= 0:  # nothing else in it bears on the question
        return points
    return [fresh, *points[1:]]


def _promote(
    points: list[Point], wanted: Callable[[Point], bool], config: ComposeConfig
) -> list[Point]:
    """The points with the first wanted one of the top `lead_window` moved to the front
    (unchanged when the first point is wanted or none of the top few is)."""
    lead = next((p for p in points[: config.lead_window] if wanted(p)), None)
    if lead is None or lead is points[0]:
        return points
    return [lead, *(p for p in points if p is not lead)]


def idf_weights(texts: Sequence[str]) -> dict[str, float]:
    """Stem -> log(1 + N / df): words in few passages say more about what is asked."""
    df: dict[str, int] = {}
    for text in texts:
        for stem in stems(text):
            df[stem] = df.get(stem, 0) + 1
    n = len(texts)
    return {stem: math.log(1 + n / count) for stem, count in df.items()}


def shorten(text: str, limit: int, weigh: Callable[[str], float] | None = None) -> str:
    """The text within limit, cut at clause (or else word) boundaries and marked with '…'.

    Without `weigh` the start is kept. With it, the run of clauses that weighs most is
    kept (the start when nothing weighs more there), so a long sentence is quoted where it
    answers the question: '… vergroot de binding van medewerkers …'. Words are never
    changed; only whole clauses are left out.
    """
    text = normalise_space(text)
    if len(text) <= limit:
        return text
    if weigh is not None:
        window = _best_window(text, limit, weigh)
        if window is not None:
            return window
    return _head(text, limit)


_LABEL_END = re.compile(r" \(|: ")


def _shorten_item(text: str, limit: int, weigh: Callable[[str], float]) -> str:
    """A list item within limit: it keeps its label (the words before its first bracket
    or colon), then the clauses that answer when they lie further on: 'competente,
    betrokken mensen … zijn … vergroot de binding van medewerkers …'. An item without a
    label keeps its number and is quoted where it answers ('2. … Betrek daarbij de
    brancheorganisaties …'). Otherwise its start."""
    text = normalise_space(text)
    if len(text) <= limit:
        return text
    label_end = _LABEL_END.search(text)
    if not label_end or label_end.start() > limit // 2:
        mark = LIST_MARK.match(text)
        head = mark.group(0) if mark else ""
        return head + shorten(text[len(head) :], limit - len(head), weigh)
    label, rest = text[: label_end.start()], text[label_end.end() :]
    room = limit - len(label) - 1
    window = _best_window(rest, room, weigh) if len(rest) > room else None
    if window is None or weigh(window) <= weigh(shorten(text, limit)):
        return shorten(text, limit)
    return f"{label} {window}"


def _head(text: str, limit: int) -> str:
    cut = text[: limit - len(_ELLIPSIS)]
    for mark in ("; ", ": ", ", ", " "):
        at = cut.rfind(mark)
        if at >= limit // 2:
            return cut[:at].rstrip(",;: ") + _ELLIPSIS
    return cut.rstrip() + _ELLIPSIS


def _best_window(text: str, limit: int, weigh: Callable[[str], float]) -> str | None:
    """The run of clauses that weighs most within limit (of equal weight, one that starts
    a sentence, then the longest), or None when the start weighs as much (then the plain
    cut from the start is quoted).

    A run ends at any clause mark or sentence end; it starts only where a clause or a
    sentence starts ('; ', ': ', brackets, ', ' before a conjunction, or after '. '),
    never inside an enumeration, and it fills at least half the limit (a third when it
    runs to the end of the text)."""
    gaps = list(_SENTENCE_GAP.finditer(text))
    sentence_starts = {m.end() for m in gaps}
    ends = sorted({m.start() for m in [*_CLAUSE_END.finditer(text), *gaps]} | {len(text)})
    starts = sorted({0, *(m.end() for m in _CLAUSE_START.finditer(text)), *sentence_starts})
    best: tuple[float, bool, int, int, int] | None = None
    for a in starts:
        for b in ends:
            if b <= a:
                continue
            room = limit - (len(_LEAD_ELLIPSIS) if a else 0)
            room -= len(_ELLIPSIS) if b < len(text) else 0
            if b - a > room:
                break
            # A scrap of a sentence says too little on its own; its last clause, whole,
            # may be shorter ('… vergroot de binding van medewerkers … en minder verloop').
            if b - a < (limit // 3 if b == len(text) else limit // 2):
                continue
            key = (weigh(text[a:b]), a in sentence_starts, b - a, -a, b)
            if best is None or key[:4] > best[:4]:
                best = key
    if best is None or best[3] == 0:
        return None
    *_, minus_a, b = best
    start = max((weigh(text[:e]) for e in ends if e <= limit - len(_ELLIPSIS)), default=0.0)
    if best[0] <= start:
        return None
    body = text[-minus_a:b].strip().lstrip("… ").rstrip(",;: ")
    body = body.lstrip("(") if ")" not in body else body
    body = body.rstrip(")") if "(" not in body else body
    return _LEAD_ELLIPSIS + body + (_ELLIPSIS if b < len(text) else "")


def render_answer(composition: Composition, more_heading: str) -> str:
    """The answer text: the lead quote [1]; then, under a fixed heading, '- "quote" [n]'.

    A quoted lead-in keeps its list items below it, each quoted on its own line with
    the source's own bullet or number.
    """
    if composition.empty:
        return ""
    lead, *rest = composition.points
    blocks = [_block(lead, 1, indent="")]
    if rest:
        lines = [_block(p, n, indent="  ", bullet="- ") for n, p in enumerate(rest, start=2)]
        blocks.append("\n".join([more_heading, *lines]))
    return "\n\n".join(blocks)


def _block(point: Point, n: int, indent: str, bullet: str = "") -> str:
    first, *items = point.lines
    if not items:
        return f'{bullet}"{first}" [{n}]'
    lines = [f'{bullet}"{first}"']
    if items and items[-1] == LIST_CUT:
        items, cut = items[:-1], [f"{indent}{LIST_CUT}"]
    else:
        cut = []
    for k, item in enumerate(items):
        mark = LIST_MARK.match(item)
        head = mark.group(0).strip() if mark else "-"
        body = item[mark.end() :] if mark else item
        tail = f" [{n}]" if k == len(items) - 1 else ""
        lines.append(f'{indent}{head} "{body}"{tail}')
    return "\n".join([*lines, *cut])
