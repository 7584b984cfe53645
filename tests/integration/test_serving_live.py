"""Serving safety against a real uvicorn server on loopback (fake services, no model):
a 100 MB POST to a Gradio route, stalled bodies, the upload gate, Dutch 404/405, security
headers, and the session-brief files gone after shutdown."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from assistant.api import create_app
from assistant.core.settings import Settings
from assistant.services import Services
from tests.fakes import fake_container
from tests.live_server import serve_in_thread
from tests.unit.briefing.brief_fixtures import make_service

pytestmark = pytest.mark.integration

TOKEN = "live-token"
MB = 1024 * 1024
BODY_TIMEOUT_S = 1.0
DUTCH = {404: "Niet gevonden.", 405: "Deze methode is hier niet toegestaan."}
SECURITY = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "frame-ancestors 'self'",
    "referrer-policy": "same-origin",
}


def make_services(data_dir: Path) -> Services:
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        admin_token=TOKEN,
        max_file_mb=1,
        body_timeout_s=BODY_TIMEOUT_S,
    )
    service = make_service(settings)  # briefs over the fixture chunks
    return Services(fake_container(settings, retriever=service.retriever, briefing=service))


@pytest.fixture(scope="module")
def gradio_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gradio")


@pytest.fixture(scope="module")
def url(tmp_path_factory, gradio_dir) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADIO_TEMP_DIR", str(gradio_dir))
        app = create_app(make_services(tmp_path_factory.mktemp("live") / "data"))
    with serve_in_thread(app) as base:
        yield base


def rss_bytes() -> int:
    """Resident memory of this process (the server runs in a thread of it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


class PeakRss:
    """Samples this process's RSS every few milliseconds while the block runs."""

    def __enter__(self) -> PeakRss:
        self.before = self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())


