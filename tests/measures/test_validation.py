"""Tests for analysis.measures.validation: keys, codes, coding sheets and scores.

The articles here are written for these tests; real texts never enter the repository.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.data import tables
from analysis.errors import InputError
from analysis.measures import framing, validation
from analysis.views import validation_report

from factories import ROOT, sentences_table

SOURCES_HEADER = "article_id,url,outlet,published,title,topic,split\n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_sentence_key_ignores_typography_case_and_spacing():
    key = validation.sentence_key("Europe\u2019s  \u201cbackstop\u201d for Kyiv.")
    assert key == validation.sentence_key("europe's \"backstop\" for kyiv.")
    assert key == validation.sentence_key("Europe&#8217;s \"backstop\" for Kyiv.")
    assert key != validation.sentence_key("Europe's backstop for Kyiv.")
    assert len(key) == 16 and int(key, 16) >= 0


def test_coding_sheet_is_blind_and_keyed():
    sentences = sentences_table("Britain will send troops to Ukraine as a guarantee.")
    sheet = validation.coding_sheet(sentences)
    assert list(sheet.columns) == list(validation.SHEET_COLUMNS)
    assert sheet["sentence_key"].tolist() == [validation.sentence_key(sentences["text"][0])]
    assert (sheet[["guarantor", "form", "frames", "quote_speaker"]] == "").all().all()


@pytest.fixture
def validation_set(tmp_path):
    """Two coded articles (one off-topic), their processed tables and the codes."""
    on = sentences_table(
        "Britain will send troops to Ukraine as a security guarantee.",
        "Kyiv insists on a binding US security guarantee.",
        "The talks ended late on Monday.",
        article_id="on1")
    off = sentences_table("The league final was played in heavy rain.", article_id="off1")
    sentences = pd.concat([on, off], ignore_index=True)
    processed = tmp_path / "processed"
    processed.mkdir()
    tables.write_table(sentences, "sentences", processed)
    tables.write_table(framing.guarantee_mentions(sentences), "guarantee_mentions", processed)
    tables.write_table(framing.generic_frames(sentences), "frames", processed)
    tables.write_table(framing.extract_quotes(sentences), "quotes", processed)
    folder = tmp_path / "validation"
    folder.mkdir()
    write(folder / "sources.csv", SOURCES_HEADER
          + "on1,https://example.org/a,Example,2025-03-01,A,on,dev\n"
          + "off1,https://example.org/b,Example,2025-03-02,B,off,dev\n")
    key = [validation.sentence_key(t) for t in sentences["text"]]
    write(folder / "codes.csv", "article_id,sentence_key,guarantor,form,frames,quote_speaker\n"
          f"on1,{key[0]},europe:asserted,troop_deployment:asserted,,\n"
          # The coder also sees a demanded guarantee that the rules may or may not find.
          f"on1,{key[1]},united_states:demanded; !europe:asserted,,,\n"
          f"on1,{key[2]},,,,\n"
          f"off1,{key[3]},,,,\n")
    return processed, folder


def test_score_counts_matches_misses_and_false_labels(validation_set):
    processed, folder = validation_set
    scores, _ = validation.score_processed(processed, folder, ["dev"])
    dev = scores["dev"]
    assert (dev.n_articles, dev.n_sentences, dev.n_missing) == (2, 4, 0)
    # Coded: europe, troop_deployment, united_states, !europe. The rules find the first
    # three; "!europe" (written into the codes, absent from the sentence) is missed.
    assert (dev.overall["recall"].hits, dev.overall["recall"].n) == (3, 4)
    assert dev.negated_recall.n == 1 and dev.negated_recall.hits == 0
    assert dev.europe_recall.n == 2 and dev.europe_recall.hits == 1
    assert dev.off_topic_labels.hits == 0
    assert dev.dominant["guarantor"].n == 1
    # Every matched label's modality agrees with the code.
    assert dev.modality_agreement.hits == dev.modality_agreement.n == 3


def test_report_and_scores_table_show_every_measure_with_its_count(validation_set):
    processed, folder = validation_set
    scores, parts = validation.score_processed(processed, folder, ["dev"])
    table = validation_report.scores_table(scores)
    recall = table[table["measure"] == "sentence level recall"].iloc[0]
    assert (recall["hits"], recall["n"], recall["value"]) == (3, 4, 0.75)
    assert recall["low"] < 0.75 < recall["high"]
    report = validation_report.report_markdown(scores, parts, "python -m analysis x")
    assert "| sentence level recall |  | 0.75 [" in report
    assert "(3/4)" in report


def test_keyword_baseline_tags_every_name_in_a_topical_sentence():
    baseline = validation.keyword_baseline(sentences_table(
        "Russia rejects any European troops in Ukraine.",
        "Russia and Europe traded goods."))
    assert set(zip(baseline["sentence_id"], baseline["label"], strict=True)) == {
        (0, "russia"), (0, "europe"), (0, "ukraine"), (0, "troop_deployment")}


@pytest.mark.parametrize("cell, problem", [
    ("europe", "is not [!]label:modality"),
    ("germany:asserted", "label 'germany' not in"),
    ("europe:maybe", "modality 'maybe' not in"),
])
def test_bad_codes_name_the_row(tmp_path, cell, problem):
    sources = validation.read_sources(write(
        tmp_path / "sources.csv", SOURCES_HEADER + "a1,u,O,2025-01-01,T,on,dev\n"))
    codes = write(tmp_path / "codes.csv", "article_id,sentence_key,guarantor,form,frames,"
                  f"quote_speaker\na1,0123456789abcdef,{cell},,,\n")
    with pytest.raises(InputError) as error:
        validation.read_codes(codes, sources)
    assert any("codes.csv row 2" in p and problem in p for p in error.value.problems)


def test_cli_scores_a_folder_and_exits_2_on_bad_codes(validation_set, tmp_path, capsys):
    processed, folder = validation_set
    out = tmp_path / "report"
    assert main(["framing-validation", "score", "--processed", str(processed),
                 "--validation", str(folder), "--out", str(out)]) == 0
    assert "sentence level recall" in (out / "framing.md").read_text(encoding="utf-8")
    scores = pd.read_csv(out / "framing_scores.csv")
    assert set(scores["split"]) == {"dev"}
    write(folder / "codes.csv", "article_id,sentence_key,guarantor,form,frames,quote_speaker\n"
          "zz,0123456789abcdef,,,,\n")
    assert main(["framing-validation", "score", "--processed", str(processed),
                 "--validation", str(folder), "--out", str(out)]) == 2
    assert "row 2: article_id 'zz' is not in sources.csv" in capsys.readouterr().err


def test_read_scores_round_trips_the_table_and_findings_quote_it(validation_set, tmp_path):
    processed, folder = validation_set
    scores, _ = validation.score_processed(processed, folder, ["dev"])
    path = tmp_path / "framing_scores.csv"
    validation_report.scores_table(scores).to_csv(path, index=False)
    table = validation_report.read_scores(path)
    overview = validation_report.scores_overview(table)
    assert list(overview.columns) == ["measure", "target", "dev"]
    findings = validation_report.validation_findings(table)
    assert "recall 0.75 [" in findings[0] and "(3/4)" in findings[0]
    assert "dev part" in findings[0]


def test_missing_scores_are_said_not_invented(tmp_path):
    assert validation_report.read_scores(tmp_path / "absent.csv") is None
    assert validation_report.scores_overview(None).empty
    assert "not known" in validation_report.validation_findings(None)[0]
    (tmp_path / "bad.csv").write_text("split,measure\ndev,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns"):
        validation_report.read_scores(tmp_path / "bad.csv")


def test_cli_names_a_missing_or_outdated_processed_folder_and_writes_nothing(
        validation_set, tmp_path, capsys):
    processed, folder = validation_set
    out = tmp_path / "report"
    args = ["framing-validation", "score", "--validation", str(folder), "--out", str(out)]
    assert main([*args, "--processed", str(tmp_path / "absent")]) == 2
    assert "absent/sentences.csv" in capsys.readouterr().err
    # A folder built before guarantee_mentions had its modality column.
    old = pd.read_csv(processed / "guarantee_mentions.csv").drop(columns="modality")
    old.to_csv(processed / "guarantee_mentions.csv", index=False)
    assert main([*args, "--processed", str(processed)]) == 2
    assert "guarantee_mentions.csv" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
    assert main(["framing-validation", "sheet", "--processed", str(tmp_path / "absent"),
                 "--out", str(tmp_path / "sheet.csv")]) == 2
    assert not (tmp_path / "sheet.csv").exists()


def test_a_second_coder_is_scored_against_the_first_beside_the_rules(validation_set):
    processed, folder = validation_set
    codes = (folder / "codes.csv").read_text(encoding="utf-8").splitlines()
    # The second coder codes article on1 again: agrees on the first sentence, codes the
    # second without the "!europe" of the first coder, and sees a frame on the third.
    second = [codes[0], codes[1], codes[2].replace("; !europe:asserted", ""),
              codes[3].replace(",,,,", ",,,conflict,")]
    write(folder / validation.AGREEMENT_FILE, "\n".join(second) + "\n")
    scores, parts = validation.score_processed(processed, folder, ["dev"])
    coders_part, rules_part = validation.coders_part("dev"), validation.rules_on_coders_part("dev")
    assert list(scores) == ["dev", coders_part, rules_part]
    coders = scores[coders_part]
    assert set(parts[coders_part]["article_id"]) == {"on1"}
    assert coders.n_sentences == 3
    # First coder: europe, troop_deployment, united_states, !europe; the second has 3 of 4.
    assert (coders.overall["recall"].hits, coders.overall["recall"].n) == (3, 4)
    assert (coders.overall["precision"].hits, coders.overall["precision"].n) == (3, 3)
    assert (coders.frames["precision"].hits, coders.frames["precision"].n) == (0, 1)
    rules = scores[rules_part]
    assert rules.overall["recall"].n == 4 and rules.n_sentences == 3
    table = validation_report.scores_table(scores)
    report = validation_report.report_markdown(scores, parts, "python -m analysis x")
    assert f"| {coders_part} | 1 | 1 | 0 |" in report
    findings = validation_report.validation_findings(table)
    assert "On the dev texts that a second coder" in findings[-1]
    assert "second coder agrees with the first at sentence-level F1 0.86" in findings[-1]


def test_findings_quote_the_latest_held_out_part():
    rows = [(split, measure, value)
            for split, value in (("dev", 0.5), ("test", 0.6), ("test2", 0.7))
            for measure in ("sentence level precision", "sentence level recall",
                            "guarantor recall", "negated-label recall",
                            "dominant guarantor right (articles)")]
    table = pd.DataFrame(rows, columns=["split", "measure", "value"]).assign(
        target=float("nan"), hits=7, n=10, low=0.4, high=0.9)
    f1_rows = pd.DataFrame(
        [(split, measure, 0.65, float("nan"), 7, 10, float("nan"), float("nan"))
         for split in ("dev", "test", "test2")
         for measure in ("sentence level F1", "guarantor F1", "keyword baseline: guarantor F1")],
        columns=["split", "measure", "value", "target", "hits", "n", "low", "high"])
    findings = validation_report.validation_findings(pd.concat([table, f1_rows]))
    assert "held-out part test2" in findings[0] and "precision is 0.70" in findings[0]


def test_the_cli_scores_the_parts_asked_for_and_names_a_wrong_one(validation_set, tmp_path,
                                                                  capsys):
    processed, folder = validation_set
    out = tmp_path / "report"
    for split in ("dev", "all", "dev,dev"):
        assert main(["framing-validation", "score", "--processed", str(processed),
                     "--validation", str(folder), "--out", str(out), "--split", split]) == 0
        assert set(pd.read_csv(out / "framing_scores.csv")["split"]) == {"dev"}
    # A part the set has no texts of, or no part at all, is named; exit status 2.
    for split, problem in (("test", "no texts in part(s) ['test']"),
                           ("both", "unknown part(s) ['both']")):
        assert main(["framing-validation", "score", "--processed", str(processed),
                     "--validation", str(folder), "--out", str(out), "--split", split]) == 2
        assert problem in capsys.readouterr().err


def test_the_committed_validation_set_reads_and_its_second_codes_are_of_coded_sentences():
    folder = ROOT / "validation" / "framing"
    sources = validation.read_sources(folder / "sources.csv")
    assert set(sources["split"]) <= set(validation.SPLITS)
    coded, _ = validation.read_codes(folder / "codes.csv", sources)
    second, _ = validation.read_codes(folder / validation.AGREEMENT_FILE, sources)
    first_keys = set(zip(coded["article_id"], coded["sentence_key"], strict=True))
    assert set(zip(second["article_id"], second["sentence_key"], strict=True)) <= first_keys
    # Every text has codes; no text is in two parts.
    assert set(coded["article_id"]) == set(sources["article_id"])
    assert sources["article_id"].is_unique


def test_only_the_parts_scored_need_their_texts(validation_set, capsys):
    processed, folder = validation_set
    # A held-out part whose texts are not collected yet does not stop scoring dev ...
    with (folder / "sources.csv").open("a", encoding="utf-8") as sources:
        sources.write("new1,https://example.org/c,Example,2025-03-03,C,on,test3\n")
    with (folder / "codes.csv").open("a", encoding="utf-8") as codes:
        codes.write("new1,0123456789abcdef,europe:asserted,,,\n")
    scores, _ = validation.score_processed(processed, folder, ["dev"])
    assert list(scores) == ["dev"]
    # ... but scoring it names the texts to collect, with exit status 2.
    assert main(["framing-validation", "score", "--processed", str(processed),
                 "--validation", str(folder), "--split", "test3"]) == 2
    assert "no sentences of 1 validation articles, e.g. ['new1']" in capsys.readouterr().err
