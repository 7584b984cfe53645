"""CI gate: the held-out test set, real corpus and service, must not regress against the baseline.

Runs inside `make test` (the README's test command, called by .ci/run) on the index the
integration fixtures build once per session. Extractive mode on purpose: it needs no LLM
and is deterministic, so a failure here is a real change, not noise. When a change is
meant to move the numbers, rerun `assistant eval evals/sets/test.jsonl --update-baseline`
and commit evals/baseline.json with the change.
"""

from __future__ import annotations

import pytest

from evals.evaluate import DEFAULT_BASELINE, EvalOptions, run_evaluation
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

TEST_SET = REPO_ROOT / "evals" / "sets" / "test.jsonl"


def test_test_set_does_not_regress_against_the_committed_baseline(real_container, tmp_path):
    service = real_container.answering  # no chat model: extractive
    options = EvalOptions(
        sets=[TEST_SET],
        out=tmp_path / "results.jsonl",
        report=tmp_path / "report.html",
        baseline=DEFAULT_BASELINE,
        progress=False,
    )
    outcome = run_evaluation(options, service, service.scorer.supports)
    print(outcome.markdown)
    assert outcome.comparison is not None, "evals/baseline.json is missing"
    assert outcome.comparison.comparable, outcome.comparison.note
    assert outcome.summary.overall["errors"] == 0, outcome.markdown
    assert not outcome.comparison.regressed, outcome.markdown
