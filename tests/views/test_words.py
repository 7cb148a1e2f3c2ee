"""Labels and column names in words on pages; the tables keep the contract's labels."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.views import plotting, report
from analysis.views.words import column_words, label_words, labels_in_words


@pytest.mark.parametrize("text, expected", [
    ("most affirmed form: collective_defense (6 sentences)",
     "most affirmed form: collective defence (6 sentences)"),
    ("europe, nato and ukraine; russia", "Europe, NATO and Ukraine; Russia"),
    ("it rules out united_states.", "it rules out United States."),
    ("(economic_stake)", "(economic stake)"),
    # Identifiers, file names and parameters stay as written.
    ("topics.n_seeds", "topics.n_seeds"),
    ("united_states_share", "united_states_share"),
    ("02_economic_stake.png", "02_economic_stake.png"),
    ("-n article_a=europe", "-n article_a=europe"),
    ("see europe.eu", "see europe.eu"),
])
def test_labels_in_words_replaces_whole_labels_only(text, expected):
    assert labels_in_words(text) == expected


def test_running_text_keeps_its_single_words():
    quoted = "a nato summit in europe on military_aid"
    assert labels_in_words(quoted, single_words=False) == "a nato summit in europe on military aid"


def test_label_and_column_words():
    assert label_words("troop_deployment") == "troop deployment"
    assert label_words("ked-2025-02-27") == "ked-2025-02-27"
    assert column_words("n_sentences") == "n sentences"


def test_show_table_shows_words_and_keeps_the_whole_table_as_it_is(tmp_path):
    table = pd.DataFrame({"label": ["europe", "collective_defense", "other"],
                          "quote": ["nato said", "on military_aid", "<b>x</b>"],
                          "n_sentences": [3, 2, 1]})
    shown = plotting.show_table(table, max_rows=2, full=tmp_path / "t.csv").data
    assert "<th>n sentences</th>" in shown and "<td>Europe</td>" in shown
    assert "<td>collective defence</td>" in shown and "<td>nato said</td>" in shown
    assert 'style="text-align: left;"' in shown
    assert (tmp_path / "t.csv").read_text("utf-8").splitlines()[:2] == [
        "label,quote,n_sentences", "europe,nato said,3"]
    assert table["label"].tolist() == ["europe", "collective_defense", "other"]


def test_show_findings_is_an_escaped_list_and_plain_lines():
    found = plotting.show_findings(["Dominant guarantor: united_states <b>", "Second."])
    assert found._repr_html_().splitlines()[1:5] == [
        '<ul class="analysis-findings">', "<li>Dominant guarantor: United States &lt;b&gt;</li>",
        "<li>Second.</li>", "</ul>"]
    assert repr(found) == "- Dominant guarantor: united_states <b>\n- Second."


def _articles(outlets, languages):
    n = len(outlets)
    return pd.DataFrame({"outlet": outlets, "language": languages,
                         "published": [f"2025-0{i + 1}-01" for i in range(n)],
                         "n_sentences": [10] * n, "n_words": [100] * n})


def test_corpus_line_names_few_outlets_and_counts_many():
    assert report.corpus_line(_articles(["B", "A"], ["en", "en"])) == (
        "The corpus holds 2 articles from A and B, published 2025-01-01 to 2025-02-01: "
        "20 sentences and 200 word tokens.")
    many = report.corpus_line(_articles(["A", "B", "C", "D", "D"],
                                        ["en", "de", "uk", "de", "en-GB"]))
    assert many.startswith("The corpus holds 5 articles from 4 outlets, published 2025-01-01")
    assert many.endswith("Not in English: 2 articles in de and 1 article in uk.")
    assert report.corpus_line(_articles([], [])) == "The corpus holds no article."
