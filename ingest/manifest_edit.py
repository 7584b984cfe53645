"""Editing corpus/manifest.yaml as text: add, change or remove one entry, keeping the rest.

The manifest is written by people too, with comments that explain a date or a source.
An edit touches only the lines of the one entry: a new entry is appended; a changed field
is rewritten in place (the comment lines above it stay); unchanged fields keep their lines.
Every result is parsed back and compared with what was meant, and when the text has a
shape this editor does not follow (flow style, say) the whole manifest is written anew from
its entries, keeping the leading comment block.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from assistant.core.errors import ConfigError
from assistant.core.types import DocumentMeta
from ingest.manifest import MANIFEST_NAME, parse_manifest_text

FIELD_ORDER = ("id", "file", "title", "type", "publisher", "date", "language", "url")
HEADER = (
    "# Metadata of the documents in this folder, by file name. Fields: id, file, title "
    "(required);\n# type (one of: advies, succesfactoren, casus, overig), publisher, date "
    "(YYYY, YYYY-MM or\n# YYYY-MM-DD), language, url.\n"
)
_DOCUMENTS = re.compile(r"^documents:\s*(#.*)?$")
_ITEM = re.compile(r"^(\s*)-\s+")
_KEY = re.compile(r"^(\s*)([A-Za-z_]+):")


def entry_fields(meta: DocumentMeta) -> dict[str, str]:
    """The manifest fields of a document, in the usual order; empty optional ones left out."""
    values = {
        "id": meta.doc_id,
        "file": meta.source_path,
        "title": meta.title,
        "type": meta.type,
        "publisher": meta.publisher,
        "date": meta.date,
        "language": meta.language,
        "url": meta.url,
    }
    return {k: v for k, v in values.items() if v or k in ("id", "file", "title")}


def add_entry(text: str, meta: DocumentMeta, path: Path) -> str:
    """The manifest text with an entry for meta appended."""
    want = _entries(text, path) + [meta] if text.strip() else [meta]
    if not text.strip():
        return _regenerate("", want)
    body = text if text.endswith("\n") else text + "\n"
    return _checked(body + _block(meta, "  "), want, text, path)


def replace_entry(text: str, meta: DocumentMeta, path: Path) -> str:
    """The manifest text with the entry of meta.doc_id changed to meta (added if missing)."""
    entries = _entries(text, path)
    if meta.doc_id not in {e.doc_id for e in entries}:
        return add_entry(text, meta, path)
    want = [meta if e.doc_id == meta.doc_id else e for e in entries]
    return _edit(text, meta.doc_id, lambda lines: _rewrite(lines, meta), want, path)


def remove_entry(text: str, doc_id: str, path: Path) -> str:
    """The manifest text without the entry of doc_id (and the comments just above it)."""
    want = [e for e in _entries(text, path) if e.doc_id != doc_id]
    return _edit(text, doc_id, lambda lines: [], want, path)


# ------------------------------------------------------------------------ internals
def _entries(text: str, path: Path) -> list[DocumentMeta]:
    if not text.strip():
        return []
    return list(parse_manifest_text(text, path).values())


def _edit(
    text: str,
    doc_id: str,
    change: Callable[[list[str]], list[str]],
    want: list[DocumentMeta],
    path: Path,
) -> str:
    lines = text.splitlines(keepends=True)
    span = _find(lines, doc_id, path)
    if span is None:
        return _regenerate(text, want)
    start, item, end = span
    replacement = change(lines[item:end])
    if replacement:  # a changed entry keeps the comments above it
        edited = lines[:item] + replacement + lines[end:]
    else:  # a removed one takes them along
        edited = lines[:start] + lines[end:]
    return _checked("".join(edited), want, text, path)


def _checked(candidate: str, want: list[DocumentMeta], original: str, path: Path) -> str:
    """candidate if it parses to exactly want; else the manifest regenerated from want."""
    try:
        got = list(parse_manifest_text(candidate, path).values())
    except ConfigError:
        got = None
    if got == want:
        return candidate
    regenerated = _regenerate(original, want)
    if list(parse_manifest_text(regenerated, path).values()) != want:
        raise ConfigError(f"{MANIFEST_NAME}: kan het manifest niet veilig bijwerken")
    return regenerated


def _regenerate(original: str, entries: list[DocumentMeta]) -> str:
    """A whole new manifest: the original's leading comment block, then every entry."""
    header = []
    for line in original.splitlines(keepends=True):
        if not line.lstrip().startswith("#") and line.strip():
            break
        header.append(line)
    head = "".join(header).rstrip("\n") + "\n" if "".join(header).strip() else HEADER
    if not entries:
        return head + "documents: []\n"
    return head + "documents:\n" + "".join(_block(e, "  ") for e in entries)


