"""Servers for the benchmarks: each target runs under uvicorn as a subprocess on 127.0.0.1,
on a free port, and is always stopped, even when the run fails (use `Server` as a context
manager or through an `ExitStack`)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"


class BenchmarkError(Exception):
    """The benchmark cannot run (a server did not start, an answer was wrong...)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def http_get(
    port: int, path: str, headers: Mapping[str, str] | None = None, timeout: float = 5.0
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Server:
    """`python -m benchmarks.serve <app>` on a free port; its output goes to `log_path`."""

    def __init__(
        self,
        name: str,
        app: str,
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        ready_path: str = "/api/v1/ping",
        start_timeout: float = 60.0,
        wrapper: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.app = app
        self.log_path = log_path
        self.env = dict(env or {})
        self.ready_path = ready_path
        self.start_timeout = start_timeout
        self.wrapper = list(wrapper)  # a command the server runs under (valgrind ...)
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise BenchmarkError(f"{self.name}: not started")
        return self._process.pid

    def cpu_seconds(self) -> float | None:
        """User + system CPU time used so far by the server process (all its threads), from
        /proc; None where there is no /proc."""
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            return None
        # after the command name: state is field 3, utime field 14, stime field 15
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def start(self) -> None:
        self.port = free_port()
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        repo = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (repo, env.get("PYTHONPATH", "")) if p)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    *self.wrapper,
                    *(sys.executable, "-m", "benchmarks.serve", self.app, "--port", str(self.port)),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=repo,
                start_new_session=True,  # our Ctrl-C handling stops it, in order
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise BenchmarkError(
                    f"{self.name} exited with {self._process.returncode} while starting:\n"
                    + self.log_tail()
                )
            try:
                status, _ = http_get(self.port, self.ready_path, timeout=2.0)
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            raise BenchmarkError(f"{self.name}: GET {self.ready_path} answered {status}")
        raise BenchmarkError(f"{self.name} did not start in {self.start_timeout:.0f} s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
