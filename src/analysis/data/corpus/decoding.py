"""An article's decoded text: its bytes decoded as strict UTF-8, with no newline translation.

Opening the file in text mode would turn ``\\r\\n`` into ``\\n`` and shift the offsets,
so readers of ``sentences.start``/``end`` use :func:`read_article_text`. The manifest is
decoded the same way (:func:`decode_utf8`), so that both report where bad bytes are.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.errors import InputError


def decode_utf8(data: bytes) -> tuple[str | None, str | None]:
    """``(text, None)`` for valid UTF-8, else ``(None, problem)`` saying where it breaks."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 1].hex()
        return None, f"not valid UTF-8: byte 0x{bad} at byte offset {exc.start} (line {line})"


def read_article_text(path: str | os.PathLike) -> str:
    """Decode an article file as strict UTF-8, without newline translation.

    Parameters
    ----------
    path : path
        The article file.

    Returns
    -------
    str
        The text that ``sentences.start``/``end`` offsets index.

    Raises
    ------
    InputError
        If the file is not valid UTF-8 (the message gives byte offset and line).
    """
    text, problem = decode_utf8(Path(path).read_bytes())
    if problem is not None:
        raise InputError([f"{path}: {problem}"])
    return text
