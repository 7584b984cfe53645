"""The one text toolkit: sentences, list items, stems, language, numbers, citation markers.

Ingest (chunking), answering (quoting, the citation check) and briefing all cut and
compare text with these functions, so they never disagree about where a sentence ends.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.core.lexical import DutchTokenizer

# Abbreviations that end in a dot but do not end a sentence (lower-cased).
ABBREVIATIONS = frozenset(
    "o.a. bijv. bv. d.w.z. m.b.t. t.a.v. i.p.v. i.c.m. z.g. zgn. ca. nr. art. blz. dr. drs. "
    "ir. ing. mr. prof. mevr. dhr. jl. vgl. resp. incl. excl. e.d. e.a. m.n. mln. mld. min. "
    "e.g. i.e. vs. no. etc. enz. nl.".split()
)
LIST_PREFIXES = "-•«*·"  # bullets as they come out of PDFs and OCR
LIST_MARK = re.compile(r"^\s*(?:[-•«*·]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? … (plus closing quotes) before a capital, digit or opening quote.
_BOUNDARY = re.compile(r"[.!?…][\"”’')]*\s+(?=[\"“‘'(]?[A-ZÀ-Ý0-9])")
_INITIALS = re.compile(r"(?:[a-z]{1,2}\.)+")
_QUOTE = re.compile(r"[‘“]|[’”](?![A-Za-zÀ-ÿ])")
_WS = re.compile(r"\s+")

# Citation markers: [1], [2, 3], [1; 4] (one group) as the answers write them.
MARKER_GROUP = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")

DUPLICATE_OVERLAP = 0.7  # stem Jaccard above which two sentences count as repeats


# ----------------------------------------------------------------------------- sentences
def normalise_space(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return _WS.sub(" ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, in order, with their exact wording.

    A list marker or a blank line starts a new block; inside a block, a sentence ends at
    . ! ? or … followed by a capital, except after an abbreviation or initials, and not
    inside a quotation that is still open. Whitespace runs become one space.
    """
    units: list[str] = []
    for block in _blocks(text):
        mark = LIST_MARK.match(block)
        head = mark.group(0).strip() + " " if mark else ""
        body = block[mark.end() :] if mark else block
        for i, piece in enumerate(_sentences(body)):
            units.append(head + piece if i == 0 else piece)
    return units


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items: a list marker or blank line starts a new block."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip():
            blocks.append([])
            continue
        if LIST_MARK.match(line) or not blocks:
            blocks.append([line.strip()])
        else:
            blocks[-1].append(line.strip())
    return [" ".join(b) for b in blocks if b]


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start() + 1].split()
        last = before[-1].lower() if before else ""
        if last in ABBREVIATIONS or _INITIALS.fullmatch(last):
            continue
        if _inside_quote(text[start : match.end()]):
            continue
        sentences.append(normalise_space(text[start : match.end()]))
        start = match.end()
    sentences.append(normalise_space(text[start:]))
    return [s for s in sentences if s]


def _inside_quote(text: str, reach: int = 400) -> bool:
    """Whether a quotation opened near the end of text is still open.

    OCR mixes up quote glyphs, so any closing glyph closes any opening one; a ’ between
    letters is an apostrophe; a quote open for more than `reach` chars is taken as unbalanced.
    """
    depth_start = -1
    for match in _QUOTE.finditer(text):
        if match.group() in "‘“":
            depth_start = match.start() if depth_start < 0 else depth_start
        else:
            depth_start = -1
    return depth_start >= 0 and len(text) - depth_start < reach


def is_list_item(sentence: str) -> bool:
    """Whether a sentence starts with a bullet or a number."""
    return bool(LIST_MARK.match(sentence))


def strip_list_mark(sentence: str) -> str:
    """The sentence without a leading bullet or number."""
    return LIST_MARK.sub("", sentence, count=1)


# ----------------------------------------------------------------------------- words
@lru_cache(maxsize=1)
def tokenizer() -> DutchTokenizer:
    """One shared Dutch tokenizer (stemmer construction is not free)."""
    return DutchTokenizer()


def stems(text: str) -> set[str]:
    """Folded, stemmed content tokens of a text, without stop words."""
    return set(tokenizer()(text))


def jaccard(a: set[str], b: set[str]) -> float:
    """Overlap of two token sets (0 when either is empty)."""
    return len(a & b) / len(a | b) if a and b else 0.0


def is_repeat(tokens: set[str], seen: list[set[str]]) -> bool:
    """Whether a sentence's stems nearly repeat one already taken."""
    return any(jaccard(tokens, other) > DUPLICATE_OVERLAP for other in seen)


_EN_WORDS = frozenset(
    "the what how which who why where when is are do does can could should would i my we our "
    "you your to of and for with about in on it this that there".split()
)
_NL_WORDS = frozenset(
    "de het een wat hoe welke wie waarom waar wanneer is zijn doe doet kan kun kunnen moet "
    "ik mijn we wij ons onze je jij jouw u uw van en voor met over in op dit dat er bij".split()
)
_BOTH = _EN_WORDS & _NL_WORDS


def detect_language(text: str) -> str:
    """'en' when the text reads as English, else 'nl' (the default)."""
    words = re.findall(r"[a-zA-Z']+", text.lower())
    en = sum(1 for w in words if w in _EN_WORDS and w not in _BOTH)
    nl = sum(1 for w in words if w in _NL_WORDS and w not in _BOTH)
    return "en" if en > nl else "nl"


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


# ----------------------------------------------------------------------------- markers
def markers_of(text: str) -> list[int]:
    """Every source number cited in a text, in order ([1], [2, 3], [1][4])."""
    found: list[int] = []
    for group in MARKER_GROUP.findall(text):
        found.extend(int(n) for n in re.split(r"[,;]", group))
    return found


def strip_markers(text: str) -> str:
    """The text without citation markers."""
    return MARKER_GROUP.sub("", text)
