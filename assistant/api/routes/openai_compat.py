"""OpenAI-compatible chat completions, so any OpenAI client can use the assistant as a model."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answering.types import Answer, Turn
from assistant.api.deps import ServicesDep
from assistant.api.errors import internal_error_message, new_error_id
from assistant.api.schemas import ChatCompletionRequest, filters_of
from assistant.core.errors import AssistantError, InvalidInputError
from assistant.services import Services, StreamEvent

log = logging.getLogger(__name__)

MODEL_ID = "sociale-innovatie-assistent"
SOURCES_HEADER = "Bronnen:"
router = APIRouter(prefix="/v1", tags=["openai-compatibel"])


@router.get("/models", summary="Beschikbare modellen")
def models() -> dict:
    """The one 'model': this assistant."""
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "ser-overijssel"}],
    }


@router.post(
    "/chat/completions",
    summary="Chat completion (OpenAI-compatibel)",
    responses={200: {"content": {"application/json": {}, "text/event-stream": {}}}},
)
def chat_completions(body: ChatCompletionRequest, services: ServicesDep):
    """Last user message = question, earlier turns = history; reply ends with 'Bronnen:'."""
    question, history = split_messages(body)
    filters = filters_of(body.filters)
    completion_id = "chatcmpl-" + uuid.uuid4().hex[:24]
    if body.stream:
        events = services.stream(question, history, filters)
        return StreamingResponse(
            stream_chunks(events, completion_id, body.model),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    return completion(services, question, history, filters, completion_id, body.model)


def split_messages(body: ChatCompletionRequest) -> tuple[str, list[Turn]]:
    """The question (last user message) and the user/assistant turns before it."""
    turns = [
        Turn(role=m.role, content=strip_sources(m.text()))
        for m in body.messages
        if m.role in ("user", "assistant")
    ]
    if not turns or turns[-1].role != "user":
        raise InvalidInputError("Het laatste bericht moet een vraag van de gebruiker zijn.")
    return turns[-1].content, turns[:-1]


def strip_sources(text: str) -> str:
    """An earlier reply without its sources list, so history stays short."""
    head, _, _ = text.partition("\n\n" + SOURCES_HEADER + "\n")
    return head


def sources_block(answer: Answer) -> str:
    """The 'Bronnen' list appended to a reply."""
    if not answer.citations:
        return ""
    lines = [
        f"[{c.n}] {c.title}, p. {c.page}" + (f" — {c.section}" if c.section else "")
        for c in answer.citations
    ]
    return "\n\n" + SOURCES_HEADER + "\n" + "\n".join(lines)


def completion(
    services: Services, question, history, filters, completion_id: str, model: str
) -> dict:
    """A non-streaming chat.completion object."""
    answer = services.ask(question, history, filters)
    content = answer.text + sources_block(answer)
    prompt_tokens = sum(len(t.content.split()) for t in history) + len(question.split())
    completion_tokens = len(content.split())
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _chunk(completion_id: str, model: str, delta: dict, finish: str | None = None) -> str:
    data = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def stream_chunks(events: Iterator[StreamEvent], completion_id: str, model: str) -> Iterator[str]:
    """chat.completion.chunk events with the checked answer, then the sources, then [DONE].

    A generated reply is only final after its citations are checked, and an OpenAI
    client cannot take back text it has shown, so the checked text is sent (line by
    line) once it is known, not the raw model tokens. The UI and /api/ask/stream
    stream the raw tokens and replace them.
    """
    yield _chunk(completion_id, model, {"role": "assistant", "content": ""})
    try:
        for kind, value in events:
            if kind == "answer":
                for piece in _pieces(value.text + sources_block(value)):
                    yield _chunk(completion_id, model, {"content": piece})
    except AssistantError as exc:
        yield _error_event(str(exc), None)
        return
    except Exception:
        error_id = new_error_id()
        log.exception("chat stream failed id=%s", error_id)
        yield _error_event(internal_error_message(error_id), error_id)
        return
    yield _chunk(completion_id, model, {}, finish="stop")
    yield "data: [DONE]\n\n"


def _pieces(text: str) -> list[str]:
    """The text in line-sized pieces that join back to exactly the text."""
    return [line for line in text.splitlines(keepends=True) if line]


def _error_event(message: str, error_id: str | None) -> str:
    body = {"error": {"message": message, "type": "server_error", "code": error_id}}
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
