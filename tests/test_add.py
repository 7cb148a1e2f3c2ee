"""``python -m analysis add``: files copied or extracted into the raw corpus, rows appended
to its manifest, and nothing written at all when anything is refused."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
import trafilatura

from analysis.__main__ import main
from analysis.data import corpus
from analysis.data.corpus import adding
from analysis.errors import InputError

from factories import GOOD_TEXT, HEADER, make_corpus

# Articles written for these tests; no real outlet's text.
NOTE_TEXT = ("Talks on a reassurance plan resume\n\n"
             "Officials from three capitals said on Monday that talks on a plan to protect "
             "Ukraine after a ceasefire would resume next week.\n\n"
             "The draft leaves open who would send troops and who would only pay.\n")
OTHER_TEXT = ("Parliament debates a treaty text\n\n"
              "Members of parliament argued for hours about whether a written treaty would "
              "bind future governments better than a joint statement.\n")
PARAGRAPHS = [
    "Defence ministers of four countries met by the harbour on Tuesday to sketch how a "
    "small monitoring mission could watch a future ceasefire line.",
    "Under the sketch, the mission would stay well behind the line, rely on drones and "
    "satellites, and report to a joint office that any member could call together.",
    "Two of the ministers said their governments would join only if a larger ally "
    "promised to come to the mission's aid, a promise nobody has yet made in writing.",
    "Kyiv's envoy thanked the ministers but said a mission that could leave at will "
    "would not deter anyone, and asked for a pledge approved by each parliament.",
]
TITLE = "Ministers sketch a monitoring mission for a ceasefire"
PAGE_URL = "https://harbour-courier.example/world/monitoring-mission"
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{TITLE} | The Harbour Courier</title>
<meta property="og:title" content="{TITLE}">
<link rel="canonical" href="{PAGE_URL}">
<script>var tracking = "SCRIPTMARKER must not be kept";</script>
<style>.menu {{ color: navy; }}</style>
</head>
<body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World NAVMARKER</a>
</li><li><a href="/weather">Weather</a></li></ul></nav>
<div class="advertisement ad-slot">ADMARKER Winter tyres at half price this week only!</div>
<main><article>
<h1>{TITLE}</h1>
{"".join(f"<p>{p}</p>{chr(10)}" for p in PARAGRAPHS)}</article></main>
<aside class="related"><h3>More stories</h3><ul><li><a href="/x">RELATEDMARKER A tour of
lighthouses</a></li></ul></aside>
<footer>FOOTERMARKER Copyright The Harbour Courier. All rights reserved.</footer>
<script>console.log("SCRIPTMARKER2");</script>
</body>
</html>
"""
NAV_ONLY_PAGE = ("<!DOCTYPE html><html><head><title>Menu</title></head><body><nav><a href='/'>"
                 "Home</a> <a href='/about'>About</a></nav><script>run()</script></body></html>")


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _rows(raw: Path) -> list[dict[str, str]]:
    text = (raw / "manifest.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _add(raw: Path, *files: Path | str, outlet: str = "The Harbour Courier",
         published: str = "2025-03-04", extra: tuple[str, ...] = ()) -> int:
    return main(["add", *map(str, files), "--outlet", outlet, "--published", published,
                 "--raw", str(raw), *extra])


def test_a_text_file_is_copied_and_its_row_appended(tmp_path, capsys):
    raw = make_corpus(tmp_path)
    before = (raw / "manifest.csv").read_bytes()
    source = _write(tmp_path / "in" / "talks.txt", NOTE_TEXT)

    assert _add(raw, source, extra=("--url", "https://example.org/talks")) == 0

    after = (raw / "manifest.csv").read_bytes()
    assert after.startswith(before)
    assert (raw / "talks.txt").read_bytes() == source.read_bytes()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert _rows(raw)[-1] == {
        "article_id": "the-harbour-courier-2025-03-04", "file": "talks.txt",
        "outlet": "The Harbour Courier", "published": "2025-03-04",
        "url": "https://example.org/talks", "language": "en", "sha256": digest, "note": ""}
    assert after[len(before):].count(b"\n") == 1
    out = capsys.readouterr().out
    assert f"added the-harbour-courier-2025-03-04: {raw / 'talks.txt'}" in out
    assert digest[:12] in out and f"{raw}: 2 articles, valid" in out
    assert len(corpus.check_corpus(raw).manifest) == 2


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_appending_keeps_the_manifest_bytes_and_its_line_ends(tmp_path, line_end,
                                                              final_newline):
    lines = [HEADER, "art-0,a.txt,Outlet,2025-01-01,,,,"]
    manifest = line_end.join(lines) + (line_end if final_newline else "")
    raw = make_corpus(tmp_path, manifest=manifest)
    source = _write(tmp_path / "talks.txt", NOTE_TEXT)

    assert _add(raw, source) == 0

    after = (raw / "manifest.csv").read_bytes()
    assert after.startswith(manifest.encode())
    added = after[len(manifest):]
    if not final_newline:
        assert added.startswith(line_end.encode())
    assert added.endswith(line_end.encode()) and added.count(b"\n") == 2 - final_newline
    assert (b"\r\n" in added) == (line_end == "\r\n")
    corpus.check_corpus(raw)


