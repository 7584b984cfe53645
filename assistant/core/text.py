"""The one text toolkit: sentences, list items, stems, language, numbers, citation markers.

Ingest (chunking), answering (quoting, the citation check) and briefing all cut and
compare text with these functions, so they never disagree about where a sentence ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.core.lexical import DutchTokenizer

# Abbreviations that end in a dot but do not end a sentence (lower-cased).
ABBREVIATIONS = frozenset(
    "o.a. bijv. bv. d.w.z. m.b.t. t.a.v. i.p.v. i.c.m. z.g. zgn. ca. nr. art. blz. dr. drs. "
    "ir. ing. mr. prof. mevr. dhr. jl. vgl. resp. incl. excl. e.d. e.a. m.n. mln. mld. min. "
    "e.g. i.e. vs. no. etc. enz. nl.".split()
)
LIST_MARK = re.compile(r"^\s*(?:[-•«*·]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? … (plus closing quotes) before a capital, digit or opening quote.
_BOUNDARY = re.compile(r"[.!?…][\"”’')]*\s+(?=[\"“‘'(]?[A-ZÀ-Ý0-9])")
_INITIALS = re.compile(r"(?:[a-z]{1,2}\.)+")
_QUOTE = re.compile(r"[‘“]|[’”](?![A-Za-zÀ-ÿ])")
_WS = re.compile(r"\s+")

# Citation markers as the app writes them: [1], [2, 3], [1; 4] (one group). Model output
# comes in many more shapes; read it with find_markers / cited_lines below.
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
    return list(_split_cached(text))


@lru_cache(maxsize=8192)
def _split_cached(text: str) -> tuple[str, ...]:
    return tuple(_split(text))


def _split(text: str) -> list[str]:
    units: list[str] = []
    for block in blocks(text):
        mark = LIST_MARK.match(block)
        head = mark.group(0).strip() + " " if mark else ""
        body = block[mark.end() :] if mark else block
        for i, piece in enumerate(_sentences(body)):
            units.append(head + piece if i == 0 else piece)
    return units


def blocks(text: str) -> list[str]:
    """Paragraphs and list items (with their continuation lines): a list marker or a
    blank line starts a new block."""
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
    sentences = (normalise_space(text[start:end]) for start, end in _sentence_spans(text))
    return [s for s in sentences if s]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a block; a span ends after the space that follows."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start() + 1].split()
        last = before[-1].lower() if before else ""
        if last in ABBREVIATIONS or _INITIALS.fullmatch(last):
            continue
        if _inside_quote(text[start : match.end()]):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


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


_ANNOUNCES_TABLE = re.compile(r"\b(?:tabel|table)\b[^.!?]*[.!?:]?$", re.IGNORECASE)


def announces_table(sentence: str) -> bool:
    """Whether a sentence points at a table that follows it ('... (zie tabel hieronder).')."""
    return bool(_ANNOUNCES_TABLE.search(sentence.strip()))


_QUESTION_END = re.compile(r"\?[\s\"'’”)]*$")


def telling_part(sentence: str) -> str:
    """What a sentence of a source tells. One that ends in a question says what is asked,
    not what is answered: of "In dit briefadvies vraagt de SER ... met als centrale vraag:
    'Wat zijn de knelpunten ...?'" the statement before the quoted question is kept, of a
    question of its own ("Wat heeft het mkb nodig ...?") nothing."""
    if not _QUESTION_END.search(sentence):
        return sentence
    return sentence.split(":", 1)[0] if ":" in sentence else ""


def strip_list_mark(sentence: str) -> str:
    """The sentence without a leading bullet or number."""
    return LIST_MARK.sub("", sentence, count=1)


# ----------------------------------------------------------------------------- words
@lru_cache(maxsize=1)
def tokenizer() -> DutchTokenizer:
    """One shared Dutch tokenizer (stemmer construction is not free)."""
    return DutchTokenizer()


@lru_cache(maxsize=65536)
def stems(text: str) -> frozenset[str]:
    """Folded, stemmed content tokens of a text, without stop words (cached: the same
    passage sentences are scored for many questions)."""
    return frozenset(tokenizer()(text))


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


_COUNTED_WORD = re.compile(r"[\w'’]+")


def counted(sentence: str, reach: int = 2) -> frozenset[str]:
    """Stems of the words a sentence counts: up to `reach` words after a number it states
    ("vier onderdelen", "7 maatschappelijke thema's"). A list item's own number ("1.
    Dynamisch managen") counts nothing."""
    words = _COUNTED_WORD.findall(strip_list_mark(sentence).lower())
    found: set[str] = set()
    for i, word in enumerate(words):
        if (word.isdigit() and len(word) <= 3) or word in _NUMBER_WORDS:
            found |= stems(" ".join(words[i + 1 : i + 1 + reach]))
    return frozenset(found)


