"""Scoring: per question (pass/fail, evidence rank, precision) and aggregated per group.

Definitions (they are also explained in plain Dutch in the HTML report):

- A citation *holds evidence* when its text contains one of the case's evidence phrases,
  comparing with case and whitespace folded. A phrase cut by a chunk border still counts
  when at least half of it (in characters) sits at the border: the chunk ends with the
  phrase's head or starts with its tail.
- hit@k: share of answerable cases with evidence where one of the first k citations holds
  evidence. MRR: mean of 1/rank of the first such citation (0 when none). A refused answer
  counts as a miss: the user did not get the passage.
- retrieval_hit@5 / retrieval_mrr: the same over the passages retrieval ranked for the
  answer (Answer.retrieved), refused or not: what the answer could have cited. The answer
  should lose nothing of it (answer hit@5 close to retrieval hit@5).
- citation precision: per answered case with evidence or doc_id, the share of its citations
  that hold evidence or come from doc_id; averaged over those cases.
- refusal accuracy: share of `refuse` cases that were refused (and did not error).
- false-refusal rate: share of the other cases that were refused.
- faithfulness (generative answers only): share of answer sentences supported by a passage
  they cite, as measured by the runner with the answering service's support check.
- pass: refuse cases pass when refused; answerable cases pass when not refused and, if they
  have evidence, one of the first k citations holds it (else, if they have doc_id, one
  citation comes from it). An error always fails.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from evals.sets import EvalCase

_WS = re.compile(r"\s+")
HIT_KS = (1, 3, 5)

# Metric name -> True when higher is better. Order is the display order.
DIRECTIONS: dict[str, bool] = {
    "pass_rate": True,
    "hit@1": True,
    "hit@3": True,
    "hit@5": True,
    "mrr": True,
    "retrieval_hit@5": True,
    "retrieval_mrr": True,
    "citation_precision": True,
    "refusal_accuracy": True,
    "false_refusal_rate": False,
    "faithfulness": True,
    "error_rate": False,
    "latency_p50_ms": False,
    "latency_p95_ms": False,
}


def fold(text: str) -> str:
    """Case- and whitespace-folded text (NFC normalised) for evidence matching."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def holds_evidence(text: str, phrases: Iterable[str]) -> bool:
    """Whether a citation text contains any phrase, allowing a phrase cut at a chunk border."""
    body = fold(text)
    return any(_phrase_in(body, fold(p)) for p in phrases if p.strip())


def _phrase_in(body: str, phrase: str) -> bool:
    if phrase in body:
        return True
    half = len(phrase) / 2
    for cut in range(math.ceil(half), len(phrase)):
        head, tail = phrase[:cut].rstrip(), phrase[len(phrase) - cut :].lstrip()
        if len(head) >= half and body.endswith(head):
            return True
        if len(tail) >= half and body.startswith(tail):
            return True
    return False


@dataclass(frozen=True)
class CaseScore:
    """How one question did."""

    id: str
    passed: bool
    refuse_expected: bool
    has_evidence: bool
    refused: bool
    error: str | None
    hit_rank: int | None  # 1-based rank of the first citation holding evidence
    retrieval_rank: int | None  # 1-based rank of the first retrieved passage holding it
    retrieval_known: bool  # the run recorded what retrieval found
    precision: float | None
    faithfulness: float | None
    latency_ms: float | None
    groups: tuple[str, ...]


def score_case(case: EvalCase, result: Mapping[str, Any], k: int = 5) -> CaseScore:
    """Score one result record (as the runner writes it) against its case."""
    error = result.get("error")
    refused = bool(result.get("refused")) and not error
    citations = [] if error else list(result.get("citations") or [])
    rank = None if refused else evidence_rank(case, citations)
    return CaseScore(
        id=case.id,
        passed=_passed(case, citations, refused, rank, error, k),
        refuse_expected=case.refuse,
        has_evidence=bool(case.evidence),
        refused=refused,
        error=error,
        hit_rank=rank,
        retrieval_rank=None if error else evidence_rank(case, result.get("retrieved") or []),
        retrieval_known=bool(result.get("retrieved")),
        precision=None if refused else citation_precision(case, citations),
        faithfulness=result.get("faithfulness"),
        latency_ms=result.get("latency_ms"),
        groups=tuple(case.groups),
    )


