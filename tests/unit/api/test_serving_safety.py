"""Serving safety in-process: body limits per route, the admin gate of Gradio's upload
route and the admin login, Dutch 404/405 (Gradio's mount included), security headers,
and the guard's timeouts driven at the ASGI level. Live-server behaviour (a 100 MB POST,
a stalled socket) is in tests/integration/test_serving_live.py."""

from __future__ import annotations

import json
import re

import anyio
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.guard import BodyGuard
from assistant.core import limits
from assistant.core.adminlogin import COOKIE
from assistant.core.settings import Settings
from tests.fakes import make_services

TOKEN = "s3cret-token"
SECURITY = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "frame-ancestors 'self'",
    "referrer-policy": "same-origin",
}
FILE_LIMIT_MB = 0.25
STALL = None
ADMIN_HEADERS = [(b"authorization", f"Bearer {TOKEN}".encode())]


def settings_for(tmp_path, **extra) -> Settings:
    base = {"admin_token": TOKEN, "max_file_mb": FILE_LIMIT_MB, "body_timeout_s": 0.3}
    return Settings(_env_file=None, data_dir=tmp_path / "data", **{**base, **extra})


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    return make_services(settings_for(tmp_path_factory.mktemp("serving")))


@pytest.fixture(scope="module")
def gradio_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("gradio")


