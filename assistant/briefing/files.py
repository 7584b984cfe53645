"""Writing a brief to a file by its suffix: .md, .docx or .json."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.briefing.types import Brief
from assistant.core.errors import InvalidInputError

FORMATS = {".md": "md", ".docx": "docx", ".json": "json"}
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def brief_format(path: Path) -> str:
    """'md', 'docx' or 'json' from the file name; InvalidInputError for anything else."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInputError(
            f"Kies een bestand dat eindigt op .docx, .md of .json (niet '{path.name}')."
        )
    return fmt


def brief_bytes(brief: Brief, fmt: str) -> bytes:
    """The brief in one of the formats, as bytes."""
    if fmt == "md":
        from assistant.briefing.render import to_markdown

        return to_markdown(brief).encode("utf-8")
    if fmt == "docx":
        from assistant.briefing.docx import to_docx_bytes

        return to_docx_bytes(brief)
    if fmt == "json":
        return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
    raise InvalidInputError(f"Onbekend formaat '{fmt}': kies md, docx of json.")


def write_brief(brief: Brief, path: Path) -> Path:
    """Write the brief in the format its suffix names; the folder must exist."""
    if not path.parent.is_dir():
        raise InvalidInputError(f"De map {path.parent} bestaat niet.")
    path.write_bytes(brief_bytes(brief, brief_format(path)))
    return path


def file_name(brief: Brief, fmt: str) -> str:
    """A safe download name such as 'sessiebrief-slimmer-werken.docx'."""
    slug = re.sub(r"[^a-z0-9]+", "-", brief.request.theme.lower()).strip("-")[:50] or "thema"
    return f"sessiebrief-{slug}.{fmt}"
