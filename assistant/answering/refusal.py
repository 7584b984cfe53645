"""When to refuse: questions the sources do not cover, and attempts to change the rules.

A question is covered unless one of these holds (calibrated on evals/sets/dev.jsonl and
evals/sets/calibration.jsonl; bench/calibrate_refusal.py prints the sweep):

- dense_top < min_dense: no passage is close in meaning (E5 cosine of the best hit);
- a border topic: the question names a neighbouring topic from prompts/borders.txt
  (tax, wages, labour law, named subsidy schemes, ...) whose words the sources never
  use, and little else of the question is supported (support <= border_support: half
  of it or less; "Hoe zit het met de wanbetalers onder mijn klanten?" is half border);
- an amount question ('wat kost', 'kost dat veel', 'hoeveel subsidie', 'how much') while no
  retrieved passage states an amount (euro, percentage); only what the user typed counts,
  not an earlier question a follow-up was joined to; refused with its own phrase ("noemen
  geen bedragen, kosten of aantallen");
- a count question ('hoeveel vakantiedagen', 'how many') while no retrieved sentence
  states a number of what it asks about ("Uit hoeveel onderdelen ...?": "bestaat uit vier
  onderdelen"); refused with the same phrase;
- a duration question ('hoe lang', 'hoeveel tijd', 'how long') while no sentence of the
  retrieved passages that shares a word with it states a time span (a number of years,
  months, weeks or days, or a span of years such as 2020-2023); refused with its own
  phrase ("noemen geen termijnen");
- a neighbouring topic by meaning: the learned model (assistant.answering.scope_model)
  finds the question like the near-topic questions the tuning sets refuse (P > off_topic),
  while no passage is a close match (dense_top < off_topic_dense) and the question's rarer
  words are not together in one sentence (support < border_support). It catches topics
  no border line names ("Hoe regel ik kinderopvang voor mijn personeel?"); a document
  later added on such a topic is a close match for its questions, so they are answered;
- weak support: a Dutch question whose content words (with their synonyms, without
  owner filler such as 'mijn bedrijf', each weighted by how rare it is in the sources,
  a word they never use weighing most) barely occur in any sentence of the hits
  (support < min_relevance) while the best passage is not a close match either
  (dense_top < confident_dense). English words cannot overlap with Dutch passages, so
  English questions are only held to min_relevance_en (0: dense and borders decide).

Requests for the system prompt and "ignore your instructions" texts are caught by
patterns before retrieval (assistant.core.injection, shared with ingest).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.core.glossary import TermList

# is_injection lives in the core (ingest flags documents with it); re-exported here.
from assistant.core.injection import is_injection as is_injection
from assistant.core.text import counted, split_sentences, stems
from assistant.core.types import SIGNATURE_SECTION, Chunk, Hit

# Words owners add to any question; they say nothing about what is asked.
_FILLER = stems(
    "goed goede beter best slecht mijn ons onze bedrijf bedrijven onderneming mensen iets "
    "doen maken krijgen gaan komen willen zou eigenlijk gewoon precies graag nu vaak veel "
    "weinig meer minder nieuw nieuwe eerste groot klein vraag vragen welke wie wat hoe waarom "
    "wanneer waar hoeveel weer nog wel al ook even steeds echt heel erg zelf eens dan toch "
    "daar hier "
    # verbs any question can carry ('hoe zet ik ...', 'geef me ...', 'wat raad je aan',
    # 'wat gebeurt er als ...', 'waar moet ik op letten', 'hoe zit het met', 'wat zegt ...',
    # 'geldt dit ook voor ...')
    "zet zetten maak maken raad raden geef geven krijg krijgen kom komen ga gaan doe doen "
    "houd houden laat laten breng brengen vind vinden zie zien weet weten neem nemen "
    "gebruik gebruiken help helpen werkt werken gebeurt gebeuren let letten zit zitten "
    "zeg zegt zeggen geldt gelden aan op af uit"
)
_AMOUNT_QUESTION = re.compile(
    r"\b(hoe hoog|wat kost|kost (het|dat|dit|me|mij|ons)|hoe duur|is (het|dat) duur|"
    r"wat zijn de kosten|welk bedrag|welk percentage|tarief|in euro'?s?|in geld|"
    r"hoeveel\b.{0,60}\b(geld|euro|kost\w*|betaal\w*|betalen|verdien\w*|subsidie\w*|procent|"
    r"budget|loon|salaris|bijdrage)|"
    r"how much|what does it cost|is it expensive)\b",
    re.IGNORECASE,
)
# "Uit hoeveel onderdelen bestaat ...?" asks a number the sources may state in words; the
# two words after the question word say of what.
_COUNT_QUESTION = re.compile(r"\b(?:hoeveel|how many)\b((?:\W+[\w'’-]+){0,2})", re.IGNORECASE)
_DURATION_QUESTION = re.compile(
    r"\b(hoe ?lang|hoeveel tijd|veel tijd|tijdrovend|binnen hoeveel|op welke termijn|"
    r"(kost|kosten|vraagt|vergt)\b.{0,40}\btijd|how long|how much time|"
    r"time-consuming|take long)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"\b\d+\s*(jaar|jaren|maanden|maand|weken|week|dagen|dag|years?|months?|weeks?|days?)\b"
    r"|\b(19|20)\d\d\s*[-–]\s*(19|20)\d\d\b",
    re.IGNORECASE,
)
_TOPIC_CHARS = 60
_AMOUNT = re.compile(r"€|\beuro\b|%|\bprocent\b|\bEUR\b", re.IGNORECASE)


@dataclass(frozen=True)
class ScopePolicy:
    """Thresholds of the scope decision (see module docstring)."""

    min_dense: float = 0.79
    min_relevance: float = 0.10  # weighted lexical support of a Dutch question
    min_relevance_en: float = 0.0
    confident_dense: float = 0.84  # above this, weak word overlap is no reason to refuse
    border_support: float = 0.5
    off_topic: float = 0.7  # the neighbouring-topic model's probability that refuses ...
    off_topic_dense: float = 0.85  # ... when no passage is closer in meaning than this


@dataclass(frozen=True)
class ScopeSignals:
    """What the decision looks at, kept in logs and calibration output."""

    dense_top: float
    support: float
    language: str = "nl"
    borders: tuple[str, ...] = field(default=())
    amount_unanswered: bool = False
    duration_unanswered: bool = False
    off_topic: float = 0.0  # the neighbouring-topic model's probability (0 without one)
    topical: bool = True  # a Dutch question with content words ("Wie kan mij helpen?": none)

    def covered(self, policy: ScopePolicy) -> bool:
        """Whether the sources cover the question under this policy."""
        return self.reason(policy) is None

    def reason(self, policy: ScopePolicy) -> str | None:
        """Why the question is not covered ('dense', 'border', 'duration', 'amount',
        'neighbour', 'support'), or None."""
        if self.dense_top < policy.min_dense:
            return "dense"
        if self.borders and self.support <= policy.border_support:
            return "border"
        if self.duration_unanswered:  # before amounts: "hoeveel tijd kost het?"
            return "duration"
        if self.amount_unanswered:
            return "amount"
        if (  # after the phrases that say more precisely what the sources lack
            self.off_topic > policy.off_topic
            and self.dense_top < policy.off_topic_dense
            and self.support < policy.border_support
        ):
            return "neighbour"
        floor = policy.min_relevance_en if self.language == "en" else policy.min_relevance
        # Support measures the question's own words; one made of question words only is
        # about the subject the assistant is for, and the other signals decide.
        if self.topical and self.support < floor and self.dense_top < policy.confident_dense:
            return "support"
        return None

    def describe(self) -> str:
        """Compact key=value form for logs."""
        return (
            f"dense_top={self.dense_top:.3f} support={self.support:.2f} "
            f"borders={list(self.borders)} amount_unanswered={self.amount_unanswered} "
            f"duration_unanswered={self.duration_unanswered} off_topic={self.off_topic:.2f}"
            f"{'' if self.topical else ' topical=False'}"
        )


def content_terms(lexical_query: str) -> set[str]:
    """The stems a question is about: its lexical query's stems without owner filler."""
    return stems(lexical_query) - _FILLER