# ----------------------------------------------------------------------------- markers
# Citation markers as language models write them. Square brackets: [1], [1][2], [1, 2],
# [1; 2], [1-3], [1–3], [bron 1], [^1] (footnote), [1, p. 6]. Round brackets with a source
# word: (bron 1), (bronnen 1 en 2), (source 2), (zie bron 3). Superscripts: ¹ ²˒³ ¹⁻³.
# A range stands for its members. Round brackets with bare numbers are ambiguous, see
# _cites_here: (1) is a citation only where a citation stands, never an enumerator.
_SOURCE_WORD = (
    r"(?:bronnen|bron|sources?|passages?|fragmenten|fragment|documenten|document|"
    r"referenties|referentie|references?|refs?\.?)"
)
_THROUGH = r"\s*(?:[-–—]|t/m|tot en met|to|through)\s*"
_AND = r"\s*(?:[,;&+]|\ben\b|\band\b)\s*"
_MEMBER = rf"(?:{_SOURCE_WORD}\s*:?\s*(?:nr\.?\s*|#\s*)?)?\d{{1,3}}(?:{_THROUGH}\d{{1,3}})?"
_PAGE = (
    r"(?:\s*[,;]?\s*(?:p\.|pp\.|pag\.|pagina's|pagina|blz\.|pages?)"
    r"\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?)"
)
_INNER = rf"\s*(?:(?:zie|see|volgens|cf\.|vgl\.)\s+)?{_MEMBER}(?:{_AND}{_MEMBER})*{_PAGE}?\s*"
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_ATOM = re.compile(
    rf"\[\^?(?P<square>{_INNER})\]|\((?P<round>{_INNER})\)"
    rf"|(?P<sup>[{_SUPERSCRIPT}]+(?:(?:\s*[,˒]\s*|[⁻–-])[{_SUPERSCRIPT}]+)*)",
    re.IGNORECASE,
)
_HAS_SOURCE_WORD = re.compile(_SOURCE_WORD, re.IGNORECASE)
_PAGE_PART = re.compile(_PAGE + r"\s*$", re.IGNORECASE)
_NUMBER_OR_RANGE = re.compile(rf"(\d{{1,3}})(?:{_THROUGH}(\d{{1,3}}))?", re.IGNORECASE)
_RUN_GAP = re.compile(r"[ \t]*(?:[,;&]|en|and)?[ \t]*", re.IGNORECASE)
_CITATION_FOLLOWS = re.compile(r"[ \t]*(?:$|\n|[.,;:!?…)\]\"”’'*_])")
_UNIT_BEFORE = re.compile(r"(?:(?<![^\W\d_])[kcdm]?m|\d)$")  # m², km², cm³, 10²: no markers
_FOOTNOTE_DEFINITION = re.compile(r"^\s*\[\^\d{1,3}\]:")
_SOURCE_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?[*_]*\s*(?:gebruikte\s+)?(?:bronnen|bron|bronvermelding|"
    r"bronverwijzingen|referenties|voetnoten|sources?|references?|footnotes?)"
    r"\s*[*_]*\s*(?P<colon>:)?[*_]*\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_BARE_NUMBERS = re.compile(rf"^{_INNER}[.]?$", re.IGNORECASE)
_FINAL_TAIL = re.compile(r"[\s.!?…:;,\"”’')\]*_]*")
_STOP = re.compile(r"[.!?…:;,]+$")
_ENUMERATOR = re.compile(r"\(\d{1,2}\)\s+(?=\w)")
ROUND_MARKER_MAX = 20  # (18-24) or (25) in round brackets is not a source number
RANGE_MAX = 20  # [1-3] expands; [1-300] is read as its two ends


@dataclass(frozen=True)
class Marker:
    """One citation marker (or a run such as [1][2]) in a text: its span and numbers."""

    start: int
    end: int
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class CitedSentence:
    """A sentence with its markers taken out; `marks` are (offset in text, numbers)."""

    text: str
    marks: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @property
    def numbers(self) -> list[int]:
        """The distinct source numbers the sentence cites, in order."""
        return list(dict.fromkeys(n for _, group in self.marks for n in group))

    @property
    def claim(self) -> str:
        """What the sentence claims: its text without markers, enumerators ("(1) begin
        bij …", whose numbers the support check must not look for) and final punctuation."""
        return _STOP.sub("", _ENUMERATOR.sub("", self.text).rstrip()).rstrip()

    def is_final(self, offset: int) -> bool:
        """Whether a marker at `offset` closes the sentence (only punctuation follows)."""
        return _FINAL_TAIL.fullmatch(self.text, offset) is not None


@dataclass(frozen=True)
class CitedLine:
    """One line of an answer: its list mark (or ''), its sentences and the line as written."""

    prefix: str
    sentences: tuple[CitedSentence, ...]
    raw: str

    @property
    def has_marks(self) -> bool:
        """Whether any sentence of the line carries a marker."""
        return any(s.marks for s in self.sentences)


def find_markers(text: str) -> list[Marker]:
    """Citation markers in a text, in order; adjacent ones ([1][2], [1], [2]) form one run."""
    atoms: list[Marker] = []
    following: Marker | None = None
    for match in reversed(list(_ATOM.finditer(text))):
        numbers = _atom_numbers(match, text, following)
        if numbers:
            following = Marker(match.start(), match.end(), numbers)
            atoms.append(following)
    return _runs(text, atoms[::-1])


def markers_of(text: str) -> list[int]:
    """Every source number cited in a text, in order ([1], [2, 3], [1-3], (bron 4), ⁵)."""
    return [n for marker in find_markers(text) for n in marker.numbers]


def strip_markers(text: str) -> str:
    """The text without citation markers."""
    return _cut(text, find_markers(text))[0]


def drop_source_list(text: str) -> tuple[str, list[str]]:
    """An answer without the source list a model wrote itself, and the lines dropped.

    Dropped: footnote definitions ([^1]: ...); everything from a heading line "Bronnen:",
    "Sources:", "**Bronvermelding**" (not the first line) to the end; trailing lines that
    open with a marker ("[1] Briefadvies, pagina 6"); and any other "Bron: ..." line.
    A "Bron: [2]" line with more answer after it cites the paragraph above: it is kept
    as a line of bare markers, which cited_lines attaches to the preceding sentence.
    """
    lines = text.splitlines()
    kept: list[str] = []
    dropped: list[str] = []
    for i, line in enumerate(lines):
        heading = _SOURCE_HEADING.match(line) if any(k.strip() for k in kept) else None
        if _FOOTNOTE_DEFINITION.match(line):
            dropped.append(line)
        elif heading and not heading.group("rest").strip(" *_"):
            dropped.extend(lines[i:])
            break
        elif heading and heading.group("colon"):
            cites = _citation_line(heading.group("rest"))
            more = any(ln.strip() and not _SOURCE_HEADING.match(ln) for ln in lines[i + 1 :])
            if cites and more:
                kept.append(cites)
            else:
                dropped.append(line)
        else:
            kept.append(line)
    while kept and (not kept[-1].strip() or _opens_with_marker(kept[-1])):
        line = kept.pop()
        if line.strip():
            dropped.insert(0, line)
    return "\n".join(kept), dropped


def cited_lines(text: str) -> list[CitedLine]:
    """The lines of an answer as sentences with the markers each one carries.

    A marker after a sentence's final punctuation ("… werkvloer. [1]") belongs to that
    sentence; a line of bare markers belongs to the last sentence of the line above.
    """
    lines: list[CitedLine] = []
    for raw in text.splitlines():
        mark = LIST_MARK.match(raw)
        prefix = mark.group(0) if mark else raw[: len(raw) - len(raw.lstrip())]
        body = raw[len(prefix) :]
        markers = find_markers(body)
        bare, offsets = _cut(body, markers)
        if markers and not re.search(r"\w", bare) and _attach(lines, markers):
            continue
        sentences = _cite(
            bare.strip(),
            [o - (len(bare) - len(bare.lstrip())) for o in offsets],
            [m.numbers for m in markers],
        )
        lines.append(CitedLine(prefix, tuple(sentences), raw))
    return lines


def cited_sentences(text: str) -> list[CitedSentence]:
    """The sentences of an answer, each with the markers it carries (see cited_lines)."""
    return [s for line in cited_lines(text) for s in line.sentences if s.text or s.marks]


def _atom_numbers(match: re.Match, text: str, following: Marker | None) -> tuple[int, ...]:
    """The numbers a candidate marker cites, or () when it is not a citation."""
    if match.group("sup") is not None:
        if _UNIT_BEFORE.search(text[max(0, match.start() - 3) : match.start()]):
            return ()
        digits = match.group("sup").translate(str.maketrans(_SUPERSCRIPT, "0123456789"))
        return _expand(re.sub(r"[⁻–]", "-", digits))
    inner = match.group("square") if match.group("square") is not None else match.group("round")
    numbers = _expand(_PAGE_PART.sub("", inner))
    if match.group("round") is None or _HAS_SOURCE_WORD.search(inner):
        return numbers
    if max(numbers) > ROUND_MARKER_MAX or not _cites_here(text, match, following):
        return ()
    return numbers


def _cites_here(text: str, match: re.Match, following: Marker | None) -> bool:
    """The rule for bare numbers in round brackets: "(1)" is a citation only after a word
    of the same line and before punctuation, the line end or another citation. So
    "(1) begin bij de directeur" and a line starting "(1)" are enumerators, "(2018)"
    and "(25)" are not source numbers, and "… de werkvloer (1)." is a citation."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = LIST_MARK.sub("", text[line_start : match.start()], count=1)
    if not re.search(r"\w", before):
        return False
    if _CITATION_FOLLOWS.match(text, match.end()):
        return True
    gap = _RUN_GAP.match(text, match.end())
    return following is not None and gap is not None and gap.end() == following.start


def _expand(spec: str) -> tuple[int, ...]:
    """Numbers of '1, 2', '1-3', 'bron 1 en bron 2' (a range stands for its members)."""
    numbers: list[int] = []
    for m in _NUMBER_OR_RANGE.finditer(spec):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        if first <= last <= first + RANGE_MAX:
            numbers.extend(range(first, last + 1))
        else:
            numbers.extend([first, last])
    return tuple(dict.fromkeys(numbers))


def _runs(text: str, atoms: list[Marker]) -> list[Marker]:
    """Adjacent markers joined: '[1][2]', '[1], [2]', '(bron 1) en (bron 2)'."""
    runs: list[Marker] = []
    for atom in atoms:
        previous = runs[-1] if runs else None
        gap = _RUN_GAP.match(text, previous.end) if previous else None
        if previous and gap and gap.end() == atom.start:
            numbers = tuple(dict.fromkeys(previous.numbers + atom.numbers))
            runs[-1] = Marker(previous.start, atom.end, numbers)
        else:
            runs.append(atom)
    return runs


def _cut(text: str, markers: list[Marker]) -> tuple[str, list[int]]:
    """The text without the markers (and the spaces before them), and where each stood."""
    pieces: list[str] = []
    offsets: list[int] = []
    length = pos = 0
    for marker in markers:
        lead = marker.start
        while lead > pos and text[lead - 1] in " \t":
            lead -= 1
        pieces.append(text[pos:lead])
        length += lead - pos
        offsets.append(length)
        before = text[lead - 1 : lead]
        after = text[marker.end : marker.end + 1]
        if before.strip() and after.strip() and after not in ".,;:!?…)]\"”’'*_":
            pieces.append(" ")  # "zin.[1]Volgende" must not glue two words
            length += 1
        pos = marker.end
    pieces.append(text[pos:])
    return "".join(pieces), offsets


def _cite(bare: str, offsets: list[int], groups: list[tuple[int, ...]]) -> list[CitedSentence]:
    """Sentences of one line with their markers; one after a sentence's end belongs to it."""
    spans = [(s, s + len(bare[s:e].rstrip())) for s, e in _sentence_spans(bare)]
    marks: list[list[tuple[int, tuple[int, ...]]]] = [[] for _ in spans]
    for offset, numbers in zip(offsets, groups, strict=True):
        i = max([0, *(j for j, (s, _) in enumerate(spans) if s <= offset and j)])
        start, end = spans[i]
        marks[i].append((min(max(offset - start, 0), end - start), numbers))
    return [
        CitedSentence(bare[s:e], tuple(m))
        for (s, e), m in zip(spans, marks, strict=True)
        if bare[s:e] or m
    ]


def _attach(lines: list[CitedLine], markers: list[Marker]) -> bool:
    """Give a line of bare markers to the last sentence above it; False when there is none."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].sentences and lines[i].sentences[-1].text:
            *rest, last = lines[i].sentences
            extra = tuple((len(last.text), m.numbers) for m in markers)
            last = replace(last, marks=last.marks + extra)
            lines[i] = replace(lines[i], sentences=(*rest, last))
            return True
    return False


def _citation_line(rest: str) -> str:
    """'[2]' or '1, 3' after "Bron:" as a line of markers; '' when it names a document."""
    rest = rest.strip(" *_")
    if _BARE_NUMBERS.match(rest):
        rest = f"[{rest.rstrip('.')}]"
    markers = find_markers(rest)
    leftover = _cut(rest, markers)[0].strip(" .,;:*_")
    return rest if markers and not leftover else ""


def _opens_with_marker(line: str) -> bool:
    """Whether a line opens with a marker and goes on in words ('[1] Briefadvies, p. 6')."""
    body = LIST_MARK.sub("", line, count=1).lstrip()
    first = find_markers(body)[:1]
    return bool(first) and first[0].start == 0 and bool(re.search(r"\w", body[first[0].end :]))
