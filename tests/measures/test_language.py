"""The manifest's ``language`` honoured: the English-only measures (guarantee rules, frames,
quotes, both sentiment lexicons) give no rows for an article in another language, never a
neutral 0, and words are counted in every script.

The articles are written for these tests.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import tables
from analysis.data.corpus import build_corpus_tables
from analysis.data.text import english_rows, is_english, tokenize
from analysis.measures import framing
from analysis.measures.sentiment import score_sentences

from factories import make_corpus

ENGLISH = (
    "Allies weigh a guarantee\n"
    "\n"
    "The United States offered Ukraine a security guarantee modelled on NATO's Article "
    "5, officials said on Tuesday.\n"
    "\n"
    "\"This is a good and fair offer,\" Zelensky said, while the talks stayed tense.\n"
)
# The same report in Ukrainian: the English rules would find nothing in it, and the
# lexicons would score each sentence a neutral 0.
UKRAINIAN = (
    "Союзники обговорюють гарантії\n"
    "\n"
    "Сполучені Штати запропонували Україні гарантію безпеки за зразком статті 5 НАТО, "
    "заявили посадовці у вівторок.\n"
    "\n"
    "\"Це добра і чесна пропозиція\", сказав Зеленський, хоча переговори залишалися "
    "напруженими.\n"
)
KOREAN = (
    "동맹국들 안보 보장 논의\n"
    "\n"
    "미국은 나토 제5조를 본뜬 안보 보장을 우크라이나에 제안했다고 관리들이 화요일 밝혔다.\n"
    "\n"
    "젤렌스키 대통령은 \"좋고 공정한 제안\"이라고 말했지만 협상은 여전히 팽팽했다.\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    files = {"en.txt": ENGLISH, "uk.txt": UKRAINIAN, "ko.txt": KOREAN, "en2.txt": ENGLISH}
    rows = ["en,en.txt,Outlet,2025-01-01,,,,", "uk,uk.txt,Outlet,2025-01-02,,uk,,",
            "ko,ko.txt,Outlet,2025-01-03,,ko-KR,,",
            # The English text, but its row says Ukrainian: the row decides.
            "en-as-uk,en2.txt,Outlet,2025-01-04,,uk,,"]
    raw = make_corpus(tmp_path_factory.mktemp("languages"), files, rows)
    return build_corpus_tables(raw)


def test_sentences_carry_their_articles_language(built):
    articles, sentences = built
    assert dict(zip(articles["article_id"], articles["language"], strict=True)) == {
        "en": "en", "uk": "uk", "ko": "ko-KR", "en-as-uk": "uk"}
    by_article = sentences.groupby("article_id")["language"].unique().map(list).to_dict()
    assert by_article == {"en": ["en"], "uk": ["uk"], "ko": ["ko-KR"], "en-as-uk": ["uk"]}


@pytest.mark.parametrize("measure", [
    framing.guarantee_mentions, framing.generic_frames, framing.extract_quotes,
    score_sentences,
], ids=["guarantee_mentions", "frames", "quotes", "sentiment"])
def test_english_only_measures_give_no_rows_for_other_languages(built, measure):
    _, sentences = built
    table = measure(sentences)
    assert set(table["article_id"]) == {"en"}
    # The English article's rows are those it gets alone.
    alone = measure(sentences.loc[sentences["article_id"] == "en"])
    pd.testing.assert_frame_equal(table, alone)


def test_no_sentence_of_another_language_is_scored_neutral(built):
    _, sentences = built
    scores = score_sentences(sentences)
    assert len(scores) == (sentences["article_id"] == "en").sum()
    assert not (scores["vader_compound"] == 0).all()


def test_summaries_leave_other_languages_out_instead_of_counting_zeros(built):
    _, sentences = built
    mentions = framing.guarantee_mentions(sentences)
    frames = framing.generic_frames(sentences)
    summary = framing.guarantee_summary(mentions, sentences)
    shares = framing.frame_shares(frames, sentences)
    dominant = framing.dominant_labels(mentions, sentences)
    for table in (summary, shares, dominant):
        assert set(table["article_id"]) == {"en"}


def test_words_of_every_script_are_counted(built):
    articles, _ = built
    n_words = dict(zip(articles["article_id"], articles["n_words"], strict=True))
    assert n_words["en"] == n_words["en-as-uk"] == 35
    # Before, only the digit "5" counted as a word in either.
    assert n_words["uk"] == 29
    assert n_words["ko"] == 25


@pytest.mark.parametrize(("text", "tokens"), [
    ("Україна хоче гарантій", ["україна", "хоче", "гарантій"]),
    ("한국 경제 신문", ["한국", "경제", "신문"]),
    ("Déjà vu, naïve café", ["déjà", "vu", "naïve", "café"]),
    ("Zelens\u00adkyy's U.S.-led plan", ["zelenskyy", "u.s.", "led", "plan"]),
    ("हिन्दी समाचार", ["हिन्दी", "समाचार"]),
])
def test_tokens_are_words_of_any_script(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize(("language", "english"), [
    ("en", True), ("EN", True), ("en-GB", True), ("en_US", True), ("eng", True),
    ("English", True), ("", True), (None, True), (float("nan"), True),
    ("uk", False), ("ko-KR", False), ("de", False), ("enm", False),
])
def test_is_english(language, english):
    assert is_english(language) is english


def test_sentences_without_a_language_column_are_english():
    frame = pd.DataFrame({"article_id": ["a", "b"], "text": ["x", "y"]})
    assert english_rows(frame).tolist() == [True, True]
    with_language = frame.assign(language=["en-GB", "uk"])
    assert english_rows(with_language).tolist() == [True, False]


def test_a_sentences_table_built_before_the_language_column_reads_as_english(tmp_path):
    old = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "section": ["body"],
                        "paragraph_id": [0], "start": [0], "end": [4], "text": ["Text"]})
    (tmp_path / "sentences.csv").write_text(old.to_csv(index=False), encoding="utf-8")
    read = tables.read_table("sentences", tmp_path)
    assert read.columns.tolist() == list(tables.spec_for("sentences").columns)
    assert read["language"].tolist() == ["en"]
    # Any other missing column is still refused.
    with pytest.raises(ValueError, match="missing columns \\['text'\\]"):
        tables.conform(old.drop(columns="text"), "sentences")


def test_corpus_wide_steps_compare_and_fit_english_sentences_only(built):
    from analysis.pipeline import params, steps

    _, sentences = built
    # A second English article, so that English terms have a rest to be compared with.
    other = sentences[sentences["article_id"] == "en"].assign(
        article_id="en-b", text=lambda frame: frame["text"].str.replace("Tuesday", "Friday"))
    sentences = pd.concat([sentences, other], ignore_index=True)
    terms = steps.run_steps({"sentences": sentences}, {},
                            [steps.producers()["distinctive_terms"]])["distinctive_terms"]
    assert set(terms["article_id"]) == {"en", "en-b"}
    assert set(terms.loc[terms["article_id"] == "en-b", "term"]) >= {"friday"}
    topic_params = params.read_params()["topics"]
    assert set(steps.topic_sentences(sentences, topic_params)["article_id"]) == {"en", "en-b"}
    english = sentences[sentences["article_id"] == "en"]
    # All English: the step hands on the table itself, so a fit to every sentence is
    # told from a fit to a sample.
    assert steps.topic_sentences(english, {**topic_params, "max_sentences": None}) is english
