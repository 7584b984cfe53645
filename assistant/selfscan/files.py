"""Writing a scan result to a file by its suffix (.md, .docx or .json), like the session brief."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.briefing.files import MEDIA_TYPES, brief_format
from assistant.core.errors import InvalidInputError
from assistant.selfscan.templates import ScanTemplates
from assistant.selfscan.types import ScanResult

__all__ = ["MEDIA_TYPES", "file_name", "scan_bytes", "scan_format", "write_scan"]

BASE_NAME = "zelfscan-sociale-innovatie"


def scan_format(path: Path) -> str:
    """'md', 'docx' or 'json' from the file name; InvalidInputError for anything else."""
    return brief_format(path)


def scan_bytes(result: ScanResult, templates: ScanTemplates, fmt: str) -> bytes:
    """The result in one of the formats, as bytes."""
    if fmt == "md":
        from assistant.selfscan.render import to_markdown

        return to_markdown(result, templates).encode("utf-8")
    if fmt == "docx":
        from assistant.selfscan.docx import to_docx_bytes

        return to_docx_bytes(result, templates)
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
    raise InvalidInputError(f"Onbekend formaat '{fmt}': kies md, docx of json.")


def write_scan(result: ScanResult, templates: ScanTemplates, path: Path) -> Path:
    """Write the result in the format its suffix names; the folder must exist."""
    if not path.parent.is_dir():
        raise InvalidInputError(f"De map {path.parent} bestaat niet.")
    path.write_bytes(scan_bytes(result, templates, scan_format(path)))
    return path


def file_name(fmt: str) -> str:
    """The download name, e.g. 'zelfscan-sociale-innovatie.docx'."""
    return f"{BASE_NAME}.{fmt}"
