"""The scan's fixed content, from prompts/scan.yaml: statements, levers, score words and texts.

The file is read and checked once, when the service is built (so at start-up): missing
fields, duplicate ids, a wrong number of statements and unknown $variables are a
ConfigError that names the file and the field, never a failure inside a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from assistant.core.errors import ConfigError
from assistant.core.prompts import PromptTemplate

FILE_NAME = "scan.yaml"
SCALE_POINTS = 5
STATEMENTS_PER_LEVER = (3, 4)
LEVER_COUNT = (3, 6)  # a radar chart needs at least three axes

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]

# Variables each text may use; any other $name is an error at load time.
TEXT_VARIABLES: dict[str, frozenset[str]] = {
    "bedrijf": frozenset({"wie"}),
    "sector_deel": frozenset({"sector"}),
    "omvang_deel": frozenset({"omvang", "omvang_klasse"}),
    "score_regel": frozenset({"naam", "score", "woorden"}),
    "begin_bron_zwakste": frozenset({"hefboom", "score"}),
    "begin_bron": frozenset({"hefboom", "score", "zwakste", "zwakste_score"}),
    "begin_zwakste": frozenset({"hefboom", "score", "bron_hefboom", "bron_score"}),
    "begin_alles_goed": frozenset({"hefboom", "score"}),
    "geen_uitleg": frozenset({"hefboom"}),
    "geen_tips": frozenset({"hefboom"}),
    "tips_algemeen": frozenset({"hefboom"}),
    "bron_regel": frozenset({"titel", "paginas"}),
    "bron_sectie": frozenset({"sectie"}),
}
LINE_VARIABLES = frozenset({"hefboom", "sector"})  # queries and chat questions


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatementSpec(_Strict):
    """One statement: what the owner rates, and the passage of the documents it measures."""

    id: Id
    tekst: Text
    passage: Text


class LeverSpec(_Strict):
    """One lever (a gear of figure 1): its name, retrieval queries and statements."""

    id: Id
    naam: Text
    ook_genoemd: tuple[Text, ...] = ()
    woorden: Text
    uitleg_zoekvragen: tuple[Text, ...] = Field(min_length=1)
    tip_zoekvragen: tuple[Text, ...] = Field(min_length=1)
    chatvragen: tuple[Text, ...] = Field(min_length=1)
    stellingen: tuple[StatementSpec, ...] = Field(
        min_length=STATEMENTS_PER_LEVER[0], max_length=STATEMENTS_PER_LEVER[1]
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The lever's name and the other names the documents use for it."""
        return (self.naam, *self.ook_genoemd)


class ScoreBand(_Strict):
    """From this score (0-100) on, the score reads as these words."""

    vanaf: int = Field(ge=0, le=100)
    woorden: Text


class StartRule(_Strict):
    """Where the documents say to begin, and how the owner's scores weigh against it."""

    hefboom: Id
    grens: int = Field(ge=0, le=100)
    zoekvragen: tuple[Text, ...] = Field(min_length=1)
    woorden: Text
    samenhang_zoekvragen: tuple[Text, ...] = Field(min_length=1)
    samenhang_woorden: Text


class ScanTexts(_Strict):
    """Every fixed text of the scan (headings, notes, advice); see prompts/scan.yaml."""

    titel: Text
    inleiding: Text
    bedrijf: Text
    sector_deel: Text
    omvang_deel: Text
    klasse_micro: Text
    klasse_klein: Text
    klasse_middel: Text
    toelichting: Text
    kop_scores: Text
    grafiek: Text
    score_regel: Text
    kop_begin: Text
    begin_bron_zwakste: Text
    begin_bron: Text
    begin_zwakste: Text
    begin_alles_goed: Text
    label_citaat: Text
    geen_citaat: Text
    kop_hefbomen: Text
    kop_uitleg: Text
    kop_tips: Text
    geen_uitleg: Text
    geen_tips: Text
    tips_algemeen: Text
    kop_vragen: Text
    kop_antwoorden: Text
    kop_bronnen: Text
    bron_regel: Text
    bron_sectie: Text
    voettekst: Text
    anoniem: Text
    anoniem_uitleg: Text
    gedeeld: Text


class ScanSpec(_Strict):
    """The whole file, as validated."""

    schaal: tuple[Text, ...] = Field(min_length=SCALE_POINTS, max_length=SCALE_POINTS)
    scorewoorden: tuple[ScoreBand, ...] = Field(min_length=1)
    hefbomen: tuple[LeverSpec, ...] = Field(min_length=LEVER_COUNT[0], max_length=LEVER_COUNT[1])
    begin: StartRule
    chatvragen: tuple[Text, ...] = Field(min_length=1)
    teksten: ScanTexts


