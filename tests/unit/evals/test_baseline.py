"""Baseline comparison: unchanged passes, a regression fails and names cases, improvements pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.types import Answer, Citation
from assistant.core.errors import InvalidInputError
from evals.baseline import baseline_from, compare, load_baseline, write_baseline
from evals.evaluate import EvalOptions, run_evaluation
from evals.metrics import summarize
from evals.sets import EvalCase

EVIDENCE = "zet in op variatie"
CASES = [
    EvalCase(id=f"q{i}", question=f"Vraag {i}?", evidence=(EVIDENCE,), doc_id="d")
    for i in range(10)
] + [EvalCase(id="weiger", question="Wat voor weer wordt het?", refuse=True)]


def results(failing: set[str] = frozenset(), refuse_ok: bool = True) -> dict[str, dict]:
    out = {}
    for c in CASES:
        if c.refuse:
            out[c.id] = {"refused": refuse_ok, "citations": [], "latency_ms": 5.0, "error": None}
            continue
        text = "iets anders" if c.id in failing else f"... {EVIDENCE} ..."
        cites = [{"n": 1, "doc_id": "d", "text": text}]
        out[c.id] = {"refused": False, "citations": cites, "latency_ms": 5.0, "error": None}
    return out


def base(failing: set[str] = frozenset()) -> dict:
    return baseline_from(summarize(CASES, results(failing)), ["test.jsonl"])


def test_same_results_pass():
    comparison = compare(base(), summarize(CASES, results()), ["test.jsonl"])
    assert not comparison.regressed
    assert comparison.newly_failed == [] and comparison.newly_passed == []


def test_regression_fails_and_names_the_questions_that_went_from_pass_to_fail():
    comparison = compare(base(), summarize(CASES, results({"q3", "q7"})), ["test.jsonl"])
    assert comparison.regressed
    assert {"pass_rate", "hit@1", "mrr"} <= set(comparison.regressions)
    assert comparison.newly_failed == ["q3", "q7"]


def test_improvement_passes_and_lists_fixed_questions():
    comparison = compare(base({"q1", "q2"}), summarize(CASES, results()), ["test.jsonl"])
    assert not comparison.regressed
    assert comparison.newly_passed == ["q1", "q2"]
    assert comparison.change("hit@1").better is True


def test_a_drop_within_the_tolerance_is_not_a_regression():
    baseline = base() | {"tolerance": 0.15}
    comparison = compare(baseline, summarize(CASES, results({"q3"})), ["test.jsonl"])
    assert not comparison.regressed
    assert comparison.newly_failed == ["q3"]  # still reported


def test_lower_is_better_metrics_regress_upwards():
    baseline = base()
    baseline["metrics"]["false_refusal_rate"] = 0.0
    current = results()
    current["q0"]["refused"] = True
    comparison = compare(baseline, summarize(CASES, current), ["test.jsonl"])
    assert "false_refusal_rate" in comparison.regressions
    assert comparison.change("false_refusal_rate").better is False


def test_refusal_accuracy_drop_is_a_regression():
    comparison = compare(base(), summarize(CASES, results(refuse_ok=False)), ["test.jsonl"])
    assert comparison.regressions == ["pass_rate", "refusal_accuracy"]
    assert comparison.newly_failed == ["weiger"]


def test_a_baseline_for_other_sets_is_not_compared():
    comparison = compare(base(), summarize(CASES, results({"q1"})), ["dev.jsonl"])
    assert not comparison.comparable and not comparison.regressed
    assert "test.jsonl" in comparison.note


def test_baseline_file_round_trip_and_bad_file(tmp_path):
    path = write_baseline(tmp_path / "b.json", base())
    loaded = load_baseline(path)
    assert loaded["tolerance"] == 0.02 and loaded["cases"]["q1"] is True
    assert load_baseline(tmp_path / "none.json") is None
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="mist 'metrics'"):
        load_baseline(tmp_path / "bad.json")


# ----------------------------------------------------------------------------- whole run
class ScriptedService:
    """Answers each question with a passage holding the evidence, except for `broken` ids."""

    def __init__(self, broken: set[str] = frozenset()) -> None:
        self.broken = {c.question for c in CASES if c.id in broken}

    def answer(self, question, history=None, filters=None) -> Answer:
        if "weer" in question:
            return Answer("Daar gaan de bronnen niet over.", [], refused=True, mode="extractief")
        text = "iets anders" if question in self.broken else f"... {EVIDENCE} ..."
        citation = Citation(1, "d", "T", "advies", "1", "", text, 1.0)
        return Answer(f'- "{text}" [1]', [citation], refused=False, mode="extractief")


def write_set(tmp_path: Path) -> Path:
    path = tmp_path / "test.jsonl"
    path.write_text("".join(json.dumps(c.to_dict()) + "\n" for c in CASES), encoding="utf-8")
    return path


def options(tmp_path: Path, update: bool = False) -> EvalOptions:
    return EvalOptions(
        sets=[write_set(tmp_path)],
        out=tmp_path / "out" / "results.jsonl",
        report=tmp_path / "out" / "report.html",
        baseline=tmp_path / "baseline.json",
        update_baseline=update,
        progress=False,
    )


def test_run_writes_the_baseline_then_gates_on_it(tmp_path):
    first = run_evaluation(options(tmp_path, update=True), ScriptedService())
    assert first.exit_code == 0 and first.baseline_written
    assert json.loads((tmp_path / "baseline.json").read_text())["sets"] == ["test.jsonl"]

    same = run_evaluation(options(tmp_path), ScriptedService())
    assert same.exit_code == 0

    worse = run_evaluation(options(tmp_path), ScriptedService(broken={"q4"}))
    assert worse.exit_code == 1
    assert "Van geslaagd naar mislukt: q4" in worse.markdown
    assert "ACHTERUITGANG" in worse.markdown

    accepted = run_evaluation(options(tmp_path, update=True), ScriptedService(broken={"q4"}))
    assert accepted.exit_code == 0
    assert json.loads((tmp_path / "baseline.json").read_text())["cases"]["q4"] is False


def test_update_keeps_the_tolerance_stated_in_the_old_baseline(tmp_path):
    write_baseline(tmp_path / "baseline.json", base() | {"tolerance": 0.05})
    run_evaluation(options(tmp_path, update=True), ScriptedService())
    assert json.loads((tmp_path / "baseline.json").read_text())["tolerance"] == 0.05


def test_rounding_and_latency_jitter_count_as_unchanged():
    baseline = base()
    baseline["metrics"] |= {"hit@1": 0.99996, "latency_p50_ms": 100.0}
    current = results()
    for record in current.values():
        record["latency_ms"] = 105.0
    comparison = compare(baseline, summarize(CASES, current), ["test.jsonl"])
    assert comparison.change("hit@1").delta == 0.0
    assert comparison.change("latency_p50_ms").delta == 0.0
    assert comparison.change("latency_p50_ms").better is None
