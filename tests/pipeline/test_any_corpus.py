"""A whole run on a corpus without the seed articles: every notebook runs with its
default parameters and says what it compared; a notebook parameter set for one run."""

from __future__ import annotations

import json

import pytest

from analysis.__main__ import main

from factories import FIXTURES


def printed(notebook) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    # Printed lines, and the plain text of what cells return (the findings).
    return "".join("".join(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
                   for c in nb["cells"] if c["cell_type"] == "code"
                   for o in c.get("outputs", []))


@pytest.mark.slow
def test_run_on_a_corpus_without_the_seeds_chooses_and_states_what_it_compares(tmp_path,
                                                                                capsys):
    raw = FIXTURES / "trends"
    out = {"processed": tmp_path / "processed", "reports": tmp_path / "reports"}
    args = ["run", "--raw", str(raw), "--processed", str(out["processed"]),
            "--reports", str(out["reports"])]
    assert main(args) == 0, capsys.readouterr().err
    executed = out["reports"] / "notebooks"
    expected = ("Compared: tr-minerals (Weekly Example, 2025-02-26), the earliest article, "
                "and tr-berlin-talks (Weekly Example, 2025-12-14), the latest article.")
    for name in ("02_framing", "03_sentiment", "04_topics", "05_synthesis"):
        assert expected in printed(executed / f"{name}.ipynb"), name
    assert ("Compared periods: 2025-02 (1 article), the earliest with articles, and 2025-12 "
            "(1 article), the latest.") in printed(executed / "06_coverage_over_time.ipynb")
    # One notebook again with a chosen pair, set on the command line, not in the notebook.
    assert not (out["reports"] / "tables").exists() or not any(
        (out["reports"] / "tables").iterdir())  # 5 articles: every table shown whole
    assert main([*args, "--notebook", "02_framing", "-n", "article_a=tr-grain",
                 "-n", "article_b=tr-air-defence", "-n", "max_rows=2"]) == 0
    assert ("Compared: tr-grain (Daily Sample, 2025-06-02), given, and tr-air-defence "
            "(Daily Sample, 2025-06-20), given.") in printed(executed / "02_framing.ipynb")
    # Tables longer than max_rows: the first rows shown, the whole table published and
    # linked from the page.
    whole = (out["reports"] / "tables" / "02_articles.csv").read_text(encoding="utf-8")
    assert whole.count("\n") == 6 and whole.splitlines()[1].startswith("tr-grain,A,")
    page = (out["reports"] / "html" / "02_framing.html").read_text(encoding="utf-8")
    assert "../tables/02_articles.csv" in page
    # A value a notebook refuses is bad input (exit 2, naming notebook and value), and
    # the run publishes nothing.
    before = {p: p.read_bytes() for p in out["reports"].rglob("*") if p.is_file()
              and "runs" not in p.parts}
    capsys.readouterr()
    assert main([*args, "--notebook", "02_framing", "-n", "article_a=nope"]) == 2
    refused = capsys.readouterr().err
    assert "notebook 02_framing failed" in refused and "article id 'nope'" in refused
    assert {p: p.read_bytes() for p in out["reports"].rglob("*") if p.is_file()
            and "runs" not in p.parts} == before
    assert main([*args, "-n", "article_x=1"]) == 2
    assert "no notebook declares a parameter 'article_x'" in capsys.readouterr().err
