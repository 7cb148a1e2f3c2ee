"""Every kind of bad input named so far, in one table: `validate` either refuses it with
exit status 2 naming the culprit, or accepts it with a warning naming it (or, where
nothing is wrong with the result, accepts it and gets the same result as clean input).
Never a traceback, never a silently wrong number.

The detailed behaviour of each row is tested beside its code (tests/data,
tests/measures, tests/views, tests/notebooks); this table holds them together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.data import corpus
from analysis.measures import framing

from factories import GOOD_TEXT, HEADER, make_corpus

ROW = "a,a.txt,Outlet,2025-01-02,,,,"
GUARANTEE = ("Talks on a guarantee\n"
             "The United States proposed a security guarantee for Ukraine on Monday.\n")
# The same report in Ukrainian, in our words; long enough for a confident language guess.
UKRAINIAN = (
    "Переговори про гарантії\n"
    "Сполучені Штати запропонували Україні гарантію безпеки у понеділок. Європейські "
    "союзники обговорюють, хто забезпечить моніторинг перемир'я та постачання зброї. "
    "Представники урядів домовилися зустрітися знову наступного тижня, щоб узгодити "
    "деталі угоди та графік її виконання.\n"
)


@dataclass
class Case:
    """One kind of bad input: the corpus files, the manifest rows (or whole text), what
    `validate` must say."""

    files: dict[str, str | bytes]
    rows: list[str] | None = None
    manifest: str | None = None
    status: int = 2
    says: tuple[str, ...] = ()
    check: object = None  # a function of the raw folder, for inputs accepted silently
    unreadable: str | None = None


def _same_labels_as_plain(raw: Path) -> None:
    _, sentences = corpus.build_corpus_tables(raw)
    plain = framing.guarantee_mentions(sentences.assign(
        text=sentences["text"].str.replace("\u200b", "").str.replace("\u00ad", "")))
    found = framing.guarantee_mentions(sentences)
    assert len(found) > 0
    assert found[["dimension", "label", "negated"]].values.tolist() == plain[
        ["dimension", "label", "negated"]].values.tolist()


CASES = {
    # --- the ten kinds named first ---------------------------------------------------
    "empty file": Case({"a.txt": ""}, [ROW], says=("a.txt", "empty")),
    "missing file": Case({}, [ROW], says=("a.txt", "not found")),
    "duplicate id": Case({"a.txt": GOOD_TEXT, "b.txt": GOOD_TEXT},
                         [ROW, "a,b.txt,Outlet,2025-01-03,,,,"], says=("'a'",)),
    "path traversal": Case({"a.txt": GOOD_TEXT}, ["a,../a.txt,Outlet,2025-01-02,,,,"],
                           says=("../a.txt",)),
    "not UTF-8": Case({"a.txt": GOOD_TEXT.encode("utf-16")}, [ROW], says=("a.txt", "UTF-8")),
    "bad date": Case({"a.txt": GOOD_TEXT}, ["a,a.txt,Outlet,2025-13-01,,,,"],
                     says=("row 1", "2025-13-01")),
    "missing column": Case({"a.txt": GOOD_TEXT},
                           manifest="article_id,file,outlet\na,a.txt,Outlet\n",
                           says=("published",)),
    "bad id": Case({"a.txt": GOOD_TEXT}, ["A B,a.txt,Outlet,2025-01-02,,,,"],
                   says=("'A B'",)),
    "hash mismatch": Case({"a.txt": GOOD_TEXT}, [f"a,a.txt,Outlet,2025-01-02,,,{'0' * 64},"],
                          says=("a.txt", "sha256")),
    "oversized file": Case({"a.txt": GOOD_TEXT + "word " * 1_100_000}, [ROW],
                           says=("a.txt", "5 MB")),
    # --- the rows of issue 15 --------------------------------------------------------
    "invisible characters inside words": Case(
        {"a.txt": GUARANTEE.replace("States ", "States\u200b ").replace(
            "security", "secu\u00adrity")}, [ROW], status=0, check=_same_labels_as_plain),
    "an article in Ukrainian": Case({"a.txt": UKRAINIAN}, ["a,a.txt,Outlet,2025-01-02,,uk,,"],
                                    status=0, says=("a.txt", "uk", "sentiment")),
    "English text on a Ukrainian row": Case(
        {"a.txt": GUARANTEE + "The allies said they would meet again next week to agree "
         "the details of the deal and a timetable for carrying it out, officials said. "
         "Monitoring of the ceasefire and supplies of weapons were also on the table.\n"},
        ["a,a.txt,Outlet,2025-01-02,,uk,,"], status=0, says=("a.txt", "uk", "en")),
    "only boilerplate": Case({"a.txt": "Share this article\nAdvertisement\n"}, [ROW],
                             says=("a.txt",)),
    "a byline and one paragraph": Case(
        {"a.txt": "By Jane Doe\nThe talks went on all night in the capital.\n"}, [ROW],
        says=("a.txt", "no body sentence")),
    "one long line without punctuation": Case(
        {"a.txt": "A title\n" + "words without an end " * 15_000 + "\n"}, [ROW], status=0,
        says=("a.txt", "2000")),
    "a 4,750-character word": Case({"a.txt": "A title\nThe " + "x" * 4750 + " ended.\n"},
                                   [ROW], status=0, says=("a.txt", "2000")),
    "blank line before the header": Case({"a.txt": GOOD_TEXT},
                                         manifest=f"\n\n{HEADER}\n{ROW}\n", status=0),
    "a header and no rows": Case({}, [], says=("manifest.csv", "no articles")),
    "a date in 2099": Case({"a.txt": GOOD_TEXT}, ["a,a.txt,Outlet,2099-01-02,,,,"], status=0,
                           says=("row 1", "2099-01-02")),
    "a date in year 1": Case({"a.txt": GOOD_TEXT}, ["a,a.txt,Outlet,0001-01-02,,,,"],
                             status=0, says=("row 1", "0001-01-02")),
    "one file under two spellings": Case(
        {"a.txt": GOOD_TEXT}, [ROW, "b,./a.txt,Outlet,2025-01-03,,,,"], status=0,
        says=("a.txt", "row 1")),
    "a file the process may not read": Case({"a.txt": GOOD_TEXT}, [ROW], unreadable="a.txt",
                                            says=("a.txt", "cannot be read")),
    "an outlet with dollar signs": Case({"a.txt": GOOD_TEXT},
                                        ["a,a.txt,Bad $\\frac{$ Outlet,2025-01-02,,,,"],
                                        status=0),
    "text containing javascript:": Case(
        {"a.txt": "A title\nThe link javascript:alert(1) was quoted in the text.\n"}, [ROW],
        status=0),
    "a Windows-1252 file": Case(
        {"a.txt": "A title\n\u201cThe deal costs \u20ac5 billion,\u201d she said.\n".encode(
            "cp1252")}, [ROW], says=("a.txt", "cp1252", "iconv")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_or_warned_about_naming_the_culprit(name, tmp_path, capsys,
                                                                monkeypatch):
    case = CASES[name]
    raw = make_corpus(tmp_path, case.files, case.rows, case.manifest)
    if case.unreadable:
        target = raw / case.unreadable
        original = Path.read_bytes

        def refuse(path: Path) -> bytes:
            if path == target:
                raise PermissionError(13, "Permission denied", str(path))
            return original(path)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest()
              for path in raw.rglob("*") if path.is_file() and path != raw / str(case.unreadable)}
    status = main(["validate", "--raw", str(raw)])
    out = capsys.readouterr()
    said = out.out + out.err
    assert "Traceback" not in said
    assert status == case.status, said
    for text in case.says:
        assert text in said, (text, said)
    if case.status == 0 and case.check is not None:
        case.check(raw)
    # Nothing is written into the raw folder.
    assert {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in before} == before
