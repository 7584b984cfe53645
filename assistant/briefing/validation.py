"""Checks on what an advisor asks for: theme, sector, company size and session length.

Ranges: company size 1-249 employees (the EU definition of an SME: fewer than 250);
session length 30-480 minutes (half an hour up to a working day); theme 2-120 and
sector 2-60 characters of ordinary text.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.briefing.types import BriefRequest
from assistant.core.errors import InvalidInputError

THEME_CHARS = (2, 120)
SECTOR_CHARS = (2, 60)
SIZE_RANGE = (1, 249)
DURATION_RANGE = (30, 480)
DEFAULT_DURATION = 90
_SECTOR_OK = re.compile(r"^[\w][\w &/,.'()-]*$")


class ThemeNotCoveredError(InvalidInputError):
    """The documents say too little about the theme to build a brief on."""


def clean_request(
    theme: object, sector: object = None, size: object = None, duration: object = None
) -> BriefRequest:
    """A BriefRequest from loose input; InvalidInputError with a Dutch message otherwise."""
    return BriefRequest(
        theme=_theme(theme),
        sector=_sector(sector),
        size=_number(size, "De bedrijfsomvang", SIZE_RANGE, "medewerkers"),
        duration=_number(duration, "De duur", DURATION_RANGE, "minuten") or DEFAULT_DURATION,
    )


def _theme(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInputError("Het thema moet tekst zijn.")
    text = " ".join(value.split())
    if not text:
        raise InvalidInputError(
            "Geef een thema op voor de sessie, bijvoorbeeld 'slimmer werken' of 'leiderschap'."
        )
    _check_text(text, "Het thema", THEME_CHARS)
    return text


def clean_sector(value: object) -> str:
    """A sector name from loose input ('' when absent); InvalidInputError (Dutch) if unusable."""
    return _sector(value)


def _sector(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError("De sector moet tekst zijn.")
    text = " ".join(value.split())
    if not text:
        return ""
    _check_text(text, "De sector", SECTOR_CHARS)
    if not _SECTOR_OK.match(text):
        raise InvalidInputError(
            "De sector mag alleen letters, cijfers, spaties en - / & bevatten, "
            "bijvoorbeeld 'metaal'."
        )
    return text


def _check_text(text: str, what: str, limits: tuple[int, int]) -> None:
    low, high = limits
    if len(text) < low:
        raise InvalidInputError(f"{what} is te kort: gebruik minstens {low} tekens.")
    if len(text) > high:
        raise InvalidInputError(f"{what} is te lang ({len(text)} tekens); hoogstens {high}.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text):
        raise InvalidInputError(f"{what} bevat onzichtbare stuurtekens. Typ het opnieuw.")


def _number(value: object, what: str, limits: tuple[int, int], unit: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # an empty field means "not given"
    if isinstance(value, bool):
        raise InvalidInputError(f"{what} moet een geheel getal zijn.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise InvalidInputError(f"{what} moet een geheel getal zijn.")
    low, high = limits
    if not low <= value <= high:
        hint = (
            " De brief is bedoeld voor het mkb (minder dan 250 medewerkers)."
            if value > high and unit == "medewerkers"
            else ""
        )
        raise InvalidInputError(
            f"{what} moet tussen {low} en {high} {unit} liggen (nu {value}).{hint}"
        )
    return value