def streamed(total: int, piece: int = MB) -> Iterator[bytes]:
    """A body of `total` bytes made piece by piece (never held whole by the test)."""
    block = b"a" * piece
    for _ in range(total // piece):
        yield block


def raw_request(base: str, head: str, body: bytes, wait_s: float) -> bytes:
    """Send a request head and part of a body, then stall; what the server answers
    (until it closes the connection, or nothing after wait_s)."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(head.encode() + b"\r\n\r\n" + body)
        sock.settimeout(wait_s)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
        return answer


# ----------------------------------------------------------------------------- 100 MB
@pytest.mark.parametrize("declared", [False, True], ids=["chunked", "content-length"])
def test_a_100_MB_post_to_a_gradio_route_gets_413_and_memory_stays_low(url, declared, capsys):
    headers = {"content-type": "application/json"}
    if declared:
        headers["content-length"] = str(100 * MB)
    with PeakRss() as rss, httpx.Client(base_url=url, timeout=30) as client:
        response = client.post(
            "/gradio_api/call/submit", content=streamed(100 * MB), headers=headers
        )
    assert response.status_code == 413
    assert response.json() == {"detail": "Het verzoek is te groot (hoogstens 1 MB)."}
    with capsys.disabled():
        print(
            f"\n100 MB POST ({'content-length' if declared else 'chunked'}): RSS before "
            f"{rss.before / MB:.0f} MB, peak {rss.peak / MB:.0f} MB "
            f"(+{(rss.peak - rss.before) / MB:.1f} MB)"
        )
    assert rss.peak < 1024 * MB
    assert rss.peak - rss.before < 50 * MB  # the body was never held


def test_a_100_MB_upload_with_the_token_is_cut_off_at_the_file_limit(url, gradio_dir):
    headers = {"content-type": "multipart/form-data; boundary=x", **bearer()}
    before = set(gradio_dir.rglob("*"))
    with PeakRss() as rss, httpx.Client(base_url=url, timeout=30) as client:
        response = client.post("/gradio_api/upload", content=streamed(100 * MB), headers=headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "Het verzoek is te groot (hoogstens 1 MB)."}
    assert rss.peak - rss.before < 50 * MB
    assert set(gradio_dir.rglob("*")) == before  # nothing half-written left behind


# ----------------------------------------------------------------------------- stalled bodies
@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/gradio_api/queue/join", ""),
        ("/api/ask", ""),
        ("/gradio_api/upload", f"\r\nAuthorization: Bearer {TOKEN}"),
    ],
)
def test_a_stalled_body_is_cut_off_with_408(url, path, extra):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"Content-Length: 1000{extra}"
    )
    answer = raw_request(url, head, b'{"data": [', wait_s=BODY_TIMEOUT_S + 5)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"connection: close" in answer.lower()
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body == {"detail": "Het verzoek kwam niet op tijd binnen. Probeer het opnieuw."}


def test_a_stalled_upload_without_login_is_refused_at_once(url):
    head = "POST /gradio_api/upload HTTP/1.1\r\nHost: test\r\nContent-Length: 50000000"
    answer = raw_request(url, head, b"--x\r\n", wait_s=BODY_TIMEOUT_S + 5)
    assert answer.startswith(b"HTTP/1.1 401 "), answer[:200]


# ----------------------------------------------------------------------------- upload gate
def bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_upload_needs_the_admin_login(url):
    files = {"files": ("notitie.txt", b"inhoud", "text/plain")}
    with httpx.Client(base_url=url) as client:
        assert client.post("/gradio_api/upload", files=files).status_code == 401
        assert client.post("/api/admin/login", headers=bearer()).status_code == 204
        response = client.post("/gradio_api/upload", files=files)  # the cookie now
        assert response.status_code == 200 and response.json()[0].endswith("notitie.txt")


# ----------------------------------------------------------------------------- 404 / 405, headers
def test_unknown_routes_and_methods_are_dutch_json(url):
    with httpx.Client(base_url=url) as client:
        for method, path, status in [
            ("GET", "/bestaat-niet", 404),
            ("GET", "/api/bestaat-niet", 404),
            ("GET", "/api/ask", 405),
            ("GET", "/gradio_api/queue/join", 405),
        ]:
            response = client.request(method, path)
            assert response.status_code == status, path
            assert response.headers["content-type"] == "application/json"
            assert response.json()["detail"] == DUTCH[status]


def test_security_headers_on_api_page_and_static_assets(url):
    with httpx.Client(base_url=url) as client:
        page = client.get("/")
        assets = re.findall(r"""(?:src|href)=["']\.?/?(assets/[^"']+\.(?:js|css))""", page.text)
        assert assets
        for response in [client.get("/healthz"), page, *(client.get("/" + a) for a in assets)]:
            assert response.status_code == 200, response.url
            for header, value in SECURITY.items():
                assert response.headers.get(header) == value, (response.url, header)


# ----------------------------------------------------------------------------- temp files
def test_brief_files_are_served_then_removed_at_shutdown(tmp_path, monkeypatch):
    gradio_cache = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(gradio_cache))
    app = create_app(make_services(tmp_path / "data"))
    folders = app.state.ui_folders
    with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        call = client.post("/gradio_api/call/make", json={"data": ["slimmer werken", "", "", 60]})
        event_id = call.json()["event_id"]
        stream = client.get(f"/gradio_api/call/make/{event_id}").text
        data = json.loads(stream.split("event: complete\ndata: ", 1)[1].split("\n", 1)[0])
        download = data[1]["value"]["url"]  # the Markdown download button
        served = client.get(download)
        assert served.status_code == 200 and served.text.startswith("# Sessie: Slimmer werken")
        assert served.headers["x-content-type-options"] == "nosniff"
        root = folders.root
        assert list(root.iterdir())  # our copy, written by the handler
        cached = [p for p in gradio_cache.rglob("*") if p.is_file()]
        assert {p.suffix for p in cached} >= {".md", ".docx"}  # Gradio's copies
    assert not root.exists()
    assert [p for p in gradio_cache.rglob("*") if p.is_file()] == []
