"""Bad raw input never crashes and never misleads (issue 15).

Each case is refused with a line naming the file or manifest row (exit status 2), or
accepted with a warning naming it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.data.corpus import (
    build_corpus_tables,
    check_corpus,
    parse_article,
    read_article_text,
    sentence_spans,
    split_sentences,
    validate_corpus,
)
from analysis.data.corpus import sentences as corpus_sentences
from analysis.data.corpus.decoding import encoding_hint
from analysis.data.corpus.manifest import normalised_file, plausible_published_range
from analysis.data.corpus.sentences import MAX_SENTENCE_CHARS, overlong_sentences
from analysis.errors import InputError

from factories import GOOD_TEXT, HEADER, make_corpus

TODAY = dt.date(2025, 6, 1)


def only_error(raw: Path, *fragments: str) -> str:
    """The one error of ``raw`` that holds every fragment; check_corpus raises with it."""
    errors = validate_corpus(raw, today=TODAY).errors
    matching = [e for e in errors if all(f in e for f in fragments)]
    assert len(matching) == 1, errors
    with pytest.raises(InputError) as excinfo:
        check_corpus(raw)
    assert matching[0] in excinfo.value.problems
    return matching[0]


def cli_errors(raw: Path, command: str, tmp_path: Path, capsys) -> list[str]:
    """Run ``command`` on ``raw``; it must exit 2. Returns its ``error:`` lines."""
    folders = {"validate": [], "build": ["--processed", str(tmp_path / "processed")],
               "run": ["--processed", str(tmp_path / "processed"),
                       "--reports", str(tmp_path / "reports")]}[command]
    status = main([command, "--raw", str(raw), *folders])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error: ")]


# ---------------------------------------------------------------------------
# 1. Blank lines before the manifest header


def test_blank_lines_before_the_header_are_skipped(tmp_path):
    manifest = f"\n  \n\ufeff\n{HEADER}\na1,a.txt,O,2025-01-01,,,,\na2,a.txt,O,2025-02-30,,,,\n"
    raw = make_corpus(tmp_path, manifest=manifest.replace("\ufeff\n", "\n"))
    error = only_error(raw, "2025-02-30")
    # Line numbers still count the blank lines: the bad row is on line 6.
    assert "manifest.csv row 2 (line 6, article_id 'a2')" in error
    (raw / "manifest.csv").write_text(f"\ufeff\n\n{HEADER}\na1,a.txt,O,2025-01-01,,,,\n",
                                      encoding="utf-8")
    report = check_corpus(raw)
    assert list(report.manifest["article_id"]) == ["a1"]


def test_a_manifest_of_blank_lines_has_no_header(tmp_path):
    raw = make_corpus(tmp_path, manifest="\n\n   \n")
    only_error(raw, "manifest.csv", "no header row")


# ---------------------------------------------------------------------------
# 2. A manifest without rows


@pytest.mark.parametrize("manifest", [f"{HEADER}\n", f"{HEADER}\n\n\n", f"\n{HEADER}"])
def test_a_manifest_without_rows_is_refused(tmp_path, manifest):
    raw = make_corpus(tmp_path, files={}, manifest=manifest)
    only_error(raw, str(raw / "manifest.csv"), "lists no articles")
    with pytest.raises(InputError, match="lists no articles"):
        build_corpus_tables(raw)


@pytest.mark.parametrize("command", ["validate", "build", "run"])
def test_a_manifest_without_rows_exits_2(tmp_path, capsys, command):
    raw = make_corpus(tmp_path, files={}, rows=[])
    errors = cli_errors(raw, command, tmp_path, capsys)
    assert errors == [f"error: {raw / 'manifest.csv'}: lists no articles; add a row for "
                      "each article file (article_id,file,outlet,published)"]
    assert not (tmp_path / "processed").exists()


# ---------------------------------------------------------------------------
# 3. Implausible publication dates


@pytest.mark.parametrize("published", ["0001-01-01", "2099-01-01", "1899-12-31",
                                       "2026-06-02"])
def test_implausible_date_is_kept_with_a_warning(tmp_path, published):
    raw = make_corpus(tmp_path, rows=[f"a1,a.txt,O,{published},,,,"])
    report = validate_corpus(raw, today=TODAY)
    assert report.errors == []
    assert report.warnings == [
        f"{raw / 'manifest.csv'} row 1 (line 2, article_id 'a1'): published '{published}' "
        "is outside 1900-01-01 to 2026-06-01; kept, but check the date"]
    articles, _ = build_corpus_tables(raw)
    assert list(articles["published"]) == [published]


@pytest.mark.parametrize("published", ["1900-01-01", "2025-06-01", "2026-06-01"])
def test_dates_within_the_range_give_no_warning(tmp_path, published):
    raw = make_corpus(tmp_path, rows=[f"a1,a.txt,O,{published},,,,"])
    assert validate_corpus(raw, today=TODAY).warnings == []


def test_the_range_ends_a_year_after_today():
    assert plausible_published_range(TODAY) == (dt.date(1900, 1, 1), dt.date(2026, 6, 1))
    # A leap day has no date a year on: the range ends the day before.
    assert plausible_published_range(dt.date(2024, 2, 29))[1] == dt.date(2025, 2, 28)
    assert plausible_published_range()[1] > dt.date.today()


def test_validate_prints_the_date_warning_and_succeeds(tmp_path, capsys):
    raw = make_corpus(tmp_path, rows=["a1,a.txt,O,0001-01-01,,,,"])
    assert main(["validate", "--raw", str(raw)]) == 0
    assert "row 1 (line 2, article_id 'a1'): published '0001-01-01' is outside" in (
        capsys.readouterr().err)


# ---------------------------------------------------------------------------
# 4. One file listed under two spellings


@pytest.mark.parametrize(("first", "second"), [("x.txt", "./x.txt"), ("sub/x.txt", "sub//x.txt"),
                                               ("./sub/x.txt", "sub/./x.txt")])
def test_the_same_file_spelt_twice_is_caught(tmp_path, first, second):
    file = first.removeprefix("./")
    raw = make_corpus(tmp_path, files={file: GOOD_TEXT},
                      rows=[f"a1,{first},O,2025-01-01,,,,", f"a2,{second},O,2025-01-01,,,,"])
    report = validate_corpus(raw, today=TODAY)
    assert report.errors == []
    assert report.warnings == [
        f"{raw / 'manifest.csv'} row 2 (line 3, article_id 'a2'): file {second!r} is also "
        f"listed in row 1 (as {first!r}); the article is counted once for each row"]


def test_a_file_listed_twice_as_written_still_warns(tmp_path):
    raw = make_corpus(tmp_path, rows=["a1,a.txt,O,2025-01-01,,,,", "a2,a.txt,O,2025-01-01,,,,"])
    assert validate_corpus(raw, today=TODAY).warnings == [
        f"{raw / 'manifest.csv'} row 2 (line 3, article_id 'a2'): file 'a.txt' is also "
        "listed in row 1; the article is counted once for each row"]


def test_a_dotdot_spelling_stays_refused(tmp_path):
    raw = make_corpus(tmp_path, files={"x.txt": GOOD_TEXT, "a/y.txt": GOOD_TEXT},
                      rows=["a1,x.txt,O,2025-01-01,,,,", "a2,a/../x.txt,O,2025-01-01,,,,"])
    only_error(raw, "file 'a/../x.txt'", "'..' component")
    assert normalised_file("a\\.\\x.txt") == "a/x.txt"


# ---------------------------------------------------------------------------
# 5. A file the process may not read


def test_unreadable_file_chmod(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root reads every file whatever its mode")
    raw = make_corpus(tmp_path)
    (raw / "a.txt").chmod(0)
    try:
        only_error(raw, str(raw / "a.txt"), "cannot be read: Permission denied")
        errors = cli_errors(raw, "validate", tmp_path, capsys)
        assert any(str(raw / "a.txt") in line for line in errors)
    finally:
        (raw / "a.txt").chmod(0o644)


def _refuse(path: Path):
    def read_bytes(self):
        if self.name == path.name:
            raise PermissionError(13, "Permission denied", str(self))
        return original_read_bytes(self)
    return read_bytes


original_read_bytes = Path.read_bytes


@pytest.mark.parametrize("command", ["validate", "build"])
def test_unreadable_file_exits_2_naming_it(tmp_path, capsys, monkeypatch, command):
    raw = make_corpus(tmp_path)
    monkeypatch.setattr(Path, "read_bytes", _refuse(raw / "a.txt"))
    error = only_error(raw, "cannot be read")
    assert error == f"{raw / 'a.txt'} (article_id 'art-0'): cannot be read: Permission denied"
    assert any(line == f"error: {error}" for line in cli_errors(raw, command, tmp_path, capsys))
    with pytest.raises(InputError, match="a.txt: cannot be read: Permission denied"):
        read_article_text(raw / "a.txt")


def test_unreadable_manifest_names_it(tmp_path, monkeypatch):
    raw = make_corpus(tmp_path)
    monkeypatch.setattr(Path, "read_bytes", _refuse(raw / "manifest.csv"))
    only_error(raw, f"{raw / 'manifest.csv'}: cannot be read: Permission denied")


# ---------------------------------------------------------------------------
# 6. Files that are not UTF-8


CP1252_TEXT = ("A headline about the \u201cplan\u201d\n"
               "The envoy\u2019s fund holds \u20ac40 million \u2013 more than planned. "
               "It was signed on Monday.\n")
LATIN1_TEXT = "Caf\u00e9 talks in the old quarter\nThe na\u00efve plan was dropped at once.\n"


@pytest.mark.parametrize(("text", "codec", "named", "iconv"),
                         [(CP1252_TEXT, "cp1252", "cp1252 (Windows-1252)", "CP1252"),
                          (LATIN1_TEXT, "latin-1", "cp1252 (Windows-1252)", "CP1252")])
def test_non_utf8_file_names_the_encoding_and_the_conversion(tmp_path, text, codec, named,
                                                             iconv):
    raw = make_corpus(tmp_path, files={"a.txt": text.encode(codec)})
    path = raw / "a.txt"
    error = only_error(raw, str(path), "not valid UTF-8")
    assert f"likely {named}; convert it with: iconv -f {iconv} -t UTF-8 {path} > " \
           f"{path}.utf8, then put that file in its place" in error
    if shutil.which("iconv"):
        # The command given converts the file: the article then reads as written.
        with open(f"{path}.utf8", "wb") as out:
            subprocess.run(["iconv", "-f", iconv, "-t", "UTF-8", str(path)], stdout=out,
                           check=True)
        os.replace(f"{path}.utf8", path)
        assert read_article_text(path) == text
        assert check_corpus(raw).errors == []


def test_non_utf8_at_the_command_line(tmp_path, capsys):
    raw = make_corpus(tmp_path, files={"a.txt": CP1252_TEXT.encode("cp1252")})
    errors = cli_errors(raw, "build", tmp_path, capsys)
    assert len(errors) == 1
    assert "a.txt" in errors[0] and "iconv -f CP1252" in errors[0]


def test_non_utf8_manifest_names_the_conversion(tmp_path):
    manifest = f"{HEADER}\na1,a.txt,Caf\u00e9 Journal,2025-01-01,,,,\n".encode("cp1252")
    raw = make_corpus(tmp_path, manifest=manifest)
    only_error(raw, "not valid UTF-8", f"iconv -f CP1252 -t UTF-8 {raw / 'manifest.csv'}")


def test_encoding_hint_for_other_cases():
    assert "UTF-16" in encoding_hint("A title\nA body sentence here.\n".encode("utf-16"))
    # UTF-8 with one stray byte is no other encoding: it is damaged.
    damaged = "Caf\u00e9 \u2013 title\n".encode() + b"bad \xff byte\n"
    assert "mixes encodings or is damaged" in encoding_hint(damaged)
    assert "FILE > FILE.utf8" in encoding_hint("caf\u00e9 au lait ".encode("cp1252") * 5)


# ---------------------------------------------------------------------------
# 7. Bylines and boilerplate are never the title; an article needs a body


BOILERPLATE_ONLY = (
    "The Daily Ledger\n"
    "desk@ledger.exampleThe Daily Ledger Global is a digital outlet that covers markets "
    "and companies.\n\n"
    "![Another story](https://img.ledger.example/a.webp)\n"
)


@pytest.mark.parametrize("content", [
    BOILERPLATE_ONLY,
    "Mina Park, Ledger.example reporter mpark@ledger.example\n\n" + BOILERPLATE_ONLY,
    "desk@ledger.example\n",
])
def test_boilerplate_only_is_refused_and_never_a_title(tmp_path, content):
    assert parse_article(content, "The Daily Ledger").title == ""
    raw = make_corpus(tmp_path, files={"a.txt": content},
                      rows=["a1,a.txt,The Daily Ledger,2025-01-01,,,,"])
    only_error(raw, str(raw / "a.txt"), "no sentence")


@pytest.mark.parametrize(("byline", "author"), [
    ("Written by Mina Park mpark@ledger.example", "Mina Park"),
    ("By Mina Park (mpark@ledger.example)", "Mina Park"),
    ("MINA PARK, Associated Press", "MINA PARK"),
    ("Mina Park, Reuters", "Mina Park"),
    ("By MINA PARK\nAssociated Press", "MINA PARK"),
    ("Mina Park | Staff Writer", "Mina Park"),
])
def test_a_byline_first_is_never_the_title(byline, author):
    text = f"{byline}\nEnvoys agree to meet again\nThe envoys met for a second day. They agreed.\n"
    parsed = parse_article(text)
    assert parsed.title == "Envoys agree to meet again"
    assert parsed.author == author
    assert parsed.body == ["The envoys met for a second day. They agreed."]


@pytest.mark.parametrize(("content", "title"), [
    ("Mina Park, Ledger.example reporter mpark@ledger.example\n"
     "The envoys met for a second day. They agreed to little.\n",
     "The envoys met for a second day. They agreed to little."),
    ("By Mina Park\nOnly a headline here\n", "Only a headline here"),
    ("Only a headline here\n\n![a](https://img.example/a.png)\n", "Only a headline here"),
    ("A headline\nSummary\n- A bullet of the summary.\n- Another one.\n", "A headline"),
])
def test_an_article_without_a_body_sentence_is_refused(tmp_path, capsys, content, title):
    raw = make_corpus(tmp_path, files={"a.txt": content})
    error = only_error(raw, str(raw / "a.txt"), "no body sentence")
    assert repr(title) in error
    assert any("no body sentence" in line for line in cli_errors(raw, "build", tmp_path, capsys))


# ---------------------------------------------------------------------------
# 8. Overlong sentences: cut at a limit, offsets exact, cost linear


def _words(n_chars: int) -> str:
    words = ("envoys", "talked", "about", "guarantees", "for", "the", "border", "region")
    text = " ".join(words[i % len(words)] for i in range(n_chars // 5))
    return text[:n_chars].rstrip()


def test_a_long_unpunctuated_line_is_cut_at_whitespace():
    line = _words(9000)
    text = f"Title line\n{line}\n"
    spans = split_sentences(text, text.index(line), len(text))
    pieces = [text[s:e] for s, e in spans]
    assert len(pieces) == 5
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(len(p) > MAX_SENTENCE_CHARS // 2 for p in pieces[:-1])
    assert " ".join(pieces) == line  # cut at spaces only: no word is split or lost
    assert all(p == p.strip() for p in pieces)


def test_a_long_word_is_cut_at_the_limit():
    word = ("Guarantee" * 600)[:4750]
    text = f"Title line\nShort one first. {word} and then the end.\n"
    parsed = parse_article(text)
    spans = sentence_spans(parsed)
    pieces = [text[s:e] for _, _, s, e in spans]
    assert pieces[:2] == ["Title line", "Short one first."]
    assert [len(p) for p in pieces[2:4]] == [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS]
    assert "".join(pieces[2:4]) + pieces[4].split(" ")[0] == word
    assert pieces[4].endswith(" and then the end.")
    assert overlong_sentences(parsed) == 1


def test_long_titles_and_limit_are_consistent(monkeypatch):
    monkeypatch.setattr(corpus_sentences, "MAX_SENTENCE_CHARS", 20)
    text = "A title that goes on and on and on\nShort body. Another body line here.\n"
    spans = sentence_spans(parse_article(text))
    assert [(section, text[s:e]) for section, _, s, e in spans] == [
        ("title", "A title that goes on"), ("title", "and on and on"),
        ("body", "Short body."), ("body", "Another body line"), ("body", "here.")]


def test_overlong_sentences_warn_and_offsets_index_the_raw_text(tmp_path):
    line = _words(7000)
    word = ("x" * 4750)
    raw = make_corpus(tmp_path, files={"a.txt": f"Title\n{line}\n", "b.txt":
                                       f"Title\nA normal first sentence. {word}\n",
                                       "c.txt": GOOD_TEXT})
    report = check_corpus(raw)
    assert report.warnings == [
        f"{raw / name} (article_id '{article_id}'): 1 sentence(s) longer than 2000 characters "
        "(MAX_SENTENCE_CHARS) are cut into pieces of at most that length; the text may lack "
        "sentence punctuation" for name, article_id in (("a.txt", "art-0"), ("b.txt", "art-1"))]
    articles, sentences = build_corpus_tables(raw)
    assert sentences["text"].str.len().max() <= MAX_SENTENCE_CHARS
    for row in articles.itertuples():
        text = read_article_text(raw / row.file)
        own = sentences[sentences["article_id"] == row.article_id]
        assert all(text[s:e] == t for s, e, t in zip(own["start"], own["end"], own["text"],
                                                      strict=True))
    # a: title and 4 pieces; b: title and 3 pieces (the capital-less run of x continues
    # the first sentence, which has no whitespace in its second half: cut at the limit).
    assert list(articles["n_sentences"]) == [5, 4, 3]
