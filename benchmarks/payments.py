"""`payment_webhook_postgres` (issue 6): the sandbox provider's `payment.succeeded` webhook,
handled by Galerie on PostgreSQL, against the raw place-order floor measured in the same run.

Each round runs, back to back: the raw place-order floor (benchmarks/targets/raw_checkout.py,
as `place_order_postgres` runs it), Galerie's place-order P (POST /api/v1/checkout/orders,
likewise) and the webhook rate W: POST /webhooks/payments/sandbox, one signed webhook per
payment, each sent once. Reported: W / floor and the journey J = 1 / (1/P + 1/W) (placing an
order and having it paid, one after the other on one core), computed round by round, as a
ratio to the floor. Goal: J >= 30% of the floor. Galerie's outbox dispatcher runs in its
process (as `galerie serve` runs it), so each run starts once the outbox is drained; the CPU
the webhooks' outbox events cost afterwards is given in the notes, apart from W's.

The payments are made by Galerie's services before each run (benchmarks/payments_seed.py),
enough for the run at 2.5 times the fastest webhook rate seen so far (200/s at first); right before each
webhook run, the webhook of every payment still pending is signed with a fresh timestamp
(the sandbox's own `delivery_headers`, the installation's sandbox secret) and written to a
file that a wrk Lua script reads, each wrk thread its own slice, each request sent once. A
measured run that runs out of webhooks is not kept: more payments are made and it runs again
(a note says so); nothing is ever sent twice.

Each round starts with ANALYZE, as autovacuum keeps statistics in a steady state: the journal
tables start empty and grow by thousands of rows a round, and without it PostgreSQL kept the
plans of empty tables (sequential scans of journal_entries and ledger_accounts, about 2 of
each per webhook, from the checks run on each journal line (its foreign keys, its trigger),
each reading the whole table: pg_stat_user_tables): in a profiling run,
611 webhooks/s before an ANALYZE and 901 after, on the same database.

After the rounds the webhooks left over are delivered too, and the run fails unless every
answer was 2xx and every payment is `succeeded`, its group paid, its capture journalled once,
every webhook applied once as `succeeded`, and the ledger's balances match its journal.

The sandbox provider is refused in production (anyone could pay), so Galerie runs here with
GALERIE_ENV=demo (production's other settings: JSON logs, no Redis) and a long unpaid window
(GALERIE_UNPAID_ORDER_MINUTES), so that no group closes while the benchmark runs. Needs wrk."""

from __future__ import annotations

import asyncio
import http.client
import json
import math
import re
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.catalog import _drop_postgres, _galerie_env
from benchmarks.catalog import _result as result_of
from benchmarks.checkout import PRODUCTS, Post, _check, _one, _plan, _postgres, _targets
from benchmarks.checkout_seed import CheckoutSeed, seed_checkout
from benchmarks.harness import HOST, BenchmarkError, Server
from benchmarks.load import LoadSettings, Measurement, parse_wrk
from benchmarks.payments_seed import (
    PaymentSeeder,
    SignedWebhook,
    analyze,
    counts,
    signed_webhooks,
)
from benchmarks.suite import BenchmarkResult, RunOptions

