"""The scan's input and result, as every front end (CLI, API, UI) receives them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from assistant.answering.types import Citation

# Which case of the start rule applied (see assistant.selfscan.scoring.choose_start).
StartRuleCase = Literal["bron_zwakste", "bron", "zwakste", "alles_goed"]


@dataclass(frozen=True)
class ScanRequest:
    """Checked input: an answer 1-5 for every statement, in file order; optional firm facts."""

    answers: dict[str, int]
    sector: str = ""
    size: int | None = None  # employees


@dataclass(frozen=True)
class LeverScore:
    """A lever's score, 0 (all 'helemaal oneens') to 100 (all 'helemaal eens'), in words."""

    id: str
    name: str
    score: int
    words: str


@dataclass(frozen=True)
class CitedText:
    """A passage quoted from the documents for a lever; `citations` are its numbers [n]."""

    lever: str
    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class LeverNote:
    """A plain statement that the documents lack something for a lever."""

    lever: str
    kind: Literal["uitleg", "tips", "tips_algemeen"]
    text: str


@dataclass(frozen=True)
class StartAdvice:
    """Where to begin: the lever, the case of the rule, the advice and the quotes it rests on."""

    lever: str
    case: StartRuleCase
    text: str
    quotes: tuple[CitedText, ...]


@dataclass(frozen=True)
class ScanResult:
    """The scan's outcome; `levers`, `start_lever`, `tips` and `citations` as issue 11 asks."""

    levers: tuple[LeverScore, ...]
    start_lever: str
    tips: tuple[CitedText, ...]
    citations: tuple[Citation, ...]
    descriptions: tuple[CitedText, ...]
    start: StartAdvice
    questions: tuple[str, ...]
    notes: tuple[LeverNote, ...]
    answers: dict[str, int]
    sector: str = ""
    omvang: int | None = None
    company: str = ""  # the firm as described in the result, '' when nothing was given

    def lever(self, lever_id: str) -> LeverScore:
        """The score of one lever (StopIteration when absent)."""
        return next(s for s in self.levers if s.id == lever_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the API body, the CLI's .json output)."""
        return asdict(self)
