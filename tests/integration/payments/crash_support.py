"""The crash loop's processes: a fork server that imports Galerie and builds the app once,
then forks a web server or a worker on demand, so that a SIGKILL and a restart cost
milliseconds rather than a new interpreter's start-up.

    python -m tests.integration.payments.crash_support <config.json>

reads the environment (GALERIE_*), the clock file and the log file from the config, binds
one listening socket on 127.0.0.1 (kept open across restarts: a connection made while no
server runs waits in the backlog for the next one) and prints `ready <port>`. Then it reads
commands on stdin, one a line, answering each with the child's pid:

- `serve`: a child serving the app on the socket (uvicorn, as `galerie serve` runs it);
- `work <generation>`: a child running the worker's passes in a loop: the use cases
  `galerie worker` runs (the timers, every minute and every hour of the shared clock as
  `run_timers_until` schedules them, one batch of the outbox, the sandbox's webhooks,
  pending refunds, payouts left unsent, runs a kill left unfinished) and the payout run
  `CNY:crash-<generation>` (keyed by the test rather than by the period: a run is resumed
  after a kill, the next starts later); it writes the step it is at into the shared file;
- `cli <output file> <args...>`: `galerie <args...>` (the command line's own code) with its
  standard output in the file; the answer is its exit status;
- `quit`: kill every child and exit.

The test kills children itself (os.kill(pid, SIGKILL)); the fork server reaps the dead
before each command.

Every process reads the time from `SharedClock`: real time plus an offset in a mapped file,
which the test moves forward (retries, leases and deadlines come due without waiting).

Before answering `ready`, the fork server runs one worker pass on the (still empty)
database and closes its connections, so that each worker child starts with SQLAlchemy's
caches filled (its first pass takes ~0.1 s rather than ~0.5 s on a busy machine)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import mmap
import os
import signal
import socket
import struct
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from galerie.kernel import Money

IDLE, TIMERS, OUTBOX, WEBHOOKS, REFUNDS, PAYOUT_RUN, PAYOUTS, STARTING = range(8)
# The shared file: the clock's offset (seconds), the worker's step, how often it entered each
OFFSET, STEP, ENTRIES = struct.Struct("d"), struct.Struct("q"), struct.Struct("8q")
WORKER_STEPS = (TIMERS, OUTBOX, WEBHOOKS, REFUNDS, PAYOUT_RUN, PAYOUTS)
ROOT = Path(__file__).resolve().parents[3]


class SharedClock:
    """Real UTC time plus an offset (seconds) shared through a mapped file: every process
    that maps the file sees the offset the test last wrote. The file also holds the step
    the worker is at and how many times a worker entered each step (`entered`), so the
    test can choose where in the worker's work a kill lands (each field has one writer:
    the test the offset, the worker the rest)."""

    def __init__(self, path: Path) -> None:
        with path.open("r+b") as file:
            self._map = mmap.mmap(file.fileno(), OFFSET.size + STEP.size + ENTRIES.size)

    @staticmethod
    def create(path: Path) -> SharedClock:
        path.write_bytes(OFFSET.pack(0.0) + STEP.pack(IDLE) + ENTRIES.pack(*[0] * 8))
        return SharedClock(path)

    @property
    def offset(self) -> float:
        value: float = OFFSET.unpack_from(self._map, 0)[0]
        return value

    @property
    def step(self) -> int:
        value: int = STEP.unpack_from(self._map, OFFSET.size)[0]
        return value

    def advance(self, seconds: float) -> None:
        OFFSET.pack_into(self._map, 0, self.offset + max(seconds, 0.0))

    def entered(self, step: int) -> int:
        value: int = ENTRIES.unpack_from(self._map, OFFSET.size + STEP.size)[step]
        return value

    def mark(self, step: int) -> None:
        """The worker starts `step`."""
        STEP.pack_into(self._map, OFFSET.size, step)
        at = OFFSET.size + STEP.size + step * 8
        STEP.pack_into(self._map, at, self.entered(step) + 1)

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)


# -- the fork server (its own process) -----------------------------------------------------


@dataclass
class _Parent:
    app: Any
    sock: socket.socket
    clock: SharedClock
    settings: Any
    log: str
    worker_db: Any


def _child(parent: _Parent, command: str, args: list[str]) -> None:
    """Run in the forked child; never returns."""
    code = 0
    try:
        log = os.open(parent.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if command == "cli":  # its standard output goes to the file named first
            os.dup2(os.open(args[0], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
        else:
            os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        logging.basicConfig(level=logging.WARNING, force=True)
        if command == "cli":
            code = _cli(args[1:])
        elif command == "serve":
            asyncio.run(_serve(parent.app, parent.sock))
        else:
            parent.sock.close()
            asyncio.run(_work(parent.settings, parent.worker_db, parent.clock, int(args[0])))
    except BaseException:
        logging.getLogger("crash").exception("child %s died", command)
        code = 1
    finally:
        sys.stdout.flush()
        os._exit(code)


def _cli(args: list[str]) -> int:
    """`galerie <args>` (galerie.cli, as the console script runs it); its exit status."""
    from galerie.cli import main as galerie

    try:
        galerie.main(args=args, prog_name="galerie")  # always exits (click's standalone mode)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1


async def _serve(app: Any, sock: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(
        app, loop="asyncio", http="httptools", log_config=None, access_log=False,
        server_header=False, lifespan="on",
    )  # fmt: skip
    await uvicorn.Server(config).serve(sockets=[sock])


async def _work(settings: Any, db: Any, clock: SharedClock, generation: int | None) -> None:
    """The worker's passes, back to back (a short sleep when a pass did nothing); with no
    generation, one pass, then the engine's connections closed (the fork server's warm-up:
    its children start with SQLAlchemy's caches filled, rather than spending their first
    half second compiling)."""
    from galerie.payments import send_pending_refunds
    from galerie.settlement import resume_unfinished_runs, run_payouts, send_requested_payouts
    from galerie.workers.runtime import make_dispatcher, make_payment_provider, make_sandbox_sender
    from galerie.workers.timers import FREQUENT, FREQUENT_PERIOD, HOURLY, TIMER_PERIOD

    dispatcher = make_dispatcher(settings, db, clock)
    sandbox = make_sandbox_sender(settings, db, clock)
    provider = make_payment_provider(settings, db, clock)
    assert sandbox is not None
    assert provider is not None
    minimum = Money(settings.payout_minimum_minor, settings.default_currency)
    key = f"{minimum.currency}:crash-{generation or 0}"
    due = {"frequent": clock.now(), "hourly": clock.now()}  # both at start, as the worker's
    while True:
        clock.mark(TIMERS)
        done = 0
        for name, timers, period in (
            ("frequent", FREQUENT, FREQUENT_PERIOD), ("hourly", HOURLY, TIMER_PERIOD),
        ):  # fmt: skip
            if clock.now() >= due[name]:  # every minute and every hour of the shared clock
                due[name] = clock.now() + period
                for timer in timers.values():
                    done += await timer(db, now=clock.now())
        clock.mark(OUTBOX)
        done += await dispatcher.dispatch_pending()  # one batch: the others get their turn
        clock.mark(WEBHOOKS)
        done += await sandbox.send_due()
        clock.mark(REFUNDS)
        done += await send_pending_refunds(db, provider, now=clock.now())
        clock.mark(PAYOUT_RUN)
        if generation is not None:  # (the warm-up starts no payout run)
            await resume_unfinished_runs(db, provider, now=clock.now())  # as the timer does
            run = await run_payouts(db, provider, key=key, minimum=minimum, now=clock.now())
            done += 0 if run.replayed else run.payouts
        clock.mark(PAYOUTS)
        done += await send_requested_payouts(db, provider, now=clock.now())
        clock.mark(IDLE)
        if generation is None:
            await sandbox.aclose()
            await db.dispose()
            return
        if not done:
            await asyncio.sleep(0.02)


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    os.environ.update(config["env"])
    os.environ["GALERIE_BASE_URL"] = f"http://127.0.0.1:{port}"

    from galerie.config import load_settings
    from galerie.db import Database
    from galerie.web.app import create_app

    settings = load_settings()
    clock = SharedClock(Path(config["clock"]))
    app = create_app(settings, clock=clock, in_process_worker=False)
    worker_db = Database.from_url(settings.database_url)
    asyncio.run(_work(settings, worker_db, clock, None))
    parent = _Parent(app, sock, clock, settings, config["log"], worker_db)
    children: set[int] = set()
    _answer(f"ready {port}")
    for line in sys.stdin:
        _reap(children)
        command, *args = line.split()
        if command == "quit":
            break
        if command == "work":  # not the step a killed worker left in the file
            clock.mark(STARTING)
        pid = os.fork()
        if pid == 0:
            _child(parent, command, args)
        if command == "cli":  # the answer is its exit status
            _answer(str(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])))
            continue
        children.add(pid)
        _answer(str(pid))
    for pid in children:
        ForkServer.kill(pid)


def _reap(children: set[int]) -> None:
    """Collect the children that died (killed) since the last command."""
    while children:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)


def _answer(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# -- the test's side ------------------------------------------------------------------------


class ForkServer:
    """The test's handle on the fork server: start children, kill them, stop everything."""

    def __init__(self, env: dict[str, str], clock: Path, log: Path, directory: Path) -> None:
        config = directory / "fork-server.json"
        config.write_text(json.dumps({"env": env, "clock": str(clock), "log": str(log)}))
        self._log: IO[bytes] = log.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.payments.crash_support", str(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, cwd=ROOT,
            env={**os.environ, **env},
        )  # fmt: skip
        word, port = self._readline().split()
        if word != "ready":
            raise RuntimeError(log.read_text())
        self.port = int(port)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _readline(self) -> str:
        assert self._process.stdout is not None
        line = self._process.stdout.readline().decode()
        if not line:
            raise RuntimeError("the fork server died; see its log")
        return line.strip()

    def cli(self, *args: str, output: Path) -> tuple[int, str]:
        """`galerie <args>` in a child: its exit status and what it printed."""
        status = self.start("cli", str(output), *args)
        return status, output.read_text()

    def start(self, *command: str) -> int:
        assert self._process.stdin is not None
        self._process.stdin.write((" ".join(command) + "\n").encode())
        self._process.stdin.flush()
        return int(self._readline())

    @staticmethod
    def kill(pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # it had died already (see the log)
            os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            try:
                self._process.stdin.write(b"quit\n")
                self._process.stdin.close()
                self._process.wait(timeout=10)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        self._log.close()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1])
