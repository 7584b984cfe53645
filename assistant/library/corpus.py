"""The corpus folder as Beheer changes it: a file and its manifest row, both or neither.

Every change is written to hidden files in the same folder, flushed to disk, and put in
place by rename (atomic within one file system); the manifest is the commit point:

    add:     upload -> .upload-<random>   (streamed, counted, hashed; fsync)
             rename -> .pending-<name>
             manifest with the new row     (temp file, fsync, rename)   <- commit
             rename .pending-<name> -> <name>
    delete:  rename <name> -> .pending-<name>
             manifest without the row                                   <- commit
             unlink .pending-<name>
    edit:    manifest with the changed row                              <- commit

Recovery, run when the folder is opened (server start), makes any crash end in one of the
two states: every `.upload-*` and manifest temp file is removed; a `.pending-<name>` is moved
to <name> when the manifest lists <name> and <name> is missing (the commit happened), and is
removed otherwise (it did not; or, for a delete, it did). Ingest never reads hidden files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from assistant.core.errors import TooLargeError
from assistant.core.escaping import escape_controls
from assistant.core.types import DocumentMeta
from ingest.manifest import MANIFEST_NAME, load_manifest
from ingest.manifest_edit import add_entry, remove_entry, replace_entry

log = logging.getLogger(__name__)

UPLOAD_PREFIX = ".upload-"
PENDING_PREFIX = ".pending-"
TEMP_SUFFIX = ".tmp"
_PIECE = 1024 * 1024


@dataclass(frozen=True)
class Staged:
    """An upload written to a hidden file in the corpus folder, not yet part of the corpus."""

    path: Path
    sha256: str
    size: int


def _no_crash(step: str) -> None:
    """The default step hook: nothing (tests pass one that stops at a given step)."""


class CorpusFolder:
    """The corpus folder and its manifest, changed only by atomic steps (see module doc)."""

    def __init__(self, root: Path, on_step: Callable[[str], None] = _no_crash) -> None:
        self.root = Path(root)
        self.manifest_path = self.root / MANIFEST_NAME
        self.lock = threading.RLock()  # one change of the folder at a time
        self._on_step = on_step

    # ----------------------------------------------------------------- reading
    def entries(self) -> dict[str, DocumentMeta]:
        """The manifest's documents by id."""
        if not self.manifest_path.is_file():
            return {}
        return {meta.doc_id: meta for meta in load_manifest(self.root).values()}

    def path_of(self, meta: DocumentMeta) -> Path:
        """Where a document's file is (or would be) in the folder."""
        return self.root / meta.source_path

    # ---------------------------------------------------------------- changing
    def stage(self, stream: BinaryIO, suffix: str, max_bytes: int, limit_text: str) -> Staged:
        """Copy an upload into a hidden file, counting and hashing; TooLargeError past max."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{UPLOAD_PREFIX}{uuid.uuid4().hex}{suffix}"
        digest, size = hashlib.sha256(), 0
        try:
            with open(path, "xb") as out:
                while piece := stream.read(_PIECE):
                    size += len(piece)
                    if size > max_bytes:
                        raise TooLargeError(limit_text)
                    digest.update(piece)
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Staged(path, digest.hexdigest(), size)

    def add(self, staged: Staged, meta: DocumentMeta) -> Path:
        """Put a staged upload in place as meta.source_path together with its manifest row."""
        final = self.path_of(meta)
        pending = final.with_name(PENDING_PREFIX + final.name)
        with self.lock:
            os.replace(staged.path, pending)
            try:
                self._on_step("pending")
                self._write_manifest(add_entry(self._manifest_text(), meta, self.manifest_path))
            except Exception:  # not committed: nothing of the upload stays
                pending.unlink(missing_ok=True)
                raise
            self._on_step("manifest")
            os.replace(pending, final)
            _fsync_dir(self.root)
        log.info("corpus add doc_id=%s file=%s", meta.doc_id, escape_controls(final.name))
        return final

    def update(self, meta: DocumentMeta) -> None:
        """Change (or add) the manifest row of meta.doc_id."""
        with self.lock:
            self._write_manifest(replace_entry(self._manifest_text(), meta, self.manifest_path))
        log.info("corpus edit doc_id=%s", meta.doc_id)

    def remove(self, meta: DocumentMeta, listed: bool) -> None:
        """Take a document's file and (if listed) its manifest row out of the folder."""
        final = self.path_of(meta)
        pending = final.with_name(PENDING_PREFIX + final.name)
        with self.lock:
            moved = final.exists()
            if moved:
                os.replace(final, pending)
            try:
                self._on_step("pending")
                if listed:
                    text = remove_entry(self._manifest_text(), meta.doc_id, self.manifest_path)
                    self._write_manifest(text)
            except Exception:  # not committed: the file goes back
                if moved:
                    os.replace(pending, final)
                raise
            self._on_step("manifest")
            pending.unlink(missing_ok=True)
            _fsync_dir(self.root)
        log.info("corpus delete doc_id=%s", meta.doc_id)

    def discard(self, staged: Staged) -> None:
        """Remove a staged upload that will not be added."""
        staged.path.unlink(missing_ok=True)

    # ---------------------------------------------------------------- recovery
    def recover(self) -> list[Path]:
        """Finish or undo what a crash interrupted (see module doc); returns files put in place."""
        if not self.root.is_dir():
            return []
        with self.lock:
            listed = {self.path_of(meta) for meta in self.entries().values()}
            restored = []
            for path in sorted(self.root.rglob(".*")):
                if not path.is_file() or path.is_symlink():
                    continue
                if path.name.startswith(UPLOAD_PREFIX) or _is_manifest_temp(path):
                    path.unlink()
                    log.warning("recovery removed unfinished file=%s", escape_controls(path))
                elif path.name.startswith(PENDING_PREFIX):
                    final = path.with_name(path.name[len(PENDING_PREFIX) :])
                    if final in listed and not final.exists():
                        os.replace(path, final)
                        restored.append(final)
                        log.warning("recovery completed add file=%s", escape_controls(final))
                    else:
                        path.unlink()
                        log.warning("recovery removed file=%s", escape_controls(path))
            _fsync_dir(self.root)
            return restored

    # ---------------------------------------------------------------- internals
    def _manifest_text(self) -> str:
        if not self.manifest_path.is_file():
            return ""
        return self.manifest_path.read_text(encoding="utf-8")

    def _write_manifest(self, text: str) -> None:
        """Write the manifest by rename: readers see the old or the new one, never a mix."""
        temp = self.root / f".{MANIFEST_NAME}.{uuid.uuid4().hex}{TEMP_SUFFIX}"
        try:
            with open(temp, "x", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.manifest_path)
        finally:
            temp.unlink(missing_ok=True)
        _fsync_dir(self.root)


def _is_manifest_temp(path: Path) -> bool:
    return path.name.startswith(f".{MANIFEST_NAME}.") and path.name.endswith(TEMP_SUFFIX)


def _fsync_dir(folder: Path) -> None:
    """Make renames in a folder durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
