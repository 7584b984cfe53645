"""Metric functions on hand-made results, including evidence cut by a chunk border."""

from __future__ import annotations

import pytest

from evals.metrics import (
    aggregate,
    citation_precision,
    evidence_rank,
    holds_evidence,
    percentile,
    score_case,
    summarize,
)
from evals.sets import EvalCase

PHRASE = "ruimte en vertrouwen aan medewerkers geven"


def cite(text: str, doc_id: str = "doc", n: int = 1) -> dict:
    return {"n": n, "doc_id": doc_id, "text": text, "title": "T", "page": "1", "section": ""}


def result(*citations, refused=False, error=None, latency_ms=10.0, **extra) -> dict:
    return {
        "citations": list(citations),
        "refused": refused,
        "error": error,
        "latency_ms": latency_ms,
        **extra,
    }


def case(id="q", evidence=(PHRASE,), doc_id=None, refuse=False, lang="nl", tags=()) -> EvalCase:
    return EvalCase(
        id=id,
        question="?",
        evidence=tuple(evidence),
        doc_id=doc_id,
        refuse=refuse,
        lang=lang,
        tags=tuple(tags),
    )


# ----------------------------------------------------------------------------- evidence
def test_evidence_matches_with_case_and_whitespace_folded():
    assert holds_evidence("Leiders geven RUIMTE en\n  vertrouwen aan medewerkers geven.", [PHRASE])
    assert not holds_evidence("Leiders geven ruimte en steun aan medewerkers.", [PHRASE])


def test_any_one_phrase_is_enough():
    assert holds_evidence("... zet in op variatie ...", ["niet hier", "zet in op variatie"])


