"""Worker processes for the per-article work of the later stages (``--jobs N``).

Claim extraction and the verification of provenance candidates each take one article
(or one candidate pair) at a time and touch nothing shared, so they run in a pool of
processes while the single writer (the main process) reads, indexes and commits in
order. :meth:`Workers.map` returns results in input order whatever the number of
processes, so a run with ``--jobs 4`` stores exactly what ``--jobs 1`` stores
(tests/test_workers.py).

Small batches run in the main process: starting a process costs more than the work.

A later stage's work can also be handed over early, as **background** work
(:meth:`Workers.background`): the workers take it up whenever the writer leaves them
idle (the claims of a large add are extracted while the writer looks up provenance
candidates and assigns stories), a chunk at a time and behind at most a few chunks of
the work the writer waits for. A thread of the writer's process hands the next chunk over
as each one finishes, so the workers keep busy while the writer is in work of its own
that hands them nothing (assigning stories, committing).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = [
    "BACKGROUND_PER_JOB",
    "MIN_PARALLEL_ITEMS",
    "WORKER_NICE",
    "Background",
    "Prefetch",
    "Stream",
    "Workers",
    "default_jobs",
    "thread_map",
]

T = TypeVar("T")
R = TypeVar("R")

# A batch shorter than this runs in the main process: forking two workers and sending
# them their articles costs about as much as extracting claims from 30 articles.
MIN_PARALLEL_ITEMS = 32
# Items sent to a worker at a time: amortises the pickling round trip without leaving
# one worker idle at the end of a batch of a few hundred.
CHUNK_ITEMS = 8
# Background chunks kept queued or running per worker: enough that a worker finishing one
# finds the next before the writer calls again, few enough that a chunk of the writer's
# own work waits behind at most this many.
BACKGROUND_PER_JOB = 2
# Workers run this much nicer than the writer. On two cores the writer and two workers
# share the CPU, and the writer's own work (indexing, assigning stories, committing) is
# what every worker result waits for: at equal priority it ran at two thirds of a core
# whenever both workers were busy with background work. Adding the 772 ECB+ dev articles
# into 100,000 with --jobs 2 (bench/add_speed.py; scratch driver, interleaved):
# 10.4-11.0 s at 0, 9.5-9.8 at 5, 9.0-9.6 at 10, 9.3-9.5 at 19 (with the feeder thread;
# without it 10.5 at 10). Only the share of a contended core changes, never a result.
WORKER_NICE = 10


# Set in worker processes: the pool already spreads the work over the cores.
_in_worker = False


def thread_map(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[fn(x) for x in items]`` on one thread per core: for numpy work that releases
    the GIL (sorts, products, fancy indexing over large arrays), where threads share the
    arrays that worker processes would have to be sent. Same results, in input order.
    In a worker process, one thread: the pool already uses every core."""
    threads = 1 if _in_worker else min(default_jobs(), len(items))
    if threads <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(fn, items))


def default_jobs() -> int:
    """The CPU cores this process may use (its affinity mask, else the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# prctl(2) option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _start_worker(parent: int, close_fds: tuple[int, ...]) -> None:
    """In each new worker: die with the parent (a ``kill -9`` of ``unspin add`` leaves no
    orphan behind), close the inherited descriptors that must not outlive it (the
    stage lock: an ``flock`` lasts while any process holds its descriptor), and yield a
    contended core to the writer (:data:`WORKER_NICE`)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    for fd in close_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICE)
    global _in_worker
    _in_worker = True  # the pool already uses every core: no threads of its own (thread_map)