def test_a_raw_folder_without_a_manifest_gets_one(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()

    outlet = 'The "Harbour", Courier'
    assert _add(raw, _write(tmp_path / "talks.txt", NOTE_TEXT), outlet=outlet,
                extra=("--id", "talks-1")) == 0

    text = (raw / "manifest.csv").read_text()
    assert text.startswith(HEADER + "\n") and text.count("\n") == 2
    assert _rows(raw)[0]["article_id"] == "talks-1" and _rows(raw)[0]["outlet"] == outlet


def test_an_html_page_is_extracted_and_kept_beside_its_text(tmp_path):
    raw = make_corpus(tmp_path)
    page = _write(tmp_path / "in" / "mission.html", PAGE)

    assert _add(raw, page, extra=("--note", "saved by hand")) == 0

    text = (raw / "mission.txt").read_bytes().decode("utf-8")
    assert text == "\n\n".join([TITLE, *PARAGRAPHS]) + "\n"
    for marker in ("MARKER", "Home", "Winter tyres", "Copyright", "console"):
        assert marker not in text
    assert (raw / "mission.html").read_bytes() == page.read_bytes()
    row = _rows(raw)[-1]
    assert row["file"] == "mission.txt" and row["url"] == PAGE_URL
    assert row["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert row["note"] == ("saved by hand; extracted from mission.html by trafilatura "
                           f"{trafilatura.__version__}")
    parsed = corpus.parse_article(text)
    assert parsed.title == TITLE and parsed.body == PARAGRAPHS
    # The kept page is named by its row's note: no "not listed" warning for it.
    assert not [w for w in corpus.check_corpus(raw).warnings if "mission.html" in w]
    (raw / "stray.html").write_bytes(page.read_bytes())
    assert any("stray.html: not listed" in w for w in corpus.check_corpus(raw).warnings)


def test_a_page_in_another_encoding_becomes_utf8_text_and_its_date_is_compared(
        tmp_path, capsys):
    raw = make_corpus(tmp_path)
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1252">\n'
                        '<meta property="article:published_time" content="2025-03-01">')
    page = page.replace("harbour on Tuesday", "harbour caf\u00e9 on Tuesday")
    source = _write(tmp_path / "in" / "cafe.htm", page.encode("cp1252"))

    assert _add(raw, source) == 0

    assert "harbour caf\u00e9 on Tuesday" in (raw / "cafe.txt").read_text(encoding="utf-8")
    assert (raw / "cafe.htm").read_bytes() == source.read_bytes()
    assert "extracted from cafe.htm" in _rows(raw)[-1]["note"]
    assert "the page is dated 2025-03-01, --published 2025-03-04" in capsys.readouterr().err


def test_extraction_is_deterministic():
    first = adding.extract_article(PAGE.encode(), "page.html")
    assert adding.extract_article(PAGE.encode(), "page.html") == first


def test_several_files_in_one_call(tmp_path, capsys):
    raw = make_corpus(tmp_path)
    files = [_write(tmp_path / "in" / "talks.txt", NOTE_TEXT),
             _write(tmp_path / "in" / "treaty.txt", OTHER_TEXT),
             # An HTML page saved under a text name is recognised by its content.
             _write(tmp_path / "in" / "saved.txt.download", PAGE)]

    assert _add(raw, *files, extra=("--language", "en-GB")) == 0

    rows = _rows(raw)
    assert [r["article_id"] for r in rows[1:]] == [
        "the-harbour-courier-2025-03-04", "the-harbour-courier-2025-03-04-2",
        "the-harbour-courier-2025-03-04-3"]
    assert [r["file"] for r in rows[1:]] == ["talks.txt", "treaty.txt", "saved.txt.txt"]
    assert {r["language"] for r in rows[1:]} == {"en-GB"}
    assert (raw / "saved.txt.html").read_bytes() == PAGE.encode()
    assert "extracted from saved.txt.html" in rows[-1]["note"]
    assert capsys.readouterr().out.count("added ") == 3


