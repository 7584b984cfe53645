"""The OpenAI-compatible endpoints through the app factory (the real client is tested live)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.routes.openai_compat import MODEL_ID, strip_sources
from tests.fakes import make_services

QUESTION = "Hoe raken medewerkers meer betrokken?"


@pytest.fixture
def services(settings):
    return make_services(settings)


@pytest.fixture
def client(services) -> TestClient:
    return TestClient(create_app(services, with_ui=False))


def chat(client, messages, **extra):
    return client.post(
        "/v1/chat/completions", json={"model": MODEL_ID, "messages": messages, **extra}
    )


def test_models_lists_the_assistant(client):
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == [MODEL_ID]


def test_completion_carries_answer_markers_and_sources(client):
    body = chat(client, [{"role": "user", "content": QUESTION}]).json()
    assert body["object"] == "chat.completion"
    choice = body["choices"][0]
    assert choice["finish_reason"] == "stop"
    content = choice["message"]["content"]
    answer, sources = content.split("\n\nBronnen:\n")
    assert "[1]" in answer and "[2]" in answer
    assert sources.splitlines() == [
        "[1] Briefadvies sociale innovatie, p. 2 — Betrokkenheid",
        "[2] Briefadvies sociale innovatie, p. 1 — Inleiding",
    ]
    assert body["usage"]["total_tokens"] == (
        body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    )


def test_messages_become_question_and_history(client, services):
    earlier = "Door meedenken [1].\n\nBronnen:\n[1] Briefadvies, p. 2"
    messages = [
        {"role": "system", "content": "Je bent een behulpzame assistent."},
        {"role": "user", "content": "Wat werkt voor betrokkenheid?"},
        {"role": "assistant", "content": earlier},
        {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
    ]
    assert chat(client, messages, temperature=0.2, filters={"types": ["advies"]}).status_code == 200
    question, turns, filters = services.answering.calls[-1]
    assert question == QUESTION
    assert [(t.role, t.content) for t in turns] == [
        ("user", "Wat werkt voor betrokkenheid?"),
        ("assistant", "Door meedenken [1]."),
    ]
    assert filters.types == ("advies",)


def test_last_message_must_be_from_the_user(client):
    response = chat(client, [{"role": "assistant", "content": "Hallo"}])
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert "gebruiker" in error["message"]


def test_validation_errors_use_the_openai_error_shape(client):
    response = client.post("/v1/chat/completions", json={"model": MODEL_ID, "messages": []})
    assert response.status_code == 422
    assert "'messages' heeft te weinig elementen" in response.json()["error"]["message"]


def test_streaming_sends_chunks_sources_and_done(client):
    response = chat(client, [{"role": "user", "content": QUESTION}], stream=True)
    assert response.headers["content-type"].startswith("text/event-stream")
    lines = [ln[len("data: ") :] for ln in response.text.splitlines() if ln.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(ln) for ln in lines[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    full = chat(client, [{"role": "user", "content": QUESTION}]).json()
    assert content == full["choices"][0]["message"]["content"]


def test_refusal_has_no_sources_block(client):
    body = chat(client, [{"role": "user", "content": "Wordt het morgen zonnig weer?"}]).json()
    assert "Bronnen:" not in body["choices"][0]["message"]["content"]


def test_strip_sources_keeps_the_answer_only():
    assert strip_sources("Antwoord [1].\n\nBronnen:\n[1] X, p. 1") == "Antwoord [1]."
    assert strip_sources("Geen bronnen hier.") == "Geen bronnen hier."
