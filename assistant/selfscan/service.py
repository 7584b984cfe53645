"""The self-scan service: answers in, scores per lever with cited descriptions and tips out.

Flow: check the answers (every statement 1-5) -> score the levers (assistant.selfscan.
scoring) -> per lever, retrieve what it means and tips for it with the session brief's
machinery (assistant.briefing.collect: several queries merged into one pool, sentences
picked from it) and keep only what belongs to that lever -> the quotes behind the
start rule -> chat questions from the templates -> sources numbered in reading order.

What belongs to a lever: a passage that names it (or one of its other names), or that
holds one of its words without naming another lever. A list whose items name the levers
(the documents' 'vier onderdelen' and its tips) is split, each lever keeping its own item.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.answering.extractive import ExtractConfig
from assistant.answering.support import SentenceScorer
from assistant.answering.types import Citation
from assistant.briefing.collect import Point, SourceList, merged_hits, pick_points
from assistant.briefing.service import SIZE_CLASSES
from assistant.core.retrieval import Retriever
from assistant.core.settings import Settings
from assistant.core.text import normalise_space, stems
from assistant.core.types import Hit
from assistant.selfscan import scoring
from assistant.selfscan.templates import LeverSpec, ScanTemplates
from assistant.selfscan.types import (
    CitedText,
    LeverNote,
    LeverScore,
    ScanRequest,
    ScanResult,
    StartAdvice,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanTuning:
    """How much the scan takes from the sources."""

    extract: ExtractConfig = ExtractConfig(max_sentences=4, max_chars=1200)  # as the brief
    k: int = 8  # hits per query
    candidates: int = 6  # points per lever considered before keeping the lever's own
    tips: int = 2  # at most this many tips per lever ...
    tip_share: float = 0.8  # ... a further tip scoring at least this share of the best one
    # Relevance a quote needs at all (SentenceScorer.relevance, as the session brief uses).
    min_relevance: float = 0.30


class ScanStore(Protocol):
    """Where anonymously shared scans go (assistant.feedback.FeedbackStore fits)."""

    def add_scan(
        self,
        answers: Mapping[str, int],
        scores: Mapping[str, int],
        start_lever: str,
        size_class: str | None,
    ) -> int:
        """Store one shared scan; returns its id."""
        ...


@dataclass(frozen=True)
class _Quote:
    """A candidate quote for a lever: its text and the passage it comes from."""

    text: str
    hit: Hit
    score: float


class SelfScanService:
    """Scores a self-scan and cites what the documents say per lever."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        scorer: SentenceScorer,
        templates: ScanTemplates | None = None,
        tuning: ScanTuning | None = None,
        store: ScanStore | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.scorer = scorer
        self.templates = templates or ScanTemplates.load(settings.prompts_dir)
        self.tuning = tuning or ScanTuning()
        self.store = store

    # ------------------------------------------------------------------ public
    def form(self) -> dict[str, Any]:
        """The statements, levers and scale (GET /api/scan)."""
        spec = self.templates.spec
        return {
            "statements": [
                {"id": s.id, "lever": lever.id, "text": s.tekst}
                for lever in spec.hefbomen
                for s in lever.stellingen
            ],
            "levers": [{"id": lever.id, "name": lever.naam} for lever in spec.hefbomen],
            "scale": list(spec.schaal),
        }

    def check(self, answers: object, sector: object = None, size: object = None) -> ScanRequest:
        """The checked request; InvalidInputError (Dutch, naming the statement) otherwise."""
        return scoring.clean_request(self.templates, answers, sector, size)

    def scan(self, answers: object, sector: object = None, size: object = None) -> ScanResult:
        """Score the answers and cite, per lever, what it means and tips for it."""
        started = time.perf_counter()
        result = _Builder(self, self.check(answers, sector, size)).build()
        log.info(
            "scan done start=%s citations=%s ms=%.0f",
            result.start_lever,
            len(result.citations),
            (time.perf_counter() - started) * 1000,
        )
        return result

    def warm_up(self, background: bool = True) -> threading.Thread | None:
        """One neutral scan, so the scan's queries are embedded before the first owner comes.

        The first scan after start-up otherwise embeds its 23 queries (dense and sparse):
        9 s on a quiet two-core machine, up to 90 s on a busy one; later scans take about
        0.3 s (measured through the API on the real corpus).
        """

        def run() -> None:
            try:
                self.scan({sid: 3 for sid in self.templates.statements})
            except Exception:  # a failed warm-up only costs the first owner some time
                log.warning("scan warm-up failed", exc_info=True)

        if not background:
            run()
            return None
        thread = threading.Thread(target=run, name="scan-warm-up", daemon=True)
        thread.start()
        return thread

    def share(self, result: ScanResult) -> int:
        """Store the answers anonymously (answers, scores, start lever, size class only)."""
        if self.store is None:
            raise RuntimeError("this scan service has no store to share with")
        scores = {s.id: s.score for s in result.levers}
        return self.store.add_scan(
            result.answers, scores, result.start_lever, size_class(result.omvang)
        )


