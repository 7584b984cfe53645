"""Thumbs-down feedback becomes candidate cases in the set format, for a person to review."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from assistant.core.errors import InvalidInputError
from assistant.core.text import detect_language
from evals.metrics import fold
from evals.sets import ROLES, EvalCase, load_set, parse_case

log = logging.getLogger(__name__)
NO_REASON = "duim omlaag zonder toelichting"


class FeedbackSource(Protocol):
    """The reading side of the feedback store (assistant.feedback.FeedbackStore fits)."""

    def list(self, rating: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Stored feedback items, oldest first."""
        ...


def candidate_from(item: Mapping[str, Any]) -> dict[str, Any]:
    """One feedback item as a set-format case (no evidence yet: the reviewer adds it)."""
    case: dict[str, Any] = {"id": f"feedback-{item.get('id', '')}", "question": item["question"]}
    history = _history(item.get("history"))
    if history:
        case["history"] = history
    case["lang"] = detect_language(item["question"])
    case["tags"] = ["feedback"]
    reason = (item.get("reason") or "").strip() or NO_REASON
    answer = " ".join((item.get("answer") or "").split())[:300]
    case["note"] = f"{reason} | gegeven antwoord: {answer}" if answer else reason
    parse_case(case, "feedback", int(item.get("id") or 0))  # it must load as a case
    return case


def _history(value: Any) -> list[dict[str, str]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    if not isinstance(value, list):
        return []
    return [
        {"role": t["role"], "content": t["content"]}
        for t in value
        if isinstance(t, dict) and t.get("role") in ROLES and isinstance(t.get("content"), str)
    ]


def known_cases(directory: Path | str) -> list[EvalCase]:
    """Cases already in the set files of a directory; a malformed file is skipped with a warning."""
    cases: list[EvalCase] = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        try:
            cases.extend(load_set(path))
        except InvalidInputError as exc:
            log.warning("set skipped path=%s error=%s", path, exc)
    return cases


def _key(question: str, history: Iterable[Mapping[str, str]]) -> str:
    return fold(question) + "\x00" + fold(" | ".join(t["content"] for t in history))


def export_candidates(
    source: FeedbackSource, out: Path | str, known: Iterable[EvalCase] = ()
) -> int:
    """Write thumbs-down feedback as candidate cases, skipping repeats and cases already in a set.

    Returns the number of candidates written (the file is rewritten each time).
    """
    seen = {_key(c.question, c.history) for c in known}
    lines = []
    for item in source.list(rating="down"):
        if not (item.get("question") or "").strip():
            continue
        case = candidate_from(item)
        key = _key(case["question"], case.get("history", []))
        if key in seen:
            continue
        seen.add(key)
        lines.append(json.dumps(case, ensure_ascii=False))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)