@pytest.fixture(scope="module")
def app(services, gradio_dir):
    """With the Gradio UI mounted at /; Gradio's files go to a temporary folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADIO_TEMP_DIR", str(gradio_dir))
        return create_app(services)


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)  # a fresh cookie jar per test


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(client: TestClient, size: int = 1000, **kwargs):
    files = {"files": ("notitie.txt", b"x" * size, "text/plain")}
    return client.post("/gradio_api/upload", files=files, **kwargs)


def join_body(size: int) -> bytes:
    """A Gradio queue/join body of about `size` bytes."""
    envelope = {"data": ["", [], []], "fn_index": 0, "session_hash": "abc", "trigger_id": 1}
    padding = size - len(json.dumps(envelope).encode())
    envelope["data"][0] = "v" * max(padding, 0)
    return json.dumps(envelope).encode()


# ----------------------------------------------------------------------------- body limits
def test_the_api_keeps_its_64_kB_json_limit_with_openai_shape_under_v1(client):
    big = {"question": "a" * (limits.BODY_BYTES + 1)}
    for path in ("/api/ask", "/v1/chat/completions"):
        response = client.post(path, json=big)
        assert response.status_code == 413
        text = response.json().get("detail") or response.json()["error"]["message"]
        assert text == "Het verzoek is te groot (hoogstens 64 kB)."


def test_gradio_json_routes_are_limited_too(client):
    body = join_body(limits.UI_BODY_BYTES + 1)
    for path in ("/gradio_api/queue/join", "/gradio_api/call/submit", "/gradio_api/run/predict"):
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 413, path
        assert response.json() == {"detail": "Het verzoek is te groot (hoogstens 1 MB)."}


def test_a_declared_length_over_the_limit_is_refused_before_reading(app):
    """Content-Length alone decides: the guard answers without ever calling receive."""
    guard = BodyGuard(app, services=app.state.services)
    headers = [(b"content-length", str(200 * 1024 * 1024).encode())]
    scope = {"type": "http", "method": "POST", "path": "/gradio_api/queue/join", "headers": headers}
    sent = []

    async def receive():
        raise AssertionError("the body was read")

    async def send(message):
        sent.append(message)

    anyio.run(guard, scope, receive, send)
    assert sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]


def test_the_longest_chat_the_answering_service_uses_fits_the_ui_limit():
    """The UI sends the whole chat with a question: the history the service keeps, at full
    length in 3-byte characters, still fits (with Gradio's message envelope)."""
    message = {"role": "assistant", "content": [{"type": "text", "text": "€" * limits.TURN_CHARS}]}
    chat = [{**message, "metadata": None, "options": None}] * limits.HISTORY_MESSAGES
    question = "?" * limits.QUESTION_CHARS
    payload = {"data": [question, chat, ["advies"]], "fn_index": 3, "session_hash": "x" * 11}
    payload |= {"trigger_id": 12, "event_data": None}
    assert len(json.dumps(payload, ensure_ascii=False).encode()) < limits.UI_BODY_BYTES


def test_a_body_just_under_the_ui_limit_reaches_gradio(client):
    body = join_body(limits.UI_BODY_BYTES - 100)
    response = client.post(
        "/gradio_api/queue/join", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code != 413  # Gradio itself answers (the fn_index is made up)


# ----------------------------------------------------------------------------- upload
def test_gradio_upload_without_the_admin_login_is_refused(client):
    for headers in ({}, bearer("fout"), {"Authorization": "Basic abc"}):
        response = upload(client, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "beheerder" in response.json()["detail"]


def test_gradio_upload_is_off_without_an_admin_token(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    client = TestClient(create_app(make_services(settings_for(tmp_path, admin_token=None))))
    response = upload(client, headers=bearer())
    assert response.status_code == 403
    assert "ASSISTANT_ADMIN_TOKEN" in response.json()["detail"]


def test_gradio_upload_with_the_bearer_token_works(client, gradio_dir):
    response = upload(client, headers=bearer())
    assert response.status_code == 200
    [path] = response.json()
    assert path.endswith("notitie.txt") and path.startswith(str(gradio_dir))


def test_gradio_upload_over_the_file_limit_is_413(client):
    too_big = int(FILE_LIMIT_MB * 1024 * 1024) + limits.UPLOAD_OVERHEAD_BYTES + 1
    response = upload(client, size=too_big, headers=bearer())
    assert response.status_code == 413
    assert "te groot" in response.json()["detail"]
    # between the file limit and the multipart allowance, Gradio's own check refuses it
    just_over = int(FILE_LIMIT_MB * 1024 * 1024) + 1
    assert upload(client, size=just_over, headers=bearer()).status_code == 413


# ----------------------------------------------------------------------------- admin login
def test_login_sets_a_strict_http_only_cookie_that_opens_the_upload(client):
    assert client.get("/api/admin/session").json() == {"admin": False}
    response = client.post("/api/admin/login", headers=bearer())
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=v1.")
    for part in ("HttpOnly", "SameSite=strict", "Path=/", "Max-Age=28800"):
        assert part in cookie
    assert "Secure" not in cookie  # plain http in this test; set behind https
    assert client.get("/api/admin/session").json() == {"admin": True}
    assert upload(client).status_code == 200
    assert client.get("/api/feedback").status_code == 200  # admin API routes accept it too
    cross_site = upload(client, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 401

    assert client.post("/api/admin/logout").status_code == 204
    assert client.get("/api/admin/session").json() == {"admin": False}
    assert upload(client).status_code == 401


def test_login_needs_the_token_itself(client):
    assert client.post("/api/admin/login").status_code == 401
    assert client.post("/api/admin/login", headers=bearer("fout")).status_code == 401
    client.cookies.set(COOKIE, "v1.99999999999.nep")
    assert client.post("/api/admin/login").status_code == 401  # a cookie cannot renew itself


# ----------------------------------------------------------------------------- 404 / 405
@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("GET", "/api/bestaat-niet", 404, None),
        ("GET", "/api/ask", 405, "POST"),
        ("DELETE", "/api/documents", 405, "GET, POST"),
        ("POST", "/healthz", 405, "GET"),
        ("GET", "/bestaat-niet", 404, None),  # under Gradio's mount
        ("GET", "/gradio_api/bestaat-niet", 404, None),
        ("GET", "/gradio_api/queue/join", 405, "POST"),
        ("PUT", "/gradio_api/upload", 405, "POST"),
    ],
)
def test_unknown_routes_and_wrong_methods_answer_in_dutch(client, method, path, status, allow):
    response = client.request(method, path)
    assert response.status_code == status
    expected = "Niet gevonden." if status == 404 else "Deze methode is hier niet toegestaan."
    assert response.json() == {"detail": expected}
    assert response.headers.get("allow") == allow


def test_unknown_v1_routes_answer_in_openai_shape(client):
    response = client.post("/v1/bestaat-niet", json={})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Niet gevonden."
    assert client.post("/v1/models").json()["error"]["message"].startswith("Deze methode")


def test_gradio_keeps_its_other_errors(client):
    """Only the router's own 404/405 are translated; Gradio's meaningful errors stay."""
    response = client.get("/gradio_api/file=/etc/passwd")
    assert response.status_code == 403
    assert response.json() == {"detail": "File not allowed: /etc/passwd."}


# ----------------------------------------------------------------------------- headers
def test_security_headers_on_api_ui_assets_and_errors(client):
    page = client.get("/")
    assert page.status_code == 200
    asset = re.search(r"""(?:src|href)=["']\.?/?(assets/[^"']+\.(?:js|css))""", page.text)
    assert asset, "the page links no asset"
    responses = {
        "api": client.get("/healthz"),
        "page": page,
        "asset": client.get("/" + asset.group(1)),
        "config": client.get("/config"),
        "404": client.get("/bestaat-niet"),
        "413": client.post("/api/ask", content=b"x" * (limits.BODY_BYTES + 1)),
        "401": upload(client),
    }
    assert responses["asset"].status_code == 200
    for name, response in responses.items():
        for header, value in SECURITY.items():
            assert response.headers.get(header) == value, (name, header)


def test_security_headers_on_a_500(services, monkeypatch):
    app = create_app(services, with_ui=False)
    client = TestClient(app, raise_server_exceptions=False)

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(services, "health", broken)
    response = client.get("/healthz")
    assert response.status_code == 500
    assert response.headers["x-content-type-options"] == "nosniff"


# ----------------------------------------------------------------------------- timeouts
def guarded(app, method: str, path: str, messages, headers=()) -> list[dict]:
    """Drive the guard with a scripted client: each item is a body piece, a float (seconds
    to wait first) or STALL (the client sends nothing more, ever)."""
    guard = BodyGuard(_echo, services=app.state.services)
    scope = {"type": "http", "method": method, "path": path, "headers": list(headers)}
    script = list(messages)
    sent: list[dict] = []

    async def receive():
        while script and isinstance(script[0], float):
            await anyio.sleep(script.pop(0))
        if script[0] is STALL:
            await anyio.sleep_forever()
        piece = script.pop(0)
        return {"type": "http.request", "body": piece, "more_body": bool(script)}

    async def send(message):
        sent.append(message)

    anyio.run(guard, scope, receive, send)
    return sent


async def _echo(scope, receive, send):
    """A stand-in app that reads the whole body and answers with its length."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def test_a_stalled_body_gets_408(app):
    sent = guarded(app, "POST", "/gradio_api/queue/join", [b"{", STALL])
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"]) == {
        "detail": "Het verzoek kwam niet op tijd binnen. Probeer het opnieuw."
    }


def test_a_json_body_that_drips_past_the_timeout_gets_408(app):
    """Each piece arrives within the pause allowance, but the whole takes too long."""
    sent = guarded(app, "POST", "/api/ask", [b"{", 0.1, b'"a', 0.1, b'":', 0.1, b"1", 0.1, b"}"])
    assert sent[0]["status"] == 408


def test_an_upload_may_take_longer_but_not_pause_longer(app):
    steady = [b"-" * 1000, 0.1] * 5 + [b"end"]  # 0.5 s in all, pauses of 0.1 s
    sent = guarded(app, "POST", "/gradio_api/upload", steady, ADMIN_HEADERS)
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"5003"
    stalled = [b"-" * 1000, 0.5, b"end"]
    sent = guarded(app, "POST", "/gradio_api/upload", stalled, ADMIN_HEADERS)
    assert sent[0]["status"] == 408


def test_a_complete_body_reaches_the_app_whole(app):
    sent = guarded(app, "POST", "/api/ask", [b"ab", 0.05, b"cd", b"ef"])
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"6"


def test_routes_get_their_rule(app):
    guard = BodyGuard(_echo, services=app.state.services)
    upload_bytes = int(FILE_LIMIT_MB * 1024 * 1024) + limits.UPLOAD_OVERHEAD_BYTES
    assert guard.rule_for("POST", "/gradio_api/upload").limit == upload_bytes
    assert guard.rule_for("POST", "/gradio_api/upload/").admin_only
    assert guard.rule_for("POST", "/api/documents").admin_only
    assert not guard.rule_for("GET", "/gradio_api/upload").admin_only
    assert guard.rule_for("POST", "/api/ask").limit == limits.BODY_BYTES
    assert guard.rule_for("POST", "/v1/chat/completions").limit == limits.BODY_BYTES
    assert guard.rule_for("POST", "/gradio_api/queue/join").limit == limits.UI_BODY_BYTES
    assert guard.rule_for("POST", "/").limit == limits.UI_BODY_BYTES
