"""Paths and builders shared by the tests, importable from every test folder.

``pyproject.toml`` puts ``tests/`` on ``sys.path`` (pytest's ``pythonpath``), so any test
module can ``from factories import ...``; test modules never import each other.

Paths: :data:`ROOT` (the repository), :data:`SEED_RAW` (the seed corpus, ``data/raw``)
and :data:`FIXTURES` (articles written for the tests, ``tests/fixtures``).

Builders: :func:`make_corpus` writes a small raw corpus (manifest and files) into a
folder.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository's root folder."""
SEED_RAW = ROOT / "data" / "raw"
"""The seed corpus: raw articles and their manifest."""
FIXTURES = ROOT / "tests" / "fixtures"
"""Articles written for the tests, in the seed layout (``framing/``, ``trends/``)."""

# ----------------------------------------------------------------------------- raw corpora

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
