"""Structure-aware chunking of a cleaned document into citable passages."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from assistant.core.errors import InvalidInputError
from assistant.core.text import announces_table, split_sentences
from assistant.core.types import SIGNATURE_SECTION, Chunk, DocumentMeta
from ingest.clean import (
    CLOSING,
    FOOTNOTE_PREFIX,
    TERMINAL,
    clean_text,
    drop_running_lines,
    is_heading,
    join_lines,
)
from ingest.loaders import LoadedDocument

_LIST_LINE = re.compile(r"^(?:- |\d{1,2}\. )")
_NUMBERED_LINE = re.compile(r"^\d{1,2}\. ")
_TABLE_HEADER_WORDS = (2, 8)
TABLE_ROW_MAX_CHARS = 600  # a longer paragraph after a table is body text again
TABLE_MAX_SHARE = 2  # a table stays one passage up to twice the passage size


@dataclass
class _Atom:
    """A piece of text that is never split further unless it alone exceeds max_chars."""

    text: str
    page_start: int
    page_end: int


@dataclass
class _Unit:
    """A paragraph, a list (optionally with its lead-in), a footnote or a heading."""

    kind: str  # "heading", "para", "list", "table", "note"
    atoms: list[_Atom]

    @property
    def text(self) -> str:
        return _SEPARATOR[self.kind].join(atom.text for atom in self.atoms)


@dataclass
class _Piece:
    text: str
    page_start: int
    page_end: int
    unit: int  # index of the unit it came from: pieces of one unit rejoin with its separator
    sep: str


_SEPARATOR = {"heading": " ", "para": " ", "note": " ", "list": "\n", "table": "\n"}


def chunk_document(
    doc: LoadedDocument,
    meta: DocumentMeta,
    doc_hash: str,
    min_chars: int = 300,
    max_chars: int = 1000,
) -> list[Chunk]:
    """Clean each page and cut the document into passages that follow its structure."""
    if not 0 < min_chars <= max_chars:
        raise InvalidInputError(f"Ongeldige chunkgrootte: min={min_chars}, max={max_chars}")
    units = _document_units(doc)
    pieces: list[tuple[str, _Piece]] = []
    for section, section_units in _by_section(units):
        pieces.extend((section, piece) for piece in _pack(section_units, min_chars, max_chars))
    return [
        _make_chunk(meta, doc_hash, position, section, piece)
        for position, (section, piece) in enumerate(pieces)
    ]


def chunk_id(doc_id: str, doc_hash: str, position: int, text: str) -> str:
    """Stable, content-derived chunk id: 24 hex chars of sha256."""
    key = f"{doc_id}\x00{doc_hash}\x00{position}\x00{text}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _make_chunk(
    meta: DocumentMeta, doc_hash: str, position: int, section: str, piece: _Piece
) -> Chunk:
    return Chunk.of(
        meta,
        chunk_id=chunk_id(meta.doc_id, doc_hash, position, piece.text),
        text=piece.text,
        page_start=piece.page_start,
        page_end=piece.page_end,
        section=section,
        position=position,
        doc_hash=doc_hash,
    )


# --- from pages to units -------------------------------------------------------------------


def _document_units(doc: LoadedDocument) -> list[_Unit]:
    """Units in reading order; paragraphs and lists that cross a page break are joined."""
    texts = drop_running_lines([page.text for page in doc.pages])
    units: list[_Unit] = []
    pending_notes: list[_Unit] = []
    for page, text in zip(doc.pages, texts, strict=True):
        body, notes = _page_units(clean_text(text), page.number)
        # A paragraph or a list runs on over the page break by one block, a table by its rows.
        while body and units and _absorb(units[-1], body[0], across_pages=True):
            body = body[1:]
            if units[-1].kind != "table":
                break
        units.extend(pending_notes)  # footnotes go after the text that ran on from their page
        units.extend(body)
        pending_notes = notes
    units.extend(pending_notes)
    return units


def _page_units(cleaned: str, page: int) -> tuple[list[_Unit], list[_Unit]]:
    body: list[_Unit] = []
    notes: list[_Unit] = []
    for block in cleaned.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        unit = _block_unit(block, page)
        if unit.kind == "note":
            notes.append(unit)
        elif body and _starts_table(body[-1], block):
            body[-1].kind = "table"  # the announcing paragraph leads its table
            body[-1].atoms.append(_row(unit))
        elif not (body and _absorb(body[-1], unit, across_pages=False)):
            body.append(unit)
    return body, notes


def _starts_table(prev: _Unit, block: str) -> bool:
    """A title-case header row ('Rol Uitwerking Beschrijving') right after a paragraph
    that announces a table ('... (zie tabel hieronder).'). The table becomes a list led
    by that paragraph: the header and each row one item, so a question about the table
    finds the rows with what they are about, and an answer quotes them as a list."""
    words = block.split()
    if "\n" in block or not _TABLE_HEADER_WORDS[0] <= len(words) <= _TABLE_HEADER_WORDS[1]:
        return False
    if block[-1] in TERMINAL + "," or not all(w[:1].isupper() for w in words):
        return False
    return prev.kind == "para" and announces_table(prev.text)


def _is_row(unit: _Unit) -> bool:
    """A table row: a short paragraph (a heading, list, note or long paragraph ends it)."""
    return unit.kind == "para" and len(unit.text) <= TABLE_ROW_MAX_CHARS


def _add_row(table: _Unit, unit: _Unit) -> None:
    """Append a row; text that starts in lower case continues the row before it."""
    last, text = table.atoms[-1], unit.text
    if text[:1].islower():
        last.text = join_lines(last.text, text)
        last.page_end = max(last.page_end, unit.atoms[-1].page_end)
    else:
        table.atoms.append(_row(unit))


def _row(unit: _Unit) -> _Atom:
    """A header or row block as a list item."""
    return _Atom(f"- {unit.text}", unit.atoms[0].page_start, unit.atoms[-1].page_end)


def _block_unit(block: str, page: int) -> _Unit:
    lines = block.split("\n")
    if block.startswith(FOOTNOTE_PREFIX):
        return _Unit("note", [_Atom(block, page, page)])
    if is_heading(block):
        return _Unit("heading", [_Atom(block, page, page)])
    if all(_LIST_LINE.match(line) for line in lines):
        return _Unit("list", [_Atom(line, page, page) for line in lines])
    return _Unit("para", [_Atom(" ".join(lines), page, page)])


def _absorb(prev: _Unit, unit: _Unit, across_pages: bool) -> bool:
    """Merge unit into prev when it continues it; True when merged."""
    if prev.kind == "table" and _is_row(unit):  # on the same page or after a page break
        _add_row(prev, unit)
        return True
    if prev.kind == "para" and unit.kind == "list" and prev.text.endswith(":"):
        prev.kind, prev.atoms = "list", prev.atoms + unit.atoms  # lead-in stays with its list
        return True
    if not across_pages:
        return False
    if prev.kind == "heading" and unit.kind == "para" and unit.text[:1].islower():
        prev.kind = "para"  # not a heading: a sentence cut off by the page break
    if prev.kind not in ("para", "list"):
        return False
    if prev.kind == "list" and unit.kind == "list":
        prev.atoms.extend(unit.atoms)
        return True
    if unit.kind != "para":
        return False
    last, first = prev.atoms[-1], unit.atoms[0]
    open_paren = last.text.count("(") > last.text.count(")")
    if last.text[-1] in TERMINAL and not open_paren and not first.text[0].islower():
        return False
    last.text = join_lines(last.text, first.text)
    last.page_end = first.page_end
    prev.atoms.extend(unit.atoms[1:])
    return True


def _by_section(units: list[_Unit]) -> list[tuple[str, list[_Unit]]]:
    """Group units by the heading above them; headings themselves become section names.

    A letter's closing ('Met vriendelijke groet,') starts a section of its own, so the
    signatories are one passage with the closing, findable as who signed the letter.
    """
    groups: list[tuple[str, list[_Unit]]] = [("", [])]
    for unit in units:
        if unit.kind == "heading":
            groups.append((unit.text, []))
        elif CLOSING.match(unit.text.strip()):
            groups.append((SIGNATURE_SECTION, [unit]))
        else:
            groups[-1][1].append(unit)
    return [(section, group) for section, group in groups if group]


# --- from units to pieces ------------------------------------------------------------------


def _pack(units: list[_Unit], min_chars: int, max_chars: int) -> list[_Piece]:
    """Greedy merge of whole units up to max_chars; oversized units are split evenly."""
    parts: list[_Piece] = []
    for index, unit in enumerate(units):
        parts.extend(_unit_pieces(index, unit, max_chars))
    chunks: list[_Piece] = []
    for part in parts:
        if chunks and _fits(chunks[-1], part, max_chars):
            _append(chunks[-1], part)
        else:
            chunks.append(part)
    return _absorb_small(chunks, min_chars, max_chars)


def _joiner(chunk: _Piece, part: _Piece) -> str:
    return part.sep if chunk.unit == part.unit else "\n\n"


def _fits(chunk: _Piece, part: _Piece, max_chars: int) -> bool:
    return len(chunk.text) + len(_joiner(chunk, part)) + len(part.text) <= max_chars


def _append(chunk: _Piece, part: _Piece) -> None:
    chunk.text = f"{chunk.text}{_joiner(chunk, part)}{part.text}"
    chunk.page_start = min(chunk.page_start, part.page_start)
    chunk.page_end = max(chunk.page_end, part.page_end)
    chunk.unit, chunk.sep = part.unit, part.sep


def _absorb_small(chunks: list[_Piece], min_chars: int, max_chars: int) -> list[_Piece]:
    """A chunk below min_chars joins its previous neighbour when both fit in max_chars."""
    out: list[_Piece] = []
    for chunk in chunks:
        small = len(chunk.text) < min_chars or (out and len(out[-1].text) < min_chars)
        if out and small and _fits(out[-1], chunk, max_chars):
            _append(out[-1], chunk)
        else:
            out.append(chunk)
    return out


def _unit_pieces(index: int, unit: _Unit, max_chars: int) -> list[_Piece]:
    limit = TABLE_MAX_SHARE * max_chars if unit.kind == "table" else max_chars
    if len(unit.text) <= limit:
        return [_piece(index, unit.atoms, _SEPARATOR[unit.kind])]
    if unit.kind in ("list", "table"):
        atoms, sep = _list_atoms(unit.atoms, max_chars), "\n"
    else:
        atoms, sep = _sentence_atoms(unit.atoms, max_chars), " "
    return [_piece(index, group, sep) for group in _balance(atoms, sep, max_chars)]


def _piece(index: int, atoms: list[_Atom], sep: str) -> _Piece:
    return _Piece(
        text=sep.join(atom.text for atom in atoms),
        page_start=min(atom.page_start for atom in atoms),
        page_end=max(atom.page_end for atom in atoms),
        unit=index,
        sep=sep,
    )


def _list_atoms(lines: list[_Atom], max_chars: int) -> list[_Atom]:
    """Numbered items keep their sub-bullets, and the lead-in its first item, where they fit."""
    groups: list[list[_Atom]] = []
    for line in lines:
        parent = groups[-1][0].text if groups else ""
        if _NUMBERED_LINE.match(parent) and not _NUMBERED_LINE.match(line.text):
            groups[-1].append(line)
        else:
            groups.append([line])
    atoms: list[_Atom] = []
    for group in groups:
        joined = _merge_atoms(group, "\n")
        atoms.extend([joined] if len(joined.text) <= max_chars else _glue_first(group, max_chars))
    if len(atoms) > 1 and not _LIST_LINE.match(atoms[0].text):
        atoms[:2] = _glue_first(atoms[:2], max_chars)
    return _sentence_atoms(atoms, max_chars)


def _glue_first(atoms: list[_Atom], max_chars: int) -> list[_Atom]:
    """Keep the first two atoms (a lead-in and its first item) together when they fit."""
    if len(atoms) > 1 and len(atoms[0].text) + 1 + len(atoms[1].text) <= max_chars:
        return [_merge_atoms(atoms[:2], "\n"), *atoms[2:]]
    return list(atoms)


def _merge_atoms(atoms: list[_Atom], sep: str) -> _Atom:
    return _Atom(
        sep.join(atom.text for atom in atoms),
        min(atom.page_start for atom in atoms),
        max(atom.page_end for atom in atoms),
    )


def _sentence_atoms(atoms: list[_Atom], max_chars: int) -> list[_Atom]:
    """Atoms longer than max_chars are cut into sentences (and, failing that, words)."""
    out: list[_Atom] = []
    for atom in atoms:
        if len(atom.text) <= max_chars:
            out.append(atom)
            continue
        for sentence in split_sentences(atom.text):
            for part in _hard_split(sentence, max_chars):
                out.append(_Atom(part, atom.page_start, atom.page_end))
    return out


def _hard_split(text: str, max_chars: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    parts, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > max_chars:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*parts, current] if current else parts


def _balance(atoms: list[_Atom], sep: str, max_chars: int) -> list[list[_Atom]]:
    """Group atoms into the fewest runs of at most max_chars, of roughly equal length."""
    total = len(sep.join(atom.text for atom in atoms))
    target = total / max(1, math.ceil(total / max_chars))
    groups: list[list[_Atom]] = [[]]
    length = 0
    for atom in atoms:
        size = len(atom.text) + (len(sep) if groups[-1] else 0)
        over = length + size > max_chars
        past_target = length + size / 2 > target
        if groups[-1] and (over or past_target):
            groups.append([])
            length, size = 0, len(atom.text)
        groups[-1].append(atom)
        length += size
    return groups
