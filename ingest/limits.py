"""Intake limits: file size, .docx unpacked size and compression ratio, pages, text length.

Every check raises DocumentError naming the file, the value found, the limit and the
setting that changes it, so one oversized file fails alone and the others still go in.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import DocumentError
from assistant.core.escaping import escape_controls
from assistant.core.settings import Settings

MB = 1024 * 1024
# Parts smaller than this unpack to little whatever their ratio (styles compress well).
RATIO_GRACE_BYTES = 1 * MB
MAX_DOCX_MEMBERS = 10_000
_READ_PIECE = 1 * MB


@dataclass(frozen=True)
class IntakeLimits:
    """The limits one ingest run applies to every file."""

    max_file_mb: float
    max_docx_uncompressed_mb: float
    max_docx_ratio: float
    max_pages: int
    max_document_chars: int

    @classmethod
    def from_settings(cls, settings: Settings) -> IntakeLimits:
        """The limits configured in settings (ASSISTANT_MAX_*)."""
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})

    @classmethod
    def defaults(cls) -> IntakeLimits:
        """The default limits, as declared on Settings (no environment read)."""
        fields = Settings.model_fields
        return cls(**{name: fields[name].default for name in cls.__dataclass_fields__})


def check_file_size(path: Path, limits: IntakeLimits) -> None:
    """Refuse a file larger than max_file_mb, before reading it."""
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise DocumentError(str(path), f"kan het bestand niet lezen ({exc.strerror})") from exc
    if size > limits.max_file_mb * MB:
        raise DocumentError(
            str(path),
            f"bestand is {_size(size)}; de grens is {_size(limits.max_file_mb * MB)} "
            "(ASSISTANT_MAX_FILE_MB)",
        )


def check_docx_archive(path: Path, archive: zipfile.ZipFile, limits: IntakeLimits) -> None:
    """Refuse a .docx whose parts unpack too large or too compressed, before it is parsed."""
    # First by the sizes its directory declares; then by inflating every part in pieces and
    # counting, so a directory that lies about a size cannot make this (or the parse) read more.
    members = archive.infolist()
    if len(members) > MAX_DOCX_MEMBERS:
        raise DocumentError(
            str(path),
            f"Word-bestand bevat {len(members)} onderdelen; de grens is {MAX_DOCX_MEMBERS}",
        )
    _check_declared(path, members, limits)
    limit = limits.max_docx_uncompressed_mb * MB
    budget = int(limit)
    for member in members:
        with archive.open(member) as stream:
            while piece := stream.read(_READ_PIECE):
                budget -= len(piece)
                if budget < 0:
                    raise _too_large(path, f"meer dan {_size(limit)}", limits)


def _check_declared(path: Path, members: list[zipfile.ZipInfo], limits: IntakeLimits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_docx_uncompressed_mb * MB:
        raise _too_large(path, _size(total), limits)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_GRACE_BYTES and ratio > limits.max_docx_ratio:
            raise DocumentError(
                str(path),
                f"onderdeel '{escape_controls(member.filename)}' van het Word-bestand is "
                f"{ratio:.0f} keer samengeperst; de grens is {_num(limits.max_docx_ratio)} keer "
                "(ASSISTANT_MAX_DOCX_RATIO); mogelijk een zip-bom",
            )


def _too_large(path: Path, found: str, limits: IntakeLimits) -> DocumentError:
    return DocumentError(
        str(path),
        f"Word-bestand pakt uit tot {found}; de grens is "
        f"{_size(limits.max_docx_uncompressed_mb * MB)} (ASSISTANT_MAX_DOCX_UNCOMPRESSED_MB)",
    )


def check_pages(path: Path, pages: int, limits: IntakeLimits) -> None:
    """Refuse a document with more than max_pages pages."""
    if pages > limits.max_pages:
        raise DocumentError(
            str(path),
            f"document heeft {pages} pagina's; de grens is {limits.max_pages} "
            "(ASSISTANT_MAX_PAGES)",
        )


def check_chars(path: Path, chars: int, limits: IntakeLimits) -> None:
    """Refuse a document once its extracted text passes max_document_chars."""
    if chars > limits.max_document_chars:
        raise DocumentError(
            str(path),
            f"document bevat meer dan {limits.max_document_chars:,} tekens tekst; de grens is "
            f"{limits.max_document_chars:,} (ASSISTANT_MAX_DOCUMENT_CHARS)".replace(",", "."),
        )


def _size(size: float) -> str:
    """A byte count for people: '3,8 kB', '50 MB', '2048,8 MB'."""
    if size < MB:
        return f"{_num(round(size / 1024, 1))} kB"
    return f"{_num(round(size / MB, 1))} MB"


def _num(value: float) -> str:
    """50.0 -> '50', 1.5 -> '1,5' (Dutch decimal comma)."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", ",")