class ScanTemplates:
    """The checked content of prompts/scan.yaml and rendering of its texts and lines."""

    def __init__(self, spec: ScanSpec, source: str = FILE_NAME) -> None:
        self.spec = spec
        self.source = source
        self.levers = {lever.id: lever for lever in spec.hefbomen}
        self.statements = {s.id: s for lever in spec.hefbomen for s in lever.stellingen}
        self.lever_of = {s.id: lever.id for lever in spec.hefbomen for s in lever.stellingen}
        _check(self)

    @classmethod
    def load(cls, prompts_dir: Path) -> ScanTemplates:
        """Read and check prompts_dir/scan.yaml; ConfigError naming the file and field."""
        path = Path(prompts_dir) / FILE_NAME
        if not path.is_file():
            raise ConfigError(f"Promptbestand ontbreekt: {path}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Promptbestand {path} is geen geldige YAML: {exc}") from exc
        try:
            spec = ScanSpec.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(f"Promptbestand {path} klopt niet: {_describe(exc)}") from exc
        return cls(spec, str(path))

    @property
    def texts(self) -> ScanTexts:
        """The fixed texts."""
        return self.spec.teksten

    @property
    def scale(self) -> tuple[str, ...]:
        """The answer labels, for 1 up to 5."""
        return self.spec.schaal

    def text(self, key: str, **values: object) -> str:
        """A fixed text, rendered (whitespace folded)."""
        template = PromptTemplate(key, getattr(self.texts, key))
        return " ".join(template.render(**values).split())

    def lines(self, lines: tuple[str, ...], **values: str) -> list[str]:
        """Query or question lines, rendered; lines using $sector are left out without one."""
        out = []
        for line in lines:
            template = PromptTemplate("regel", line)
            if "sector" in template.variables and not values.get("sector"):
                continue
            out.append(template.render(**values))
        return out


def _check(templates: ScanTemplates) -> None:
    """Cross-field rules the schema cannot express."""
    spec, where = templates.spec, templates.source
    ids = [lever.id for lever in spec.hefbomen]
    ids += [s.id for lever in spec.hefbomen for s in lever.stellingen]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"Promptbestand {where}: dubbele id('s): {', '.join(duplicates)}.")
    bands = [band.vanaf for band in spec.scorewoorden]
    if bands[0] != 0 or bands != sorted(set(bands)):
        raise ConfigError(
            f"Promptbestand {where}: 'scorewoorden' moet bij vanaf: 0 beginnen en oplopen."
        )
    if spec.begin.hefboom not in templates.levers:
        raise ConfigError(
            f"Promptbestand {where}: begin.hefboom '{spec.begin.hefboom}' is geen hefboom-id."
        )
    for key in ScanTexts.model_fields:
        text = getattr(spec.teksten, key)
        _check_variables(where, f"teksten.{key}", text, TEXT_VARIABLES.get(key))
    for lever in spec.hefbomen:
        for field in ("uitleg_zoekvragen", "tip_zoekvragen", "chatvragen"):
            lines = getattr(lever, field)
            for line in lines:
                _check_variables(where, f"hefbomen.{lever.id}.{field}", line, LINE_VARIABLES)
            _check_has_general_line(where, f"hefbomen.{lever.id}.{field}", lines)
    for line in spec.chatvragen:
        _check_variables(where, "chatvragen", line, LINE_VARIABLES)
    _check_has_general_line(where, "chatvragen", spec.chatvragen)


def _check_has_general_line(where: str, field: str, lines: tuple[str, ...]) -> None:
    """Lines with $sector are dropped without a sector: at least one must remain."""
    if all("sector" in PromptTemplate(field, line).variables for line in lines):
        raise ConfigError(f"Promptbestand {where}: {field} heeft een regel zonder $sector nodig.")


def _check_variables(where: str, field: str, text: str, allowed: frozenset[str] | None) -> None:
    unknown = PromptTemplate(field, text).variables - (allowed or frozenset())
    if unknown:
        raise ConfigError(
            f"Promptbestand {where}: {field} gebruikt onbekende variabele(n): "
            f"{', '.join('$' + v for v in sorted(unknown))}."
        )


_PROBLEMS = {
    "missing": "ontbreekt",
    "extra_forbidden": "is geen bekend veld",
    "too_short": "heeft te weinig elementen (minstens {min_length})",
    "too_long": "heeft te veel elementen (hoogstens {max_length})",
    "string_too_short": "is leeg",
    "string_type": "moet tekst zijn",
    "string_pattern_mismatch": "mag alleen kleine letters, cijfers en - bevatten",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than_equal": "mag hoogstens {le} zijn",
}


def _describe(exc: ValidationError) -> str:
    """The first problems in Dutch, each naming its field path (e.g. hefbomen.2.stellingen)."""
    parts = []
    for err in exc.errors()[:3]:
        field = ".".join(str(p) for p in err["loc"]) or "het bestand"
        problem = _PROBLEMS.get(err["type"])
        try:
            problem = problem.format(**(err.get("ctx") or {})) if problem else err["msg"]
        except (KeyError, IndexError):
            problem = err["msg"]
        parts.append(f"{field} {problem}")
    more = f" (en nog {exc.error_count() - 3} fouten)" if exc.error_count() > 3 else ""
    return "; ".join(parts) + more + "."
