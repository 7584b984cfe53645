"""The answering service: one entry point for UI, API, CLI and evals.

Flow per question: validate -> refuse rule-changing requests -> turn a follow-up into a
standalone query -> retrieve -> refuse when the sources do not cover the question
(assistant/answering/refusal.py) -> quote the passages that answer it in the shape the
question asks for (assistant/answering/compose.py) -> extractive answer, or (with a chat
model) a generated answer whose citations are checked, falling back to the quoted
answer on failure.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from assistant.answering.citations import check_citations
from assistant.answering.compose import (
    ComposeConfig,
    Composition,
    compose,
    idf_weights,
    prepare,
    render_answer,
)
from assistant.answering.followup import rule_based_query
from assistant.answering.generative import (
    build_messages,
    condense_messages,
    generate,
    generate_stream,
)
from assistant.answering.phrases import Phrases
from assistant.answering.refusal import (
    ScopePolicy,
    ScopeSignals,
    content_terms,
    is_injection,
    scope_signals,
    suggest_topics,
)
from assistant.answering.scope_model import ScopeModel
from assistant.answering.shape import question_shape, without_firm
from assistant.answering.support import SentenceScorer, SupportConfig
from assistant.answering.types import Answer, Citation, Turn
from assistant.answering.validation import clean_history, clean_question
from assistant.core.glossary import TermList
from assistant.core.lexical import DISTINCTIVE_SHARE
from assistant.core.retrieval import Retriever
from assistant.core.settings import Settings
from assistant.core.text import detect_language, stems
from assistant.core.types import Filters, Hit

log = logging.getLogger(__name__)

# A refusal for a question the sources cover but cannot answer in kind has its own phrase.
_REFUSAL_TEMPLATES = {"amount": "refusal_amount", "duration": "refusal_duration"}

# What an advice question without a topic word of its own searches for as well, and
# the word weight (log(1 + N/df), see idf_weights) from which a word is distinctive: the
# best-sentence ranking's share of the passages.
_ADVICE_WORDS = "tips"
_DISTINCTIVE = math.log(1 + 1 / DISTINCTIVE_SHARE)

_WANTS_MORE = re.compile(
    r"\b(daarnaast|verder|nog meer|nog iets|anders|meer|overige|andere|else|besides|more|other)\b",
    re.IGNORECASE,
)


def _asks_for_more(question: str) -> bool:
    """'En verder?', 'Welke andere tips?': more of the same, so what the last answer showed
    is skipped. A question with words of its own ("Welke andere groepen zou de SER ook
    helpen?") is a new question, even if its answer was shown before."""
    if not _WANTS_MORE.search(question):
        return False
    return len(content_terms(_WANTS_MORE.sub(" ", question))) < 2


@dataclass(frozen=True)
class ServiceTuning:
    """Calibrated constants of the service (defaults come from the calibration runs)."""

    scope: ScopePolicy = ScopePolicy()
    support: SupportConfig = SupportConfig()
    compose: ComposeConfig = ComposeConfig()


class AnsweringService:
    """Answers questions from the indexed sources, with verified numbered citations."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        chat_model: BaseChatModel | None = None,
        *,
        scorer: SentenceScorer | None = None,
        tuning: ServiceTuning | None = None,
        synonyms: TermList | None = None,
        borders: TermList | None = None,
        scope_model: ScopeModel | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.chat_model = chat_model
        self.tuning = tuning or ServiceTuning()
        self.phrases = Phrases(settings.prompts_dir)
        self.scorer = scorer or SentenceScorer(retriever.embedder, self.tuning.support)
        self.synonyms = synonyms if synonyms is not None else TermList.load(settings.synonyms_file)
        self._all_borders = borders if borders is not None else TermList.load(settings.borders_file)
        self._borders: tuple[frozenset[str], TermList] | None = None
        self.scope_model = scope_model
        self._weights: tuple[list, dict[str, float]] | None = None

    def refresh(self) -> None:
        """After a re-index: border topics and word weights follow the new passages."""
        self._borders = None
        self._weights = None

    def warm_up(self, background: bool = True) -> None:
        """Build what the first answer would otherwise build: border topics, word weights,
        every passage's sentences with their stems, and a first search (which loads the
        vector index); nothing is embedded per sentence."""
        self.borders()
        self.weights()
        for chunk in self.retriever.chunks:
            for sentence in prepare(chunk.text):
                stems(sentence)
        if self.retriever.chunks:  # loads the vector index and the encoder's first call
            self.retriever.search("sociale innovatie", k=1)

    def weights(self) -> dict[str, float]:
        """Inverse passage frequency of every stem in the live passages (rarer weighs more)."""
        chunks = self.retriever.chunks
        if self._weights is None or self._weights[0] is not chunks:
            self._weights = (chunks, idf_weights([c.text for c in chunks]))
        return self._weights[1]

    @property
    def mode(self) -> str:
        """'generatief' with a chat model, else 'extractief'."""
        return "generatief" if self.chat_model is not None else "extractief"

    def borders(self) -> TermList:
        """The border topics whose words the live sources never use."""
        vocabulary = self.retriever.vocabulary
        if self._borders is None or self._borders[0] is not vocabulary:
            self._borders = (vocabulary, self._all_borders.without(set(vocabulary)))
        return self._borders[1]

    # ------------------------------------------------------------------ public
    def answer(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        """A complete answer with verified citations."""
        final = None
        for item in self._run(question, history, filters, streaming=False):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Text pieces as they are produced, then the final Answer (whose text is checked).

        In the generative mode the pieces are the model's raw reply; the final Answer
        carries the verified text, which front ends should show in its place.
        """
        yield from self._run(question, history, filters, streaming=True)

    def scope(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> ScopeSignals:
        """The signals the refusal decision looks at (for calibration and evals)."""
        question = clean_question(question)
        query = self._standalone(question, clean_history(history), {})
        hits = self._retrieve(query, filters, {})
        terms = self.terms(without_firm(query))
        return self._signals(question, query, hits, terms, detect_language(question))

    def terms(self, query: str) -> set[str]:
        """The stems a query is about: its words (Dutch) and the document wording the
        synonym list gives for them, without owner filler."""
        if detect_language(query) == "nl":
            return content_terms(self.synonyms.expand(query))
        return content_terms(" ".join(self.synonyms.matches(query)))

    # ------------------------------------------------------------------ flow
    def _run(
        self,
        question: str,
        history: list[Turn] | None,
        filters: Filters | None,
        streaming: bool,
    ) -> Iterator[str | Answer]:
        started = time.perf_counter()
        question = clean_question(question)
        turns = clean_history(history)
        language = detect_language(question)
        timings: dict[str, float] = {}
        if is_injection(question):
            answer = self._refusal([], language, "refusal_instructions")
            yield from self._finish(answer, started, timings)
            return
        query = self._standalone(question, turns, timings)
        hits = self._retrieve(query, filters, timings)
        terms = self.terms(without_firm(query))
        signals = self._signals(question, query, hits, terms, language)
        reason = signals.reason(self.tuning.scope)
        log.debug("scope query=%r %s reason=%s", query, signals.describe(), reason)
        if not reason and self._generic_advice_question(question, terms):
            # "Wat kan ik morgen al doen aan sociale innovatie?": no word of its own points at
            # a passage, so definitions win; it asks for the sources' advice. (The scope was
            # decided on the question's own search.)
            hits = self._retrieve(f"{query} {_ADVICE_WORDS}", filters, timings)
        composition = (
            None if reason else self._compose(question, query, terms, hits, turns, timings)
        )
        if composition is None or composition.empty:
            template = _REFUSAL_TEMPLATES.get(reason or "", "refusal")
            answer = self._refusal(hits, language, template, signals.borders)
        elif self.chat_model is None:
            answer = self._extractive_answer(composition, language)
        else:
            answer = yield from self._generative(
                query, hits, composition, language, streaming, timings
            )
        answer.query = query
        answer.retrieved = [h.chunk.chunk_id for h in hits]
        yield from self._finish(answer, started, timings)

    def _finish(self, answer: Answer, started: float, timings: dict) -> Iterator[str | Answer]:
        timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        answer.timings = timings
        if answer.mode == "extractief" or answer.refused:
            yield answer.text
        yield answer

    def _standalone(self, question: str, turns: list[Turn], timings: dict) -> str:
        if not turns:
            return question
        t = time.perf_counter()
        query = rule_based_query(question, turns)
        if self.chat_model is not None:
            query = self._condense_with_llm(question, turns) or query
        timings["condense_ms"] = _ms(t)
        return query

    def _condense_with_llm(self, question: str, turns: list[Turn]) -> str:
        try:
            reply = generate(self.chat_model, condense_messages(self.phrases, question, turns))
        except Exception as exc:  # any backend failure: the rule-based query stands
            log.warning("condense failed error=%s", type(exc).__name__)
            return ""
        line = next((ln.strip(" \"'") for ln in reply.splitlines() if ln.strip()), "")
        if not line or len(line) > 500 or is_injection(line):
            return ""
        return line

    def _retrieve(self, query: str, filters: Filters | None, timings: dict) -> list[Hit]:
        t = time.perf_counter()
        hits = self.retriever.search(query, k=self.settings.top_k, filters=filters)
        timings["retrieval_ms"] = _ms(t)
        return hits

    def _generic_advice_question(self, question: str, terms: set[str]) -> bool:
        """A how/where-to-begin/may-I question about the subject in general: it asks for
        advice, not about government, and (in Dutch) none of its words is distinctive (in
        at most a quarter of the passages, the best-sentence ranking's rule); in English a
        where-to-begin question."""
        shape = question_shape(question)
        if not shape.wants_advice or shape.about_government:
            return False
        if detect_language(question) != "nl":
            # "Where should I start with social innovation?": its English words reach the
            # sources only through the synonym list, whose 'begin bij' is the tip itself
            return shape.kind == "begin"
        weights = self.weights()
        return all(weights.get(t, 0.0) < _DISTINCTIVE for t in terms)

    def _signals(
        self, question: str, query: str, hits: list[Hit], terms: set[str], language: str
    ) -> ScopeSignals:
        # The asker's firm ("Ik heb een bakkerij met 12 mensen.", "een webshop met drie
        # medewerkers") is not the topic: borders and the model read the question without
        # it (the model then needs one more query vector).
        scoped = without_firm(query)
        off_topic = (
            self.scope_model.probability(self.retriever.embedder.embed_query(scoped))
            if self.scope_model is not None
            else 0.0
        )
        return scope_signals(
            scoped,
            hits,
            terms,
            language,
            self.borders(),
            self.weights(),
            asked=without_firm(question),
            off_topic=off_topic,
        )

    def _compose(
        self,
        question: str,
        query: str,
        terms: set[str],
        hits: list[Hit],
        turns: list[Turn],
        timings: dict,
    ) -> Composition:
        t = time.perf_counter()
        shape = question_shape(question)
        previous = last_answer(turns)
        shown = previous if _asks_for_more(question) else ""
        weights = self.weights()
        # A rewritten follow-up: its own words say what it newly asks about (a phrase the
        # synonym list knows by its head: 'mee te denken' is betrokkenheid, not 'denken').
        rewritten = query != question
        focus = content_terms(self.synonyms.phrases_as_heads(question)) if rewritten else set()
        words = set(stems(query))
        config = self.tuning.compose
        result = compose(terms, hits, shape, config, shown, weights, focus, words, previous)
        if shown and result.empty:  # nothing new: show the best again
            result = compose(terms, hits, shape, config, weights=weights, words=words)
        timings["compose_ms"] = _ms(t)
        return result

    # ------------------------------------------------------------------ answers
    def _extractive_answer(self, composition: Composition, language: str, note: str = "") -> Answer:
        more = self.phrases.render("answer_more", language)
        body = render_answer(composition, more)
        return Answer(
            text="\n\n".join(p for p in (note, body) if p),
            citations=list(composition.citations),
            refused=False,
            mode="extractief",
            language=language,
            notes=[note] if note else [],
        )

    def _refusal(
        self, hits: list[Hit], language: str, template: str, borders: tuple[str, ...] = ()
    ) -> Answer:
        topics = "\n".join(f"- {t}" for t in suggest_topics(hits, self.retriever.chunks))
        if borders and template == "refusal":
            text = self.phrases.render(
                "refusal_border", language, onderwerp=" en ".join(borders), topics=topics
            )
        else:
            text = self.phrases.render(template, language, topics=topics)
        return Answer(text=text, citations=[], refused=True, mode=self.mode, language=language)

    def _generative(
        self,
        query: str,
        hits: list[Hit],
        composition: Composition,
        language: str,
        streaming: bool,
        timings: dict,
    ) -> Generator[str, None, Answer]:
        t = time.perf_counter()
        messages = build_messages(self.phrases, query, hits, language)
        try:
            if streaming:
                pieces = []
                for piece in generate_stream(self.chat_model, messages):
                    pieces.append(piece)
                    yield piece
                raw = "".join(pieces).strip()
            else:
                raw = generate(self.chat_model, messages)
        except Exception as exc:  # timeouts, connection errors, bad replies: fall back
            log.warning("llm failed error=%s detail=%s", type(exc).__name__, exc)
            timings["llm_ms"] = _ms(t)
            note = self.phrases.render("note_llm_error", language, reason=_reason(exc))
            return self._extractive_answer(composition, language, note)
        timings["llm_ms"] = _ms(t)
        return self._checked(raw, hits, composition, language)

    def _checked(
        self, raw: str, hits: list[Hit], composition: Composition, language: str
    ) -> Answer:
        checked = check_citations(raw, [h.chunk.text for h in hits], self.scorer)
        if not checked.any_supported:
            note = self.phrases.render("note_no_support", language)
            return self._extractive_answer(composition, language, note)
        notes = []
        if checked.removed:
            notes.append(self.phrases.render("note_unsupported", language, count=checked.removed))
        return Answer(
            text="\n\n".join([checked.text, *notes]),
            citations=[Citation.of(n, hits[old - 1]) for n, old in enumerate(checked.sources, 1)],
            refused=False,
            mode="generatief",
            language=language,
            notes=notes,
            flagged=bool(checked.removed),
        )


def last_answer(turns: list[Turn]) -> str:
    """The text of the last assistant turn ('' when there is none)."""
    return next((t.content for t in reversed(turns) if t.role == "assistant"), "")


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    return "time-out" if "timeout" in name.lower() else name


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
