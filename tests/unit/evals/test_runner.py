"""Runner: result records, one failing question is not fatal, faithfulness, and --url mode.

`--url` is tested against a tiny stub HTTP server on 127.0.0.1 that serves /api/ask with
canned Answer JSON (the stdlib server keeps this test independent of the API package).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.answering.types import Answer, Citation
from assistant.cli import main
from assistant.core.errors import AssistantError
from evals.runner import (
    HttpAnsweringClient,
    LazySupportCheck,
    answer_from_dict,
    ask_case,
    faithfulness,
    run_cases,
)
from evals.sets import EvalCase

PASSAGE = "Speel in op intrinsieke motivatie en geef vertrouwen en erkenning."
CASES = [
    EvalCase(id="ok", question="Hoe motiveer ik mensen?", evidence=("intrinsieke motivatie",)),
    EvalCase(id="kapot", question="Deze vraag breekt de service."),
    EvalCase(
        id="vervolg",
        question="En daarnaast?",
        history=({"role": "user", "content": "Hoe motiveer ik?"},),
        evidence=("intrinsieke motivatie",),
    ),
]


def canned_answer(question: str, mode: str = "extractief", text: str | None = None) -> Answer:
    citation = Citation(1, "d", "Briefadvies", "advies", "10", "", PASSAGE, 0.9)
    return Answer(text=text or f'- "{PASSAGE}" [1]', citations=[citation], refused=False, mode=mode)


class FakeService:
    """Records calls; raises for questions containing 'breekt'."""

    def __init__(self, mode: str = "extractief", text: str | None = None) -> None:
        self.calls: list[tuple[str, object]] = []
        self.mode, self.text = mode, text

    def answer(self, question, history=None, filters=None) -> Answer:
        self.calls.append((question, history))
        if "breekt" in question:
            raise RuntimeError("index is weg")
        return canned_answer(question, self.mode, self.text)


def test_records_have_the_issue_fields_and_one_failure_is_not_fatal():
    service = FakeService()
    records = run_cases(service, CASES, progress=False)
    assert [r["id"] for r in records] == ["ok", "kapot", "vervolg"]
    ok, broken, _ = records
    for key in ("id", "question", "answer", "refused", "mode", "citations", "latency_ms", "error"):
        assert key in ok
    assert ok["error"] is None and ok["citations"][0]["text"] == PASSAGE
    assert ok["mode"] == "extractief" and ok["latency_ms"] >= 0
    assert broken["error"] == "RuntimeError: index is weg" and broken["citations"] == []


def test_history_is_passed_as_turns():
    service = FakeService()
    run_cases(service, CASES[2:], progress=False)
    [(question, history)] = service.calls
    assert question == "En daarnaast?"
    assert history[0].role == "user" and history[0].content == "Hoe motiveer ik?"


def test_replayed_history_gives_a_follow_up_the_services_own_earlier_answer():
    service = FakeService(text='"eigen antwoord" [1]')
    case = EvalCase(
        id="vervolg",
        question="En daarnaast?",
        history=(
            {"role": "user", "content": "Hoe motiveer ik?"},
            {"role": "assistant", "content": "Een geschreven samenvatting [1]."},
        ),
    )
    record = ask_case(service, case, replay_history=True)
    (first, before), (follow_up, history) = service.calls
    assert (first, before) == ("Hoe motiveer ik?", None)
    assert follow_up == "En daarnaast?"
    assert [(t.role, t.content) for t in history] == [
        ("user", "Hoe motiveer ik?"),
        ("assistant", '"eigen antwoord" [1]'),  # not the set's written turn
    ]
    assert record["history"][1] == {"role": "assistant", "content": '"eigen antwoord" [1]'}
    # Without the option the set's written history is used, and not recorded again.
    plain = FakeService()
    assert "history" not in ask_case(plain, case)
    assert plain.calls[0][1][1].content == "Een geschreven samenvatting [1]."


def test_faithfulness_counts_supported_sentences_and_ignores_notes():
    citations = [{"n": 1, "text": PASSAGE}, {"n": 2, "text": "Iets over subsidies."}]

    def supports(claim: str, passage: str) -> bool:
        return "motivatie" in claim and "motivatie" in passage

    text = (
        "Speel in op de motivatie van mensen [1]. Zorg voor subsidie [2]. Geen bron hier. "
        "Let op: een bronverwijzing is verwijderd."
    )
    notes = ["Let op: een bronverwijzing is verwijderd."]
    assert faithfulness(text, citations, supports, notes) == pytest.approx(1 / 3)
    assert faithfulness("", citations, supports) == 0.0


def test_faithfulness_reads_markers_as_the_citation_check_does():
    citations = [{"n": 1, "text": PASSAGE}, {"n": 2, "text": "Iets over subsidies."}]

    def supports(claim: str, passage: str) -> bool:
        return claim.split()[0] in passage  # "Speel" is in passage 1, "Zorg" in neither

    # the [1] after the stop belongs to the first sentence, not to the one after it
    text = "Speel in op de motivatie van mensen. [1] Zorg voor subsidie (bron 2)."
    assert faithfulness(text, citations, supports) == pytest.approx(1 / 2)
    assert faithfulness("Speel in op motivatie¹.\n[^1]: x", citations, supports) == 1.0


def test_faithfulness_is_measured_only_for_generative_answers():
    generated = FakeService(mode="generatief", text="Speel in op motivatie [1].")
    record = ask_case(generated, CASES[0], supports=lambda claim, passage: True)
    assert record["faithfulness"] == 1.0
    extractive = ask_case(FakeService(), CASES[0], supports=lambda claim, passage: True)
    assert extractive["faithfulness"] is None


def test_lazy_support_check_builds_once_on_first_use():
    built = []

    def factory():
        built.append(1)
        return lambda claim, passage: True

    check = LazySupportCheck(factory)
    assert built == []
    assert check("a", "b") and check("c", "d")
    assert built == [1]


def test_answer_from_dict_round_trips_and_rejects_other_shapes():
    answer = canned_answer("x")
    assert answer_from_dict(answer.to_dict()) == answer
    with pytest.raises(AssistantError, match="vorm van een Answer"):
        answer_from_dict({"tekst": "hoi"})


# ----------------------------------------------------------------------------- --url
class StubApi(BaseHTTPRequestHandler):
    """POST /api/ask -> canned Answer JSON; questions containing 'breekt' get HTTP 500."""

    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (stdlib name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        StubApi.received.append(body)
        if self.path != "/api/ask":
            self._send(404, {"detail": "niet gevonden"})
        elif "breekt" in body["question"]:
            self._send(500, {"detail": "interne fout"})
        else:
            self._send(200, canned_answer(body["question"]).to_dict())

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stub_url() -> Iterator[str]:
    StubApi.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_client_posts_question_and_history(stub_url):
    records = run_cases(HttpAnsweringClient(stub_url), CASES, progress=False)
    assert records[0]["citations"][0]["page"] == "10" and records[0]["error"] is None
    assert "HTTP 500" in records[1]["error"]
    assert StubApi.received[2] == {
        "question": "En daarnaast?",
        "history": [{"role": "user", "content": "Hoe motiveer ik?"}],
        "filters": None,
    }


def test_http_client_reports_an_unreachable_server():
    client = HttpAnsweringClient("http://127.0.0.1:9", timeout_s=2)
    with pytest.raises(AssistantError, match="niet bereikbaar"):
        client.answer("Hallo?")


def eval_args(tmp_path, stub_url):
    """`assistant eval` arguments for CASES against the stub, and the files they name."""
    set_path = tmp_path / "test.jsonl"
    set_path.write_text("".join(json.dumps(c.to_dict()) + "\n" for c in CASES), encoding="utf-8")
    out, report, baseline = tmp_path / "r.jsonl", tmp_path / "r.html", tmp_path / "b.json"
    args = ["eval", str(set_path), "--url", stub_url, "--out", str(out), "--report", str(report)]
    return [*args, "--baseline", str(baseline), "--quiet"], out, report, baseline


def test_cli_eval_with_url_writes_results_report_and_gates(stub_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    args, out, report, baseline = eval_args(tmp_path, stub_url)

    assert main([*args, "--update-baseline"]) == 0
    assert json.loads(baseline.read_text())["cases"] == {
        "ok": True,
        "kapot": False,
        "vervolg": True,
    }
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["ok", "kapot", "vervolg"]
    assert "kapot" in report.read_text()

    baseline_doc = json.loads(baseline.read_text())
    baseline_doc["cases"]["kapot"] = True
    baseline_doc["metrics"]["pass_rate"] = 1.0
    baseline.write_text(json.dumps(baseline_doc))
    capsys.readouterr()
    assert main(args) == 1
    printed = capsys.readouterr().out
    assert "Van geslaagd naar mislukt: kapot" in printed and "Rapport:" in printed


def test_cli_eval_replaying_histories_is_not_gated_against_the_baseline(
    stub_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    args, out, report, baseline = eval_args(tmp_path, stub_url)
    assert main([*args, "--update-baseline"]) == 0
    baseline_doc = json.loads(baseline.read_text())
    baseline_doc["cases"]["kapot"] = True  # a regression, were the runs comparable
    baseline.write_text(json.dumps(baseline_doc))
    capsys.readouterr()

    assert main([*args, "--replay-history"]) == 0
    printed = capsys.readouterr().out
    assert "eigen eerdere antwoorden als geschiedenis" in printed and "niet vergeleken" in printed
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert records["vervolg"]["history"][0]["content"] == "Hoe motiveer ik?"
    assert "eerder gesprek (eigen antwoorden)" in report.read_text()
    assert main([*args, "--replay-history", "--update-baseline"]) == 2
    assert "--update-baseline gaat niet samen met --replay-history" in capsys.readouterr().err


def test_cli_eval_rejects_a_bad_set_with_a_line_number(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "x", "vraag": "y"}\n', encoding="utf-8")
    assert main(["eval", str(bad), "--url", "http://127.0.0.1:9"]) == 2
    assert "regel 1" in capsys.readouterr().err