def support_of(
    terms: set[str], hits: Sequence[Hit], weights: Mapping[str, float] | None = None
) -> float:
    """The largest (weighted) share of the terms that one sentence of the hits contains.

    With weights (inverse passage frequency), a question's rare words count for more than
    the words every passage shares; a word the sources never use weighs as the rarest.
    """
    if not terms:
        return 0.0
    weights = weights or {}
    rarest = max(weights.values(), default=1.0)
    weight = {t: weights.get(t, rarest) for t in terms}
    best = 0.0
    for hit in hits:
        for sentence in split_sentences(hit.chunk.text):
            best = max(best, math.fsum(weight[t] for t in terms & stems(sentence)))
    return best / math.fsum(weight.values())


def scope_signals(
    question: str,
    hits: Sequence[Hit],
    terms: set[str],
    language: str = "nl",
    borders: TermList | None = None,
    weights: Mapping[str, float] | None = None,
    asked: str | None = None,
    off_topic: float = 0.0,
) -> ScopeSignals:
    """Signals from the (standalone) question, its content terms and the retrieved hits.

    `asked` is what the user typed when the question is a rewritten follow-up: only that
    can ask for an amount or a duration (an earlier "wat kost het?" does not make the next
    one so), and a border topic of an earlier turn counts only for a question with barely
    a word of its own ("En wat zegt de wet daarover?"), not for one that moves on ("En wat
    als ze geen zin hebben om mee te denken?" after a refused question on sick leave).
    `off_topic` is the neighbouring-topic model's probability for the query."""
    dense = [h.dense_score for h in hits if h.dense_score is not None]
    typed = question if asked is None else asked
    bordered = typed if len(content_terms(typed)) >= 2 else question
    amount_asked = bool(_AMOUNT_QUESTION.search(typed))
    count = None if amount_asked else _COUNT_QUESTION.search(typed)
    duration_asked = bool(_DURATION_QUESTION.search(typed))
    return ScopeSignals(
        dense_top=max(dense, default=0.0),
        support=support_of(terms, hits, weights),
        language=language,
        borders=tuple(borders.matches(bordered)) if borders else (),
        amount_unanswered=(amount_asked and not any(_AMOUNT.search(h.chunk.text) for h in hits))
        or (count is not None and not _states_count(hits, _counted_thing(count, terms, language))),
        duration_unanswered=duration_asked and not _states_duration(hits, terms),
        off_topic=off_topic,
        # English terms are only the synonym list's document words: none says nothing
        topical=bool(terms) or language != "nl",
    )


