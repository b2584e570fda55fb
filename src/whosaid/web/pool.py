"""Analysis off the event loop: a bounded pool of worker processes with a time limit.

Analysis is CPU-bound and, on adversarial text, can take long; run in the
server process it would hold the GIL and every other request with it. Here
each of ``workers`` slots is a one-process ``ProcessPoolExecutor`` (forkserver
on Linux, the model loaded once per process), so:

* at most ``workers`` analyses run at once, each starting at once on its own
  process; up to ``queue`` more wait for a slot; beyond that a request is
  refused at once with :class:`Busy` (503 with ``Retry-After``), so waiting
  analyses can never take every request thread and reads never wait on them;
* a job over ``timeout`` seconds raises :class:`TimedOut` (503): its process
  is killed and replaced, and the slot serves the next request;
* workers die with the server, even when it is killed with SIGKILL
  (:func:`whosaid.parallel.die_with_parent`).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from whosaid.parallel import _context, _init_worker, _one_blas_thread, release_result_pipe

if TYPE_CHECKING:
    from whosaid.audit import SourceDoc
    from whosaid.model import Document

R = TypeVar("R")


class Busy(Exception):
    """Every slot is busy and the waiting room is full: try again later."""


class TimedOut(Exception):
    """The job ran past the time limit; its worker was killed and replaced."""


def analyse_job(text: str, name: str | None, metadata: dict[str, str], model: str
                ) -> Document:
    """In a worker: ``whosaid.extract`` (the model is loaded once per process)."""
    from whosaid import pipeline

    return pipeline.extract(text, name=name, metadata=metadata, model=model)


def audit_job(text: str, name: str | None, sources: list[SourceDoc], model: str
              ) -> tuple[dict[str, Any], Document]:
    """In a worker: analyse a report and audit its citations against ``sources``."""
    from whosaid import pipeline
    from whosaid.audit import audit

    doc = pipeline.extract(text, name=name, model=model)
    return audit(doc, sources), doc


def _warm(model: str) -> bool:
    """Load spaCy and the tagger in the worker so the first request is not slow."""
    from whosaid import pipeline

    pipeline.extract("Officials said the airport would reopen.", model=model)
    return True


WARM_SECONDS = 300.0  # the most a request waits for a (re)started worker to load the model


class AnalysisPool:
    """``workers`` single-process executors handed out one job at a time.

    Workers start on the first request, each loading the model before it is
    handed out (the time limit is for analysis, not for loading), and so does a
    worker that replaces a killed one.
    """

    def __init__(self, workers: int = 1, timeout: float = 60.0, queue_size: int = 4,
                 model: str = "fast") -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self.model = model
        self._room = threading.BoundedSemaphore(self.workers + max(0, queue_size))
        self._slots: queue.Queue[ProcessPoolExecutor] = queue.Queue()
        self._all: list[ProcessPoolExecutor] = []
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.workers):
            self._spawn()

    def _spawn(self) -> None:
        """A new worker; it joins the free slots once the model is loaded in it."""
        with _one_blas_thread():
            pool = ProcessPoolExecutor(1, mp_context=_context(), initializer=_init_worker,
                                       initargs=(os.getpid(),))
            warm = pool.submit(_warm, self.model)
        with self._lock:
            self._all.append(pool)
        # loaded or not (a missing model fails the jobs themselves, clearly): serve
        warm.add_done_callback(lambda _f: None if self._closed else self._slots.put(pool))

    def run(self, fn: Callable[..., R], *args: Any, timeout: float | None = None) -> R:
        """``fn(*args)`` in a worker process (blocking the calling thread, not the loop);
        ``timeout`` overrides the pool's limit for this job."""
        limit = self.timeout if timeout is None else timeout
        if self._closed:
            raise Busy("the server is shutting down")
        if not self._room.acquire(blocking=False):
            raise Busy(f"all {self.workers} analysis worker(s) are busy and the queue is full")
        try:
            self._start()
            try:
                slot = self._slots.get(timeout=self.timeout + WARM_SECONDS)
            except queue.Empty:
                raise Busy("no analysis worker became free in time") from None
            future: Future[R] | None = None
            try:
                future = slot.submit(fn, *args)
                result = future.result(timeout=limit)
            except FutureTimeout:
                self._replace(slot)
                raise TimedOut(f"analysis stopped after {limit:g} s (the time "
                               "limit); send a shorter text") from None
            except BrokenProcessPool:  # the worker died (out of memory, killed)
                self._replace(slot)
                raise TimedOut("the analysis worker died; try again") from None
            except BaseException:
                self._slots.put(slot)  # the job raised: the worker is fine
                raise
            self._slots.put(slot)
            return result
        finally:
            self._room.release()

    def _replace(self, slot: ProcessPoolExecutor) -> None:
        """Kill the slot's process (it may be stuck in C code) and start a fresh one."""
        _kill(slot)
        with self._lock:
            if slot in self._all:
                self._all.remove(slot)
        if not self._closed:
            self._spawn()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            pools, self._all = list(self._all), []
        for pool in pools:
            _kill(pool)


def _kill(pool: ProcessPoolExecutor) -> None:
    release_result_pipe(pool)  # a worker killed mid-send must not hang the manager thread
    processes = getattr(pool, "_processes", None) or {}
    for proc in list(processes.values()):
        if proc.is_alive():
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)
