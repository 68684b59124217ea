"""The FileStorage contract, run against every adapter we ship (the local disk and the
in-memory fake), so the fake stays honest."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from galerie.kernel import NotFound, ValidationFailed
from galerie.storage import FileStorage, InMemoryStorage, LocalDiskStorage, StoredFile

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
ADAPTERS: dict[str, Callable[[Path], FileStorage]] = {
    "local_disk": lambda root: LocalDiskStorage(root / "files"),
    "in_memory": lambda _root: InMemoryStorage(),
}


@pytest.fixture(params=sorted(ADAPTERS))
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> FileStorage:
    return ADAPTERS[request.param](tmp_path)


async def test_put_then_get_returns_the_bytes(storage: FileStorage) -> None:
    stored = await storage.put("sellers/7/licence.pdf", PDF, content_type="application/pdf")
    assert stored == StoredFile(
        key="sellers/7/licence.pdf",
        size=len(PDF),
        content_type="application/pdf",
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    assert await storage.get("sellers/7/licence.pdf") == PDF
    assert await storage.exists("sellers/7/licence.pdf") is True


async def test_put_replaces_what_was_there(storage: FileStorage) -> None:
    await storage.put("a/b.bin", b"first version", content_type="application/octet-stream")
    stored = await storage.put("a/b.bin", b"2nd", content_type="application/octet-stream")
    assert (stored.size, await storage.get("a/b.bin")) == (3, b"2nd")


async def test_an_empty_file_is_stored_as_empty(storage: FileStorage) -> None:
    stored = await storage.put("empty", b"", content_type="text/plain")
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert await storage.get("empty") == b""
    assert await storage.exists("empty") is True


async def test_a_missing_file_is_not_found(storage: FileStorage) -> None:
    assert await storage.exists("nothing/here.pdf") is False
    with pytest.raises(NotFound) as missing:
        await storage.get("nothing/here.pdf")
    assert missing.value.code == "file_not_found"


async def test_delete_removes_and_is_idempotent(storage: FileStorage) -> None:
    await storage.put("a/one.pdf", PDF, content_type="application/pdf")
    await storage.put("a/two.pdf", PDF + b"2", content_type="application/pdf")
    await storage.delete("a/one.pdf")
    await storage.delete("a/one.pdf")
    await storage.delete("never/was.pdf")
    assert await storage.exists("a/one.pdf") is False
    assert await storage.get("a/two.pdf") == PDF + b"2"
    with pytest.raises(NotFound):
        await storage.get("a/one.pdf")


async def test_a_folder_is_not_a_file(storage: FileStorage) -> None:
    await storage.put("a/b/c.pdf", PDF, content_type="application/pdf")
    assert await storage.exists("a/b") is False
    with pytest.raises(NotFound):
        await storage.get("a/b")
    await storage.delete("a/b")
    assert await storage.get("a/b/c.pdf") == PDF


async def test_keys_are_case_sensitive_and_distinct(storage: FileStorage) -> None:
    await storage.put("Doc.pdf", b"upper", content_type="application/pdf")
    await storage.put("doc.pdf", b"lower", content_type="application/pdf")
    assert (await storage.get("Doc.pdf"), await storage.get("doc.pdf")) == (b"upper", b"lower")


@pytest.mark.parametrize("key", ["../escape.pdf", "/etc/passwd", "a/../../b", "a//b", "", "é"])
async def test_every_method_refuses_a_bad_key(storage: FileStorage, key: str) -> None:
    calls = [
        storage.put(key, PDF, content_type="application/pdf"),
        storage.get(key),
        storage.delete(key),
        storage.exists(key),
    ]
    for call in calls:
        with pytest.raises(ValidationFailed) as refused:
            await call
        assert refused.value.code == "bad_key"


async def test_concurrent_puts_leave_one_whole_version(storage: FileStorage) -> None:
    versions = [bytes([n]) * 50_000 for n in range(8)]
    await asyncio.gather(
        *(storage.put("race.bin", v, content_type="application/octet-stream") for v in versions)
    )
    assert await storage.get("race.bin") in versions