def size_class(size: int | None) -> str | None:
    """'micro', 'klein' or 'middel' for a number of employees (None when not given)."""
    if size is None:
        return None
    key = next(k for top, k in SIZE_CLASSES if size <= top)
    return key.removeprefix("klasse_")


class _Builder:
    """State of one scan while it is built: the hits seen and the texts already shown."""

    def __init__(self, service: SelfScanService, request: ScanRequest) -> None:
        self.s = service
        self.t = service.templates
        self.spec = service.templates.spec
        self.tuning = service.tuning
        self.request = request
        self.shown: set[str] = set()

    def build(self) -> ScanResult:
        scores = scoring.lever_scores(self.t, self.request.answers)
        rule = self.spec.begin
        start, case = scoring.choose_start(scores, rule.hefboom, rule.grens)
        descriptions = {lever.id: self._description(lever) for lever in self.spec.hefbomen}
        tips = {lever.id: self._tips(lever) for lever in self.spec.hefbomen}
        quotes = self._start_quotes()
        # Number sources in reading order: the start advice first, then lever by lever.
        sources = SourceList()
        hits: dict[str, Hit] = {}

        def cited(lever: str, quote: _Quote) -> CitedText:
            hits.setdefault(quote.hit.chunk.chunk_id, quote.hit)
            return CitedText(lever, quote.text, (sources.cite(quote.hit.chunk),))

        start_quotes = tuple(cited(rule.hefboom, q) for q in quotes)
        cited_descriptions, cited_tips = [], []
        for lever in self.spec.hefbomen:
            cited_descriptions += [cited(lever.id, q) for q in descriptions[lever.id]]
            cited_tips += [cited(lever.id, q) for q in tips[lever.id]]
        citations = [
            Citation.of(n, hits[chunk.chunk_id]) for n, chunk in enumerate(sources.chunks, 1)
        ]
        return ScanResult(
            levers=tuple(self._scores(scores)),
            start_lever=start,
            tips=tuple(cited_tips),
            citations=tuple(citations),
            descriptions=tuple(cited_descriptions),
            start=self._advice(scores, start, case, start_quotes),
            questions=tuple(self._questions(scores, start)),
            notes=tuple(self._notes(descriptions, tips)),
            answers=dict(self.request.answers),
            sector=self.request.sector,
            omvang=self.request.size,
            company=self._company(),
        )

    # ------------------------------------------------------------------ quotes
    def _description(self, lever: LeverSpec) -> list[_Quote]:
        """What the lever means: the best passage that names it."""
        require = frozenset().union(*_name_stems(lever))
        quotes = self._quotes(lever, lever.uitleg_zoekvragen, require, self._names_it(lever))
        return self._show(quotes[:1])

    def _tips(self, lever: LeverSpec) -> list[_Quote]:
        """Tips for the lever: the best few passages that belong to it."""
        words = frozenset(stems(lever.woorden)).union(*_name_stems(lever))
        quotes = self._quotes(lever, lever.tip_zoekvragen, words, self._belongs(lever))
        if not quotes:
            return []
        floor = max(self.tuning.min_relevance, self.tuning.tip_share * quotes[0].score)
        return self._show([q for q in quotes if q.score >= floor][: self.tuning.tips])

    def _show(self, quotes: list[_Quote]) -> list[_Quote]:
        self.shown.update(_key(q.text) for q in quotes)
        return quotes

    def _quotes(
        self, lever: LeverSpec, lines: tuple[str, ...], require: frozenset[str], keep
    ) -> list[_Quote]:
        """Candidate quotes that `keep` accepts, best first, none shown before."""
        values = {"hefboom": lever.naam.lower(), "sector": self.request.sector}
        found = self._found(self.t.lines(lines, **values), require, self.tuning.candidates)
        best: dict[str, _Quote] = {}
        for quote in sorted(found, key=lambda q: -q.score):
            key = _key(quote.text)
            if quote.score < self.tuning.min_relevance or key in self.shown or key in best:
                continue
            if keep(quote.text):
                best[key] = quote
        return list(best.values())

    def _found(self, queries: list[str], require: frozenset[str], limit: int) -> list[_Quote]:
        """Quotes picked from the merged hits of the queries (the session brief's machinery)."""
        pool = merged_hits(self.s.retriever, queries, self.tuning.k)
        hits = {h.chunk.chunk_id: h for h in pool}
        points = pick_points(
            queries, pool, self.s.scorer, self.tuning.extract, limit=limit, require=require
        )
        return [q for p in points for q in _split(p, hits[p.chunk.chunk_id])]

    def _start_quotes(self) -> list[_Quote]:
        """The passages the start rule rests on: where to begin, and how the levers interlock."""
        rule = self.spec.begin
        names_it = self._names_it(self.t.levers[rule.hefboom])
        begin = self._found(list(rule.zoekvragen), frozenset(stems(rule.woorden)), 3)
        gears = self._found(
            list(rule.samenhang_zoekvragen), frozenset(stems(rule.samenhang_woorden)), 1
        )
        found = [q for q in begin if names_it(q.text)][:1] + gears[:1]
        return [q for q in found if q.score >= self.tuning.min_relevance]

    def _names_it(self, lever: LeverSpec):
        names = _name_stems(lever)
        return lambda text: any(name <= stems(text) for name in names)

    def _belongs(self, lever: LeverSpec):
        """A text belongs to a lever if it names it, or has its words and names no other."""
        names_it = self._names_it(lever)
        words = frozenset(stems(lever.woorden))
        others = [self._names_it(o) for o in self.spec.hefbomen if o.id != lever.id]
        return lambda text: (
            names_it(text)
            or (bool(words & stems(text)) and not any(other(text) for other in others))
        )

    # ------------------------------------------------------------------ text
    def _scores(self, scores: Mapping[str, int]) -> Iterable[LeverScore]:
        for lever in self.spec.hefbomen:
            score = scores[lever.id]
            words = scoring.score_words(score, self.spec.scorewoorden)
            yield LeverScore(lever.id, lever.naam, score, words)

    def _advice(
        self, scores: Mapping[str, int], start: str, case: str, quotes: tuple[CitedText, ...]
    ) -> StartAdvice:
        source = self.spec.begin.hefboom
        weakest = scoring.weakest_other(scores, start) or start
        values = {
            "hefboom": self.t.levers[start].naam.lower(),
            "score": scores[start],
            "zwakste": self.t.levers[weakest].naam.lower(),
            "zwakste_score": scores[weakest],
            "bron_hefboom": self.t.levers[source].naam.lower(),
            "bron_score": scores[source],
        }
        key = f"begin_{case}"
        used = {k: v for k, v in values.items() if f"${k}" in getattr(self.t.texts, key)}
        return StartAdvice(start, case, self.t.text(key, **used), quotes)  # type: ignore[arg-type]

    def _questions(self, scores: Mapping[str, int], start: str) -> list[str]:
        """The start lever's question, the weakest other lever's, and a general one."""
        sector = self.request.sector
        weakest = scoring.weakest_other(scores, start)
        levers = [start] + ([weakest] if weakest and scores[weakest] < scores[start] else [])
        questions = []
        for lever_id in levers:
            lever = self.t.levers[lever_id]
            lines = self.t.lines(lever.chatvragen, hefboom=lever.naam.lower(), sector=sector)
            questions.append(lines[0])
        questions.append(self.t.lines(self.spec.chatvragen, hefboom="", sector=sector)[0])
        return list(dict.fromkeys(questions))

    def _notes(
        self, descriptions: Mapping[str, list[_Quote]], tips: Mapping[str, list[_Quote]]
    ) -> Iterable[LeverNote]:
        for lever in self.spec.hefbomen:
            name = lever.naam.lower()
            if not descriptions[lever.id]:
                yield LeverNote(lever.id, "uitleg", self.t.text("geen_uitleg", hefboom=name))
            if not tips[lever.id]:
                yield LeverNote(lever.id, "tips", self.t.text("geen_tips", hefboom=name))
            elif not any(self._names_it(lever)(q.text) for q in tips[lever.id]):
                yield LeverNote(
                    lever.id, "tips_algemeen", self.t.text("tips_algemeen", hefboom=name)
                )

    def _company(self) -> str:
        r = self.request
        parts = []
        if r.sector:
            parts.append(self.t.text("sector_deel", sector=r.sector))
        if r.size:
            klasse = self.t.text(f"klasse_{size_class(r.size)}")
            parts.append(self.t.text("omvang_deel", omvang=r.size, omvang_klasse=klasse))
        return self.t.text("bedrijf", wie=", ".join(parts)) if parts else ""


def _split(point: Point, hit: Hit) -> list[_Quote]:
    """A point as quotes: a list's lead-in yields its items one by one, else the point whole."""
    if point.is_lead_in:
        return [_Quote(item, hit, point.score) for item in point.details]
    return [_Quote(point.full_text, hit, point.score)]


def _name_stems(lever: LeverSpec) -> list[frozenset[str]]:
    return [frozenset(stems(name)) for name in lever.names]


def _key(text: str) -> str:
    return normalise_space(text).casefold()
