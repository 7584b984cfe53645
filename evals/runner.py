"""Run question sets through the answering service (in-process or over HTTP)."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from assistant.answering.types import Answer, Citation, Turn
from assistant.core.errors import AssistantError, InvalidInputError
from assistant.core.text import cited_sentences, drop_source_list
from assistant.core.types import Filters
from evals.sets import EvalCase

log = logging.getLogger(__name__)

# claim, passage -> supported? (the answering service's citation check)
SupportCheck = Callable[[str, str], bool]
# chunk ids -> {chunk id: passage text} (to score what retrieval found)
PassageLookup = Callable[[list[str]], dict[str, str]]

GENERATIVE = "generatief"


class AnswersQuestions(Protocol):
    """What the runner needs from the answering service."""

    def answer(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        """Answer one question."""
        ...


class HttpAnsweringClient:
    """Asks a running server: POST <url>/api/ask with {question, history, filters}."""

    def __init__(self, url: str, timeout_s: float = 120.0) -> None:
        if not re.match(r"^https?://", url):
            raise InvalidInputError(f"--url moet met http:// of https:// beginnen: {url}")
        self.endpoint = url.rstrip("/") + "/api/ask"
        self.timeout_s = timeout_s

    def answer(
        self, question: str, history: list[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        """Answer one question through the API."""
        body = {
            "question": question,
            "history": [{"role": t.role, "content": t.content} for t in history or []],
            "filters": None,
        }
        request = urllib.request.Request(
            self.endpoint,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise AssistantError(f"server gaf HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise AssistantError(f"server niet bereikbaar op {self.endpoint}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise AssistantError(f"server gaf geen geldige JSON: {exc.msg}") from exc
        return answer_from_dict(data)

    def passages(self, ids: list[str]) -> dict[str, str]:
        """Passage texts by chunk id, through GET <url>/api/passages?ids=..."""
        query = urllib.parse.urlencode([("ids", cid) for cid in ids])
        url = self.endpoint.removesuffix("/ask") + f"/passages?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as response:
                rows = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, json.JSONDecodeError) as exc:
            log.warning("passages lookup failed error=%s", exc)
            return {}
        return {row["chunk_id"]: row["text"] for row in rows}


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """Rebuild an Answer from its JSON form (Answer.to_dict())."""
    try:
        citations = [Citation(**c) for c in data.get("citations") or []]
        fields = {k: v for k, v in data.items() if k in Answer.__dataclass_fields__}
        return Answer(**{**fields, "citations": citations})
    except TypeError as exc:
        raise AssistantError(f"antwoord heeft niet de vorm van een Answer: {exc}") from exc


def faithfulness(
    text: str,
    citations: Sequence[dict[str, Any]],
    supports: SupportCheck,
    notes: Sequence[str] = (),
) -> float:
    """Share of answer sentences supported by at least one passage they cite.

    Sentences and their markers are read with the parser the citation check uses
    (assistant.core.text: drop_source_list, cited_sentences), and each claim is checked
    with the service's own check (SentenceScorer.supports). A sentence without a marker
    counts as unsupported; the service's own notes (e.g. "markers removed") and a source
    list written into the answer are not answer sentences. No sentences gives 0.
    """
    for note in notes:
        text = text.replace(note, "")
    passages = {c.get("n"): c.get("text", "") for c in citations}
    body, _ = drop_source_list(text)
    sentences = [s for s in cited_sentences(body) if re.search(r"\w", s.text)]
    if not sentences:
        return 0.0
    supported = 0
    for sentence in sentences:
        if any(n in passages and supports(sentence.claim, passages[n]) for n in sentence.numbers):
            supported += 1
    return supported / len(sentences)


def _retrieved(ids: Sequence[str], passages: PassageLookup | None) -> list[dict[str, str]]:
    """The passages retrieval ranked for the answer, as {chunk_id, text} (text when known)."""
    if passages is None or not ids:
        return []  # unknown: retrieval is not scored for this run
    texts = passages(list(ids))
    return [{"chunk_id": cid, "text": texts.get(cid, "")} for cid in ids]


def replayed_history(service: AnswersQuestions, case: EvalCase) -> list[Turn]:
    """The case's user turns asked in order, each answered by the service itself: the
    history a follow-up has in real use, instead of the set's written assistant turns."""
    turns: list[Turn] = []
    for turn in case.history:
        if turn["role"] == "user":
            earlier = service.answer(turn["content"], history=turns or None)
            turns += [Turn("user", turn["content"]), Turn("assistant", earlier.text)]
    return turns