def test_a_file_already_in_the_raw_folder_but_unlisted_is_listed_in_place(tmp_path):
    raw = make_corpus(tmp_path)
    placed = _write(raw / "talks.txt", NOTE_TEXT)

    assert _add(raw, placed) == 0

    assert _rows(raw)[-1]["file"] == "talks.txt"
    assert placed.read_text() == NOTE_TEXT


def _bad_manifest(tmp_path: Path) -> tuple[Path, list[str]]:
    raw = make_corpus(tmp_path, rows=["x,a.txt,Outlet,2025-01-01,,,,",
                                      "x,a.txt,Outlet,2025-01-01,,,,"])
    return raw, [str(_write(tmp_path / "talks.txt", NOTE_TEXT))]


def _case(files: dict[str, str | bytes], given: list[str] | None = None,
          raw_files: dict[str, str | bytes] | None = None):
    """A bad-input case: ``files`` written under ``tmp_path/in``, ``given`` (default all
    of them) passed to add, ``raw_files`` put in the raw corpus besides ``a.txt``."""
    def make(tmp_path: Path) -> tuple[Path, list[str]]:
        raw = make_corpus(tmp_path)
        for name, content in (raw_files or {}).items():
            _write(raw / name, content)
        for name, content in files.items():
            if content is None:
                (tmp_path / "in" / name).mkdir(parents=True)
            else:
                _write(tmp_path / "in" / name, content)
        return raw, [str(tmp_path / "in" / name) for name in (given or files)]
    return make