def evidence_rank(case: EvalCase, citations: Sequence[Mapping[str, Any]]) -> int | None:
    """1-based rank of the first citation that holds the case's evidence, or None."""
    if not case.evidence:
        return None
    for rank, citation in enumerate(citations, start=1):
        if holds_evidence(citation.get("text", ""), case.evidence):
            return rank
    return None


def citation_precision(case: EvalCase, citations: Sequence[Mapping[str, Any]]) -> float | None:
    """Share of citations holding evidence or from doc_id; None when undefined."""
    if not citations or not (case.evidence or case.doc_id):
        return None
    good = sum(1 for c in citations if _citation_ok(case, c))
    return good / len(citations)


def _citation_ok(case: EvalCase, citation: Mapping[str, Any]) -> bool:
    if case.doc_id and citation.get("doc_id") == case.doc_id:
        return True
    return bool(case.evidence) and holds_evidence(citation.get("text", ""), case.evidence)


def _passed(case, citations, refused: bool, rank: int | None, error, k: int) -> bool:
    if error:
        return False
    if case.refuse:
        return refused
    if refused:
        return False
    if case.evidence:
        return rank is not None and rank <= k
    if case.doc_id:
        return any(c.get("doc_id") == case.doc_id for c in citations)
    return True


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    data = sorted(values)
    if not data:
        return None
    pos = (len(data) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return data[low] + (data[high] - data[low]) * (pos - low)


def _mean(values: Iterable[float | None]) -> float | None:
    data = [v for v in values if v is not None]
    return sum(data) / len(data) if data else None


def aggregate(scores: Sequence[CaseScore]) -> dict[str, Any]:
    """Metrics over a group of scored cases (None where a metric has no cases)."""
    answerable = [s for s in scores if not s.refuse_expected]
    must_refuse = [s for s in scores if s.refuse_expected]
    ranked = [s for s in answerable if s.has_evidence]
    latencies = [s.latency_ms for s in scores if s.latency_ms is not None and not s.error]
    out: dict[str, Any] = {
        "n": len(scores),
        "passed": sum(s.passed for s in scores),
        "pass_rate": _mean(float(s.passed) for s in scores),
    }
    for k in HIT_KS:
        out[f"hit@{k}"] = _mean(float(s.hit_rank is not None and s.hit_rank <= k) for s in ranked)
    out["mrr"] = _mean(1 / s.hit_rank if s.hit_rank else 0.0 for s in ranked)
    measured = [s for s in ranked if s.retrieval_known]
    out["retrieval_hit@5"] = _mean(
        float(s.retrieval_rank is not None and s.retrieval_rank <= 5) for s in measured
    )
    out["retrieval_mrr"] = _mean(
        1 / s.retrieval_rank if s.retrieval_rank and s.retrieval_rank <= 5 else 0.0
        for s in measured
    )
    out["citation_precision"] = _mean(s.precision for s in answerable)
    out["refusal_accuracy"] = _mean(float(s.refused) for s in must_refuse)
    out["false_refusal_rate"] = _mean(float(s.refused) for s in answerable)
    out["faithfulness"] = _mean(s.faithfulness for s in scores)
    out["errors"] = sum(1 for s in scores if s.error)
    out["error_rate"] = _mean(float(bool(s.error)) for s in scores)
    out["latency_p50_ms"] = percentile(latencies, 50)
    out["latency_p95_ms"] = percentile(latencies, 95)
    return out


@dataclass
class Summary:
    """Scores per case plus metrics overall and per group (tags and languages)."""

    k: int
    cases: list[CaseScore]
    overall: dict[str, Any]
    groups: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "k": self.k,
            "overall": self.overall,
            "groups": self.groups,
            "cases": [asdict(c) for c in self.cases],
        }

    def by_id(self) -> dict[str, CaseScore]:
        """Case scores keyed by case id."""
        return {c.id: c for c in self.cases}


def summarize(
    cases: Sequence[EvalCase], results: Mapping[str, Mapping[str, Any]], k: int = 5
) -> Summary:
    """Score every case against its result (keyed by id); a missing result is an error."""
    scores = []
    for case in cases:
        result = results.get(case.id) or {"error": "geen resultaat voor deze vraag"}
        scores.append(score_case(case, result, k))
    groups: dict[str, list[CaseScore]] = {}
    for score in scores:
        for group in score.groups:
            groups.setdefault(group, []).append(score)
    return Summary(
        k=k,
        cases=scores,
        overall=aggregate(scores),
        groups={name: aggregate(members) for name, members in sorted(groups.items())},
    )
