"""Engines run shard tasks: in this process, in a local process pool, or on a Dask cluster.

All three take the same picklable task and function, so the same pipeline config runs on a
laptop or a cluster without code changes. Dask is imported only when the Dask engine is
chosen; without the ``presslens[dask]`` extra that is a clear ConfigError (P701).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from typing import Any, Protocol

from presslens.errors import ConfigError
from presslens.run import init_worker, worker_pool
from presslens.scale.codes import (
    BAD_RUN_CONFIG,
    SCHEDULER_UNREACHABLE,
    ScaleError,
    dask_missing,
)
from presslens.scale.worker import warm_up
from presslens.settings import Settings

ENGINES = ("local", "dask")
#: Seconds to wait for every local worker to load its models before going on anyway.
START_TIMEOUT = 300
#: How long a start-up ping keeps its worker busy, so the next ping reaches another worker.
_PING_SECONDS = 0.2
#: Seconds to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = 30


class Engine(Protocol):
    """Submit picklable calls, wait for any to finish, close."""

    name: str
    workers: int

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any: ...

    def wait(self, handles: Iterable[Any]) -> tuple[set[Any], set[Any]]: ...

    def result(self, handle: Any) -> Any: ...

    def close(self) -> None: ...


class InlineEngine:
    """One worker: this process (no pickling, no start-up cost)."""

    name = "local"
    workers = 1

    def __init__(self, config: dict[str, Any], settings: Settings) -> None:
        warm_up(config, settings)  # thread limits stay as the caller set them

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(arg))
        except Exception as exc:  # noqa: BLE001 - handed to the caller like a pool's error
            future.set_exception(exc)
        return future

    def wait(self, handles: Iterable[Any]) -> tuple[set[Any], set[Any]]:
        return set(handles), set()

    def result(self, handle: Any) -> Any:
        return handle.result()

    def close(self) -> None:
        return None


class LocalEngine:
    """A local process pool; each worker loads the models once (see ``presslens.run``)."""

    name = "local"

    def __init__(self, workers: int, config: dict[str, Any], settings: Settings) -> None:
        self.workers = workers
        self._stack = ExitStack()
        self._pool: ProcessPoolExecutor = self._stack.enter_context(
            worker_pool(workers, config, settings)
        )
        self._start_all(config, settings)

    def _start_all(self, config: dict[str, Any], settings: Settings) -> None:
        """Wait until every worker has run its initializer (models loaded) and the warm-up,
        so start-up is over before the first shard and does not count as analysis time."""
        pids: set[int] = set()
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while len(pids) < self.workers and time.monotonic() < deadline:
                pings = [
                    self._pool.submit(_warm_ping, config, settings) for _ in range(self.workers)
                ]
                pids.update(f.result() for f in pings)
        except BrokenProcessPool as exc:  # an initializer raised: the model could not load
            self.close()
            raise ScaleError(
                f"the local workers could not start ({str(exc).rstrip('.')})",
                where="local pool",
                hint="Run with --workers 1 to see the error of the pipeline in this process.",
            ) from exc

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        return self._pool.submit(fn, arg)

    def wait(self, handles: Iterable[Any]) -> tuple[set[Any], set[Any]]:
        done, pending = futures_wait(list(handles), return_when=FIRST_COMPLETED)
        return set(done), set(pending)

    def result(self, handle: Any) -> Any:
        return handle.result()

    def close(self) -> None:
        self._stack.close()


class DaskEngine:
    """A Dask cluster: ``Client(address)``, or a local cluster when no address is given.

    A local cluster binds 127.0.0.1 with the dashboard off. Dask's nanny starts workers with
    OMP/MKL/OpenBLAS threads at 1; each worker builds the pipeline once, at start
    (``client.run``), and keeps it for every shard it is given.
    """

    name = "dask"

    def __init__(
        self,
        config: dict[str, Any],
        settings: Settings,
        *,
        address: str | None = None,
        workers: int = 2,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise dask_missing(exc) from None
        self._cluster: Any = None
        try:
            if address:
                self._client: Any = Client(address, timeout=CONNECT_TIMEOUT)
            else:
                import dask

                # See WORKER_CONFIG. The nanny copies its pre-spawn environment into this
                # process's os.environ; restore it so processes started later (a local pool)
                # do not inherit Dask's malloc settings.
                with dask.config.set(WORKER_CONFIG), kept_environ():
                    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # left by another nanny
                    self._cluster = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        # without a dashboard the scheduler still serves its HTTP routes, on
                        # port 8787 by default: a free port instead, so runs never collide
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                    )
                self._client = Client(self._cluster)
        except OSError as exc:  # TimeoutError and connection errors
            self.close()
            raise ScaleError(
                f"cannot reach the Dask scheduler: {exc}",
                where=address or "local cluster",
                hint="Check the address (tcp://HOST:8786) and that the scheduler runs and "
                "is reachable from here.",
                code=SCHEDULER_UNREACHABLE,
            ) from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        self._client.run(init_worker, config, settings)
        self._client.run(warm_up, config, settings)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        return self._client.submit(fn, arg, pure=False)

    def wait(self, handles: Iterable[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait

        done, pending = wait(list(handles), return_when="FIRST_COMPLETED")
        return set(done), set(pending)

    def result(self, handle: Any) -> Any:
        return handle.result()

    def close(self) -> None:
        client, cluster = getattr(self, "_client", None), self._cluster
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


#: Dask settings for the local cluster presslens starts (give remote workers the same through
#: their environment, see README "Scale"). Each was measured on a 2-core machine:
#: - the statistical profiler samples every worker thread's stack each 10 ms, under the GIL
#:   the analysis needs;
#: - the nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also turns off glibc's
#:   dynamic mmap threshold: spaCy's and numpy's larger buffers are then mapped and unmapped
#:   on every call (5x the page faults, 3x the system time of a worker); None unsets it;
#: - the event-loop health tick (20 ms), the system monitor (500 ms) and the memory monitor
#:   (100 ms) wake the scheduler, every nanny and every worker while they have nothing to
#:   do; a batch job needs them seldom.
WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


@contextmanager
def kept_environ() -> Iterator[None]:
    """Restore ``os.environ`` as it was when the block ends."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _warm_ping(config: dict[str, Any], settings: Settings) -> int:
    """Warm this worker up (once) and stay busy a moment, so the next ping reaches another."""
    pid = warm_up(config, settings)
    time.sleep(_PING_SECONDS)
    return pid


def make_engine(
    name: str,
    config: dict[str, Any],
    settings: Settings,
    *,
    workers: int = 1,
    scheduler: str | None = None,
) -> Engine:
    """The engine called ``name`` (``local`` or ``dask``)."""
    if name == "dask":
        return DaskEngine(config, settings, address=scheduler, workers=workers)
    if name != "local":
        raise ConfigError(
            f"unknown engine {name!r}",
            hint=f"Use one of: {', '.join(ENGINES)}.",
            code=BAD_RUN_CONFIG,
        )
    if scheduler:
        raise ConfigError(
            "a scheduler address needs the Dask engine",
            hint='Add --engine dask (or engine = "dask" in the run config).',
            code=BAD_RUN_CONFIG,
        )
    if workers <= 1:
        return InlineEngine(config, settings)
    return LocalEngine(workers, config, settings)
