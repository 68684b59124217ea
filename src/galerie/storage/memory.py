"""InMemoryStorage: the FileStorage fake for tests and the demo; same contract as the disk."""

from __future__ import annotations

from galerie.storage.ports import StoredFile, check_key, file_not_found, stored_file


class InMemoryStorage:
    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._data: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes, *, content_type: str) -> StoredFile:
        stored = stored_file(check_key(key), bytes(data), content_type)
        self._files[key] = stored
        self._data[key] = bytes(data)
        return stored

    async def get(self, key: str) -> bytes:
        check_key(key)
        if key not in self._data:
            raise file_not_found(key)
        return self._data[key]

    async def delete(self, key: str) -> None:
        check_key(key)
        self._files.pop(key, None)
        self._data.pop(key, None)

    async def exists(self, key: str) -> bool:
        return check_key(key) in self._data

    def stored(self, key: str) -> StoredFile | None:
        """What was stored under `key` (for tests' assertions)."""
        return self._files.get(key)
