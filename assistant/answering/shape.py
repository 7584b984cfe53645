"""The shape of an answer follows the question: what kind of question it is, and which
sentences of a passage answer that kind (advice for 'how', causes for 'why', ...).

Question kinds, checked in this order (Dutch and English wording):

- begin: where do I start;   how: how do I / what should I do;   may: may/must/should I
- why ("waarom zou ik ...?" is benefit);   who;   when;   cost (money);
- benefit (what does it bring me)
- list: which / what are the (n) parts;   define: what is / what is meant by ...
- what: anything else (facts)

For begin/how/may questions a passage with advice (imperatives, 'begin bij', 'zorg
voor', tips) may lead the answer over a definition ranked just above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.text import strip_list_mark

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "begin",
            r"\b(waar (moet|kan|zou) ik (mee )?beginnen|waar begin|hoe (begin|start)|"
            r"eerste stap|where (do|should|can) i (start|begin)|how (do|should|can) i "
            r"(start|begin)|first step)",
        ),
        # "Waarom zou ik ...?" asks what it brings the asker, not for a cause
        ("benefit", r"\b(waarom zou(den)? (ik|we|wij|je)|why should (i|we))\b"),
        ("why", r"\b(waarom|hoe komt het|wat is de reden|why)\b"),
        ("who", r"\b(wie|who|whom)\b"),
        ("when", r"\b(wanneer|van wanneer|welk jaar|welke datum|when)\b"),
        (
            "cost",
            r"\b(kost\w*|geld|betal\w*|subsidie\w*|financ\w*|budget|bekostig\w*|cost\w*|"
            r"money|pay|fund\w*)\b",
        ),
        (
            "benefit",
            r"\b(wat levert|levert .{0,40}\bop\b|wat heb ik (er)?aan|wat schiet ik|wat win ik|"
            r"helpt (het|dat)|voordel\w*|opbrengst\w*|what do i get|benefit\w*|will it help|"
            r"does it help|help me)",
        ),
        (
            "may",
            r"\b(mag ik|moet ik|kan ik|is het verstandig|is het slim|heeft het zin|should i|"
            r"may i|can i|do i have to|must i)\b",
        ),
        (
            "how",
            r"\b(hoe|wat (moet|kan|zou) ik (dan )?doen|wat raad\w*|tips?\b|how|"
            # "Wat moet de provincie volgens de SER doen?" asks for advice too
            r"wat (moet|moeten|kan|kunnen|zou|zouden)( \w+){1,5} doen|"
            r"(moet|moeten|zou|zouden) doen\b|"
            r"what (should|can) i do|advice)\b",
        ),
        ("list", r"\b(welke|wat zijn de|noem|onderdelen|which|what are the)\b"),
        # "Wat is sociale innovatie (eigenlijk)?", "Wat wordt bedoeld met slimmer werken?"
        (
            "define",
            r"^\W*(en\s+)?(wat (is|betekent|betekenen|houdt|verstaa?t|wordt (er )?bedoeld|"
            r"bedoel\w*)|what (is|are|does|do you mean))\b|"
            # "Vertel meer over de tweede", "Leg dat eens uit", "Tell me more about ..."
            r"\b(vertel (eens |me |mij )?(meer|iets) over|leg\b.{0,60}\buit\b|"
            r"tell me (more )?about|explain)",
        ),
    )
)
ADVICE_KINDS = frozenset({"begin", "how", "may"})

# Imperative verbs that open advice in the sources ("Zorg voor ...", "Begin bij ...").
_IMPERATIVES = frozenset(
    """gebruik zet koppel besteed zorg begin vergeet inspireer geef maak richt speel
    realiseer betrek leg zoek kijk stel start neem houd laat deel organiseer bied creëer
    investeer praat vraag bespreek luister""".split()
)
_ADVICE = re.compile(
    r"\b(advies|adviseer\w*|tips?|raadt|aanbeveling\w*|zorg voor|begin bij|"
    r"moet(en)? worden(?! gezien| beschouwd)|zou(den)? .{0,40}moeten|is nodig|is belangrijk)\b",
    re.IGNORECASE,
)
_FEATURES: dict[str, re.Pattern[str]] = {
    "why": re.compile(
        r"\b(omdat|doordat|daardoor|waardoor|zodat|want|leidt tot|dankzij|reden|oorzaak|"
        r"waarom|struikelblok|knelpunt\w*)\b",
        re.IGNORECASE,
    ),
    "when": re.compile(
        r"\b(19|20)\d\d\b|\b(januari|februari|maart|april|mei|juni|juli|augustus|september|"
        r"oktober|november|december)\b",
        re.IGNORECASE,
    ),
    "cost": re.compile(
        r"\b(subsidie\w*|geld|middelen|bekostiging|financ\w*|kosten|cofinanc\w*|co-financ\w*)",
        re.IGNORECASE,
    ),
    "benefit": re.compile(
        r"\b(bijdragen aan|levert|hogere|groter\w*|vergroot|verbeter\w*|minder verloop|"
        r"productiviteit|betrokkenheid|effect\w*|voordel\w*)",
        re.IGNORECASE,
    ),
    # a sentence that says what something is: "Sociale innovatie is de vernieuwing ...",
    # "... wordt 'management van verandering' genoemd", "De definitie die ..."
    "define": re.compile(
        r"\b(definitie|is de|is een|zijn de|houdt in|dat wil zeggen)\b|"
        r"\bwordt\b.{0,80}\b(genoemd|geduid|gedefinieerd|verstaan|omschreven)\b",
        re.IGNORECASE,
    ),
    "who": re.compile(
        r"\b(voorzitter|directeur|secretaris|lector|commissie|experts?|gedeputeerde|"
        r"projectleider|ondernemers|werkgevers|provincie)\b|\b[A-Z][a-z]+ (van |de )?[A-Z][a-z]+"
    ),
}
# Words that show a passage (or question) is about government: its advice is for the
# province, not for the owner who asks "how do I ...".
_GOVERNMENT = re.compile(
    r"\b(provincie\w*|provincia\w*|college|gedeputeerde\w*|overheid\w*|gemeente\w*|rijk|"
    r"ministerie|province|government|municipalit\w*)\b",
    re.IGNORECASE,
)
_ASKS_LIST = re.compile(
    r"\b(welke|wat zijn de|noem|onderdelen|punten|stappen|tips|which|what are the|parts|"
    r"steps|twee|drie|vier|vijf|zes|zeven|two|three|four|five|six|seven)\b",
    re.IGNORECASE,
)


# A first sentence that only introduces the asker's firm ("Ik heb een bakkerij met 12
# mensen.", "We are a metal company with 30 staff."), and a firm named in passing ("voor
# een webshop met drie medewerkers"): they say who asks, not what about.
_INTRODUCTION = re.compile(
    r"^\s*(?:ik heb|ik run|ik leid|ik bezit|ik ben (?:eigenaar|directeur) van|wij zijn|we zijn|"
    r"wij hebben|we hebben|mijn bedrijf is|ons bedrijf is|i run|i own|i have|i manage|we are|"
    r"we run|my company is|our company is)\s+(?:een|a|an)\s+([^.?!]*)[.!]\s+(?=\S[^?]*\?)",
    re.IGNORECASE,
)
_STAFF = (
    r"(?:met|with)\s+(?:\d+|ruim \d+|een \w+|\w+)\s+(?:man|mensen|medewerkers|werknemers|"
    r"personeelsleden|fte|people|employees|staff|workers)\b"
)
_FIRM = re.compile(
    rf"\b{_STAFF}|\w*(?:bedrijf|organisatie|zaak|winkel|praktijk|bureau|fabriek|onderneming|"
    r"firma|werkplaats|company|business|firm|shop|factory)\b",
    re.IGNORECASE,
)
_FIRM_IN_PASSING = re.compile(rf"\b(een|mijn|ons|onze|a|my|our)\s+[\w-]+\s+{_STAFF}", re.IGNORECASE)


def without_firm(question: str) -> str:
    """The question without what only describes the asker's firm: a first sentence that
    introduces it, or a firm named with its head count ('een webshop met drie
    medewerkers' reads 'een bedrijf'). The firm's kind ('bakkerij', 'webshop') says
    nothing about what the sources must cover. Unchanged when there is no such part."""
    match = _INTRODUCTION.match(question)
    if match and _FIRM.search(match.group(1)):
        question = question[match.end() :]
    return _FIRM_IN_PASSING.sub(r"\1 bedrijf", question)


@dataclass(frozen=True)
class QuestionShape:
    """What kind of question it is and whether it asks for a list."""

    kind: str
    wants_list: bool
    about_government: bool = False  # the question asks about the province, not the owner

    @property
    def wants_advice(self) -> bool:
        """begin/how/may questions: advice sentences answer them better than definitions."""
        return self.kind in ADVICE_KINDS


def question_shape(question: str) -> QuestionShape:
    """The kind of question (see module docstring) and whether it asks for a list."""
    kind = next((k for k, pattern in _KINDS if pattern.search(question)), "what")
    return QuestionShape(kind, bool(_ASKS_LIST.search(question)), about_government(question))


def about_government(text: str) -> bool:
    """Whether a text (a passage with its section heading) speaks of or to government."""
    return bool(_GOVERNMENT.search(text))


def is_advice(sentence: str) -> bool:
    """Whether a sentence gives advice: opens with an imperative (also after a label such
    as 'Dynamisch managen:') or uses advice wording."""
    body = strip_list_mark(sentence)
    for part in (body, body.split(":", 1)[-1]):
        words = part.strip().split()
        if words and words[0].lower().strip(",;") in _IMPERATIVES:
            return True
    return bool(_ADVICE.search(sentence))


def fits_kind(sentence: str, shape: QuestionShape) -> bool:
    """Whether a sentence has what this kind of question asks for."""
    kind = "advice" if shape.wants_advice else shape.kind
    return _fits(sentence, kind)


@lru_cache(maxsize=65536)
def _fits(sentence: str, kind: str) -> bool:
    if kind == "advice":
        return is_advice(sentence)
    pattern = _FEATURES.get(kind)
    return bool(pattern and pattern.search(sentence))
