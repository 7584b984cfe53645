"""Text helpers for answering: sentence splitting, language guess, stemmed token sets."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.core.lexical import DutchTokenizer

# Abbreviations that end in a dot but do not end a sentence.
_ABBREVIATIONS = (
    "o.a.", "bijv.", "bv.", "d.w.z.", "m.b.t.", "t.a.v.", "e.d.", "etc.", "enz.", "nl.",
)  # fmt: skip
_ABBR_GUARD = "\u2024"  # one-dot leader, swapped in for dots inside abbreviations
_LIST_MARK = re.compile(r"^\s*(?:[-•«*·]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“(]?[A-Z0-9ÀÉÈËÏÖÜ])")
_WS = re.compile(r"\s+")

_EN_WORDS = frozenset(
    "the what how which who why where when is are do does can could should would i my we our "
    "you your to of and for with about in on it this that there".split()
)
_NL_WORDS = frozenset(
    "de het een wat hoe welke wie waarom waar wanneer is zijn doe doet kan kun kunnen moet "
    "ik mijn we wij ons onze je jij jouw u uw van en voor met over in op dit dat er bij".split()
)
_BOTH = _EN_WORDS & _NL_WORDS


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return _WS.sub(" ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Split a passage into sentences and list items, keeping their exact wording."""
    units: list[str] = []
    for block in _blocks(text):
        mark = _LIST_MARK.match(block)
        head = mark.group(0).strip() + " " if mark else ""
        guarded = block[mark.end() :] if mark else block
        for abbr in _ABBREVIATIONS:
            guarded = guarded.replace(abbr, abbr.replace(".", _ABBR_GUARD))
        for i, piece in enumerate(_SENTENCE_END.split(guarded)):
            piece = normalise_space(piece.replace(_ABBR_GUARD, "."))
            if piece:
                units.append(head + piece if i == 0 else piece)
    return units


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items: a list marker or blank line starts a new block."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip():
            blocks.append([])
            continue
        if _LIST_MARK.match(line) or not blocks:
            blocks.append([line.strip()])
        else:
            blocks[-1].append(line.strip())
    return [" ".join(b) for b in blocks if b]


def strip_list_mark(sentence: str) -> str:
    """The sentence without a leading bullet or number."""
    return _LIST_MARK.sub("", sentence, count=1)


def detect_language(text: str) -> str:
    """'en' when the text reads as English, else 'nl' (the default)."""
    words = re.findall(r"[a-zA-Z']+", text.lower())
    en = sum(1 for w in words if w in _EN_WORDS and w not in _BOTH)
    nl = sum(1 for w in words if w in _NL_WORDS and w not in _BOTH)
    return "en" if en > nl else "nl"


@lru_cache(maxsize=1)
def tokenizer() -> DutchTokenizer:
    """One shared Dutch tokenizer (stemmer construction is not free)."""
    return DutchTokenizer()


def stems(text: str) -> set[str]:
    """Folded, stemmed content tokens of a text, without stop words."""
    return set(tokenizer()(text))


_NUMBER_WORDS = {
    w: i
    for i, group in enumerate(
        [
            ("nul", "zero"),
            ("een", "één", "one"),
            ("twee", "two"),
            ("drie", "three"),
            ("vier", "four"),
            ("vijf", "five"),
            ("zes", "six"),
            ("zeven", "seven"),
            ("acht", "eight"),
            ("negen", "nine"),
            ("tien", "ten"),
        ]
    )
    for w in group
    if w != "een"  # 'een' is mostly the article
}


def numbers(text: str) -> set[int]:
    """Numbers a text states, as digits or (Dutch/English) number words up to ten."""
    found = {int(d) for d in re.findall(r"\b\d{1,6}\b", text)}
    found |= {_NUMBER_WORDS[w] for w in re.findall(r"\w+", text.lower()) if w in _NUMBER_WORDS}
    return found
