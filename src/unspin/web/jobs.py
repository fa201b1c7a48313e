"""Batch adds in a background thread, with progress a page can poll.

A browser cannot hold a request open while fifty URLs are fetched, so ``POST /add/urls``
starts a :class:`Job` and returns at once; the job page polls ``GET /api/jobs/{id}``.
The :class:`JobManager` lives on the app (``app.state.jobs``), never in a module global.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspin.errors import UnspinError

__all__ = ["MAX_JOBS_KEPT", "MAX_JOBS_RUNNING", "Job", "JobManager"]

log = logging.getLogger(__name__)

# Batches running at once: each holds a write connection and fetches over the network;
# SQLite serialises writers anyway, so more would only queue on the lock.
MAX_JOBS_RUNNING = 2
# Finished jobs remembered for their progress page (oldest forgotten first).
MAX_JOBS_KEPT = 100


@dataclass
class Job:
    """One batch add: its sources and how far it got (mutated only under the lock)."""

    id: str
    sources: list[str]
    state: str = "queued"  # queued | running | done | failed
    done: int = 0
    current: str | None = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    message: str | None = None

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy of the job's state."""
        return {
            "id": self.id,
            "state": self.state,
            "sources": len(self.sources),
            "done": self.done,
            "current": self.current,
            "added": list(self.added),
            "updated": list(self.updated),
            "known": list(self.known),
            "failed": [dict(f) for f in self.failed],
            "message": self.message,
        }


Runner = Callable[[Sequence[str], Callable[[str, int | None], None]], Any]


class JobManager:
    """Start batch adds in threads and report their progress.

    Args:
        runner: ``runner(sources, on_progress)`` does the add and returns an object with
            ``added``, ``updated``, ``known`` and ``failed`` (an :class:`unspin.AddReport`).
    """

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._threads: list[threading.Thread] = []

    def running(self) -> int:
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.state in ("queued", "running"))

    def start(self, sources: Sequence[str], cleanup: Path | None = None) -> Job:
        """Start adding ``sources`` in a background thread; return the new job.

        Args:
            cleanup: a temporary folder (uploaded files) to delete when the job ends.

        Raises:
            UnspinError: :data:`MAX_JOBS_RUNNING` batches are already running.
        """
        with self._lock:
            busy = sum(1 for j in self._jobs.values() if j.state in ("queued", "running"))
            if busy >= MAX_JOBS_RUNNING:
                raise UnspinError(
                    f"{busy} batches are already running: wait for one to finish and retry"
                )
            job = Job(id=secrets.token_hex(8), sources=list(sources))
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].state in ("queued", "running"):
                    break
                del self._jobs[oldest]
        thread = threading.Thread(
            target=self._run, args=(job, cleanup), name=f"unspin-add-{job.id}", daemon=True
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return job

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's state as a dict, or ``None`` for an unknown id."""
        with self._lock:
            job = self._jobs.get(job_id)
            return job.snapshot() if job else None

    def wait(self, timeout: float | None = None) -> None:
        """Wait for every running job to end (tests, shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(self, job: Job, cleanup: Path | None) -> None:
        def progress(description: str, _total: int | None) -> None:
            with self._lock:
                job.done += 1
                job.current = description

        with self._lock:
            job.state = "running"
        try:
            report = self._runner(job.sources, progress)
        except UnspinError as exc:
            with self._lock:
                job.state = "failed"
                job.message = str(exc)
        except Exception as exc:  # a bug must still end the job visibly, not hang the page
            log.exception("batch add %s crashed", job.id)
            with self._lock:
                job.state = "failed"
                job.message = f"internal error: {type(exc).__name__}: {exc}"
        else:
            with self._lock:
                job.state = "done"
                job.current = None
                job.added = list(report.added)
                job.updated = list(report.updated)
                job.known = list(report.known)
                job.failed = [{"source": f.source, "reason": f.reason} for f in report.failed]
        finally:
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