# Each case: how to make it, the options after the files, what the error must name.
TALKS = {"talks.txt": NOTE_TEXT}
BAD_INPUTS = {
    "empty outlet": (_case(TALKS), ["--outlet", ""], ["talks.txt", "--outlet is empty"]),
    "bad date": (_case(TALKS), ["--published", "2025-13-01"],
                 ["talks.txt", "--published", "2025-13-01"]),
    "not an ISO date": (_case(TALKS), ["--published", "04/03/2025"],
                        ["talks.txt", "04/03/2025"]),
    "bad language": (_case(TALKS), ["--language", "e n"], ["talks.txt", "--language"]),
    "missing file": (_case({}, given=["nope.txt"]), [], ["nope.txt", "not found"]),
    "a folder": (_case({"folder.txt": None}), [], ["folder.txt", "folder"]),
    "empty file": (_case({"empty.txt": b""}), [], ["empty.txt", "empty"]),
    "whitespace only": (_case({"blank.txt": " \n\t\n"}), [], ["blank.txt", "whitespace"]),
    "not UTF-8": (_case({"latin.txt": "Caf\xe9 talks\n\nMinisters met.\n".encode("cp1252")}),
                  [], ["latin.txt", "not valid UTF-8", "iconv"]),
    "same file twice": (_case(TALKS, given=["talks.txt", "talks.txt"]), [],
                        ["talks.txt", "given twice"]),
    "same bytes twice": (_case({"talks.txt": NOTE_TEXT, "copy.txt": NOTE_TEXT}), [],
                         ["copy.txt", "same article", "talks.txt"]),
    "same name twice": (_case({"talks.txt": NOTE_TEXT, "sub/talks.txt": OTHER_TEXT}), [],
                        ["sub/talks.txt", "written as talks.txt", "rename"]),
    "id in use": (_case(TALKS), ["--id", "art-0"], ["talks.txt", "art-0", "already used"]),
    "bad id": (_case(TALKS), ["--id", "Bad Id"], ["talks.txt", "Bad Id"]),
    "id for two files": (_case({"talks.txt": NOTE_TEXT, "treaty.txt": OTHER_TEXT}),
                         ["--id", "one"], ["talks.txt", "treaty.txt", "one FILE"]),
    "url for two files": (_case({"talks.txt": NOTE_TEXT, "treaty.txt": OTHER_TEXT}),
                          ["--url", "https://example.org"], ["talks.txt", "one FILE"]),
    "name taken by other bytes": (_case(TALKS, raw_files={"talks.txt": OTHER_TEXT}), [],
                                  ["talks.txt", "already exists"]),
    "name already listed": (_case({"a.txt": NOTE_TEXT}), [], ["a.txt", "already listed",
                                                                 "row 1"]),
    "bytes already listed": (_case({"again.txt": GOOD_TEXT}), [],
                             ["again.txt", "already in the corpus", "row 1", "art-0"]),
    "hidden name": (_case({".talks.txt": NOTE_TEXT}), [], [".talks.txt", "hidden"]),
    "the manifest's name": (_case({"manifest.csv": NOTE_TEXT}), [], ["manifest.csv",
                                                                     "manifest's"]),
    "backslash in name": (_case({"a\\..\\b.txt": NOTE_TEXT}), [], ["b.txt", "separator"]),
    "page without article": (_case({"menu.html": NAV_ONLY_PAGE}), [],
                             ["menu.html", "no article text"]),
    "article without body": (_case({"title.txt": "Only a title line here\n"}), [],
                             ["title.txt", "no body sentence", "nothing added"]),
    "manifest without sha256": (lambda t: (make_corpus(
        t, manifest="article_id,file,outlet,published\nart-0,a.txt,Outlet,2025-01-01\n"),
        [str(_write(t / "talks.txt", NOTE_TEXT))]), [], ["manifest.csv", "'sha256'"]),
    "manifest to fix": (_bad_manifest, [], ["manifest.csv", "duplicate", "fix the manifest"]),
    "no raw folder": (lambda t: (t / "none", [str(_write(t / "talks.txt", NOTE_TEXT))]), [],
                      ["none", "raw folder not found"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_names_the_file_and_writes_nothing(tmp_path, capsys, case):
    make, options, fragments = BAD_INPUTS[case]
    raw, files = make(tmp_path)
    argv = ["add", *files, "--outlet", "The Harbour Courier", "--published", "2025-03-04",
            "--raw", str(raw), *options]
    before = _snapshot(tmp_path)

    assert main(argv) == 2

    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines and all(line.startswith(("error: ", "warning: ")) for line in lines)
    errors = "\n".join(line for line in lines if line.startswith("error: "))
    for fragment in fragments:
        assert fragment in errors, (fragment, errors)
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("has_manifest", [True, False])
def test_a_failed_final_validation_rolls_everything_back(tmp_path, monkeypatch, capsys,
                                                         has_manifest):
    raw = make_corpus(tmp_path)
    if not has_manifest:
        (raw / "manifest.csv").unlink()
        (raw / "a.txt").unlink()
    files = [_write(tmp_path / "in" / "talks.txt", NOTE_TEXT),
             _write(tmp_path / "in" / "mission.html", PAGE)]
    before = _snapshot(tmp_path)
    seen = {}

    def failing_check(raw_dir):
        seen["files"] = sorted(_snapshot(Path(raw_dir)))
        raise InputError([f"{raw_dir}/talks.txt: made to fail"])

    monkeypatch.setattr(adding, "check_corpus", failing_check)

    assert _add(raw, *files) == 2

    assert {"manifest.csv", "talks.txt", "mission.txt", "mission.html"} <= set(seen["files"])
    assert _snapshot(tmp_path) == before
    err = capsys.readouterr().err
    assert "made to fail" in err and "nothing added" in err


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    from analysis.data import tables

    raw = make_corpus(tmp_path)
    files = [_write(tmp_path / "in" / "talks.txt", NOTE_TEXT),
             _write(tmp_path / "in" / "treaty.txt", OTHER_TEXT)]
    before = _snapshot(tmp_path)
    real_write = tables.write_bytes_atomic

    calls = []

    def write_then_fail_on_the_manifest(path, data):
        calls.append(Path(path).name)
        if calls.count("manifest.csv") == 1 and Path(path).name == "manifest.csv":
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(tables, "write_bytes_atomic", write_then_fail_on_the_manifest)

    with pytest.raises(OSError):
        adding.add_articles(raw, files, "Outlet", "2025-03-04")
    assert calls == ["talks.txt", "treaty.txt", "manifest.csv", "manifest.csv"]
    assert _snapshot(tmp_path) == before


def test_derived_ids_are_unique_and_short_enough():
    taken = {"kyiv-post-2025-03-04"}
    assert adding.derive_article_id("Kyiv Post", "2025-03-04", "x", taken) == \
        "kyiv-post-2025-03-04-2"
    long_id = adding.derive_article_id("A" * 80 + " Daily", "2025-03-04", "x", set())
    assert len(long_id) == 64 and long_id.endswith("-2025-03-04")
    assert adding.derive_article_id("Правда", "2025-03-04", "My File", set()) == "my-file"


def test_help_describes_add(capsys):
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    out = capsys.readouterr().out
    for option in ("--outlet", "--published", "--url", "--language", "--id", "--note",
                   "--raw", "trafilatura"):
        assert option in out
