"""Durable user feedback on answers (and anonymously shared self-scans): one SQLite file.

WAL mode plus a busy timeout make concurrent writers from many threads (or
processes) safe; every call opens its own short-lived connection, so the store
itself holds no shared connection state. Evals read it through `list()`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from assistant.core import limits
from assistant.core.errors import InvalidInputError
from assistant.core.settings import Settings

log = logging.getLogger(__name__)

RATINGS = ("up", "down")
FILE_NAME = "feedback.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    history TEXT NOT NULL DEFAULT '[]'
)
"""

# Self-scans an owner chose to share with the advisor: nothing that identifies the owner
# (no name, sector, exact size or time of day; the month only).
_SCAN_SCHEMA = """
CREATE TABLE IF NOT EXISTS scan_shares (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    month TEXT NOT NULL,
    answers TEXT NOT NULL,
    scores TEXT NOT NULL,
    start_lever TEXT NOT NULL,
    size_class TEXT
)
"""


class FeedbackStore:
    """Append-only store of thumbs up/down with an optional reason."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)
            db.execute(_SCAN_SCHEMA)

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedbackStore:
        """The store in the configured data dir."""
        return cls(settings.data_dir / FILE_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30.0)) as db:
            db.execute("PRAGMA busy_timeout=30000")
            db.row_factory = sqlite3.Row
            with db:  # one transaction: commit on success, roll back on error
                yield db

    def add(
        self,
        question: str,
        answer: str,
        citations: Sequence[Any],
        rating: str,
        reason: str | None = None,
        *,
        mode: str = "",
        source: str = "",
        history: Sequence[Mapping[str, str]] = (),
    ) -> int:
        """Store one rating; returns its id. `citations` and `history` must be JSON-able.

        `history` is the conversation before the question, as {'role', 'content'} dicts.
        """
        if rating not in RATINGS:
            raise InvalidInputError("De beoordeling moet 'up' of 'down' zijn.")
        reason = _clean_reason(reason)
        row = (
            time.time(),
            question,
            answer,
            json.dumps(list(citations), ensure_ascii=False),
            rating,
            reason,
            mode,
            source,
            json.dumps([dict(t) for t in history], ensure_ascii=False),
        )
        feedback_id = self._insert(
            "INSERT INTO feedback (created, question, answer, citations, rating, reason, "
            "mode, source, history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        log.info("feedback stored id=%s rating=%s source=%s", feedback_id, rating, source)
        return feedback_id

    def _insert(self, sql: str, row: tuple[Any, ...]) -> int:
        """Run one INSERT and return the new row's id."""
        with self._connect() as db:
            return int(db.execute(sql, row).lastrowid)

    def set_reason(self, feedback_id: int, reason: str) -> bool:
        """Attach (or replace) the reason of an earlier rating; False if the id is unknown."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE feedback SET reason = ? WHERE id = ?", (_clean_reason(reason), feedback_id)
            )
        return cursor.rowcount > 0

    def list(self, rating: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Stored feedback, oldest first, optionally only one rating."""
        if rating is not None and rating not in RATINGS:
            raise InvalidInputError("De beoordeling moet 'up' of 'down' zijn.")
        sql = "SELECT * FROM feedback"
        params: list[Any] = []
        if rating:
            sql += " WHERE rating = ?"
            params.append(rating)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._connect() as db:
            rows = db.execute(sql, params).fetchall()
        return [_row_dict(row) for row in rows]

    def add_scan(
        self,
        answers: Mapping[str, int],
        scores: Mapping[str, int],
        start_lever: str,
        size_class: str | None,
    ) -> int:
        """Store one anonymously shared self-scan (month only, no identifying data)."""
        row = (
            time.strftime("%Y-%m"),
            json.dumps(dict(answers)),
            json.dumps(dict(scores)),
            start_lever,
            size_class,
        )
        scan_id = self._insert(
            "INSERT INTO scan_shares (month, answers, scores, start_lever, size_class) "
            "VALUES (?, ?, ?, ?, ?)",
            row,
        )
        log.info("scan shared id=%s", scan_id)
        return scan_id

    def list_scans(self) -> list[dict[str, Any]]:
        """Shared self-scans, oldest first."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM scan_shares ORDER BY id").fetchall()
        return [
            {
                **dict(row),
                "answers": json.loads(row["answers"]),
                "scores": json.loads(row["scores"]),
            }
            for row in rows
        ]

    def count(self) -> int:
        """Number of stored ratings."""
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > limits.REASON_CHARS:
        raise InvalidInputError(
            f"De toelichting mag hoogstens {limits.REASON_CHARS} tekens lang zijn."
        )
    return reason


def _row_dict(row: sqlite3.Row) -> dict[str, Any]:
    item = dict(row)
    item["citations"] = json.loads(item["citations"])
    item["history"] = json.loads(item["history"])
    return item
