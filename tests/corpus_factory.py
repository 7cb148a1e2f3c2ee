"""Write small raw corpora (manifest + files) into a temporary folder for tests."""

from __future__ import annotations

from pathlib import Path

HEADER = "article_id,file,outlet,published,url,language,sha256,note"
GOOD_TEXT = "A plain title\nThe first sentence is here. The second one follows.\n"


def make_corpus(tmp_path: Path, files: dict[str, str | bytes] | None = None,
                rows: list[str] | None = None, manifest: str | bytes | None = None) -> Path:
    """Write ``files`` and a manifest into ``tmp_path/raw``; return that folder.

    ``rows`` are CSV lines under the standard header (default: one good row per file);
    ``manifest`` replaces the whole manifest text when given.
    """
    raw = tmp_path / "raw"
    raw.mkdir()
    files = {"a.txt": GOOD_TEXT} if files is None else files
    for name, content in files.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
    if manifest is None:
        if rows is None:
            rows = [f"art-{i},{name},Outlet,2025-01-0{i + 1},,,," for i, name in
                    enumerate(files)]
        manifest = "\n".join([HEADER, *rows]) + "\n"
    data = manifest.encode("utf-8") if isinstance(manifest, str) else manifest
    (raw / "manifest.csv").write_bytes(data)
    return raw
