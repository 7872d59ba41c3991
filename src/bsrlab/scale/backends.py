"""Where a sweep's blocks are evaluated: this process, local processes, or a Dask cluster.

Every backend runs the same task, :func:`bsrlab.scale.sweep.evaluate_blocks` on a chunk of
consecutive blocks, keeps a bounded number of tasks in flight (so memory stays constant) and
hands the block results back in block order. Nothing else differs, which is why the results
are identical whatever the backend.

``dask`` is an optional extra (``pip install 'bsrlab[dask]'``): it is imported only when a
scheduler is asked for.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from bsrlab.core.errors import BsrlabError

if TYPE_CHECKING:
    from bsrlab.scale.sweep import BlockResult, SweepConfig

__all__ = ["Backend", "DaskBackend", "ProcessBackend", "SerialBackend", "choose"]


class Backend:
    """The interface: ``map`` yields block results in block order; ``close`` releases."""

    name = "serial"
    workers = 1

    def map(self, cfg: SweepConfig, blocks: int, chunk: int, columns: bool
            ) -> Iterator[BlockResult]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the workers (idempotent)."""


def _chunks(blocks: int, chunk: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, blocks, chunk):
        yield lo, min(lo + chunk, blocks)


class SerialBackend(Backend):
    """Every block in this process, one after the other."""

    def map(self, cfg: SweepConfig, blocks: int, chunk: int, columns: bool
            ) -> Iterator[BlockResult]:
        from bsrlab.scale.sweep import evaluate_block

        for i in range(blocks):
            yield evaluate_block(cfg, i, columns)


def _ordered(submit: Any, cfg: SweepConfig, blocks: int, chunk: int, columns: bool,
             inflight: int, result: Any) -> Iterator[BlockResult]:
    """Submit chunks with at most ``inflight`` pending; yield their blocks in order."""
    from bsrlab.scale.sweep import evaluate_blocks

    todo = iter(list(_chunks(blocks, chunk)))
    queue: deque[Any] = deque()
    for lo, hi in todo:
        queue.append(submit(evaluate_blocks, cfg, lo, hi, columns))
        if len(queue) >= inflight:
            break
    while queue:
        fut = queue.popleft()
        nxt = next(todo, None)
        if nxt is not None:
            queue.append(submit(evaluate_blocks, cfg, nxt[0], nxt[1], columns))
        yield from result(fut)


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` where it is the platform's default (Linux: workers start at once), else the
    platform's default (``spawn`` or ``forkserver``)."""
    if sys.platform.startswith("linux") and sys.version_info < (3, 14):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _worker_signals() -> None:
    """In a worker: SIGTERM, SIGINT and SIGHUP are left to the parent, which stops the sweep,
    lets the tasks under way finish (a task is short) and then ends the workers. A worker
    killed while it sends a result would leave the pool waiting for the rest of the message."""
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, signal.SIG_IGN)


class ProcessBackend(Backend):
    """Local worker processes (``concurrent.futures``), one task per chunk of blocks."""

    name = "processes"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                         initializer=_worker_signals)

    def map(self, cfg: SweepConfig, blocks: int, chunk: int, columns: bool
            ) -> Iterator[BlockResult]:
        def result(fut: Future[list[BlockResult]]) -> list[BlockResult]:
            return fut.result()

        return _ordered(self._pool.submit, cfg, blocks, chunk, columns, 2 * self.workers,
                        result)

    def close(self) -> None:
        # Pending tasks are cancelled; the ones under way finish (each is a short chunk of
        # blocks), then the workers exit.
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend(Backend):
    """A Dask cluster: a scheduler's address, or a LocalCluster made (and closed) here."""

    name = "dask"

    def __init__(self, scheduler: str, workers: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise BsrlabError("--scheduler needs dask.distributed: pip install 'bsrlab[dask]'"
                              ) from None
        self._cluster: Any = None
        self._own_client = True
        try:
            if scheduler == "local":
                self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                             processes=True, dashboard_address=None)
                self._client = Client(self._cluster)
            else:
                self._client = Client(scheduler, timeout="10s")
        except OSError as exc:
            self.close()
            raise BsrlabError(f"cannot reach the Dask scheduler '{scheduler}': {exc}") from None
        info = self._client.scheduler_info()
        self.workers = max(1, len(info.get("workers", {})))

    @classmethod
    def from_client(cls, client: Any) -> DaskBackend:
        """Use an existing ``distributed.Client`` (not closed by :meth:`close`)."""
        self = cls.__new__(cls)
        self._cluster = None
        self._client = client
        self._own_client = False
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))
        return self

    def map(self, cfg: SweepConfig, blocks: int, chunk: int, columns: bool
            ) -> Iterator[BlockResult]:
        client = self._client

        def submit(fn: Any, *args: Any) -> Any:
            return client.submit(fn, *args, pure=False)

        def result(fut: Any) -> list[BlockResult]:
            out: list[BlockResult] = fut.result()
            fut.release()
            return out

        return _ordered(submit, cfg, blocks, chunk, columns, 2 * self.workers, result)

    def close(self) -> None:
        if getattr(self, "_own_client", True) and getattr(self, "_client", None) is not None:
            with contextlib.suppress(Exception):
                self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None


def choose(workers: int, scheduler: str | None) -> Backend:
    """The backend for ``workers`` and ``scheduler`` (see :func:`bsrlab.scale.sweep.run`)."""
    if scheduler is not None:
        return DaskBackend(scheduler, workers)
    if workers == 1:
        return SerialBackend()
    return ProcessBackend(min(workers, 4 * (os.cpu_count() or 1)))
