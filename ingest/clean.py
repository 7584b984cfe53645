"""OCR clean-up of one page of text into blocks: headings, paragraphs, lists and footnotes.

Input is raw page text (PDF layout extraction or OCR output): wrapped lines, blank lines that
sometimes fall mid-sentence, bullet glyphs misread as '«' or a lone 'e', hyphenated line breaks,
page-header debris and footnotes in the middle of the text. Output is blocks separated by one
blank line; a heading is its own block; each list item is a line starting with '- ' or 'N. ';
footnotes come last, as 'Voetnoot N: ...' blocks.

Words keep their characters, digits included: the only rules that change a word are listed
in ingest/ocr_repairs.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.ocr_repairs import footnote_refs, repair_words, strip_footnote_refs, word_before

FOOTNOTE_PREFIX = "Voetnoot "
TERMINAL = ".!?:;"
HEADING_MAX_CHARS = 130
HEADING_MAX_WORDS = 18
# A segment this long without final punctuation is a paragraph cut by a stray blank line.
FRAGMENT_MIN_CHARS = 60

_CHAR_FIXES = {
    "\u00a0": " ",
    "\u00ad": "",
    "\t": " ",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb00": "ff",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\x0b": "\n",  # vertical tab: a manual line break
}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BULLET = re.compile(r"^(?:[«•*·▪‣◦●■□➢►–-]|[eo](?=\s+\S))\s+(?=\S)")
# List and footnote numbers never start with 0: '05 Bedrijven' and '01. Tekst' stay text.
_NUMBERED = re.compile(r"^([1-9]\d?)[.)]\s+(?=\S)")
_MD_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
_MD_CLOSING = re.compile(r"\s+#+\s*$")
_TRAILING_BULLET = re.compile(r"(?<=[:;.])\s+(?:[«•*·▪]|[eo])$")
_FOOTNOTE = re.compile(r"^([1-9]\d?)\s+(?=https?\S|www\.|[A-Z])")
_INLINE_FOOTNOTE = re.compile(r"\s([1-9]\d?)\s+(?=https?\S|www\.|[A-Z])")
_INLINE_NUMBER = re.compile(r"(?<![\w.,])([1-9]\d?)\.\s+(?=[A-ZÀ-Ý])")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:pagina|page|blz\.?)\s*)?\d{1,3}(?:\s*(?:/|van|of)\s*\d{1,3})?$", re.I
)
_RUNNING_HEADER = re.compile(r"^SER\s+Overijssel$", re.I)
_JUNK_CHARS = set("\\|~^{}<>=_@#%&$")
_WORD = re.compile(r"^[(‘'\"“]?[A-Za-zÀ-ÿ]{2,}[)’'\",.;:!?”]*$")
# OCR of a superscript footnote number that came out as no digit at all (ocr_repairs rule 4).
_SUPERSCRIPT_NOISE = re.compile(r"(?<=[A-Za-zÀ-ÿ)])(?:[®¢]|\?>)")
_URL_SCHEME = re.compile(r"\b(https?)[.,;:]{1,3}/{1,2}")
_CAPTION = re.compile(r"^(?:figuur|tabel|bron|foto|grafiek|afbeelding|onderschrift)\b", re.I)
CLOSING = re.compile(
    r"^(?:met\s+)?(?:vriendelijke|hartelijke|beste)\s+groet(?:en)?,?$|^hoogachtend,?$", re.I
)
_FUNCTION_WORDS = frozenset(
    "de het een en of van in op voor met die dat te om aan bij door als naar is zijn tot "
    "dan maar ook wel niet waar wordt worden kan".split()
)
# Hyphenated line ends kept as compounds instead of being joined into one word.
_KEEP_HYPHEN_PREFIXES = frozenset(
    "mkb zzp ict hr mbo hbo wo vmbo havo vwo cao ser or oud co ex non vice zij".split()
)


@dataclass
class _Segment:
    kind: str  # "text", "bullet", "number", "heading", "footnote"
    text: str
    number: int = 0
    gap_before: bool = False
    implicit: bool = False  # a list item recognised without a marker
    referent: str = ""  # a footnote: the word in the text that refers to it


def clean_text(text: str) -> str:
    """Clean one page of OCR/PDF text into blocks separated by one blank line."""
    lines = _normalise_lines(text)
    segments = _segments(lines)
    body, notes = _split_footnotes(segments)
    numbers = {note.number for note in notes}
    referents: dict[int, str] = {}
    for segment in body:
        for number, word in footnote_refs(segment.text, numbers):
            referents.setdefault(number, word)
        segment.text = strip_footnote_refs(segment.text, numbers)
    # References whose number OCR lost ('Boost?>') go, in order, to the notes left over.
    unclaimed = sorted(numbers - referents.keys())
    markers = _SUPERSCRIPT_NOISE.finditer(text) if unclaimed else iter(())
    for number, marker in zip(unclaimed, markers, strict=False):
        referents[number] = word_before(text, marker.start())
    for note in notes:
        note.referent = referents.get(note.number, "")
    body = _join_fragments(body)
    body = [part for segment in body for part in _split_inline_numbers(segment)]
    return repair_words("\n\n".join(_render(body) + [_render_footnote(note) for note in notes]))


def is_heading(block: str) -> bool:
    """Whether a cleaned block is a heading: one short line, capitalised, no final punctuation."""
    text = block.strip()
    if "\n" in text or not 3 <= len(text) <= HEADING_MAX_CHARS:
        return False
    words = text.split()
    if len(words) > HEADING_MAX_WORDS or text[-1] in TERMINAL + ",":
        return False
    if not (text[0].isupper() or re.match(r"^\d+(?:\.\d+)*\.?\s+[A-ZÀ-Ý]", text)):
        return False
    if _NUMBERED.match(text) and not re.match(r"^\d+\.\d", text):
        return False  # a numbered list item, not a numbered section heading
    if _CAPTION.match(text) or text.startswith(FOOTNOTE_PREFIX):
        return False
    if words[-1].lower() in _FUNCTION_WORDS:
        return False
    if len(words) >= 3 and all(w[0].isupper() for w in words if w[0].isalpha()):
        return False  # Title Case Row: a table header; Dutch headings are sentence case
    return any(len(w) >= 3 and w.isalpha() for w in words)


def join_lines(left: str, right: str) -> str:
    """Join two pieces of one sentence, repairing a hyphenated line break ('organi-' 'satie')."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if not left.endswith("-") or left.endswith(" -") or len(left) < 2:
        return f"{left} {right}"
    stem = left[:-1].split()[-1] if left[:-1].split() else ""
    first = right.split()[0]
    if _keep_hyphen(stem, first, right):
        if re.match(r"^(?:en|of|tot)\b", right):  # 'mkb- en arbeidsmarktbeleid'
            return f"{left} {right}"
        return left + right
    return left[:-1] + right


