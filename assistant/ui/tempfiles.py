"""Folders for files the UI writes for Gradio to hand out (session-brief downloads).

All of them live under one root per process, made on first use. Gradio copies a file into
its own cache when an event returns it, so a folder is only needed for a moment: each new
folder prunes the ones older than max_age_s, and `remove_all` (called when the server
shuts down) deletes the root. Gradio's cached copies are removed by its own `delete_cache`.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)


class TempFolders:
    """One temp root per process; a fresh folder per use; old folders pruned."""

    def __init__(self, max_age_s: float, parent: Path | None = None) -> None:
        self.max_age_s = max_age_s
        self.parent = parent  # where the root is made; None = the system temp dir
        self.root: Path | None = None
        self._lock = threading.Lock()

    def new(self) -> Path:
        """A new empty folder (after pruning folders older than max_age_s)."""
        with self._lock:
            if self.root is None or not self.root.is_dir():
                self.root = Path(tempfile.mkdtemp(prefix="assistant-ui-", dir=self.parent))
            root = self.root
        self.prune()
        return Path(tempfile.mkdtemp(dir=root))

    def prune(self, now: float | None = None) -> int:
        """Remove folders last changed more than max_age_s ago; how many were removed."""
        root = self.root
        if root is None or not root.is_dir():
            return 0
        cutoff = (now if now is not None else time.time()) - self.max_age_s
        removed = 0
        for folder in root.iterdir():
            try:
                if folder.stat().st_mtime < cutoff:
                    shutil.rmtree(folder)
                    removed += 1
            except FileNotFoundError:  # pruned at the same moment by another request
                continue
        return removed

    def remove_all(self) -> None:
        """Delete the root and everything in it."""
        with self._lock:
            root, self.root = self.root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
            log.info("ui temp files removed root=%s", root)
