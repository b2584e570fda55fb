"""Multi-process extraction: the same pipeline on N cores, streaming and in order.

:func:`extract_parallel` cuts the input stream into chunks of ``chunk``
documents and hands them to a pool of worker processes. Each worker loads the
spaCy pipeline and the CRFs once (``load_nlp`` and the taggers are cached per
process) and runs :func:`whosaid.pipeline.extract_many` on every chunk it gets,
so a document comes out exactly as it would in one process.

Only a bounded number of chunks is ever in flight (``AHEAD`` per worker), and
results are yielded in input order as soon as the oldest chunk is done, so
memory stays flat whatever the size of the input (``Pool.imap`` would instead
read the whole input iterator ahead, and ``Pool`` hangs when a worker dies;
``ProcessPoolExecutor`` raises ``BrokenProcessPool``). Workers ignore SIGINT; on Ctrl-C (or when
the consumer stops early) the parent terminates them, so the caller can flush
what it has written and exit. Workers also die with the parent when it is killed
outright (kill -9): :func:`die_with_parent`.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from multiprocessing.connection import wait as wait_ready

from whosaid import pipeline
from whosaid.model import Document

Item = pipeline.Item
__all__ = ["BrokenProcessPool", "extract_parallel"]
AHEAD = 2  # chunks queued per worker beyond the one it is working on
BLAS_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """While workers start: one BLAS thread each, so N workers use N cores, not N x cores.

    Read by numpy when the worker (or forkserver) imports it; the caller's
    environment is restored afterwards and explicit settings are kept.
    """
    saved = {var: os.environ.get(var) for var in BLAS_VARS}
    for var in BLAS_VARS:
        os.environ.setdefault(var, "1")
    try:
        yield
    finally:
        for var, old in saved.items():
            if old is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = old


PR_SET_PDEATHSIG = 1  # linux/prctl.h
KILL_AFTER = 10.0  # seconds a terminated worker gets before SIGKILL
WATCH_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """Make this worker exit when the process that started the pool dies, even by kill -9.

    Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` fires when the worker's own parent
    (the forkserver, which exits when its client is gone) dies; everywhere: a
    daemon thread polls ``parent`` (the pool owner's pid) and exits when it is gone.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watchdog still works
            pass

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # pid reused by another user's process: parent gone
                os._exit(1)

    threading.Thread(target=watch, name="whosaid-parent-watch", daemon=True).start()


def _init_worker(parent: int | None = None) -> None:
    """Workers leave Ctrl-C to the parent, which terminates them, and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        die_with_parent(parent)


def _run_chunk(chunk: list[Item], model: str) -> list[Document]:
    """Analyse one chunk in a worker (the model is loaded on the first call only)."""
    return list(pipeline.extract_many(chunk, model=model))


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _context() -> mp.context.BaseContext:
    # forkserver: workers fork from a clean server process, never from the
    # caller (which may hold threads, e.g. rich's progress bar); spawn elsewhere
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["whosaid.pipeline"])  # import spaCy once, in the server
        return ctx
    return mp.get_context("spawn")


def _pool(workers: int) -> ProcessPoolExecutor:
    """The worker pool: forkserver (or spawn) workers that ignore Ctrl-C and die with us."""
    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                               initargs=(os.getpid(),))


def extract_parallel(items: Iterable[Item], workers: int, model: str = "fast",
                     chunk: int = 8) -> Iterator[Document]:
    """Analyse ``(name, text, metadata)`` items on ``workers`` processes, in input order.

    ``workers <= 1`` runs :func:`whosaid.pipeline.extract_many` in this process.
    Errors raised in a worker (a missing model file, say) are re-raised here; a
    worker that dies (killed, out of memory) raises ``BrokenProcessPool``.
    """
    if model not in pipeline.MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(pipeline.MODELS)}")
    if workers <= 1:
        yield from pipeline.extract_many(items, model=model)
        return
    chunk = max(1, chunk)
    pool = _pool(workers)
    done = False
    try:
        pending: deque[Future[list[Document]]] = deque()
        limit = workers * (1 + AHEAD)
        for i, batch in enumerate(_chunks(items, chunk)):
            if i == 0:  # the first submit starts the workers (and the forkserver)
                with _one_blas_thread():
                    pending.append(pool.submit(_run_chunk, batch, model))
            else:
                pending.append(pool.submit(_run_chunk, batch, model))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        done = True
    finally:
        if done:
            pool.shutdown(wait=True)
        else:  # Ctrl-C, a worker error, or the consumer stopped early
            _terminate(pool)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now rather than after the chunks they are working on.

    A worker killed while it sends a result leaves the pool's manager thread reading
    the rest of that message for ever: this process holds the pipe's write end too,
    so the read never ends, and ``shutdown`` (and the interpreter's exit) waits for
    that thread. So this process closes its write end first (it never writes there,
    and a second Ctrl-C during the waits below must not skip it): once the workers
    are gone the read ends (end of file), the pool counts as broken and shuts down.
    """
    # the executor has no public kill; its process table has been stable since 3.8
    release_result_pipe(pool)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    if not _wait_dead(processes, KILL_AFTER):
        for proc in processes:
            if proc.is_alive():  # SIGTERM not acted on: no worker may write after this
                proc.kill()
        _wait_dead(processes, KILL_AFTER)
    pool.shutdown(wait=True, cancel_futures=True)


def release_result_pipe(pool: ProcessPoolExecutor) -> None:
    """Close this process's write end of the pool's result pipe (a SimpleQueue's
    ``_writer``, present in 3.11-3.13), so that a worker killed mid-send leaves the
    manager thread an end of file rather than a read that never ends."""
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()


def _wait_dead(processes: list[mp.process.BaseProcess], timeout: float) -> bool:
    """Wait until every process has exited (its sentinel is ready); False on timeout."""
    deadline = time.monotonic() + timeout
    left = [proc.sentinel for proc in processes]
    while left:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready = wait_ready(left, remaining)
        left = [fd for fd in left if fd not in ready]
    return True