NAME = "payment_webhook_postgres"
WEBHOOK = "/webhooks/payments/sandbox"
OUT_OF_WEBHOOKS = "/bench/out-of-webhooks"  # what a wrk thread asks once its slice is sent
FIRST_GUESS = 200.0  # webhooks/s assumed before any is measured
MARGIN = 2.5  # payments made per run: MARGIN x the fastest rate seen x the run's duration
UNPAID_MINUTES = str(24 * 60)
SETTLE_TIMEOUT = 120.0  # seconds to wait for the server's outbox to drain after seeding
DRAIN_CONNECTIONS = 8
RETRIES = 4  # a measured webhook run that ran out of webhooks is made again, this often
_SENT = re.compile(r"^webhooks: thread (\d+) sent (\d+) exhausted (\d+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class WebhookRun:
    figures: Measurement
    offered: int  # pre-generated webhooks for this run
    sent: int  # requests wrk built (in flight at the end included)
    exhausted: int  # requests asked for once a thread's slice was used up


def webhook_lines(hooks: list[SignedWebhook]) -> str:
    """The file the wrk script reads: `event id TAB signature TAB body`, one per line."""
    lines = []
    for hook in hooks:
        body = hook.body.decode("utf-8")
        if "\t" in body or "\n" in body:
            raise BenchmarkError(f"webhook {hook.event_id}: its body has a tab or a newline")
        lines.append(f"{hook.event_id}\t{hook.headers['Sandbox-Signature']}\t{body}\n")
    return "".join(lines)


def webhook_script(path: Path, threads: int, user_agent: str) -> str:
    """The `wrk -s` script: each thread formats its slice of the file (line i goes to thread
    i mod threads) once, in init, then sends each request once; past the end it asks for
    OUT_OF_WEBHOOKS (a 404, so the run fails) and counts how often. done() prints, per
    thread, the requests built and the exhausted ones."""
    return f"""\
local threads, started = {{}}, 0
function setup(thread)
  thread:set("tid", started)
  table.insert(threads, thread)
  started = started + 1
end
local FILE, THREADS = {json.dumps(str(path))}, {threads}
local PATH, AGENT = {json.dumps(WEBHOOK)}, {json.dumps(user_agent)}
local queue = {{}}
counter, exhausted = 0, 0
function init(args)
  local i = 0
  for line in io.lines(FILE) do
    if i % THREADS == tid then
      local id, signature, body = line:match("^([^\\t]+)\\t([^\\t]+)\\t(.*)$")
      queue[#queue + 1] = wrk.format("POST", PATH, {{
        ["Content-Type"] = "application/json", ["User-Agent"] = AGENT,
        ["Sandbox-Signature"] = signature, ["Sandbox-Event-Id"] = id}}, body)
    end
    i = i + 1
  end
end
function request()
  counter = counter + 1
  if counter <= #queue then return queue[counter] end
  exhausted = exhausted + 1
  return wrk.format("GET", {json.dumps(OUT_OF_WEBHOOKS)})
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    print(string.format("webhooks: thread %d sent %d exhausted %d",
      thread:get("tid"), thread:get("counter"), thread:get("exhausted")))
  end
end
"""


def parse_sent(output: str) -> tuple[int, int]:
    """(requests built, exhausted requests) over all threads, from the script's done()."""
    found = _SENT.findall(output)
    if not found:
        raise BenchmarkError(f"the webhook script printed no counts:\n{output}")
    return sum(int(s) for _, s, _ in found), sum(int(e) for _, _, e in found)


def journey(place: Measurement, webhook: Measurement) -> Measurement:
    """One round's journey J (place an order, then its payment's webhook, on one core):
    1 / (1/P + 1/W) req/s; CPU per journey and latencies are the two requests' sums."""
    cpu = (
        None
        if place.server_cpu_us_per_request is None or webhook.server_cpu_us_per_request is None
        else place.server_cpu_us_per_request + webhook.server_cpu_us_per_request
    )
    return Measurement(
        requests_per_second=1 / (1 / place.requests_per_second + 1 / webhook.requests_per_second),
        p50_ms=place.p50_ms + webhook.p50_ms,
        p99_ms=place.p99_ms + webhook.p99_ms,
        requests=min(place.requests, webhook.requests),
        non_2xx=0,
        socket_errors=0,
        server_cpu_us_per_request=cpu,
    )


def _run_wrk(server: Server, settings: LoadSettings, script: Path) -> str:
    command = [
        "wrk", f"--threads={settings.threads}", f"--connections={settings.connections}",
        f"--duration={max(1, round(settings.duration))}s", "--timeout=5s", "--latency",
        "--script", str(script), server.url(WEBHOOK),
    ]  # fmt: skip
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=settings.duration + 60, check=False
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    return completed.stdout


def _webhooks(
    server: Server, settings: LoadSettings, hooks: list[SignedWebhook], work: Path
) -> WebhookRun:
    data, script = work / "webhooks.txt", work / "webhooks.lua"
    data.write_text(webhook_lines(hooks), encoding="utf-8")
    agent = hooks[0].headers["User-Agent"] if hooks else ""
    script.write_text(webhook_script(data, settings.threads, agent), encoding="utf-8")
    before = server.cpu_seconds()
    output = _run_wrk(server, settings, script)
    after = server.cpu_seconds()
    figures = parse_wrk(output)
    sent, exhausted = parse_sent(output)
    if before is not None and after is not None and figures.requests:
        figures = replace(
            figures, server_cpu_us_per_request=(after - before) / figures.requests * 1e6
        )
    return WebhookRun(figures, len(hooks), sent, exhausted)


def _post_hook(port: int, hook: SignedWebhook) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("POST", WEBHOOK, body=hook.body, headers=hook.headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _deliver(port: int, hooks: list[SignedWebhook]) -> None:
    """Deliver `hooks` one per request (a few connections at a time); each must be 200
    `succeeded`."""

    def one(hook: SignedWebhook) -> None:
        status, body = _post_hook(port, hook)
        if status != 200 or json.loads(body) != {"outcome": "succeeded"}:
            raise BenchmarkError(f"webhook {hook.event_id}: answered {status} {body[:300]!r}")

    with ThreadPoolExecutor(DRAIN_CONNECTIONS) as pool:
        list(pool.map(one, hooks))


class Webhooks:
    """The payments to pay by webhook: made as needed, signed right before each run."""

    def __init__(self, options: RunOptions, url: str, seeder: PaymentSeeder) -> None:
        self.options, self.url, self.seeder = options, url, seeder
        self.fastest, self.guessing = FIRST_GUESS, True
        self.answered = 0  # 2xx answers counted by wrk and by our own deliveries
        self.retried = 0  # measured webhook runs made again (they ran out of webhooks)

    def pending(self) -> int:
        return counts(self.url, only=("pending",))["pending"]

    def ensure(self, duration: float, extra: int = 0, at_least: int = 0) -> None:
        """Enough pending payments for a run of `duration` s at MARGIN x the fastest rate
        (and `extra` more), and at least `at_least`."""
        need = math.ceil(self.fastest * duration * MARGIN) + 2 * self.options.load.connections
        need = max(need + extra, at_least)
        missing = need - self.pending()
        if missing > 0:
            self.options.progress(f"[{NAME}] paying {missing:,} more orders on the sandbox")
            self.seeder.add(missing)
            self.settle()

    def settle(self) -> bool:
        """Wait until the server's in-process outbox dispatcher has handled every event
        (of the seeding, of the last run), so that this work does not land in the next
        run's figures; False when it did not within SETTLE_TIMEOUT."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while counts(self.url, only=("outbox_pending",))["outbox_pending"]:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.25)
        return True

    def quiet(self) -> None:
        """Wait until requests still in flight when wrk stopped have been handled."""
        last = -1
        while (now := self.pending()) != last:
            last = now
            time.sleep(0.5)

    def first(self, server: Server) -> None:
        """One webhook before any load: 200 with the outcome `succeeded`."""
        hooks = signed_webhooks(self.url, self.seeder.secret)
        if not hooks:
            raise BenchmarkError("no payment to pay")
        _deliver(server.port, hooks[:1])
        self.answered += 1

    def run(self, server: Server, settings: LoadSettings, *, measured: bool) -> Measurement:
        """One webhook run. A measured run that runs out of webhooks is not kept: more
        payments are made (at least twice as many as it had) and the run is made again."""
        for _ in range(RETRIES + 1):
            got = self._attempt(server, settings)
            if not got.exhausted or not measured:
                return got.figures
            self.options.progress(
                f"[{NAME}] the {got.offered:,} webhooks ran out: more payments, run again"
            )
            self.ensure(settings.duration, at_least=2 * got.offered)
            self.retried += 1
        raise BenchmarkError(f"the webhooks ran out {RETRIES + 1} times in a row")

    def _attempt(self, server: Server, settings: LoadSettings) -> WebhookRun:
        hooks = signed_webhooks(self.url, self.seeder.secret)
        got = _webhooks(server, settings, hooks, self.options.work_dir)
        self.quiet()
        if got.figures.non_2xx > got.exhausted:
            raise BenchmarkError(
                f"webhooks: {got.figures.non_2xx - got.exhausted} of {got.figures.requests} "
                f"answers were not 2xx; log:\n{server.log_tail()}"
            )
        done = got.figures.requests - got.figures.non_2xx
        self.answered += done
        # the rate of the webhooks alone (not of the 404s asked for once a slice ran out)
        self.saw(got.figures.requests_per_second * done / max(got.figures.requests, 1))
        return got

    def saw(self, rate: float) -> None:
        """A webhook rate measured: the next runs get payments for MARGIN x the fastest
        (the first guess only counts until a rate is measured)."""
        self.fastest = max(rate, 0.0 if self.guessing else self.fastest)
        self.guessing = False

    def finish(self, server: Server) -> dict[str, int]:
        """Deliver the webhooks no run sent, then check that all the work was done."""
        left = signed_webhooks(self.url, self.seeder.secret)
        self.options.progress(f"[{NAME}] delivering the {len(left):,} webhooks left over")
        _deliver(server.port, left)
        self.answered += len(left)
        found = counts(self.url, ledger=True)
        problems = verify(found)
        if found["events"] < self.answered:
            problems.append(f"{self.answered} answers 2xx but {found['events']} events recorded")
        if problems:
            raise BenchmarkError(f"after the webhooks, of {found['payments']} payments: "
                                 + ", ".join(problems))  # fmt: skip
        return found


def verify(found: dict[str, int]) -> list[str]:
    """What is wrong in `found` (payments_seed.counts) once every webhook was delivered."""
    n = found["payments"]
    expected = {"pending": 0, "succeeded": n, "groups_paid": n, "captures": n,
                "events_succeeded": n, "events": n, "ledger_problems": 0}  # fmt: skip
    wrong = [f"{k} {found[k]} (expected {v})" for k, v in expected.items() if found[k] != v]
    return (["no payments"] if n == 0 else []) + wrong


def _env(options: RunOptions, url: str) -> dict[str, str]:
    return {
        **_galerie_env(options, url),
        "GALERIE_ENV": "demo",
        "GALERIE_PAYMENT_PROVIDER": "sandbox",
        "GALERIE_UNPAID_ORDER_MINUTES": UNPAID_MINUTES,
    }


def _rounds(
    options: RunOptions, servers: dict[str, Server], plan: list[Post], seed: CheckoutSeed,
    hooks: Webhooks,
) -> tuple[dict[str, list[Measurement]], list[str]]:  # fmt: skip
    """Warm-up, then interleaved rounds: floor, Galerie place-order, Galerie webhooks; each
    run starts once the server's outbox is drained. The server CPU spent draining it after
    each webhook run (the outbox work the webhooks caused) is noted per webhook."""
    notes: list[str] = []
    deferred: list[float] = []
    measured: dict[str, list[Measurement]] = {
        key: [] for key in [*(p.key for p in plan), "webhook"]
    }
    runs = [(0, replace(options.load, duration=options.warmup))] if options.warmup > 0 else []
    runs += [(n, options.load) for n in range(1, options.rounds + 1)]
    for number, settings in runs:
        hooks.ensure(settings.duration)
        analyze(hooks.url)  # each round from fresh statistics (see the module)
        what = f"round {number}/{options.rounds}" if number else "warm-up"
        figures: list[tuple[str, str, Measurement]] = []
        for post in plan:
            _settled(hooks, notes)
            got = _one(servers[post.server], post, seed, settings)
            figures.append((post.key, post.label, got))
        _settled(hooks, notes)
        hook = hooks.run(servers["galerie"], settings, measured=number > 0)
        figures.append(("webhook", "Galerie payment webhook W", hook))
        before = servers["galerie"].cpu_seconds()
        _settled(hooks, notes)
        after = servers["galerie"].cpu_seconds()
        if number and before is not None and after is not None and hook.requests:
            deferred.append((after - before) / hook.requests * 1e6)
        for key, label, got in figures:
            if got.socket_errors:
                notes.append(f"{label}: {got.socket_errors} socket errors (timeouts?)")
            options.progress(
                f"[{NAME}] {what:11} {label:44} {got.requests_per_second:>9,.0f} req/s"
                f"  p99 {got.p99_ms:7.2f} ms"
            )
            if number:
                measured[key].append(got)
    if deferred:
        notes.append(
            f"after each webhook run, the server spent {statistics.median(deferred):,.0f} us of "
            "CPU per webhook on the outbox events they caused (median; not in W's CPU)"
        )
    return measured, notes


def _settled(hooks: Webhooks, notes: list[str]) -> None:
    if not hooks.settle():
        notes.append(f"the outbox was not drained within {SETTLE_TIMEOUT:.0f} s before a run")


def run(options: RunOptions) -> BenchmarkResult:
    if options.load.generator != "wrk":
        raise BenchmarkError(f"{NAME} needs wrk (each request its own signed webhook)")
    dsn, throwaway = _postgres(options)
    try:
        url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        options.progress(f"[{NAME}] seeding {PRODUCTS:,} products (PostgreSQL)")
        seed = asyncio.run(seed_checkout(url, PRODUCTS))
        plan = _plan(seed, "raw asyncpg place-order transaction (floor)", hot=False)
        plan[1] = replace(plan[1], label="Galerie place order P (POST, one line)")
        env = _env(options, url)
        hooks = Webhooks(options, url, PaymentSeeder(url, seed, env))
        logs = options.work_dir / "logs"
        servers = {
            "raw": Server("raw checkout floor", "benchmarks.targets.raw_checkout:app",
                          log_path=logs / f"{NAME}-raw.log", env=seed.floor_env(dsn)),
            "galerie": Server("Galerie", "benchmarks.targets.galerie_app:app",
                              log_path=logs / f"{NAME}.log", env=env),
        }  # fmt: skip
        with ExitStack() as stack:
            for server in servers.values():
                options.progress(f"[{NAME}] starting {server.name}")
                stack.enter_context(server)
            if not _check(servers, plan, seed):
                raise BenchmarkError("Galerie has no checkout endpoint")
            hooks.ensure(options.warmup or options.load.duration, extra=1)
            hooks.first(servers["galerie"])
            measured, notes = _rounds(options, servers, plan, seed, hooks)
            found = hooks.finish(servers["galerie"])
    finally:
        if throwaway:
            asyncio.run(_drop_postgres(dsn))
    measured["journey"] = [
        journey(p, w) for p, w in zip(measured["galerie"], measured["webhook"], strict=True)
    ]
    targets = _targets(plan)
    targets += [
        replace(targets[1], key="webhook", label="Galerie payment webhook W", path=WEBHOOK),
        replace(targets[1], key="journey", label="journey J = 1/(1/P + 1/W) (computed)"),
    ]
    goal = ("journey (place order + pay webhook) >= 30% of the raw place-order", "journey", 0.3)
    title = f"{NAME}: sandbox payment webhooks (one per payment, signed), PostgreSQL"
    notes += [
        f"checked after the run: all {found['payments']:,} payments succeeded, their groups "
        "paid, one capture entry each, every webhook applied once, ledger balanced",
        "J is computed per round from P and W; its CPU and latencies are their sums",
        *(
            [f"{hooks.retried} webhook run(s) ran out of webhooks and were made again"]
            if hooks.retried
            else []
        ),
        "Galerie ran with GALERIE_ENV=demo: production refuses the sandbox provider",
        f"webhook rounds: {statistics.median(m.requests for m in measured['webhook']):,.0f} "
        "webhooks per round (median)",
    ]
    return result_of(options, NAME, title, targets, measured, goal, notes)