def _counted_thing(match: re.Match, terms: set[str], language: str) -> set[str]:
    """The stems of what a count question counts: the words after 'hoeveel' ("onderdelen");
    for English the document words the synonym list gives ("parts": onderdelen)."""
    if language != "nl":
        return terms
    return set(stems(match.group(1)) - _FILLER)


def _states_count(hits: Sequence[Hit], terms: set[str]) -> bool:
    """Whether a sentence of the hits gives a number of something the question asks about
    ("bestaat uit vier onderdelen", "op 7 maatschappelijke thema's")."""
    return any(
        counted(sentence) & terms for hit in hits for sentence in split_sentences(hit.chunk.text)
    )


def _states_duration(hits: Sequence[Hit], terms: set[str]) -> bool:
    """Whether a sentence of the hits gives a time span and shares a word with the
    question: "Programma Arbeidsmarkt 2020-2023" says how long that programme runs, not
    how long it takes before an owner sees results."""
    return any(
        _DURATION.search(sentence) and terms & stems(sentence)
        for hit in hits
        for sentence in split_sentences(hit.chunk.text)
    )


def suggest_topics(
    hits: Sequence[Hit], all_chunks: Sequence[Chunk] = (), limit: int = 4
) -> list[str]:
    """Section headings closest to the question, topped up with the corpus's main sections
    (a long heading shortened to its part before ':'; the signature block left out)."""
    topics: list[str] = []
    for section in [h.chunk.section for h in hits] + _main_sections(all_chunks):
        topic = _topic(section)
        if topic and topic.lower() not in {t.lower() for t in topics}:
            topics.append(topic)
        if len(topics) >= limit:
            break
    return topics


def _topic(section: str) -> str:
    section = " ".join(section.split())
    if section == SIGNATURE_SECTION:
        return ""
    if len(section) > _TOPIC_CHARS and ":" in section:
        return section.split(":", 1)[0].strip()
    return section


def _main_sections(chunks: Sequence[Chunk]) -> list[str]:
    counts = Counter(c.section for c in chunks if c.section)
    return [s for s, _ in counts.most_common()]