def drop_running_lines(pages: Sequence[str], min_pages: int = 3) -> list[str]:
    """Remove short lines that repeat on many pages (running headers and footers)."""
    if len(pages) < min_pages:
        return list(pages)
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_norm_line(line) for line in page.splitlines() if _norm_line(line)})
    threshold = max(min_pages, len(pages) // 2)
    running = {
        line
        for line, n in counts.items()
        if n >= threshold and len(line) <= 80 and not _BULLET.match(line)
    }
    if not running:
        return list(pages)
    return [
        "\n".join(line for line in page.splitlines() if _norm_line(line) not in running)
        for page in pages
    ]


def _norm_line(line: str) -> str:
    return " ".join(line.split())


def _keep_hyphen(stem: str, first: str, right: str) -> bool:
    core = stem.strip("(‘'\"“")
    if not core or not first:
        return True
    if any(c in core for c in "/.:") or any(c.isdigit() for c in core) or first[0].isdigit():
        return True  # URL, code or number: 'COVID-' '19', 'fase-' '2'
    if core.isupper() or core.lower() in _KEEP_HYPHEN_PREFIXES:
        return True
    if first[0].isupper() or re.match(r"^(?:en|of|tot)\b", right):
        return True
    return core[-1] in "aeiou" and first[0] == core[-1]  # zee-egel


def _normalise_lines(text: str) -> list[str]:
    for bad, good in _CHAR_FIXES.items():
        text = text.replace(bad, good)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _CONTROL.sub(" ", text)
    lines = _drop_logo_blocks([" ".join(line.split()) for line in text.split("\n")])
    lines = ["" if _is_debris(line) else _fix_inline(line) for line in lines]
    return _move_trailing_bullets(lines)


def _drop_logo_blocks(lines: list[str]) -> list[str]:
    """A block of only short lines, one of them junk, is an OCR'd logo or letterhead: drop it."""
    out = list(lines)
    start = 0
    for end in range(len(lines) + 1):
        if end < len(lines) and lines[end]:
            continue
        block = lines[start:end]
        if block and all(len(line) < 25 for line in block) and any(map(_is_junk, block)):
            out[start:end] = ["" if not _has_digit(line) else line for line in block]
        start = end + 1
    return out


def _fix_inline(line: str) -> str:
    line = _URL_SCHEME.sub(r"\1://", line)
    return _SUPERSCRIPT_NOISE.sub("", line)


def _has_digit(line: str) -> bool:
    return any(c.isdigit() for c in line)


def _is_debris(line: str) -> bool:
    """Lone page numbers, running headers, stray characters and OCR of logos or signatures."""
    if not line:
        return False
    if _PAGE_NUMBER.match(line) or _RUNNING_HEADER.match(line):
        return True
    if len(line) == 1:
        return True  # stray character
    if _has_digit(line):
        return False  # numbers are content (a table row '10 | 20'), unless a page number
    tokens = line.split()
    alpha_short = all(len(t) <= 2 for t in tokens)
    if alpha_short and len(tokens) >= 2 and any(t.isupper() or not t.isalpha() for t in tokens):
        return True  # 'D I W', 'N oo v~ w DN'
    return _is_junk(line)


def _is_junk(line: str) -> bool:
    """A short line with odd characters and hardly any real words ('O\\Zrijssel')."""
    if len(line) >= 40 or _has_digit(line) or not any(c in _JUNK_CHARS for c in line):
        return False
    tokens = line.split()
    words = sum(1 for t in tokens if _WORD.match(t))
    return words == 0 or words * 2 < len(tokens)


def _move_trailing_bullets(lines: list[str]) -> list[str]:
    """'... invalshoeken: e' + 'Sociale ...' -> the bullet belongs to the next line."""
    out = list(lines)
    for i, line in enumerate(out[:-1]):
        match = _TRAILING_BULLET.search(line)
        if match and out[i + 1] and not _BULLET.match(out[i + 1]):
            out[i] = line[: match.start()]
            out[i + 1] = "- " + out[i + 1]
    return out


def _segments(lines: list[str]) -> list[_Segment]:
    """Group lines into segments: a marker line starts one, a wrapped line continues one."""
    segments: list[_Segment] = []
    gap = False
    block_start = True
    width = max((len(line) for line in lines), default=0)
    for index, line in enumerate(lines):
        if not line:
            gap, block_start = True, True
            continue
        new = _marker_segment(line)
        current = segments[-1] if segments else None
        if new is None and current is not None and not block_start:
            if current.kind == "heading" or _is_first_line_heading(current, lines, index, width):
                current.kind = "heading"
                new = _Segment("text", line)
            else:
                current.text = join_lines(current.text, line)
                continue
        if new is None:
            new = _Segment("text", line)
        new.gap_before = gap or block_start
        segments.append(new)
        gap, block_start = False, False
    return segments


def _is_first_line_heading(current: _Segment, lines: list[str], index: int, width: int) -> bool:
    """A short heading-like first line directly followed by a capitalised body line."""
    previous = lines[index - 1]
    return (
        current.kind == "text"
        and current.text == previous
        and current.gap_before
        and lines[index][:1].isupper()
        and len(previous) < 0.8 * width
        and is_heading(previous)
    )


def _marker_segment(line: str) -> _Segment | None:
    if match := _MD_HEADING.match(line):
        return _Segment("heading", _MD_CLOSING.sub("", line[match.end() :]))
    if match := _NUMBERED.match(line):
        return _Segment("number", line[match.end() :], number=int(match.group(1)))
    if match := _BULLET.match(line):
        return _Segment("bullet", line[match.end() :])
    return None


def _split_footnotes(segments: list[_Segment]) -> tuple[list[_Segment], list[_Segment]]:
    """Take footnote blocks ('2 Het onafhankelijke platform ...') out of the running text."""
    body: list[_Segment] = []
    notes: list[_Segment] = []
    after_note = False
    for segment in segments:
        in_list = bool(body) and (body[-1].text.endswith(":") or body[-1].kind == "number")
        if segment.kind == "text" and segment.gap_before and not in_list:
            if _FOOTNOTE.match(segment.text):
                notes.extend(_split_glued_footnotes(segment.text))
                after_note = True
                continue
            if after_note and _ends_note(notes[-1], segment):
                notes[-1].text = join_lines(notes[-1].text, segment.text)
                continue
        body.append(segment)
        after_note = False
    return body, notes


def _ends_note(note: _Segment, segment: _Segment) -> bool:
    """Whether a segment right after a footnote is the rest of that footnote's sentence."""
    return note.text[-1] not in ".!?/" and (segment.text[0].islower() or segment.text[0] == "(")


def _split_glued_footnotes(text: str) -> list[_Segment]:
    """'3 https://a/ 4 https://b/' -> two footnotes, when the numbers run on."""
    first = _FOOTNOTE.match(text)
    number = int(first.group(1))
    notes = [_Segment("footnote", text[first.end() :], number=number)]
    for match in _INLINE_FOOTNOTE.finditer(text):
        if int(match.group(1)) == notes[-1].number + 1 and match.start() > first.end():
            head, tail = notes[-1].text.split(match.group(0).lstrip(), 1)
            notes[-1].text = head.rstrip()
            notes.append(_Segment("footnote", tail, number=int(match.group(1))))
    return notes


def _join_fragments(segments: list[_Segment]) -> list[_Segment]:
    """Undo blank lines inside sentences; turn unmarked items after a lead-in into list items."""
    out: list[_Segment] = []
    for segment in segments:
        prev = out[-1] if out else None
        if prev is None or segment.kind != "text" or prev.kind == "heading":
            out.append(segment)
            continue
        if _implicit_item(prev, segment):
            segment.implicit = True
            if prev.kind == "number":
                segment.kind, segment.number = "number", prev.number + 1
            else:
                segment.kind = "bullet"
        elif _continues(prev, segment):
            prev.text = join_lines(prev.text, segment.text)
            continue
        out.append(segment)
    return [_mark_heading(segment) for segment in out]


def _continues(prev: _Segment, cur: _Segment) -> bool:
    if CLOSING.match(prev.text):
        return False  # 'Met vriendelijke groet,' stands alone
    if prev.text.count("(") > prev.text.count(")"):
        return True
    end = prev.text[-1]
    if end == ",":
        return cur.text[0].islower() or len(prev.text) > 40  # 'Geacht College,' stands alone
    if end == "-":
        return True
    if end not in TERMINAL:
        long_fragment = len(prev.text) > FRAGMENT_MIN_CHARS and not is_heading(prev.text)
        ends_mid = prev.text.split()[-1].lower() in _FUNCTION_WORDS
        return long_fragment or ends_mid or cur.text[0].islower()
    if end == ":":
        return False  # a lead-in: what follows is a list or a quote
    return cur.text[0].islower()


def _implicit_item(prev: _Segment, cur: _Segment) -> bool:
    """An unmarked segment after a lead-in ':' or after an item ending in ';'."""
    end = prev.text[-1]
    if prev.kind == "text" and end == ":":
        return cur.text[0].islower() and cur.text[-1] in ".;)"
    if prev.kind in ("bullet", "number") and end == ";":
        if cur.text[0].islower():  # after an explicit marker this is the same item, continued
            return prev.implicit
        return len(cur.text) <= 200 and cur.text[-1] in ".;"
    return False


def _mark_heading(segment: _Segment) -> _Segment:
    if segment.kind == "text" and segment.gap_before and is_heading(segment.text):
        segment.kind = "heading"
    return segment


def _split_inline_numbers(segment: _Segment) -> list[_Segment]:
    """'... vier onderdelen: 1. Dynamisch ... moet. 2. Flexibel ...' -> lead-in + items."""
    if segment.kind not in ("text", "number"):
        return [segment]
    expected = segment.number + 1 if segment.kind == "number" else 1
    cuts: list[tuple[int, int, int]] = []
    for match in _INLINE_NUMBER.finditer(segment.text):
        before = segment.text[: match.start()].rstrip()
        opener = before.endswith(":") or (expected > 1 and before.endswith((".", ";")))
        if match.start() > 0 and int(match.group(1)) == expected and opener:
            cuts.append((match.start(), match.end(), expected))
            expected += 1
    if not cuts:
        return [segment]
    parts = [_Segment(segment.kind, segment.text[: cuts[0][0]].rstrip(), segment.number)]
    for i, (_, end, number) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else len(segment.text)
        parts.append(_Segment("number", segment.text[end:stop].rstrip(), number=number))
    return [part for part in parts if part.text]


def _render(segments: list[_Segment]) -> list[str]:
    blocks: list[str] = []
    items: list[str] = []
    for segment in segments:
        if segment.kind in ("bullet", "number"):
            marker = f"{segment.number}." if segment.kind == "number" else "-"
            items.append(f"{marker} {segment.text}")
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        blocks.append(segment.text)
    if items:
        blocks.append("\n".join(items))
    return blocks


def _render_footnote(note: _Segment) -> str:
    """'Voetnoot 2: ...', or 'Voetnoot 2 bij ‘Boost’: ...' when the note explains a name
    (so "Wat is Boost?" finds it); the label is the pipeline's, the text the source's."""
    if note.referent[:1].isupper():
        return f"{FOOTNOTE_PREFIX}{note.number} bij ‘{note.referent}’: {note.text}"
    return f"{FOOTNOTE_PREFIX}{note.number}: {note.text}"
