"""The command line: exit status 2 with a line per problem, and nothing already written lost."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.__main__ import main
from analysis.data import corpus
from analysis.data.corpus import validate as corpus_validate
from analysis.errors import InputError
from analysis.pipeline import build

from factories import GOOD_TEXT, ROOT, SEED_RAW, make_corpus

SIX_MB = b"A title\n" + b"word " * (6 * 1024 * 1024 // 5)


def _row(article_id="a", file="a.txt", published="2025-01-01", sha256=""):
    return f"{article_id},{file},Outlet,{published},,,{sha256},"


def _outside_symlink(tmp_path: Path) -> Path:
    outside = tmp_path / "outside.txt"
    outside.write_text(GOOD_TEXT)
    raw = make_corpus(tmp_path, files={}, rows=[_row(file="link.txt")])
    (raw / "link.txt").symlink_to(outside)
    return raw


# Each case: how to make the bad corpus, and what the error line must contain.
BAD_CORPORA = {
    "missing manifest": (lambda t: make_corpus(t).joinpath("manifest.csv").unlink()
                         or t / "raw", ["manifest.csv"]),
    "missing required column": (lambda t: make_corpus(
        t, manifest="article_id,file,published\na,a.txt,2025-01-01\n"), ["manifest.csv", "outlet"]),
    "duplicate article_id": (lambda t: make_corpus(
        t, rows=[_row(), _row()]), ["row 2", "duplicate"]),
    "bad id": (lambda t: make_corpus(t, rows=[_row(article_id="Bad Id!")]), ["row 1", "Bad Id!"]),
    "missing file": (lambda t: make_corpus(t, rows=[_row(file="nope.txt")]), ["nope.txt"]),
    "absolute path": (lambda t: make_corpus(t, rows=[_row(file="/etc/passwd")]), ["/etc/passwd"]),
    "path with ..": (lambda t: make_corpus(t, rows=[_row(file="../a.txt")]), ["../a.txt"]),
    "symlink out of raw": (_outside_symlink, ["link.txt"]),
    "not UTF-8": (lambda t: make_corpus(t, files={"a.txt": b"Title\nBad \xff byte.\n"}),
                  ["a.txt", "UTF-8", "line 2"]),
    "whitespace only": (lambda t: make_corpus(t, files={"a.txt": " \n\t\n"}), ["a.txt", "empty"]),
    "no sentence": (lambda t: make_corpus(t, files={"a.txt": "---\n...\n"}), ["a.txt", "sentence"]),
    "over 5 MB": (lambda t: make_corpus(t, files={"a.txt": SIX_MB}), ["a.txt", "MB"]),
    "bad date": (lambda t: make_corpus(t, rows=[_row(published="2025-02-30")]), ["2025-02-30"]),
    "sha256 mismatch": (lambda t: make_corpus(t, rows=[_row(sha256="0" * 64)]),
                        ["a.txt", "sha256"]),
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("case", sorted(BAD_CORPORA))
@pytest.mark.parametrize("command", ["validate", "build", "run"])
def test_bad_input_exits_2_names_the_problem_and_writes_nothing(tmp_path, capsys, case, command):
    make_bad, fragments = BAD_CORPORA[case]
    raw = make_bad(tmp_path)
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "articles.csv").write_text("previous good output\n")
    before = _snapshot(tmp_path)

    # Each command takes only the folders it uses (validate reads raw alone).
    folders = {"validate": [], "build": ["--processed", str(processed)],
               "run": ["--processed", str(processed), "--reports", str(tmp_path / "reports")]}
    status = main([command, "--raw", str(raw), *folders[command]])

    err = capsys.readouterr().err
    assert status == 2
    error_lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert any(all(f in line for f in fragments) for line in error_lines), err
    assert _snapshot(tmp_path) == before
    assert not [p for p in tmp_path.rglob(".publish*")]


def test_unlisted_file_is_a_warning_not_an_error(tmp_path, capsys):
    raw = make_corpus(tmp_path)
    (raw / "stray.txt").write_text(GOOD_TEXT)
    assert main(["validate", "--raw", str(raw)]) == 0
    assert "warning:" in capsys.readouterr().err


def test_build_writes_every_table_and_is_byte_stable(tmp_path):
    processed = tmp_path / "processed"
    assert main(["build", "--raw", str(SEED_RAW), "--processed", str(processed)]) == 0
    first = _snapshot(processed)
    assert {"articles.csv", "sentences.csv", "guarantee_mentions.csv", "frames.csv", "quotes.csv",
            "sentiment.csv", "distinctive_terms.csv", "README.md"} <= set(first)
    assert main(["build", "--raw", str(SEED_RAW), "--processed", str(processed)]) == 0
    assert _snapshot(processed) == first


def test_build_reads_and_hashes_the_corpus_once_and_still_warns(tmp_path, capsys,
                                                                monkeypatch):
    raw = make_corpus(tmp_path)
    (raw / "stray.txt").write_text(GOOD_TEXT)
    validated = []
    validate = corpus.validate_corpus
    monkeypatch.setattr(corpus_validate, "validate_corpus",
                        lambda raw_dir: validated.append(raw_dir) or validate(raw_dir))
    processed = tmp_path / "processed"
    assert main(["build", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert len(validated) == 1
    assert "stray.txt" in capsys.readouterr().err
    # The tables do not depend on who checked the corpus.
    unchecked = tmp_path / "unchecked"
    build.build_tables(raw, unchecked)
    assert _snapshot(processed) == _snapshot(unchecked)


def test_help_lists_the_subcommands():
    result = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True,
                            text=True, check=True, env={**os.environ, "COLUMNS": "200"})
    for command in ("validate", "build", "run"):
        assert command in result.stdout



def test_run_all_on_a_bad_corpus_writes_nothing(tmp_path):
    # The build fails first: no kernel starts and nothing is written.
    raw = make_corpus(tmp_path, rows=[_row(published="2025-02-30")])
    nb = new_notebook(cells=[new_code_cell('processed_dir = "../processed"'),
                             new_code_cell("import pandas as pd"),
                             new_code_cell('pd.read_csv(processed_dir + "/articles.csv")')])
    nb.cells[0].metadata.tags = ["parameters"]
    nb.metadata.kernelspec = {"name": "analysis", "display_name": "Python 3 (analysis)",
                              "language": "python"}
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "01_read.ipynb")
    before = _snapshot(tmp_path)
    with pytest.raises(InputError, match="2025-02-30"):
        build.run_all(raw, tmp_path / "processed", tmp_path / "reports",
                      notebooks_dir=tmp_path / "notebooks")
    assert _snapshot(tmp_path) == before
    assert not [p for p in tmp_path.rglob(".publish*")]


def test_agreement_prints_alpha_and_scores_and_writes_them_on_request(tmp_path, capsys):
    assert main(["agreement", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Krippendorff's alpha (nominal):" in out and "tool vs project-reference" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "agreement_alpha.csv", "agreement_disagreements.csv", "agreement_scores.csv"]
    assert main(["agreement", "--coding", str(tmp_path)]) == 2
    assert "no coders.csv" in capsys.readouterr().err


def test_run_refuses_a_coding_folder_that_does_not_exist(tmp_path, capsys):
    raw = make_corpus(tmp_path)
    assert main(["run", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--reports",
                 str(tmp_path / "r"), "--coding", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_agreement_on_a_bad_sheet_exits_2_naming_the_row(tmp_path, capsys):
    coding = tmp_path / "coding"
    shutil.copytree(ROOT / "data" / "coding", coding)
    sheet = coding / "seeds_reference.csv"
    lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    sheet.write_text("".join([*lines, lines[3]]), encoding="utf-8")  # row 4 again at the end
    assert main(["agreement", "--coding", str(coding)]) == 2
    assert f"{sheet} row {len(lines) + 1}: sentence ked-2025-02-27/2 is also row 4" in (
        capsys.readouterr().err)


def test_codesheet_and_agreement_never_write_into_the_raw_folders(capsys):
    before = _snapshot(ROOT / "data")
    assert main(["codesheet", "--n", "3", "--seed", "0", "--out",
                 str(ROOT / "data" / "raw" / "sheet.csv")]) == 2
    assert main(["agreement", "--out", str(ROOT / "data" / "coding")]) == 2
    assert capsys.readouterr().err.count("which is never written") == 2
    assert _snapshot(ROOT / "data") == before


def test_help_offers_only_the_folders_a_command_uses(capsys):
    for command, offered, absent in (("validate", ["--raw"], ["--processed", "--reports"]),
                                     ("build", ["--raw", "--processed"], ["--reports"])):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
        shown = capsys.readouterr().out
        assert all(option in shown for option in offered)
        assert not any(option in shown for option in absent), (command, shown)


def test_score_writes_no_progress_bar_into_a_log(tmp_path, capsys):
    raw = make_corpus(tmp_path, {"a.txt": GOOD_TEXT, "b.txt": GOOD_TEXT.replace("first",
                                                                             "opening")})
    assert main(["score", "--raw", str(raw), "--out", str(tmp_path / "scored"),
                 "--workers", "1"]) == 0
    said = capsys.readouterr()
    # pytest's captured stderr is not a terminal, as a CI log is not: plain lines.
    assert "\r" not in said.err
    assert re.search(r"^score: (\d+) of \1 tasks done \(100%\) after \d+ s$", said.err,
                     re.MULTILINE), said.err
    assert "scored 2 articles" in said.out + said.err
