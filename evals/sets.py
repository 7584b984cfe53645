"""Question sets: one JSON object per line, validated strictly so a typo cannot hide a case."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import InvalidInputError

FIELDS = ("id", "question", "history", "evidence", "doc_id", "refuse", "lang", "tags", "note")
LANGS = ("nl", "en")
ROLES = ("user", "assistant")


class SetError(InvalidInputError):
    """A question set line is malformed; names the file and the line."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}, regel {line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class EvalCase:
    """One question with what a good answer must contain (or that it must be refused)."""

    id: str
    question: str
    history: tuple[dict[str, str], ...] = ()
    evidence: tuple[str, ...] = ()
    doc_id: str | None = None
    refuse: bool = False
    lang: str = "nl"
    tags: tuple[str, ...] = ()
    note: str | None = None
    source: str = field(default="", compare=False)  # 'file:line', for messages

    @property
    def groups(self) -> list[str]:
        """Groups this case is reported under: its tags and its language."""
        return [f"taal:{self.lang}", *self.tags]

    def to_dict(self) -> dict[str, Any]:
        """The set-file form: only fields that carry information."""
        out: dict[str, Any] = {"id": self.id, "question": self.question}
        if self.history:
            out["history"] = [dict(turn) for turn in self.history]
        if self.evidence:
            out["evidence"] = list(self.evidence)
        if self.doc_id:
            out["doc_id"] = self.doc_id
        if self.refuse:
            out["refuse"] = True
        out["lang"] = self.lang
        if self.tags:
            out["tags"] = list(self.tags)
        if self.note:
            out["note"] = self.note
        return out


def load_sets(paths: Sequence[Path | str]) -> list[EvalCase]:
    """Load several set files; ids must be unique across all of them."""
    cases: list[EvalCase] = []
    seen: dict[str, str] = {}
    for path in paths:
        for case in load_set(path):
            if case.id in seen:
                file, line = case.source.rsplit(":", 1)
                raise SetError(file, int(line), f"id '{case.id}' staat ook in {seen[case.id]}")
            seen[case.id] = case.source
            cases.append(case)
    return cases


def load_set(path: Path | str) -> list[EvalCase]:
    """Load and validate one JSONL set file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInputError(f"Vragenset niet gevonden: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"Vragenset {path} is niet leesbaar: {exc}") from exc
    return parse_lines(text.splitlines(), str(path))


def parse_lines(lines: Iterable[str], name: str = "<set>") -> list[EvalCase]:
    """Parse set lines; blank lines are skipped, every other line must be a valid case."""
    cases: list[EvalCase] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        case = parse_case(_decode(line, name, number), name, number)
        if case.id in first_line:
            earlier = first_line[case.id]
            reason = f"id '{case.id}' komt dubbel voor (eerder op regel {earlier})"
            raise SetError(name, number, reason)
        first_line[case.id] = number
        cases.append(case)
    if not cases:
        raise InvalidInputError(f"Vragenset {name} bevat geen vragen.")
    return cases


def _decode(line: str, name: str, number: int) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SetError(name, number, f"geen geldige JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise SetError(name, number, "elke regel moet één JSON-object zijn")
    return data


def parse_case(data: dict[str, Any], name: str = "<set>", number: int = 1) -> EvalCase:
    """Validate one decoded line and build the case."""

    def fail(reason: str) -> SetError:
        return SetError(name, number, reason)

    unknown = [key for key in data if key not in FIELDS]
    if unknown:
        allowed = ", ".join(FIELDS)
        raise fail(f"onbekend veld {', '.join(repr(k) for k in unknown)} (toegestaan: {allowed})")
    for key in ("id", "question"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(f"veld '{key}' ontbreekt of is leeg")
    lang = data.get("lang", "nl")
    if lang not in LANGS:
        raise fail(f"'lang' moet een van {', '.join(LANGS)} zijn, niet {lang!r}")
    refuse = data.get("refuse", False)
    if not isinstance(refuse, bool):
        raise fail("'refuse' moet true of false zijn")
    for key in ("doc_id", "note"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise fail(f"'{key}' moet tekst zijn")
    return EvalCase(
        id=data["id"].strip(),
        question=data["question"],
        history=_history(data.get("history"), fail),
        evidence=_strings(data.get("evidence"), "evidence", fail),
        doc_id=data.get("doc_id") or None,
        refuse=refuse,
        lang=lang,
        tags=_strings(data.get("tags"), "tags", fail),
        note=data.get("note") or None,
        source=f"{name}:{number}",
    )


def _strings(value: Any, key: str, fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"'{key}' moet een lijst met niet-lege teksten zijn")
    return tuple(value)


def _history(value: Any, fail) -> tuple[dict[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fail("'history' moet een lijst met beurten zijn")
    turns = []
    for i, turn in enumerate(value, start=1):
        if (
            not isinstance(turn, dict)
            or set(turn) != {"role", "content"}
            or turn["role"] not in ROLES
            or not isinstance(turn["content"], str)
        ):
            raise fail(
                f'beurt {i} in \'history\' moet {{"role": "user"|"assistant", '
                f'"content": "..."}} zijn'
            )
        turns.append({"role": turn["role"], "content": turn["content"]})
    return tuple(turns)