def test_phrase_cut_by_chunk_end_counts_when_the_head_is_at_least_half():
    head = PHRASE[: len(PHRASE) // 2 + 3]  # "ruimte en vertrouwen aan"
    assert holds_evidence(f"Modern leiderschap betekent {head}", [PHRASE])


def test_phrase_cut_by_chunk_start_counts_when_the_tail_is_at_least_half():
    tail = PHRASE[len(PHRASE) // 2 - 3 :]
    assert holds_evidence(f"{tail} als het kan, sturen als het moet.", [PHRASE])


def test_border_cut_below_half_does_not_count():
    assert not holds_evidence("Modern leiderschap: ruimte en", [PHRASE])  # 9 of 42 chars
    assert not holds_evidence("medewerkers geven als het kan.", [PHRASE])


def test_partial_phrase_inside_a_chunk_is_not_a_border_cut():
    head = PHRASE[: len(PHRASE) // 2 + 3]
    assert not holds_evidence(f"{head} en nog veel meer tekst daarna.", [PHRASE])


# ----------------------------------------------------------------------------- per case
def test_rank_is_the_first_citation_holding_evidence():
    cites = [cite("iets anders"), cite(f"tekst {PHRASE}."), cite(PHRASE)]
    assert evidence_rank(case(), cites) == 2
    assert evidence_rank(case(evidence=()), cites) is None


def test_citation_precision_counts_evidence_or_doc_id():
    cites = [cite(PHRASE, doc_id="x"), cite("ruis", doc_id="doc"), cite("ruis", doc_id="x")]
    assert citation_precision(case(doc_id="doc"), cites) == pytest.approx(2 / 3)
    assert citation_precision(case(), []) is None


def test_answerable_case_passes_only_with_evidence_in_the_first_k():
    cites = [cite("a"), cite("b"), cite(PHRASE)]
    assert score_case(case(), result(*cites), k=3).passed
    assert not score_case(case(), result(*cites), k=2).passed


def test_refusal_scoring_both_ways():
    assert score_case(case(refuse=True, evidence=()), result(refused=True)).passed
    assert not score_case(case(refuse=True, evidence=()), result(cite("x"))).passed
    wrongly = score_case(case(), result(cite(PHRASE), refused=True))
    assert not wrongly.passed and wrongly.hit_rank is None  # a refusal is a miss


def test_an_error_fails_the_case_even_when_refusal_was_expected():
    score = score_case(case(refuse=True, evidence=()), result(refused=True, error="boem"))
    assert not score.passed and score.error == "boem"


def test_doc_id_only_case_passes_on_a_citation_from_that_document():
    assert score_case(case(evidence=(), doc_id="d"), result(cite("x", doc_id="d"))).passed
    assert not score_case(case(evidence=(), doc_id="d"), result(cite("x", doc_id="e"))).passed


# ----------------------------------------------------------------------------- aggregate
def test_aggregate_on_hand_made_results():
    cases = [
        case("a", tags=["betrokkenheid"]),
        case("b", tags=["betrokkenheid"]),
        case("c", lang="en"),
        case("d"),
        case("r1", evidence=(), refuse=True, tags=["refuse"]),
        case("r2", evidence=(), refuse=True, tags=["refuse"]),
    ]
    results = {
        "a": result(cite(PHRASE), latency_ms=10),  # rank 1
        "b": result(cite("x"), cite("y"), cite(PHRASE), latency_ms=20),  # rank 3
        "c": result(cite("x"), cite("y"), cite("z"), cite("w"), cite("v"), latency_ms=30),
        "d": result(refused=True, latency_ms=40),  # false refusal
        "r1": result(refused=True, latency_ms=50),
        "r2": result(cite("x"), latency_ms=60),  # should have refused
    }
    summary = summarize(cases, results, k=5)
    o = summary.overall
    assert o["n"] == 6 and o["passed"] == 3
    assert o["hit@1"] == pytest.approx(1 / 4)
    assert o["hit@3"] == pytest.approx(2 / 4)
    assert o["hit@5"] == pytest.approx(2 / 4)
    assert o["mrr"] == pytest.approx((1 + 1 / 3 + 0 + 0) / 4)
    assert o["refusal_accuracy"] == pytest.approx(1 / 2)
    assert o["false_refusal_rate"] == pytest.approx(1 / 4)
    assert o["latency_p50_ms"] == pytest.approx(35)
    assert o["errors"] == 0 and o["faithfulness"] is None
    assert summary.groups["betrokkenheid"]["hit@1"] == pytest.approx(1 / 2)
    assert summary.groups["taal:en"]["passed"] == 0
    assert summary.groups["refuse"]["refusal_accuracy"] == pytest.approx(1 / 2)
    assert summary.groups["refuse"]["hit@1"] is None  # no answerable cases in the group


def test_a_missing_result_counts_as_an_error():
    summary = summarize([case("a"), case("b")], {"a": result(cite(PHRASE))})
    assert summary.overall["errors"] == 1
    assert not summary.by_id()["b"].passed


def test_faithfulness_is_averaged_over_cases_that_have_it():
    scores = [
        score_case(case("a"), result(cite(PHRASE), faithfulness=1.0)),
        score_case(case("b"), result(cite(PHRASE), faithfulness=0.5)),
        score_case(case("c"), result(cite(PHRASE))),
    ]
    assert aggregate(scores)["faithfulness"] == pytest.approx(0.75)


def test_percentile_interpolates_and_handles_empty():
    assert percentile([], 50) is None
    assert percentile([10.0], 95) == 10.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_retrieval_is_scored_beside_the_answer_and_only_when_known():
    found_not_cited = result(
        cite("iets anders"),
        retrieved=[{"chunk_id": "a", "text": "x"}, {"chunk_id": "b", "text": PHRASE}],
    )
    cited = result(cite(PHRASE), retrieved=[{"chunk_id": "b", "text": PHRASE}])
    unknown = result(cite(PHRASE))  # a run that did not record what retrieval found
    cases = [case("a"), case("b"), case("c")]
    summary = summarize(cases, {"a": found_not_cited, "b": cited, "c": unknown})
    scores = summary.by_id()
    assert scores["a"].retrieval_rank == 2 and scores["a"].hit_rank is None
    assert scores["c"].retrieval_known is False
    overall = summary.overall
    assert overall["hit@5"] == pytest.approx(2 / 3)
    assert overall["retrieval_hit@5"] == 1.0  # over the two cases whose retrieval is known
    assert overall["retrieval_mrr"] == pytest.approx((1 / 2 + 1) / 2)


def test_no_recorded_retrieval_gives_no_retrieval_metric():
    summary = summarize([case("a")], {"a": result(cite(PHRASE))})
    assert summary.overall["retrieval_hit@5"] is None
