"""A throwaway PostgreSQL server for tests and benchmarks: the Debian binaries, a temp dir,
loopback only, a free non-default port.

Why here and not in tests/: the store tests, the web-app tests and the benchmarks all start
one, and benchmarks cannot import from tests/. Usage::

    with PgServer.start() as pg:          # raises PgUnavailable(reason) when it cannot run
        url = pg.new_database()           # postgresql://presslens@127.0.0.1:PORT/t1

When run as root, ``initdb`` and ``postgres`` refuse to start, so they run as the ``postgres``
user the Debian package creates (else ``nobody``), which then owns the temp dir.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

#: Where Debian's postgresql-NN packages put their server binaries.
BIN_GLOB = "/usr/lib/postgresql/*/bin"
#: Seconds to wait for the server to accept connections.
START_TIMEOUT = 60.0
#: The superuser initdb creates (no password: trust on loopback and the private socket).
SUPERUSER = "presslens"


class PgUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why (tests skip with it)."""


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL bin dir with both ``initdb`` and ``postgres``."""
    dirs = [Path(d) for d in glob.glob(BIN_GLOB)]
    dirs = [d for d in dirs if (d / "initdb").is_file() and (d / "postgres").is_file()]

    def version(d: Path) -> tuple[int, ...]:
        name = d.parent.name
        return tuple(int(p) for p in name.split(".") if p.isdigit())

    return max(dirs, key=version) if dirs else None


def free_port() -> int:
    """A free TCP port on 127.0.0.1 chosen by the kernel (never the default 5432)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> tuple[int, int] | None:
    """(uid, gid) to run the server binaries as, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise PgUnavailable("running as root and neither a 'postgres' nor a 'nobody' user exists")


@dataclass
class PgServer:
    """A running server; ``stop()`` (or leaving the ``with`` block) shuts it down and deletes
    its directory."""

    port: int
    root: Path
    proc: subprocess.Popen[bytes]
    host: str = "127.0.0.1"
    _databases: int = field(default=0, repr=False)

    @classmethod
    def start(cls, *, timeout: float = START_TIMEOUT, durable: bool = False) -> PgServer:
        bindir = find_bin_dir()
        if bindir is None:
            raise PgUnavailable(
                f"no PostgreSQL server binaries in {BIN_GLOB} (install the Debian package "
                "'postgresql', e.g. with `make system-deps`)"
            )
        ids = _run_as()
        root = Path(tempfile.mkdtemp(prefix="presslens-pg-"))
        try:
            return cls._start_in(root, bindir, ids, timeout, durable)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    @classmethod
    def _start_in(
        cls,
        root: Path,
        bindir: Path,
        ids: tuple[int, int] | None,
        timeout: float,
        durable: bool = False,
    ) -> PgServer:
        data, sock, log = root / "data", root / "sock", root / "server.log"
        sock.mkdir()
        kwargs: dict[str, Any] = {}
        if ids is not None:
            for path in (root, sock):
                os.chown(path, *ids)
            kwargs = {"user": ids[0], "group": ids[1], "extra_groups": []}
        init = subprocess.run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            capture_output=True,
            cwd=root,
            timeout=timeout,
            check=False,
            **kwargs,
        )
        if init.returncode != 0:
            raise PgUnavailable(
                f"initdb failed ({init.returncode}): {init.stderr.decode(errors='replace')[-500:]}"
            )
        port = free_port()
        with log.open("wb") as log_file:
            proc = subprocess.Popen(
                [
                    str(bindir / "postgres"),
                    "-D",
                    str(data),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-k",
                    str(sock),
                    # A disposable test server: no fsync (an OS crash is not tested); commits
                    # are acknowledged before their WAL is written unless ``durable``, which
                    # the crash tests need (a killed server then loses no acknowledged write).
                    "-c",
                    "fsync=off",
                    "-c",
                    f"synchronous_commit={'on' if durable else 'off'}",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=60",
                    "-c",
                    "shared_buffers=64MB",
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=root,
                start_new_session=True,
                **kwargs,
            )
        server = cls(port=port, root=root, proc=proc)
        atexit.register(server.stop)
        try:
            server._wait_ready(timeout, log)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_ready(self, timeout: float, log: Path) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                tail = log.read_text(errors="replace")[-800:]
                raise PgUnavailable(f"postgres exited with {self.proc.returncode}: {tail}")
            try:
                psycopg.connect(self.admin_url, connect_timeout=2).close()
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PgUnavailable(f"postgres did not accept connections: {exc}") from exc
                time.sleep(0.1)

    @property
    def admin_url(self) -> str:
        return f"postgresql://{SUPERUSER}@{self.host}:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://{SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def new_database(self, prefix: str = "t", *, template: str = "template0") -> str:
        """Create a database (empty, or a copy of ``template``, which must have no open
        connection) and return its URL; one per test keeps tests apart."""
        import psycopg
        from psycopg import sql

        self._databases += 1
        name = f"{prefix}{os.getpid()}_{self._databases}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        return self.url(name)

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then kill if it lingers; remove the directory."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
