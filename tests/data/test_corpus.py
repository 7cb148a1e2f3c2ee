"""Tests for analysis.data.corpus: parsing the seeds, sentence splitting, and every bad input."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from analysis.data.corpus import (
    CorpusReport,
    article_tables,
    build_corpus_tables,
    check_corpus,
    load_manifest,
    parse_article,
    partition_tables,
    read_article_text,
    sentence_spans,
    split_sentences,
    validate_article,
    validate_corpus,
)
from analysis.data.tables import SECTIONS
from analysis.data.text import tokenize
from analysis.errors import InputError

from factories import GOOD_TEXT, HEADER, SEED_RAW, make_corpus

SEED_DEC = SEED_RAW / "000_f97049b513315708.txt"
SEED_FEB = SEED_RAW / "004_6b0f1225c6dc12f3.txt"
BOILERPLATE = ("Korea Economic Daily", "hankyung@", "bloomingbit", "![", "](http",
               "Hankyung.com reporter", "Summary")


def assert_error(raw: Path, *fragments: str) -> list[str]:
    """Exactly one error mentions all ``fragments``; check_corpus raises with it."""
    report = validate_corpus(raw)
    matching = [e for e in report.errors if all(f in e for f in fragments)]
    assert len(matching) == 1, report.errors
    with pytest.raises(InputError) as excinfo:
        check_corpus(raw)
    assert matching[0] in excinfo.value.problems
    return report.errors


def seed_sentences(path: Path) -> tuple[str, list[tuple[str, int, int, int]]]:
    text = read_article_text(path)
    return text, sentence_spans(parse_article(text))


# ---------------------------------------------------------------------------
# The seeds


@pytest.mark.parametrize(
    ("path", "title", "author", "counts"),
    [
        (SEED_DEC, 'NATO-style security guarantee for Ukraine\u2026 Trump: "Ceasefire agreement '
                   'close"', "Kim Daeyoung", {"title": 1, "summary": 3, "deck": 3, "body": 13}),
        (SEED_FEB, 'Trump to Negotiate Peace Agreement... "Ukraine\'s Security is Europe\'s '
                   'Responsibility"', "Park Soo-bin", {"title": 1, "summary": 3, "deck": 2,
                                                     "body": 8}),
    ],
)
def test_seed_parts(path, title, author, counts):
    parsed = parse_article(read_article_text(path))
    assert parsed.title == title
    assert parsed.author == author
    sections = [b.section for b in parsed.blocks]
    assert {s: sections.count(s) for s in counts} == counts
    assert sections == sorted(sections, key=SECTIONS.index)
    assert all(not s.startswith(("-", " ")) for s in parsed.summary)
    assert parsed.summary[0].startswith(("It was reported", "President Trump stated"))


@pytest.mark.parametrize("path", [SEED_DEC, SEED_FEB])
def test_seed_offsets_and_no_boilerplate(path):
    text, spans = seed_sentences(path)
    assert spans
    for section, _, start, end in spans:
        sentence = text[start:end]
        assert sentence == sentence.strip()
        assert not any(b in sentence for b in BOILERPLATE), sentence
        if section == "summary":
            assert text[start - 2:start] == "- "
    starts = [s for _, _, s, _ in spans]
    assert starts == sorted(starts)


def test_seed_sentence_splits():
    text, spans = seed_sentences(SEED_DEC)
    sentences = [text[s:e] for _, _, s, e in spans]
    assert len(sentences) == 26
    assert sentences[8].startswith("President Trump said at a Mexico border")
    assert sentences[8].endswith('related to the Russia-Ukraine war."')
    assert ('Asked "Why should Ukraine cede territory to Russia as a condition for a '
            'ceasefire?", he argued, "They have already lost that territory."') in sentences
    assert sentences[-1].endswith('occupied by Russian forces."')
    text, spans = seed_sentences(SEED_FEB)
    sentences = [text[s:e] for _, _, s, e in spans]
    assert len(sentences) == 22
    assert any("at 11 a.m. on the 28th, adding, \"We will have a very good meeting.\"" in s
               for s in sentences)
    assert sentences[-1].endswith("would itself serve as a security mechanism.")


def test_seed_deck_and_paragraph_ids():
    text, spans = seed_sentences(SEED_FEB)
    deck = [text[s:e] for section, _, s, e in spans if section == "deck"]
    assert deck == [
        'Trump: "Ukraine\'s Security Guarantee is Europe\'s Responsibility, Not America\'s"',
        "Economic Framework Agreement, Development of Rare Earth and Mineral Resources",
    ]
    paragraph_ids = [p for _, p, _, _ in spans]
    assert paragraph_ids[:6] == [0, 1, 2, 3, 4, 5]
    assert paragraph_ids[-1] == 13
    assert paragraph_ids == sorted(paragraph_ids)


def test_build_corpus_tables_on_seeds():
    articles, sentences = build_corpus_tables(SEED_RAW)
    assert list(articles["article_id"]) == ["ked-2025-02-27", "ked-2025-12-15"]
    assert list(articles["author"]) == ["Park Soo-bin", "Kim Daeyoung"]
    assert list(articles["n_sentences"]) == [22, 26]
    assert set(articles["language"]) == {"en"}
    for article in articles.itertuples():
        raw = read_article_text(SEED_RAW / article.file)
        own = sentences[sentences["article_id"] == article.article_id]
        assert list(own["sentence_id"]) == list(range(len(own)))
        assert article.n_words == sum(len(tokenize(t)) for t in own["text"])
        assert article.sha256 == hashlib.sha256((SEED_RAW / article.file).read_bytes()).hexdigest()
        assert all(raw[s:e] == t for s, e, t in zip(own["start"], own["end"], own["text"],
                                                      strict=True))
    assert set(sentences["section"]) == set(SECTIONS)


def test_article_tables_one_row():
    row = {"article_id": "x", "file": SEED_DEC.name, "outlet": "O", "published": "2025-12-15"}
    article, sentences = article_tables(row, SEED_RAW)
    assert article["author"] == "Kim Daeyoung"
    assert article["language"] == "en"
    assert article["n_sentences"] == len(sentences) == 26
    assert list(sentences.columns) == ["article_id", "sentence_id", "section", "paragraph_id",
                                       "start", "end", "language", "text"]
    with pytest.raises(InputError, match="published '2025-12-32'"):
        article_tables({**row, "published": "2025-12-32"}, SEED_RAW)


def test_partition_tables_match_whole_build():
    manifest = load_manifest(SEED_RAW)
    articles, sentences = build_corpus_tables(SEED_RAW)
    part_articles, part_sentences = partition_tables(manifest.iloc[1:], SEED_RAW)
    assert part_articles.to_dict("records") == articles.iloc[1:].to_dict("records")
    expected = sentences[sentences["article_id"] == "ked-2025-12-15"].reset_index(drop=True)
    assert part_sentences.equals(expected)
    empty_articles, empty_sentences = partition_tables(manifest.iloc[:0], SEED_RAW)
    assert len(empty_articles) == 0 and len(empty_sentences) == 0


def test_partition_tables_collects_every_bad_row(tmp_path):
    raw = make_corpus(tmp_path, rows=["a1,a.txt,O,2025-01-01,,,,", "a2,gone.txt,O,2025-01-01,,,,",
                                      "a3,a.txt,O,2025-02-30,,,,"])
    with pytest.raises(InputError) as excinfo:
        partition_tables(validate_corpus(raw).manifest, raw)
    problems = excinfo.value.problems
    assert len(problems) == 2
    assert "gone.txt (article_id 'a2'): file not found" in problems[0]
    assert "(article_id 'a3'): published '2025-02-30'" in problems[1]


# ---------------------------------------------------------------------------
# Sentence splitting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He spoke in Washington, D.C., "I had a very good talk." Then he left.',
         ['He spoke in Washington, D.C., "I had a very good talk."', "Then he left."]),
        ("The meeting is at 11 a.m. on the 28th, adding more. It ends at 2 p.m. today.",
         ["The meeting is at 11 a.m. on the 28th, adding more.", "It ends at 2 p.m. today."]),
        ("The U.S. Treasury agreed. The U.K. did too.",
         ["The U.S. Treasury agreed.", "The U.K. did too."]),
        ("Mr. Kim met Gen. Park on Jan. 5 in Seoul. No. 2 was absent.",
         ["Mr. Kim met Gen. Park on Jan. 5 in Seoul.", "No. 2 was absent."]),
        ("It was agreed with the U.S. He left early.",
         ["It was agreed with the U.S.", "He left early."]),
        ('He said, "We will win." She said nothing.',
         ['He said, "We will win."', "She said nothing."]),
        ('Asked "Why now?", he argued, "It is time." He added more.',
         ['Asked "Why now?", he argued, "It is time."', "He added more."]),
        ("\u201cIt is over.\u201d Markets fell.", ["\u201cIt is over.\u201d", "Markets fell."]),
        ("Donald J. Trump spoke. Prices rose 90% on Dec. 3!",
         ["Donald J. Trump spoke.", "Prices rose 90% on Dec. 3!"]),
    ],
)
def test_split_sentences_abbreviations_and_quotes(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected


def test_split_sentences_region_offsets():
    text = "Ignore this. \n  First one here. Second one there.  \nIgnore that."
    start = text.index("First")
    end = text.index("\nIgnore that")
    spans = split_sentences(text, start, end)
    assert [text[s:e] for s, e in spans] == ["First one here.", "Second one there."]
    assert split_sentences("  ...  --  ") == []


# ---------------------------------------------------------------------------
# Other layouts


def test_plain_text_is_title_and_body():
    text = "Plain headline without parts\nFirst body sentence. Second body sentence.\n" \
           "![thumb](https://x.example/a.webp)\nAnother paragraph ends here.\n"
    parsed = parse_article(text)
    assert parsed.title == "Plain headline without parts"
    assert parsed.author == ""
    assert [b.section for b in parsed.blocks] == ["title", "body", "body"]
    assert parsed.body == ["First body sentence. Second body sentence.",
                           "Another paragraph ends here."]
    assert [text[s:e] for _, _, s, e in sentence_spans(parsed)][1:] == [
        "First body sentence.", "Second body sentence.", "Another paragraph ends here."]


def test_plain_text_without_byline_keeps_trailing_lines_as_body():
    text = "Title\n\nBody sentence one.\n\nReuters\nCopyright notice line.\n"
    parsed = parse_article(text)
    assert parsed.author == ""
    assert parsed.body == ["Body sentence one.", "Reuters", "Copyright notice line."]


def test_hard_wrapped_paragraph_and_crlf():
    wrapped = "The talks between the delegations went on for\r\nhours in Berlin."
    text = f"Title line\r\n\r\nBackground\r\n{wrapped} Leaders met.\r\n"
    parsed = parse_article(text)
    assert parsed.body == ["Background", f"{wrapped} Leaders met."]
    spans = sentence_spans(parsed)
    assert [text[s:e] for _, _, s, e in spans] == [
        "Title line", "Background", wrapped, "Leaders met."]


def test_byte_order_mark_is_not_part_of_the_title():
    text = "\ufeffTitle here\nBody sentence.\n"
    spans = sentence_spans(parse_article(text))
    assert [(section, text[s:e]) for section, _, s, e in spans] == [
        ("title", "Title here"), ("body", "Body sentence.")]
    assert spans[0][2] == 1


def test_by_line_and_top_reporter_byline():
    parsed = parse_article("Title\nBy Jane Doe, Reuters\n\nBy engaging Russia, he won. More.\n")
    assert parsed.author == "Jane Doe"
    assert parsed.body == ["By engaging Russia, he won. More."]
    parsed = parse_article("Title\nJohn Roe, Staff correspondent\nBody text here.\n")
    assert parsed.author == "John Roe"
    assert parsed.body == ["Body text here."]


def test_prose_mentioning_a_reporter_is_not_a_byline():
    text = ("Title\nSmith, a reporter for the Times, said the talks ended.\n"
            "Talks resume on Monday.\nJane Roe, Staff Writer\nSubscribe now\n")
    parsed = parse_article(text)
    assert parsed.author == "Jane Roe"
    assert parsed.body == ["Smith, a reporter for the Times, said the talks ended.",
                           "Talks resume on Monday."]


def test_summary_header_without_bullets_is_body():
    parsed = parse_article("Title\nSummary\nNo bullets follow here.\n")
    assert parsed.summary == []
    assert parsed.body == ["Summary", "No bullets follow here."]


def test_deck_needs_headline_like_lines_and_body_after():
    parsed = parse_article("Title\nA deck line\n\"Quoted deck\"\n\nBody sentence.\n")
    assert parsed.deck == ["A deck line", '"Quoted deck"']
    parsed = parse_article("Title\nA prose line ends.\n\nBody sentence.\n")
    assert parsed.deck == []
    assert parsed.body == ["A prose line ends.", "Body sentence."]


# ---------------------------------------------------------------------------
# Validation: good corpus, manifest reading


def test_good_corpus_and_string_ids(tmp_path):
    raw = make_corpus(tmp_path, rows=["0001,a.txt,Outlet,2025-01-01,,,,"])
    report = check_corpus(raw)
    assert isinstance(report, CorpusReport)
    assert report.errors == [] and report.warnings == []
    manifest = load_manifest(raw)
    assert manifest.loc[1, "article_id"] == "0001"
    assert manifest.loc[1, "language"] == "en"
    assert manifest.loc[1, "url"] == ""
    articles, sentences = build_corpus_tables(raw)
    assert list(articles["article_id"]) == ["0001"]
    assert articles.loc[0, "n_sentences"] == 3
    assert list(sentences["section"]) == ["title", "body", "body"]


def test_empty_manifest_is_refused_but_an_empty_slice_builds_empty_tables(tmp_path):
    # validate/build/run refuse a corpus without articles; a slice of a manifest (one
    # partition of corpus mode) may still be empty.
    raw = make_corpus(tmp_path, files={}, rows=[])
    assert_error(raw, str(raw / "manifest.csv"), "lists no articles")
    with pytest.raises(InputError, match="lists no articles"):
        build_corpus_tables(raw)
    assert load_manifest(raw).empty
    articles, sentences = partition_tables(load_manifest(raw), raw)
    assert len(articles) == 0 and len(sentences) == 0
    assert "n_words" in articles.columns and "text" in sentences.columns


def test_missing_manifest(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    assert_error(raw, str(raw / "manifest.csv"), "manifest not found")
    with pytest.raises(InputError):
        load_manifest(raw)


@pytest.mark.parametrize("column", ["article_id", "file", "outlet", "published"])
def test_missing_required_column(tmp_path, column):
    header = [c for c in HEADER.split(",") if c != column]
    values = {"article_id": "a1", "file": "a.txt", "outlet": "O", "published": "2025-01-01"}
    row = [values.get(c, "") for c in header]
    raw = make_corpus(tmp_path, manifest=",".join(header) + "\n" + ",".join(row) + "\n")
    errors = assert_error(raw, "manifest.csv", f"missing required column '{column}'")
    assert len(errors) == 1, errors


@pytest.mark.parametrize("column", ["article_id", "file", "outlet", "published"])
def test_empty_required_field(tmp_path, column):
    values = {"article_id": "a1", "file": "a.txt", "outlet": "O", "published": "2025-01-01"}
    values[column] = ""
    row = ",".join(values.get(c, "") for c in HEADER.split(","))
    raw = make_corpus(tmp_path, rows=[row])
    assert_error(raw, "manifest.csv row 1 (line 2", f"required field '{column}' is empty")


def test_duplicate_article_id(tmp_path):
    raw = make_corpus(tmp_path, files={"a.txt": GOOD_TEXT, "b.txt": GOOD_TEXT},
                      rows=["same,a.txt,O,2025-01-01,,,,", "same,b.txt,O,2025-01-01,,,,"])
    assert_error(raw, "manifest.csv row 2 (line 3, article_id 'same')",
                 "duplicate article_id, first used in row 1")


@pytest.mark.parametrize("bad_id", ["Upper", "-dash-first", "has space", "dot.id", "a" * 65])
def test_bad_article_id(tmp_path, bad_id):
    raw = make_corpus(tmp_path, rows=[f"{bad_id},a.txt,O,2025-01-01,,,,"])
    errors = assert_error(raw, "manifest.csv row 1", "article_id")
    assert any("[a-z0-9][a-z0-9_-]*" in e or "at most 64" in e for e in errors)


@pytest.mark.parametrize("published", ["2025-13-01", "2025-02-30", "27/02/2025", "20250227",
                                       "2025-2-7"])
def test_bad_published(tmp_path, published):
    raw = make_corpus(tmp_path, rows=[f"a1,a.txt,O,{published},,,,"])
    assert_error(raw, "manifest.csv row 1 (line 2, article_id 'a1')",
                 f"published '{published}' is not a real date")


def test_manifest_not_utf8(tmp_path):
    raw = make_corpus(tmp_path, manifest=(HEADER + "\na1,a.txt,Caf\xe9,2025-01-01,,,,\n")
                      .encode("latin-1"))
    assert_error(raw, "manifest.csv", "not valid UTF-8", "line 2")


@pytest.mark.parametrize(
    ("manifest", "fragment"),
    [
        (f'{HEADER}\na1,a.txt,O,2025-01-01,,,,\na2,"b"x.txt,O,2025-01-01,,,,\n',
         "not valid CSV (line 3)"),
        (f'{HEADER}\na1,a.txt,O,2025-01-01,,,,"unclosed\n', "not valid CSV"),
        (f"{HEADER}\na1,a.txt,O,2025-01-01,,,,,extra\n",
         "row 1 (line 2): 9 fields, the header has 8"),
        ("", "no header row"),
        ("article_id,file,file,outlet,published\n", "duplicate column(s) ['file']"),
    ],
)
def test_manifest_not_valid_csv(tmp_path, manifest, fragment):
    raw = make_corpus(tmp_path, manifest=manifest)
    assert_error(raw, "manifest.csv", fragment)


def test_manifest_bom_blank_lines_and_multiline_cells(tmp_path):
    manifest = (f"\ufeff{HEADER}\n\na1,a.txt,O,2025-01-01,,,,\"two\nlines\"\n"
                "a2,a.txt,O,2025-02-30,,,,\n")
    raw = make_corpus(tmp_path, manifest=manifest)
    errors = assert_error(raw, "manifest.csv row 2 (line 5, article_id 'a2')", "2025-02-30")
    assert len(errors) == 1
    assert validate_corpus(raw).manifest.loc[1, "note"] == "two\nlines"


def test_sha256_mismatch_and_malformed(tmp_path):
    wrong = "0" * 64
    raw = make_corpus(tmp_path, rows=[f"a1,a.txt,O,2025-01-01,,,{wrong},"])
    assert_error(raw, str(raw / "a.txt"), "article_id 'a1'", f"sha256 in the manifest {wrong}")
    right = hashlib.sha256(GOOD_TEXT.encode()).hexdigest()
    (raw / "manifest.csv").write_text(f"{HEADER}\na1,a.txt,O,2025-01-01,,,{right.upper()},\n")
    assert check_corpus(raw).errors == []
    (raw / "manifest.csv").write_text(f"{HEADER}\na1,a.txt,O,2025-01-01,,,abc,\n")
    assert_error(raw, "row 1", "sha256 'abc' is not 64 hexadecimal digits")


# ---------------------------------------------------------------------------
# Validation: files


def test_missing_file(tmp_path):
    raw = make_corpus(tmp_path, rows=["a1,nope.txt,O,2025-01-01,,,,"])
    assert_error(raw, str(raw / "nope.txt"), "article_id 'a1'", "file not found")


@pytest.mark.parametrize(
    ("file", "fragment"),
    [("/etc/hostname", "absolute"), ("../outside.txt", "'..'"), ("sub/../a.txt", "'..'"),
     ("C:\\x.txt", "absolute")],
)
def test_path_leaving_raw_dir(tmp_path, file, fragment):
    raw = make_corpus(tmp_path, rows=[f"a1,{file},O,2025-01-01,,,,"])
    (tmp_path / "outside.txt").write_text(GOOD_TEXT)
    assert_error(raw, file, fragment)


def test_symlink_pointing_outside(tmp_path):
    raw = make_corpus(tmp_path, files={}, rows=["a1,link.txt,O,2025-01-01,,,,"])
    (tmp_path / "outside.txt").write_text(GOOD_TEXT)
    os.symlink(tmp_path / "outside.txt", raw / "link.txt")
    assert_error(raw, "manifest.csv (article_id 'a1'): file 'link.txt'", "outside the raw folder")
    assert validate_corpus(raw).warnings == []


def test_symlink_inside_is_fine(tmp_path):
    raw = make_corpus(tmp_path, rows=["a1,link.txt,O,2025-01-01,,,,"])
    os.symlink(raw / "a.txt", raw / "link.txt")
    assert check_corpus(raw).errors == []


def test_file_not_utf8_says_where(tmp_path):
    raw = make_corpus(tmp_path, files={"a.txt": b"Title\nBody line\nBad \xff byte here.\n"})
    assert_error(raw, str(raw / "a.txt"), "not valid UTF-8", "byte 0xff",
                 "byte offset 20", "(line 3)")
    with pytest.raises(InputError, match="byte offset 20"):
        read_article_text(raw / "a.txt")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "empty or whitespace only"),
        (" \n\t\r\n  \n", "empty or whitespace only"),
        ("![a](https://x.example/a.png)\n![b](https://x.example/b.png)\n", "no sentence"),
        ("***\n---\n", "no sentence"),
    ],
)
def test_empty_article(tmp_path, content, fragment):
    raw = make_corpus(tmp_path, files={"a.txt": content})
    assert_error(raw, str(raw / "a.txt"), fragment)


def test_file_over_5mb(tmp_path, monkeypatch):
    raw = make_corpus(tmp_path)
    with open(raw / "a.txt", "r+b") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)
    assert_error(raw, str(raw / "a.txt"), "article_id 'art-0'", "5242881 bytes",
                 "more than the 5242880 (5 MB) allowed")

    def refuse_read(path):
        raise AssertionError(f"{path} read although it is too large")

    # The size is checked before the file is read.
    monkeypatch.setattr(Path, "read_bytes", refuse_read)
    assert len(validate_article({"article_id": "a1", "file": "a.txt"}, raw)) == 1


def test_all_problems_are_collected(tmp_path):
    raw = make_corpus(tmp_path, files={"a.txt": b"\xff", "b.txt": ""},
                      rows=["a1,a.txt,O,2025-01-01,,,,", "a1,b.txt,O,2025-99-01,,,,",
                            "a3,c.txt,O,2025-01-01,,,,"])
    errors = validate_corpus(raw).errors
    assert len(errors) == 5
    with pytest.raises(InputError) as excinfo:
        check_corpus(raw)
    assert excinfo.value.problems == errors


def test_unlisted_file_warns(tmp_path):
    raw = make_corpus(tmp_path, files={"a.txt": GOOD_TEXT, "extra/b.txt": GOOD_TEXT,
                                       ".gitkeep": "", "README.md": "# notes\n"},
                      rows=["a1,a.txt,O,2025-01-01,,,,"])
    report = check_corpus(raw)
    assert report.errors == []
    assert report.warnings == [f"{raw / 'extra' / 'b.txt'}: not listed in "
                               f"{raw / 'manifest.csv'}; ignored"]
