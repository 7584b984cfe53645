"""The generative path over real HTTP: real ChatOpenAI against a stub OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.answering.llm import build_chat_model
from assistant.answering.refusal import ScopePolicy
from assistant.answering.service import AnsweringService, ServiceTuning
from assistant.answering.support import SupportConfig
from assistant.answering.types import Answer
from tests.fakes import FakeRetriever, load_fixture_chunks

TUNING = ServiceTuning(
    scope=ScopePolicy(min_dense=0.0, min_relevance=0.1, min_relevance_en=0.1),
    support=SupportConfig(dense_floor=0.2, dense_ceiling=0.7),
)
QUESTION = "Uit welke onderdelen bestaat sociale innovatie?"
REPLY = (
    "Sociale innovatie bestaat uit vier onderdelen [1]. Bij dynamisch managen geef je "
    "medewerkers ruimte en vertrouwen [1]."
)


class StubOpenAI(ThreadingHTTPServer):
    """Answers /v1/chat/completions with a fixed reply; records the request bodies."""

    def __init__(self, reply: str, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply, self.delay = reply, delay
        self.requests: list[dict] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: StubOpenAI

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(
            {"path": self.path, "auth": self.headers["Authorization"], **body}
        )
        time.sleep(self.server.delay)
        if body.get("stream"):
            self._stream(body)
        else:
            self._json(_completion(body["model"], self.server.reply))

    def _json(self, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, body: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for word in self.server.reply.split(" "):
            chunk = {
                "id": "stub",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": body["model"],
                "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


def _completion(model: str, text: str) -> dict:
    return {
        "id": "stub",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


@pytest.fixture
def stub():
    servers: list[StubOpenAI] = []

    def start(reply: str = REPLY, delay: float = 0.0) -> StubOpenAI:
        server = StubOpenAI(reply, delay)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def service_for(settings, server: StubOpenAI, timeout: float = 10.0) -> AnsweringService:
    settings = settings.model_copy(
        update={
            "llm": "openai:stub-model",
            "llm_base_url": server.base_url,
            "llm_api_key": "test-key",
            "llm_timeout_s": timeout,
        }
    )
    chat = build_chat_model(settings)
    return AnsweringService(settings, FakeRetriever(load_fixture_chunks()), chat, tuning=TUNING)


def test_answer_over_http_with_verified_citations(settings, stub):
    server = stub()
    answer = service_for(settings, server).answer(QUESTION)
    assert answer.mode == "generatief" and answer.text == REPLY and not answer.flagged
    assert answer.citations[0].section == "Kritische succesfactoren sociale innovatie"
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["model"] == "stub-model"
    assert request["auth"] == "Bearer test-key"
    roles = [m["role"] for m in request["messages"]]
    assert roles == ["system", "user"]
    assert "genummerde bronnen" in request["messages"][0]["content"]
    assert QUESTION in request["messages"][1]["content"]


def test_streaming_over_http(settings, stub):
    server = stub()
    items = list(service_for(settings, server).stream(QUESTION))
    final = items[-1]
    assert isinstance(final, Answer) and final.mode == "generatief"
    assert "".join(items[:-1]).strip() == REPLY
    assert server.requests[0]["stream"] is True


def test_unsupported_reply_over_http_falls_back_to_extractive(settings, stub):
    server = stub("De provincie betaalt iedereen een bonus van 500 euro [1].")
    answer = service_for(settings, server).answer(QUESTION)
    assert answer.mode == "extractief" and answer.citations
    assert "kon niet in de bronnen worden teruggevonden" in answer.text


def test_timeout_over_http_falls_back_with_note(settings, stub):
    server = stub(delay=1.5)
    answer = service_for(settings, server, timeout=0.3).answer(QUESTION)
    assert answer.mode == "extractief" and not answer.refused and answer.citations
    assert "time-out" in answer.notes[0]


def test_unreachable_server_falls_back_with_note(settings, stub):
    server = stub()
    server.shutdown()
    server.server_close()
    answer = service_for(settings, server, timeout=1.0).answer(QUESTION)
    assert answer.mode == "extractief" and answer.notes
    assert "taalmodel" in answer.notes[0]
