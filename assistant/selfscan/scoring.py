"""Checking answers, scoring the levers and the rule for where to begin. Pure functions.

A lever's score is the mean of its answers (1-5) mapped linearly onto 0-100: all
'helemaal oneens' gives 0, all 'helemaal eens' 100, all 'neutraal' 50. Rounded half up.

Where to begin (issue 11: the documents' own advice weighed against the weakest lever).
The documents advise beginning with one lever (dynamisch managen: "begin bij de
directeur/grootaandeelhouder"), and say the levers drive each other. So:

- that lever scores below the threshold: begin there ('bron', or 'bron_zwakste' when it
  is also (one of) the weakest);
- it scores at or above the threshold and another lever scores lower: begin with the
  weakest lever ('zwakste'; ties go to the earlier lever in the file);
- it scores at or above the threshold and nothing scores lower: keep at it ('alles_goed').
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from assistant.briefing.validation import SIZE_RANGE, clean_sector
from assistant.core.errors import InvalidInputError
from assistant.selfscan.templates import ScanTemplates, ScoreBand
from assistant.selfscan.types import ScanRequest, StartRuleCase

MIN_ANSWER, MAX_ANSWER = 1, 5


def clean_request(
    templates: ScanTemplates, answers: object, sector: object = None, size: object = None
) -> ScanRequest:
    """A ScanRequest from loose input; InvalidInputError (Dutch, naming the statement) if not."""
    return ScanRequest(
        answers=clean_answers(templates, answers), sector=clean_sector(sector), size=_size(size)
    )


def clean_answers(templates: ScanTemplates, answers: object) -> dict[str, int]:
    """Every statement's answer as an int 1-5, in file order."""
    if not isinstance(answers, Mapping):
        raise InvalidInputError(
            "De antwoorden moeten een object zijn: {stelling-id: 1-5, ...}, "
            f'bijvoorbeeld {{"{next(iter(templates.statements))}": 4}}.'
        )
    unknown = [str(key) for key in answers if key not in templates.statements]
    if unknown:
        raise InvalidInputError(
            f"Onbekende stelling '{_short(unknown[0])}'. Kies uit: "
            f"{', '.join(templates.statements)}."
        )
    missing = [sid for sid in templates.statements if answers.get(sid) is None]
    if missing:
        others = f" (en nog {len(missing) - 1} andere)" if len(missing) > 1 else ""
        raise InvalidInputError(
            f"Stelling {_named(templates, missing[0])} is niet beantwoord{others}. "
            f"Geef bij elke stelling een antwoord van {_range(templates)}."
        )
    return {sid: _answer(templates, sid, answers[sid]) for sid in templates.statements}


def _answer(templates: ScanTemplates, statement_id: str, value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            f"Het antwoord bij stelling {_named(templates, statement_id)} moet een geheel "
            f"getal zijn: {_range(templates)}."
        )
    if not MIN_ANSWER <= value <= MAX_ANSWER:
        raise InvalidInputError(
            f"Het antwoord bij stelling {_named(templates, statement_id)} moet tussen "
            f"{MIN_ANSWER} en {MAX_ANSWER} liggen ({_range(templates)}); nu {value}."
        )
    return value


def _named(templates: ScanTemplates, statement_id: str) -> str:
    return f"{statement_id} ('{templates.statements[statement_id].tekst}')"


def _range(templates: ScanTemplates) -> str:
    scale = templates.scale
    return f"{MIN_ANSWER} ({scale[0]}) tot en met {MAX_ANSWER} ({scale[-1]})"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # an empty field means "not given"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError("Het aantal medewerkers moet een geheel getal zijn.")
    low, high = SIZE_RANGE
    if not low <= value <= high:
        raise InvalidInputError(
            f"Het aantal medewerkers moet tussen {low} en {high} liggen (nu {value}). "
            "De zelfscan is bedoeld voor het mkb (minder dan 250 medewerkers)."
        )
    return value


def lever_score(values: Sequence[int]) -> int:
    """0-100 from answers 1-5: the mean mapped linearly, rounded half up."""
    if not values:
        raise ValueError("a lever needs at least one answer")
    mean = sum(values) / len(values)
    share = (mean - MIN_ANSWER) / (MAX_ANSWER - MIN_ANSWER)
    return math.floor(share * 100 + 0.5)


def lever_scores(templates: ScanTemplates, answers: Mapping[str, int]) -> dict[str, int]:
    """Every lever's score, in file order."""
    return {
        lever.id: lever_score([answers[s.id] for s in lever.stellingen])
        for lever in templates.spec.hefbomen
    }


def score_words(score: int, bands: Sequence[ScoreBand]) -> str:
    """The words of the highest band the score reaches."""
    return [band.woorden for band in bands if score >= band.vanaf][-1]


def choose_start(
    scores: Mapping[str, int], source_lever: str, threshold: int
) -> tuple[str, StartRuleCase]:
    """The lever to begin with and which case of the rule applied (see module docstring)."""
    lowest = min(scores.values())
    weakest = next(lever for lever, score in scores.items() if score == lowest)
    own = scores[source_lever]
    if own < threshold:
        return source_lever, "bron_zwakste" if own == lowest else "bron"
    if lowest < own:
        return weakest, "zwakste"
    return source_lever, "alles_goed"


def weakest_other(scores: Mapping[str, int], start: str) -> str | None:
    """The lowest-scoring lever other than the start lever (None with a single lever)."""
    others = {lever: score for lever, score in scores.items() if lever != start}
    if not others:
        return None
    lowest = min(others.values())
    return next(lever for lever, score in others.items() if score == lowest)
