"""LocalDiskStorage: files under one root directory. Writes go to a temporary file in the
target's directory, are flushed to disk, then renamed over the target (os.replace), so a
reader never sees a partial file. A key never resolves outside the root, even through a
symbolic link placed inside it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

from galerie.kernel import ValidationFailed
from galerie.storage.ports import StoredFile, check_key, file_not_found, stored_file


class LocalDiskStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise ValidationFailed("Invalid file key.", code="bad_key", field="key")
        return path

    async def put(self, key: str, data: bytes, *, content_type: str) -> StoredFile:
        path = self._path(key)
        await asyncio.to_thread(_write_atomically, path, bytes(data))
        return stored_file(key, data, content_type)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise file_not_found(key) from None

    async def delete(self, key: str) -> None:
        path = self._path(key)
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if await asyncio.to_thread(path.is_file):
                await asyncio.to_thread(path.unlink)

    async def exists(self, key: str) -> bool:
        path = self._path(key)
        return await asyncio.to_thread(path.is_file)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
