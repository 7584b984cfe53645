"""Extracted page text, kept per file content in the data dir.

Extracting a PDF in layout mode is the slowest step of ingest after embedding (about a
second for the 11-page SER advice). Re-indexing unchanged bytes — `ingest --rebuild`, a
new embedder, a changed chunker — reads the pages from here instead. The key is the
file's sha256 plus LOADER_VERSION (bump it when a loader's output changes); entries of
files no longer in the index are removed after each ingest. The intake limits on pages
and characters are checked again on every read, so a stricter setting still applies.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ingest.limits import IntakeLimits, check_chars, check_pages
from ingest.loaders import LoadedDocument, Page, load_document

log = logging.getLogger(__name__)

LOADER_VERSION = "1"


class ExtractionCache:
    """Page text of documents by file content, in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self, path: Path, sha256: str, limits: IntakeLimits) -> LoadedDocument:
        """The document's pages: from the cache when present, else extracted and stored."""
        entry = self._entry(sha256)
        cached = self._read(entry, path)
        if cached is not None:
            check_pages(path, len(cached.pages), limits)
            check_chars(path, sum(len(p.text) for p in cached.pages), limits)
            return cached
        doc = load_document(path, limits)
        self._write(entry, doc)
        return doc

    def keep_only(self, sha256s: Iterable[str]) -> None:
        """Remove the entries of files that are not in the index any more."""
        keep = {self._entry(s).name for s in sha256s}
        for entry in self.folder.glob("*.json"):
            if entry.name not in keep:
                entry.unlink(missing_ok=True)

    def _entry(self, sha256: str) -> Path:
        return self.folder / f"{sha256}-{LOADER_VERSION}.json"

    def _read(self, entry: Path, path: Path) -> LoadedDocument | None:
        if not entry.is_file():
            return None
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            pages = [Page(number=int(n), text=str(t)) for n, t in data["pages"]]
            return LoadedDocument(path=path, pages=pages, title_hint=str(data["title"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:  # a damaged entry: redo
            log.warning("extraction cache entry unreadable file=%s error=%s", entry.name, exc)
            return None

    def _write(self, entry: Path, doc: LoadedDocument) -> None:
        data = {"pages": [[p.number, p.text] for p in doc.pages], "title": doc.title_hint}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, entry)
        except OSError as exc:  # a cache that cannot be written only costs time
            log.warning("extraction cache not written file=%s error=%s", entry.name, exc)