def _apply(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``fn`` over one chunk of a :class:`Stream` (in a worker)."""
    return [fn(x) for x in items]


class Stream(Generic[T, R]):
    """Items handed over one at a time while the writer goes on with its own work: every
    :data:`CHUNK_ITEMS` items go to a worker at once, so the workers verify (say) the
    first articles of a batch while the writer looks up and indexes the next ones.
    :meth:`results` returns ``[fn(x) for x in items]`` in input order whatever the
    number of processes. Build one with :meth:`Workers.stream`."""

    def __init__(
        self, fn: Callable[[T], R], pool: Executor | None, workers: Workers | None = None
    ) -> None:
        self._fn = fn
        self._pool = pool
        self._workers = workers
        self._chunk: list[T] = []
        self._done: list[Future[list[R]] | list[R]] = []

    def put(self, item: T) -> None:
        self._chunk.append(item)
        if self._pool is not None and len(self._chunk) == CHUNK_ITEMS:
            self._done.append(self._pool.submit(_apply, self._fn, self._chunk))
            self._chunk = []
        if self._workers is not None:
            self._workers.top_up()

    def results(self) -> list[R]:
        """Every item's result, in input order (the last partial chunk runs here)."""
        if self._chunk:
            self._done.append(_apply(self._fn, self._chunk))
            self._chunk = []
        out: list[R] = []
        for part in self._done:
            if self._workers is not None:
                self._workers.top_up()
            out.extend(part if isinstance(part, list) else part.result())
        self._done = []
        return out


class Background(Generic[T, R]):
    """``fn`` over ``items``, done by the workers when they have nothing else to do (see
    :meth:`Workers.background`); :meth:`Workers.collect` returns ``[fn(x) for x in
    items]`` in input order."""

    def __init__(self, fn: Callable[[T], R], items: Sequence[T]) -> None:
        self._fn = fn
        self._chunks = [list(items[k : k + CHUNK_ITEMS]) for k in range(0, len(items), CHUNK_ITEMS)]
        self._parts: list[Future[list[R]] | list[R]] = []  # per chunk handed over or done

    @property
    def handed_over(self) -> int:
        """Chunks handed to the workers (or done here) so far."""
        return len(self._parts)

    @property
    def exhausted(self) -> bool:
        """Every chunk has been handed over (or done here)."""
        return len(self._parts) == len(self._chunks)

    def hand_over(self, pool: Executor) -> Future[list[R]]:
        """Submit the next chunk to ``pool``."""
        future = pool.submit(_apply, self._fn, self._chunks[len(self._parts)])
        self._parts.append(future)
        return future

    def iter_results(self, pool: Executor | None) -> Iterator[R]:
        """Every item's result in input order, each as soon as its chunk is done: the
        chunks not handed over yet go to ``pool`` now, before the first is asked for (or
        run here in turn without one), so the caller can write the first results while
        the workers finish the last."""
        if pool is not None:
            while not self.exhausted:
                self.hand_over(pool)
        self._chunks, chunks = [[] for _ in self._chunks], self._chunks  # no longer kept
        return self._in_order(chunks)

    def _in_order(self, chunks: list[list[T]]) -> Iterator[R]:
        for k, items in enumerate(chunks):
            if k == len(self._parts):  # not handed over (no pool): done here, in turn
                self._parts.append(_apply(self._fn, items))
            part = self._parts[k]
            self._parts[k] = []  # each result is handed on once
            yield from (part if isinstance(part, list) else part.result())


@dataclass(frozen=True, slots=True)
class Prefetch(Generic[T, R]):
    """Per-article work a later stage started early, as background work: the articles'
    ids, in order, and the work (one result each). The claims and the stories stages
    start theirs before provenance runs (:mod:`unspin.pipeline`)."""

    ids: list[str]
    work: Background[T, R]

    def by_id(self, workers: Workers) -> dict[str, R]:
        """Each article's result by id; what is left is done now (:meth:`Workers.collect`)."""
        return dict(self.iter_by_id(workers))

    def iter_by_id(self, workers: Workers) -> Iterator[tuple[str, R]]:
        """``(id, result)`` in order, each as soon as it is done
        (:meth:`Workers.collect_iter`)."""
        return zip(self.ids, workers.collect_iter(self.work), strict=True)


class Workers:
    """A lazily started pool of ``jobs`` processes; ``jobs <= 1`` runs everything here.

    Use as a context manager, so the processes end with the run that needed them.

    Args:
        jobs: worker processes (1: none, everything runs in this process).
        close_fds: descriptors each worker closes on start (locks held by the parent).
    """

    def __init__(self, jobs: int = 1, *, close_fds: Sequence[int] = ()) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self._close_fds = tuple(close_fds)
        self._pool: Executor | None = None
        self._background: list[Background[Any, Any]] = []
        self._background_live: list[Future[Any]] = []
        # Background chunks are handed over by the writer (top_up) and by the feeder
        # thread (_feed), one at a time under this lock.
        self._lock = threading.Lock()
        self._feeder: threading.Thread | None = None
        self._closing = threading.Event()

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        *,
        min_items: int = MIN_PARALLEL_ITEMS,
        chunk: int = CHUNK_ITEMS,
    ) -> list[R]:
        """``[fn(x) for x in items]``, in input order, spread over the workers when
        there are at least ``min_items``, ``chunk`` items sent at a time (items that are
        large batches themselves are worth spreading one at a time). ``fn`` must be a
        module-level function (it is pickled)."""
        if self.jobs <= 1 or len(items) < min_items:
            return [fn(x) for x in items]
        self.top_up()
        return list(self._started().map(fn, items, chunksize=chunk))

    def stream(self, fn: Callable[[T], R], expected: int) -> Stream[T, R]:
        """A :class:`Stream` of ``fn`` over items handed over one at a time; ``expected``
        items or more go to the workers, fewer run here (as :meth:`map` decides).
        ``fn`` must be a module-level function (it is pickled)."""
        parallel = self.jobs > 1 and expected >= MIN_PARALLEL_ITEMS
        return Stream(fn, self._started() if parallel else None, self)

    def background(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        *,
        first: bool = False,
        min_items: int = MIN_PARALLEL_ITEMS,
    ) -> Background[T, R]:
        """``fn`` over ``items`` as background work: chunks go to the workers whenever
        fewer than :data:`BACKGROUND_PER_JOB` per worker are queued or running, checked
        each time the writer hands them work or waits for it (never starting the pool
        itself). Collect the results with :meth:`collect`. With one job, or too few
        items, nothing is done until :meth:`collect`. Background work is taken up in the
        order given, or before all other (``first``: the writer will need it sooner).
        ``min_items``: fewer items than this stay for :meth:`collect` to do here (items
        that are batches themselves are worth handing over in smaller numbers). ``fn``
        must be a module-level function (it is pickled)."""
        work: Background[T, R] = Background(fn, items)
        if self.jobs > 1 and len(items) >= min_items:
            self._background.insert(0 if first else len(self._background), work)
        return work

    def collect(self, work: Background[T, R]) -> list[R]:
        """The results of background ``work``, in input order, doing what is left now (on
        the workers when it was theirs)."""
        return list(self.collect_iter(work))

    def collect_iter(self, work: Background[T, R]) -> Iterator[R]:
        """:meth:`collect` one result at a time, each as soon as its chunk is done: what
        is left is handed to the workers at once (when it was theirs), and the caller
        can write the first results while they do the rest."""
        with self._lock:
            theirs = work in self._background
            if theirs:
                self._background.remove(work)
        return work.iter_results(self._started() if theirs else None)

    def top_up(self) -> None:
        """Hand background chunks to the running pool until :data:`BACKGROUND_PER_JOB`
        per worker are queued or running; while background work is left, a feeder
        thread goes on doing so as chunks finish."""
        with self._lock:
            if self._pool is None or not self._background:
                return
            self._top_up_locked()
            if self._feeder is None:
                self._feeder = threading.Thread(
                    target=self._feed, name="unspin-background-feeder", daemon=True
                )
                self._feeder.start()

    def _top_up_locked(self) -> list[Future[Any]]:
        assert self._pool is not None
        live = [f for f in self._background_live if not f.done()]
        while self._background and len(live) < BACKGROUND_PER_JOB * self.jobs:
            work = self._background[0]
            live.append(work.hand_over(self._pool))
            if work.exhausted:
                self._background.pop(0)
        self._background_live = live
        return live

    def _feed(self) -> None:
        """The feeder thread: each time a background chunk finishes, top the pool up
        again; ends when no background work is left to hand over (top_up starts it
        again), the pool closes, or it cannot take work any more (a worker died: the
        writer meets the error when it collects)."""
        try:
            while True:
                with self._lock:
                    if self._closing.is_set() or self._pool is None or not self._background:
                        self._feeder = None  # decided under the lock: top_up starts another
                        return
                    live = self._top_up_locked()
                # (live is never empty here: background work was left to hand over)
                wait(live, timeout=1.0, return_when=FIRST_COMPLETED)
        except (BrokenExecutor, RuntimeError):  # a broken or shut-down pool
            with self._lock:
                self._feeder = None

    def _started(self) -> Executor:
        if self._pool is None:
            # fork: the workers start with the parent's modules and read-only tables
            # (lexicon, embedding model) already loaded, and share their pages.
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(), self._close_fds),
            )
        return self._pool

    def close(self) -> None:
        self._closing.set()
        with self._lock:
            self._background = []
            self._background_live = []
            feeder = self._feeder
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if feeder is not None:
            feeder.join()
        self._pool = None
        self._closing.clear()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
