"""A process-level lock on the embedded index: many reading processes, or one writing.

Embedded Chroma is not safe across processes: a server that keeps the index open
breaks ("Error finding id") when another process re-indexes under it. So a process
that searches holds a shared lock for its lifetime and an ingest needs the lock
exclusively. Inside one process readers and writers coexist (the server re-indexes
through POST /api/ingest). A Chroma server (ASSISTANT_CHROMA_HOST) needs none of this.
"""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path
from typing import ClassVar

from assistant.core.errors import AssistantError


class IndexBusyError(AssistantError):
    """Another process holds the index in a way that conflicts with this use."""


WRITER_BLOCKED = (
    "De index is in gebruik door een ander proces (draait 'assistant serve'?). "
    "Indexeer via de webapp/API (POST /api/ingest) of stop dat proces eerst."
)
READER_BLOCKED = "Er loopt een indexering in een ander proces. Probeer het over een moment opnieuw."


class IndexLock:
    """The lock of one data dir, shared by every store of this process that uses it."""

    _held: ClassVar[dict[Path, IndexLock]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "a+")  # noqa: SIM115 - held for the life of the process
        self.readers = 0
        self.writers = 0

    @classmethod
    def for_path(cls, path: Path) -> IndexLock:
        """The process's lock object for this lock file."""
        key = path.resolve()
        with cls._guard:
            if key not in cls._held:
                cls._held[key] = cls(key)
            return cls._held[key]

    def _flock(self, flags: int, message: str) -> None:
        try:
            fcntl.flock(self._file.fileno(), flags | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusyError(message) from exc

    def acquire_read(self) -> None:
        """Register a reader; the process keeps a shared lock from now on."""
        with self._guard:
            if not self.readers and not self.writers:
                self._flock(fcntl.LOCK_SH, READER_BLOCKED)
            self.readers += 1

    def acquire_write(self) -> None:
        """Take the lock exclusively (fails at once when another process holds it)."""
        with self._guard:
            if not self.writers:
                try:
                    self._flock(fcntl.LOCK_EX, WRITER_BLOCKED)
                except IndexBusyError:
                    if self.readers:  # a failed upgrade may have dropped our shared lock
                        fcntl.flock(self._file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                    raise
            self.writers += 1

    def release_write(self) -> None:
        """End a write; the process falls back to shared (if it reads) or no lock."""
        with self._guard:
            self.writers -= 1
            if not self.writers:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_SH if self.readers else fcntl.LOCK_UN)
