"""Browser journeys: a real `galerie serve` on a free local port with its own SQLite file,
driven by headless Debian Chromium through Playwright. Screenshots go to test-artifacts/.

Without Chromium the journeys are skipped, unless GALERIE_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

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


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("GALERIE_REQUIRE_BROWSER") == "1":
            pytest.fail("GALERIE_REQUIRE_BROWSER=1 but chromium is not installed")
        pytest.skip("chromium is not installed (make browser installs it as root)")
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`galerie db upgrade` then `galerie serve` on 127.0.0.1, stopped at the end."""
    var = tmp_path_factory.mktemp("e2e-var")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "GALERIE_ENV": "test",
        # the sandbox provider sends the shopper and its webhooks here
        "GALERIE_BASE_URL": base,
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
    try:
        deadline = time.monotonic() + 120  # a loaded machine (CI) starts slowly
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((var / "server.log").read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
