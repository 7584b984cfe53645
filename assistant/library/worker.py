"""One background thread that runs index jobs (ingest, relabel, remove) one at a time, in order.

Only this thread writes the index of a serving process, so two jobs never write the
registry over each other; searching goes on meanwhile (the retriever swaps in the new index
when a job is done).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Job:
    """A queued piece of index work and, once done, its result or error."""

    label: str
    run: Callable[[], Any]
    doc_ids: tuple[str, ...] = ()
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the job is done; False if the timeout passed first."""
        return self.done.wait(timeout)


class Worker:
    """A queue and the one daemon thread that works through it (started on first use)."""

    def __init__(self, name: str = "beheer-index") -> None:
        self.name = name
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._open: list[Job] = []  # queued or running, oldest first
        self._thread: threading.Thread | None = None

    def submit(self, label: str, run: Callable[[], Any], doc_ids: tuple[str, ...] = ()) -> Job:
        """Queue a job; it runs after every job queued before it."""
        job = Job(label, run, tuple(doc_ids))
        with self._lock:
            self._open.append(job)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def busy(self) -> bool:
        """Whether a job is queued or running."""
        with self._lock:
            return bool(self._open)

    def open_ids(self) -> set[str]:
        """Documents that a queued or running job is about."""
        with self._lock:
            return {doc_id for job in self._open for doc_id in job.doc_ids}

    def current(self) -> str | None:
        """The label of the oldest open job (the one running), if any."""
        with self._lock:
            return self._open[0].label if self._open else None

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every job submitted so far is done; False on timeout."""
        with self._lock:
            last = self._open[-1] if self._open else None
        return last.wait(timeout) if last else True

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            try:
                job.result = job.run()
            except Exception as exc:  # a job's failure is its own; the worker goes on
                job.error = exc
                log.exception("index job failed label=%s", job.label)
            finally:
                with self._lock:
                    self._open.remove(job)
                job.done.set()
