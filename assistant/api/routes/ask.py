"""Questions: /api/ask, /api/ask/stream (server-sent events) and /api/search."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answering.types import Answer
from assistant.api.deps import ServicesDep
from assistant.api.errors import internal_error_message, new_error_id
from assistant.api.schemas import (
    AskRequest,
    ErrorOut,
    SearchRequest,
    filters_of,
)
from assistant.core.errors import AssistantError
from assistant.core.types import Hit
from assistant.services import StreamEvent

log = logging.getLogger(__name__)

ERRORS = {422: {"model": ErrorOut}, 503: {"model": ErrorOut}}
router = APIRouter(prefix="/api", tags=["vragen"], responses=ERRORS)


@router.post("/ask", response_model=Answer, summary="Stel een vraag")
def ask(body: AskRequest, services: ServicesDep) -> Answer:
    """The complete answer with its numbered citations."""
    answer = services.ask(body.question, body.turns(), filters_of(body.filters))
    return answer


@router.post(
    "/ask/stream",
    summary="Stel een vraag, antwoord als stroom (server-sent events)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def ask_stream(body: AskRequest, services: ServicesDep) -> StreamingResponse:
    """Events: `token` {text} while the answer grows, `citations`, then `done` {answer}."""
    events = services.stream(body.question, body.turns(), filters_of(body.filters))
    return StreamingResponse(
        sse_events(events),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def sse(event: str, data: object) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def sse_events(events: Iterator[StreamEvent]) -> Iterator[str]:
    """Turn service stream events into SSE text; errors become an `error` event."""
    try:
        for kind, value in events:
            if kind == "token":
                yield sse("token", {"text": value})
            else:
                answer = value.to_dict()
                yield sse("citations", {"citations": answer["citations"]})
                yield sse("done", answer)
    except AssistantError as exc:
        yield sse("error", {"detail": str(exc)})
    except Exception:
        error_id = new_error_id()
        log.exception("stream failed id=%s", error_id)
        yield sse("error", {"detail": internal_error_message(error_id), "error_id": error_id})


@router.post("/search", response_model=list[Hit], summary="Zoek passages")
def search(body: SearchRequest, services: ServicesDep) -> list[Hit]:
    """The best passages for a query, best first."""
    hits = services.search(body.query, body.k, filters_of(body.filters))
    return hits
