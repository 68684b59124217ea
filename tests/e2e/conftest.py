"""Browser journeys: a real `galerie serve` on a free local port with its own SQLite file,
driven by headless Debian Chromium through Playwright. Screenshots go to test-artifacts/.

Without Chromium the journeys are skipped, unless GALERIE_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import migrated_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def migrated_sqlite(path: Path) -> None:
    """`path` becomes a copy of the run's migrated SQLite template: the journeys other than
    the first (which runs `galerie db upgrade` itself) skip a migration in a process of its
    own."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # out of Playwright's event loop
        pool.submit(asyncio.run, migrated_database("sqlite", path.parent, path.stem)).result()


def wait_until_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the server answers /healthz; its log as the error if it exits or takes more
    than two minutes (two cores shared with the test run start it slowly)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log.read_text())
        time.sleep(0.1)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("GALERIE_REQUIRE_BROWSER") == "1":
            pytest.fail("GALERIE_REQUIRE_BROWSER=1 but chromium is not installed")
        pytest.skip("chromium is not installed (make browser installs it as root)")
    return path


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    """Headless Chromium for one journey module."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def snapshot(page: Page, name: str) -> None:
    """A full-page screenshot in test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in_as(page: Page, email: str, password: str) -> None:
    """Sign in through the sign-in form and wait until the page shows "Sign out"."""
    page.goto("/signin")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("form[action='/signin'] button[type=submit]").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`galerie db upgrade` then `galerie serve` on 127.0.0.1, stopped at the end."""
    var = tmp_path_factory.mktemp("e2e-var")
    port = free_port()
    env = {
        **os.environ,
        "GALERIE_ENV": "test",
        "GALERIE_VAR_DIR": str(var),
        "GALERIE_DATABASE_URL": f"sqlite:///{var / 'e2e.sqlite3'}",
        "GALERIE_SECRET_KEY": "e2e-" + "k" * 40,
    }
    env.pop("GALERIE_REDIS_URL", None)
    galerie = [sys.executable, "-m", "galerie.cli"]
    subprocess.run([*galerie, "db", "upgrade"], env=env, check=True, capture_output=True)
    log = (var / "server.log").open("w")
    process = subprocess.Popen(
        [*galerie, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, var / "server.log")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
