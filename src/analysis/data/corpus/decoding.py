"""An article's decoded text: its bytes decoded as strict UTF-8, with no newline translation.

Opening the file in text mode would turn ``\\r\\n`` into ``\\n`` and shift the offsets,
so readers of ``sentences.start``/``end`` use :func:`read_article_text`. The manifest is
decoded the same way (:func:`decode_utf8`), so that both report where bad bytes are.

Bytes that are not UTF-8 are refused, never guessed at (a guess would silently change the
text that offsets and hashes refer to). The refusal names the likely encoding, as
``charset_normalizer`` detects it, and the command that converts the file
(:func:`encoding_hint`), e.g. ``likely cp1252 (Windows-1252); convert it with: iconv -f
CP1252 -t UTF-8 data/raw/a.txt > data/raw/a.txt.utf8``.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from analysis.errors import InputError

# Among encodings that decode the bytes to the same text, or nearly as cleanly, the one
# named: charset_normalizer ranks cp1250 or mac_roman first for short English text in
# cp1252, the encoding such files are almost always in.
PREFERRED_ENCODINGS = ("utf_16", "utf_32", "cp1252", "latin_1", "iso8859_15", "cp1251",
                       "cp949", "euc_kr", "shift_jis", "gb18030", "big5", "cp1250")
# How much more chaos (charset_normalizer's mess ratio, 0 to 1) than the best match a
# preferred encoding may have and still be named.
CHAOS_TOLERANCE = 0.03
ENCODING_NAMES = {
    "cp1252": "cp1252 (Windows-1252)",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "iso8859_15": "Latin-9 (ISO-8859-15)",
    "cp1250": "cp1250 (Windows-1250)",
    "cp1251": "cp1251 (Windows-1251)",
    "utf_16": "UTF-16",
    "utf_32": "UTF-32",
    "mac_roman": "Mac Roman",
}
ICONV_NAMES = {"latin_1": "ISO-8859-1", "mac_roman": "MACINTOSH", "shift_jis": "SHIFT_JIS"}


def _iconv_name(encoding: str) -> str:
    """A Python codec name as iconv spells it: ``cp1252`` -> ``CP1252``."""
    if encoding in ICONV_NAMES:
        return ICONV_NAMES[encoding]
    match = re.fullmatch(r"iso8859_(\d+)", encoding)
    if match:
        return f"ISO-8859-{match.group(1)}"
    return encoding.upper().replace("_", "-")


def detect_encoding(data: bytes) -> str | None:
    """The likely encoding of ``data`` (a Python codec name), or ``None`` if the bytes do
    not read as text in any encoding ``charset_normalizer`` knows."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # the hint is a courtesy; the refusal does not depend on it
        return None
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(match.chaos for match in matches)
    candidates = {encoding for match in matches if match.chaos <= best + CHAOS_TOLERANCE
                  for encoding in (match.encoding, *match.could_be_from_charset)}
    for encoding in PREFERRED_ENCODINGS:
        if encoding in candidates:
            return encoding
    return matches[0].encoding


def encoding_hint(data: bytes, path: str | os.PathLike | None = None) -> str:
    """What the bytes of a file that is not UTF-8 likely are, and how to convert them.

    Parameters
    ----------
    data : bytes
        The file's bytes (not valid UTF-8).
    path : path, optional
        The file, named in the conversion command; ``FILE`` when not given.

    Returns
    -------
    str
        One clause, e.g. ``likely cp1252 (Windows-1252); convert it with: iconv -f CP1252
        -t UTF-8 a.txt > a.txt.utf8, then put that file in its place``. A file that is
        UTF-8 apart from a few bytes is called damaged or mixed instead, and a file that
        reads as no encoding is called not text.
    """
    decoded = data.decode("utf-8", errors="replace")
    if any(not c.isascii() and c != "\ufffd" for c in decoded):
        return ("the rest of it is UTF-8, so it mixes encodings or is damaged: fix or "
                "remove the bad bytes in an editor that shows them")
    encoding = detect_encoding(data)
    if encoding is None:
        return "it does not read as text in any known encoding (is it a binary file?)"
    name = shlex.quote(str(path)) if path is not None else "FILE"
    return (f"likely {ENCODING_NAMES.get(encoding, encoding)}; convert it with: iconv -f "
            f"{_iconv_name(encoding)} -t UTF-8 {name} > {name}.utf8, then put that file in "
            "its place (and update its sha256 in the manifest, if given)")


def decode_utf8(data: bytes, path: str | os.PathLike | None = None
                ) -> tuple[str | None, str | None]:
    """``(text, None)`` for valid UTF-8, else ``(None, problem)`` saying where it breaks.

    Parameters
    ----------
    data : bytes
        The bytes to decode.
    path : path, optional
        The file they are from, named in the problem's conversion command
        (:func:`encoding_hint`).
    """
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 1].hex()
        return None, (f"not valid UTF-8: byte 0x{bad} at byte offset {exc.start} (line "
                      f"{line}); {encoding_hint(data, path)}")


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
        If the file cannot be read (missing, no permission) or is not valid UTF-8 (the
        message gives byte offset, line and the likely encoding).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([f"{path}: cannot be read: {exc.strerror or exc}"]) from None
    text, problem = decode_utf8(data, path)
    if problem is not None:
        raise InputError([f"{path}: {problem}"])
    return text
