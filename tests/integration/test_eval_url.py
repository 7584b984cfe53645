"""`assistant eval --url` against the real API (real index, uvicorn on loopback) agrees with
an in-process run of the same questions."""

from __future__ import annotations

import json

import pytest

from assistant.api import create_app
from assistant.cli import main
from assistant.services import Services
from evals.evaluate import EvalOptions, run_evaluation
from evals.sets import load_set
from tests.conftest import REPO_ROOT
from tests.live_server import serve_in_thread

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def services(real_container):
    return Services(real_container)


@pytest.fixture
def small_set(tmp_path):
    """Dev cases of every kind: follow-ups, English, refusals and a few plain Dutch ones."""
    cases = load_set(REPO_ROOT / "evals" / "sets" / "dev.jsonl")
    picked = [c for c in cases if c.history or c.lang == "en" or c.refuse] + cases[:4]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(c.to_dict()) + "\n" for c in picked), encoding="utf-8")
    return path


def test_eval_over_http_matches_in_process(services, real_container, small_set, tmp_path):
    baseline = tmp_path / "baseline.json"
    with serve_in_thread(create_app(services, with_ui=False)) as url:
        args = ["eval", str(small_set), "--url", url, "--baseline", str(baseline), "--quiet"]
        args += ["--out", str(tmp_path / "http.jsonl"), "--report", str(tmp_path / "r.html")]
        assert main([*args, "--update-baseline"], container=real_container) == 0
    over_http = json.loads(baseline.read_text(encoding="utf-8"))["cases"]
    records = [json.loads(line) for line in (tmp_path / "http.jsonl").read_text().splitlines()]
    assert all(r["error"] is None for r in records)

    options = EvalOptions(
        sets=[small_set],
        out=tmp_path / "local.jsonl",
        report=tmp_path / "local.html",
        baseline=baseline,
        progress=False,
    )
    local = run_evaluation(options, services.answering)
    assert {c.id: c.passed for c in local.summary.cases} == over_http
    assert local.exit_code == 0
