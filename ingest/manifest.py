"""The corpus manifest (corpus/manifest.yaml): what each document is, by file name."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from assistant.core.errors import ConfigError
from assistant.core.escaping import escape_controls
from assistant.core.types import DOC_TYPES, DocumentMeta
from ingest.clean import clean_text
from ingest.loaders import LoadedDocument

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.yaml"
_REQUIRED = ("id", "file", "title")
_OPTIONAL = ("type", "publisher", "date", "language", "url")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline become spaces
# A manifest of a few thousand documents is far below this; a bigger file is a mistake or worse.
MAX_MANIFEST_BYTES = 1024 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases, so an alias bomb never expands."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _AliasError(event.start_mark.line + 1)
        return super().compose_node(parent, index)


class _AliasError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def load_manifest(corpus_dir: Path) -> dict[str, DocumentMeta]:
    """Read corpus_dir/manifest.yaml into {file name: DocumentMeta}; raise ConfigError if bad."""
    path = Path(corpus_dir) / MANIFEST_NAME
    if not path.is_file():
        logger.warning("manifest missing path=%s", escape_controls(path))
        return {}
    data = _read_yaml(path, Path(corpus_dir))
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{_shown(path)}: verwacht een lijst onder 'documents'")
    manifest: dict[str, DocumentMeta] = {}
    seen_ids: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        meta = _entry_meta(path, index, entry)
        if meta.doc_id in seen_ids:
            raise ConfigError(
                f"{_shown(path)}: document {index}: id '{meta.doc_id}' komt dubbel voor"
            )
        if meta.source_path in manifest:
            raise ConfigError(
                f"{_shown(path)}: document {index}: file '{_shown(meta.source_path)}' "
                "komt dubbel voor"
            )
        seen_ids.add(meta.doc_id)
        manifest[meta.source_path] = meta
    return manifest


def _read_yaml(path: Path, corpus_dir: Path) -> Any:
    """Parse the manifest: inside the folder, at most MAX_MANIFEST_BYTES, no anchors/aliases."""
    if not path.resolve().is_relative_to(corpus_dir.resolve()):
        raise ConfigError(f"{_shown(path)}: verwijst naar een bestand buiten de map; geweigerd")
    size = path.stat().st_size
    if size > MAX_MANIFEST_BYTES:
        raise ConfigError(
            f"{_shown(path)}: het manifest is {size // 1024} kB; de grens is "
            f"{MAX_MANIFEST_BYTES // 1024} kB"
        )
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)
    except _AliasError as exc:
        raise ConfigError(
            f"{_shown(path)}: regel {exc.line}: ankers en aliassen (&naam, *naam) zijn niet "
            "toegestaan in het manifest; schrijf elke waarde voluit"
        ) from exc
    except RecursionError as exc:
        raise ConfigError(f"{_shown(path)}: het manifest is te diep genest") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{_shown(path)}: geen geldige YAML ({exc})") from exc


def _shown(path: Path) -> str:
    return escape_controls(path)


def resolve_meta(
    path: Path, corpus_dir: Path, manifest: dict[str, DocumentMeta], doc: LoadedDocument
) -> tuple[DocumentMeta, str | None]:
    """Metadata for a file from the manifest, or derived from the file plus a Dutch warning."""
    source_path = _source_path(Path(path), Path(corpus_dir))
    meta = lookup_meta(path, corpus_dir, manifest)
    if meta is not None:
        return meta, None
    derived = DocumentMeta(
        doc_id=slugify(Path(path).stem),
        title=doc.title_hint or _first_line(doc) or Path(path).stem,
        type="overig",
        source_path=source_path,
    )
    warning = (
        f"{_shown(Path(path).name)} staat niet in {MANIFEST_NAME}; metadata is afgeleid uit het "
        f"bestand (id '{derived.doc_id}', type 'overig'). Voeg het document toe aan het manifest."
    )
    return derived, warning


def lookup_meta(
    path: Path, corpus_dir: Path, manifest: dict[str, DocumentMeta]
) -> DocumentMeta | None:
    """The manifest's metadata for a file (with its source path), or None if it is not listed."""
    source_path = _source_path(Path(path), Path(corpus_dir))
    meta = manifest.get(source_path) or manifest.get(Path(path).name)
    return _with_source(meta, source_path) if meta is not None else None


def slugify(text: str) -> str:
    """'Briefadvies Sociale Innovatie (2022)' -> 'briefadvies-sociale-innovatie-2022'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "document"


def _entry_meta(path: Path, index: int, entry: Any) -> DocumentMeta:
    where = f"{_shown(path)}: document {index}"
    if not isinstance(entry, dict):
        shown = _shown(repr(entry))
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise ConfigError(f"{where}: verwacht velden als 'id: ...', niet {shown}")
    name = entry.get("id") or entry.get("file")
    if name:
        where = f"{_shown(path)}: document '{_shown(name)}'"
    unknown = set(entry) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise ConfigError(f"{where}: onbekend veld {_shown(', '.join(sorted(map(str, unknown))))}")
    for key in _REQUIRED:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{where}: veld '{key}' ontbreekt of is leeg")
        _no_controls(where, key, entry[key])
    if not _ID.match(entry["id"]):
        raise ConfigError(f"{where}: veld 'id' mag alleen a-z, 0-9, '.', '_' en '-' bevatten")
    doc_type = entry.get("type", "overig")
    if doc_type not in DOC_TYPES:
        raise ConfigError(
            f"{where}: veld 'type' is '{_shown(doc_type)}', kies uit {', '.join(DOC_TYPES)}"
        )
    return DocumentMeta(
        doc_id=entry["id"],
        title=" ".join(entry["title"].split()),
        type=doc_type,
        publisher=_text(where, entry, "publisher"),
        date=_date(where, entry.get("date")),
        language=_text(where, entry, "language") or "nl",
        url=_text(where, entry, "url"),
        source_path=Path(entry["file"]).as_posix(),
    )


def _text(where: str, entry: dict, key: str) -> str:
    value = entry.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{where}: veld '{key}' moet tekst zijn")
    _no_controls(where, key, value)
    return " ".join(value.split())


def _no_controls(where: str, key: str, value: str) -> None:
    """Titles and names reach terminals and web pages: no control characters in them."""
    if _CONTROL.search(value):
        raise ConfigError(f"{where}: veld '{key}' bevat stuurtekens (zoals een regeleinde)")


def _date(where: str, value: Any) -> str:
    """Accept "2022-12", 2022 or an unquoted YAML date; store as ISO text."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text):
        raise ConfigError(f"{where}: veld 'date' moet JJJJ, JJJJ-MM of JJJJ-MM-DD zijn")
    return text


def _source_path(path: Path, corpus_dir: Path) -> str:
    try:
        return path.resolve().relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def _with_source(meta: DocumentMeta, source_path: str) -> DocumentMeta:
    if meta.source_path == source_path:
        return meta
    return dataclasses.replace(meta, source_path=source_path)


def _first_line(doc: LoadedDocument) -> str:
    for page in doc.pages:
        for block in clean_text(page.text).split("\n\n"):
            line = block.strip().split("\n")[0].lstrip("-0123456789. ")
            if line:
                return line[:120]
    return ""
