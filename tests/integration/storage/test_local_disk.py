"""What only the local-disk adapter can get wrong: staying inside its root, and writing
atomically (no temporary files left behind)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from galerie.kernel import ValidationFailed
from galerie.storage import LocalDiskStorage

PDF = b"%PDF-1.7\n%%EOF\n"


async def test_files_land_under_the_root_and_nothing_else_remains(tmp_path: Path) -> None:
    storage = LocalDiskStorage(tmp_path / "files")
    await storage.put("sellers/1/a.pdf", PDF, content_type="application/pdf")
    await storage.put("sellers/1/a.pdf", PDF + b"v2", content_type="application/pdf")
    found = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert found == ["files/sellers/1/a.pdf"]
    assert (tmp_path / "files/sellers/1/a.pdf").read_bytes() == PDF + b"v2"


async def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    storage = LocalDiskStorage(tmp_path)
    await storage.put("a/b.pdf", PDF, content_type="application/pdf")
    (tmp_path / "a" / "c").mkdir()
    (tmp_path / "a" / "c" / "inside").write_bytes(b"x")
    with pytest.raises(OSError, match="directory"):
        await storage.put("a/c", PDF, content_type="application/pdf")  # a folder is there
    assert sorted(os.listdir(tmp_path / "a")) == ["b.pdf", "c"]
    assert await storage.get("a/b.pdf") == PDF


async def test_a_symbolic_link_cannot_lead_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(PDF)
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    storage = LocalDiskStorage(root)
    for call in (
        storage.get("link/secret.pdf"),
        storage.exists("link/secret.pdf"),
        storage.delete("link/secret.pdf"),
        storage.put("link/new.pdf", PDF, content_type="application/pdf"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            await call
        assert refused.value.code == "bad_key"
    assert sorted(os.listdir(outside)) == ["secret.pdf"]


async def test_a_root_given_through_a_link_still_works(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    storage = LocalDiskStorage(tmp_path / "alias")
    await storage.put("x.pdf", PDF, content_type="application/pdf")
    assert (tmp_path / "real" / "x.pdf").read_bytes() == PDF