def _block(meta: DocumentMeta, indent: str) -> str:
    fields = list(entry_fields(meta).items())
    first, *rest = fields
    lines = [f"{indent}- {first[0]}: {_scalar(first[1])}\n"]
    lines += [f"{indent}  {key}: {_scalar(value)}\n" for key, value in rest]
    return "".join(lines)


def _scalar(value: str) -> str:
    """Always a double-quoted scalar (JSON strings are valid YAML ones): nothing is implicit."""
    return json.dumps(value, ensure_ascii=False)


def _find(lines: list[str], doc_id: str, path: Path) -> tuple[int, int, int] | None:
    """(first comment line above, item line, end) of the entry of doc_id in block style."""
    top = next((i for i, line in enumerate(lines) if _DOCUMENTS.match(line)), None)
    if top is None:
        return None
    items: list[int] = []
    indent = None
    end_all = len(lines)
    for i in range(top + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line.startswith((" ", "\t", "-", "#")):
            end_all = i  # another top-level key
            break
        match = _ITEM.match(line)
        if match and (indent is None or len(match.group(1)) == indent):
            indent = len(match.group(1))
            items.append(i)
    for n, item in enumerate(items):
        end = _before_comments(lines, item, items[n + 1] if n + 1 < len(items) else end_all)
        try:
            parsed = parse_manifest_text("documents:\n" + "".join(lines[item:end]), path)
        except ConfigError:
            return None
        if [m.doc_id for m in parsed.values()] == [doc_id]:
            return _before_comments(lines, top + 1, item), item, end
    return None


def _before_comments(lines: list[str], floor: int, end: int) -> int:
    """Move end up past the comment and blank lines that directly precede it."""
    while end > floor and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _segments(lines: list[str]) -> tuple[str, list[tuple[str, list[str], list[str]]]]:
    """The item marker ('  - ') and the entry's fields as (name, comments above, lines)."""
    marker = _ITEM.match(lines[0]).group(0)
    indent = " " * len(marker)
    first = indent + lines[0][len(marker) :]
    segments: list[tuple[str, list[str], list[str]]] = []
    pending: list[str] = []
    for line in [first, *lines[1:]]:
        key = _KEY.match(line)
        if key and len(key.group(1)) == len(indent):
            segments.append((key.group(2), pending, [line]))
            pending = []
        elif not line.strip() or line.lstrip().startswith("#"):
            pending.append(line)
        elif segments:
            segments[-1][2].append(line)  # a continuation line of a long value
    if pending:
        segments.append(("", pending, []))
    return marker, segments


def _rewrite(lines: list[str], meta: DocumentMeta) -> list[str]:
    """The entry's lines with changed fields rewritten; unchanged ones and comments kept."""
    marker, segments = _segments(lines)
    indent = " " * len(marker)
    wanted = entry_fields(meta)
    out: list[str] = []
    for name, comments, field in segments:
        if name and name not in wanted:
            continue  # a field that was emptied goes, with its comments
        out += comments
        if name:
            same = _value(field) == wanted[name]
            out += field if same else [f"{indent}{name}: {_scalar(wanted[name])}\n"]
    seen = {name for name, _, _ in segments}
    out += [f"{indent}{k}: {_scalar(v)}\n" for k, v in wanted.items() if k not in seen]
    first = next(i for i, line in enumerate(out) if _KEY.match(line))
    out[first] = marker + out[first][len(indent) :]
    return out


def _value(field: list[str]) -> str | None:
    """The value these lines of one field give, as text (None if they do not parse)."""
    try:
        parsed = yaml.safe_load("".join(field))
    except yaml.YAMLError:
        return None
    if not isinstance(parsed, dict) or len(parsed) != 1:
        return None
    value = next(iter(parsed.values()))
    return None if value is None else str(value)
