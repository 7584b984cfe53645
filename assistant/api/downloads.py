"""Answers that are files: the ?format= query of briefs and scans, and the download."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Response

from assistant.briefing.files import MEDIA_TYPES

FormatQuery = Annotated[Literal["json", "md", "docx"], Query(description="json, md of docx")]
FILE_RESPONSES = {200: {"content": {MEDIA_TYPES["md"]: {}, MEDIA_TYPES["docx"]: {}}}}


def download(data: bytes, format: str, filename: str) -> Response:
    """The bytes as an attachment of the format's media type."""
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