def ask_case(
    service: AnswersQuestions,
    case: EvalCase,
    supports: SupportCheck | None = None,
    passages: PassageLookup | None = None,
    replay_history: bool = False,
) -> dict[str, Any]:
    """Ask one case and return its result record; any failure becomes `error`, not a raise.

    With `replay_history` a follow-up's history is the service's own earlier answers
    (recorded in the result as `history`); the latency is that of the follow-up alone."""
    record: dict[str, Any] = {"id": case.id, "question": case.question}
    started = time.perf_counter()
    try:
        if replay_history and case.history:
            history: list[Turn] | None = replayed_history(service, case)
            record["history"] = [{"role": t.role, "content": t.content} for t in history]
            started = time.perf_counter()
        else:
            history = [Turn(role=t["role"], content=t["content"]) for t in case.history] or None
        answer = service.answer(case.question, history=history)
        data = answer.to_dict()
        error = None
    except Exception as exc:  # one failing question is recorded, never fatal
        log.warning("eval question failed id=%s error=%s", case.id, exc)
        log.debug("traceback id=%s", case.id, exc_info=True)
        data, error = {}, f"{type(exc).__name__}: {exc}"
    latency_ms = (time.perf_counter() - started) * 1000
    record.update(
        answer=data.get("text", ""),
        refused=bool(data.get("refused", False)),
        mode=data.get("mode"),
        language=data.get("language"),
        query=data.get("query", ""),
        notes=data.get("notes", []),
        citations=data.get("citations", []),
        retrieved=_retrieved(data.get("retrieved") or [], passages),
        latency_ms=round(latency_ms, 1),
        error=error,
        faithfulness=_faithfulness_of(data, supports, case.id),
    )
    return record


def _faithfulness_of(data: dict[str, Any], supports: SupportCheck | None, case_id: str):
    if data.get("mode") != GENERATIVE or data.get("refused") or supports is None:
        return None
    try:
        score = faithfulness(
            data.get("text", ""), data.get("citations", []), supports, data.get("notes", [])
        )
        return round(score, 4)
    except Exception as exc:  # a broken check must not sink the run either
        log.warning("faithfulness check failed id=%s error=%s", case_id, exc)
        return None


def run_cases(
    service: AnswersQuestions,
    cases: Sequence[EvalCase],
    supports: SupportCheck | None = None,
    progress: bool = True,
    passages: PassageLookup | None = None,
    replay_history: bool = False,
) -> list[dict[str, Any]]:
    """Ask every case in order, with a progress bar on stderr."""
    records = []
    bar = tqdm(cases, desc="Evaluatie", unit="vraag", file=sys.stderr, disable=not progress)
    for case in bar:
        records.append(ask_case(service, case, supports, passages, replay_history))
        bar.set_postfix(fouten=sum(1 for r in records if r["error"]), refresh=False)
    return records


class LazySupportCheck:
    """Builds the support check on first use (loading an embedder only if it is needed)."""

    def __init__(self, factory: Callable[[], SupportCheck]) -> None:
        self._factory = factory
        self._check: SupportCheck | None = None

    def __call__(self, claim: str, passage: str) -> bool:
        if self._check is None:
            self._check = self._factory()
        return self._check(claim, passage)


def write_results(path: Path | str, records: Iterable[dict[str, Any]]) -> Path:
    """Write result records as JSONL (UTF-8, one per line)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
