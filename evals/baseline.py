"""The committed baseline: compare a run against it, and rewrite it on request.

A run regresses when a gated metric is worse than the baseline by more than the
tolerance (absolute, on 0..1 rates). Latency is reported but not gated: it depends
on the machine; speed is measured in bench/. The file states its own tolerance so a
reviewer sees what "worse" means; DEFAULT_TOLERANCE applies when it does not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.core.errors import InvalidInputError
from evals.metrics import DIRECTIONS, Summary

DEFAULT_TOLERANCE = 0.02  # one question in 50; a real change moves more than noise does
GATED = (
    "pass_rate",
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "retrieval_hit@5",
    "retrieval_mrr",
    "citation_precision",
    "refusal_accuracy",
    "false_refusal_rate",
    "faithfulness",
    "error_rate",
)
FORMAT_VERSION = 1


def noise(name: str, baseline: float) -> float:
    """Differences below this are shown as 'unchanged': rounding for rates, jitter for latency."""
    if name.startswith("latency"):
        return max(10.0, 0.1 * abs(baseline))
    return 0.0005  # below the 0.1 percentage point the report shows


@dataclass
class MetricChange:
    """One metric, baseline against now."""

    name: str
    baseline: float | None
    current: float | None
    gated: bool
    tolerance: float

    @property
    def delta(self) -> float | None:
        """current - baseline when both exist; 0.0 when the difference is only noise."""
        if self.baseline is None or self.current is None:
            return None
        delta = self.current - self.baseline
        return 0.0 if abs(delta) < noise(self.name, self.baseline) else delta

    @property
    def better(self) -> bool | None:
        """True better, False worse, None unchanged/unknown (direction-aware)."""
        if not self.delta:
            return None
        return (self.delta > 0) == DIRECTIONS.get(self.name, True)

    @property
    def regressed(self) -> bool:
        """Worse than the baseline by more than the tolerance, on a gated metric."""
        if not self.gated or self.delta is None:
            return False
        worse = -self.delta if DIRECTIONS.get(self.name, True) else self.delta
        return worse > self.tolerance + 1e-9


@dataclass
class Comparison:
    """A run compared with the baseline."""

    changes: list[MetricChange]
    newly_failed: list[str]
    newly_passed: list[str]
    new_cases: list[str]
    missing_cases: list[str]
    tolerance: float
    comparable: bool = True
    note: str = ""
    baseline_created: str = ""
    regressions: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.regressions = [c.name for c in self.changes if c.regressed] if self.comparable else []

    @property
    def regressed(self) -> bool:
        """Whether the run must fail."""
        return bool(self.regressions)

    def change(self, name: str) -> MetricChange | None:
        """The change of one metric, if compared."""
        return next((c for c in self.changes if c.name == name), None)


def load_baseline(path: Path | str) -> dict[str, Any] | None:
    """Read the baseline file; None when it does not exist."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"Basislijn {path} is niet leesbaar: {exc}") from exc
    if not isinstance(data, dict) or "metrics" not in data or "cases" not in data:
        raise InvalidInputError(f"Basislijn {path} mist 'metrics' of 'cases'.")
    return data


def compare(baseline: dict[str, Any], summary: Summary, sets: Sequence[str]) -> Comparison:
    """Compare a summary with a loaded baseline."""
    tolerance = float(baseline.get("tolerance", DEFAULT_TOLERANCE))
    old_cases: dict[str, bool] = baseline["cases"]
    now = {c.id: c.passed for c in summary.cases}
    comparable, note = True, ""
    if sorted(baseline.get("sets", [])) != sorted(sets):
        comparable = False
        note = (
            f"De basislijn hoort bij {', '.join(baseline.get('sets', [])) or '?'}, "
            f"deze run bij {', '.join(sets)}: niet vergeleken."
        )
    elif int(baseline.get("k", summary.k)) != summary.k:
        comparable, note = False, f"De basislijn gebruikt k={baseline.get('k')}: niet vergeleken."
    changes = [
        MetricChange(
            name=name,
            baseline=baseline["metrics"].get(name),
            current=summary.overall.get(name),
            gated=name in GATED,
            tolerance=tolerance,
        )
        for name in DIRECTIONS
    ]
    return Comparison(
        changes=changes,
        newly_failed=sorted(i for i, ok in now.items() if not ok and old_cases.get(i) is True),
        newly_passed=sorted(i for i, ok in now.items() if ok and old_cases.get(i) is False),
        new_cases=sorted(set(now) - set(old_cases)),
        missing_cases=sorted(set(old_cases) - set(now)),
        tolerance=tolerance,
        comparable=comparable,
        note=note,
        baseline_created=str(baseline.get("created", "")),
    )


def baseline_from(summary: Summary, sets: Sequence[str], tolerance: float | None = None) -> dict:
    """The baseline document for a run."""
    return {
        "version": FORMAT_VERSION,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sets": sorted(sets),
        "k": summary.k,
        "tolerance": DEFAULT_TOLERANCE if tolerance is None else tolerance,
        "tolerance_note": (
            "A run fails when a gated metric is worse than here by more than this "
            "(absolute, on 0..1 rates). Latency is not gated."
        ),
        "gated": list(GATED),
        "metrics": {k: _round(v) for k, v in summary.overall.items()},
        "cases": {c.id: c.passed for c in summary.cases},
    }


def write_baseline(path: Path | str, document: dict[str, Any]) -> Path:
    """Write the baseline JSON (stable key order, readable diffs)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value
