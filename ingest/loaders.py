"""Load a document file into pages of raw text; unreadable files raise DocumentError."""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import DocumentError
from assistant.core.escaping import escape_controls
from ingest.limits import (
    IntakeLimits,
    check_chars,
    check_docx_archive,
    check_file_size,
    check_pages,
)

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".txt", ".md", ".docx"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Page:
    """Raw text of one page; number is 1-based."""

    number: int
    text: str


@dataclass(frozen=True)
class LoadedDocument:
    """A document as read from disk, before cleaning."""

    path: Path
    pages: list[Page]
    title_hint: str  # PDF /Title or docx core title, '' if none


def load_document(path: Path, limits: IntakeLimits | None = None) -> LoadedDocument:
    """Read a .pdf, .txt, .md or .docx file into pages; raise DocumentError naming the file."""
    path = Path(path)
    limits = limits or IntakeLimits.defaults()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise DocumentError(
            str(path), f"bestandstype '{suffix or '(geen)'}' wordt niet ondersteund ({supported})"
        )
    if not path.is_file():
        raise DocumentError(str(path), "bestand niet gevonden")
    check_file_size(path, limits)
    if suffix == ".pdf":
        pages, title = _load_pdf(path, limits)
    elif suffix == ".docx":
        pages, title = _load_docx(path, limits)
    else:
        pages, title = _load_text(path), ""
    check_pages(path, len(pages), limits)
    check_chars(path, sum(len(page.text) for page in pages), limits)
    if not any(page.text.strip() for page in pages):
        reason = "bevat geen leesbare tekst"
        if suffix == ".pdf":
            reason += "; mogelijk is het een scan zonder tekstlaag (eerst OCR toepassen)"
        raise DocumentError(str(path), reason)
    logger.debug("loaded path=%s pages=%d", escape_controls(path), len(pages))
    return LoadedDocument(path=path, pages=pages, title_hint=_plain(title))


def _plain(title: str) -> str:
    """A title hint without control characters or runs of whitespace."""
    return " ".join(_CONTROL.sub(" ", title).split())


def _split_pages(text: str) -> list[Page]:
    """Split plain text on form feeds into 1-based pages."""
    return [Page(number=i, text=part) for i, part in enumerate(text.split("\f"), start=1)]


def _load_text(path: Path) -> list[Page]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"bestand kan niet gelezen worden ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(str(path), "tekst is geen geldige UTF-8") from exc
    return _split_pages(text.replace("\r\n", "\n").replace("\r", "\n"))


def _load_pdf(path: Path, limits: IntakeLimits) -> tuple[list[Page], str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not _decrypt_empty(reader):
            raise DocumentError(str(path), "PDF is beveiligd met een wachtwoord")
        check_pages(path, len(reader.pages), limits)  # before extracting any text
        pages: list[Page] = []
        chars = 0
        for number, page in enumerate(reader.pages, start=1):
            pages.append(Page(number=number, text=_page_text(page)))
            chars += len(pages[-1].text)
            check_chars(path, chars, limits)
        title = _pdf_title(reader)
    except DocumentError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentError(str(path), f"PDF is beschadigd of onleesbaar ({exc})") from exc
    return pages, title


def _decrypt_empty(reader) -> bool:
    """Try the empty user password (PDFs with only an owner password open this way)."""
    from pypdf.errors import PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError):
        return False


def _page_text(page) -> str:
    """Layout-mode text keeps vertical gaps as blank lines; fall back to plain mode."""
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode fails on some odd PDFs where plain mode still works
        logger.debug("layout extraction failed, using plain mode", exc_info=True)
        return page.extract_text() or ""


def _pdf_title(reader) -> str:
    metadata = reader.metadata
    title = metadata.title if metadata else None
    return str(title).strip() if title else ""


def _load_docx(path: Path, limits: IntakeLimits) -> tuple[list[Page], str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        data = path.read_bytes()  # once: the checked bytes are the parsed bytes
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_docx_archive(path, archive, limits)
        document = docx.Document(io.BytesIO(data))
        text = _docx_text(path, document, limits)
        title = (document.core_properties.title or "").strip()
    except DocumentError:
        raise
    except OSError as exc:
        raise DocumentError(str(path), f"bestand kan niet gelezen worden ({exc.strerror})") from exc
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,  # a zip compression method Python does not support
        RuntimeError,  # an encrypted zip part
        KeyError,
        ValueError,
        LxmlError,  # malformed XML, or a text node over lxml's own 10 MB limit
    ) as exc:
        raise DocumentError(str(path), "Word-bestand is beschadigd of onleesbaar") from exc
    return [Page(number=1, text=text)], title


def _docx_text(path: Path, document, limits: IntakeLimits) -> str:
    """The paragraphs and tables in order, stopping as soon as the text passes the limit."""
    blocks: list[str] = []
    chars = 0
    for item in document.iter_inner_content():
        block = _docx_block(item)
        if block.strip():
            blocks.append(block)
            chars += len(block) + 2
            check_chars(path, chars, limits)
    return "\n\n".join(blocks)


def _docx_block(item) -> str:
    """Text of one docx paragraph or table; list paragraphs become '- ' lines."""
    from docx.table import Table

    if isinstance(item, Table):
        rows = (" | ".join(cell.text.strip() for cell in row.cells) for row in item.rows)
        return "\n".join(rows)
    style = (item.style.name if item.style is not None else "").lower()
    if "list" in style or "lijst" in style:
        return f"- {item.text.strip()}"
    return item.text
