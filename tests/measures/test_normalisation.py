"""Text normalised for matching: an article spelt with invisible characters or typographic
variants gets the same sentences, labels, frames, quotes, sentiment and words as the same
article spelt plainly, while its sentences keep their raw text and exact offsets.

The article is written for these tests; each variant changes only how it is spelt.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from analysis.data.corpus import build_corpus_tables, read_article_text
from analysis.data.text import matching_text, tokenize
from analysis.measures import framing
from analysis.measures.sentiment import score_sentences

from factories import make_corpus

PLAIN = (
    "Kyiv asks for a security guarantee\n"
    "\n"
    "Officials in Kyiv said on Monday that the United States proposed a security "
    "guarantee for Ukraine similar to NATO's Article 5.\n"
    "\n"
    "\"We welcome this good and generous offer,\" Zelensky said after the talks.\n"
    "\n"
    "European states would send troops under an Article-5-like arrangement, but Russia "
    "did not accept any foreign troops in Ukraine.\n"
    "\n"
    "The talks were tense, the two sides disputed the cost of the mission, and the losses "
    "of the war remained a terrible burden for families.\n"
)


def _inside(word: str, mark: str) -> callable:
    """Put ``mark`` after the first letter of each occurrence of ``word``."""
    return lambda text: text.replace(word, word[0] + mark + word[1:])


# Each variant spells the article differently but reads the same.
VARIANTS = {
    "zero-width space after words": lambda t: t.replace("States ", "States\u200b ")
    .replace("security ", "security\u200b "),
    "zero-width space inside words": _inside("guarantee", "\u200b"),
    "soft hyphen inside words": lambda t: _inside("security", "\u00ad")(
        _inside("troops", "\u00ad")(t)),
    "zero-width joiner and non-joiner": lambda t: _inside("Zelensky", "\u200d")(
        _inside("welcome", "\u200c")(t)),
    "word joiner": _inside("United", "\u2060"),
    "byte order mark": lambda t: "\ufeff" + _inside("generous", "\ufeff")(t),
    "bidirectional marks": lambda t: _inside("guarantee", "\u200e")(
        _inside("families", "\u200f")(_inside("good", "\u200e")(t))),
    "bidirectional isolates": lambda t: t.replace("Zelensky", "Zel\u2068ensky\u2069")
    .replace("troops", "tro\u2066ops\u2069").replace("cost", "c\u2067ost\u2069"),
    "no-break spaces": lambda t: t.replace("United States", "United\u00a0States")
    .replace("security guarantee", "security\u202fguarantee"),
    "typographic spaces": lambda t: t.replace("foreign troops", "foreign\u2005troops")
    .replace("Article 5", "Article\u2009" "5").replace("did not", "did\u3000not"),
    "curly quotes and apostrophes": lambda t: t.replace("NATO's", "NATO\u2019s")
    .replace('"We', "\u201cWe").replace('offer,"', "offer,\u201d"),
    "Unicode hyphens": lambda t: t.replace("Article-5-like", "Article\u20115\u2010like"),
    "decomposed accents (NFD)": lambda t: unicodedata.normalize("NFD", t),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[pd.DataFrame, dict[str, str]]:
    """The plain article and every variant in one corpus: (sentences, raw texts)."""
    files = {"plain.txt": PLAIN}
    files.update({f"v{i}.txt": change(PLAIN) for i, change in enumerate(VARIANTS.values())})
    rows = [f"{name[:-4]},{name},Outlet,2025-01-01,,,," for name in files]
    raw = make_corpus(tmp_path_factory.mktemp("variants"), files, rows)
    _, sentences = build_corpus_tables(raw)
    texts = {name[:-4]: read_article_text(raw / name) for name in files}
    return sentences, texts


def _per_article(table: pd.DataFrame, article_id: str) -> list:
    rows = table.loc[table["article_id"] == article_id].drop(columns="article_id")
    return rows.to_dict("records")


def test_every_variant_keeps_its_raw_text_and_exact_offsets(corpus):
    sentences, texts = corpus
    plain = sentences.loc[sentences["article_id"] == "plain"]
    assert len(plain) == 5
    for i, name in enumerate(VARIANTS):
        article = sentences.loc[sentences["article_id"] == f"v{i}"]
        assert len(article) == len(plain), name
        raw = texts[f"v{i}"]
        assert all(raw[start:end] == text for start, end, text in
                   zip(article["start"], article["end"], article["text"], strict=True)), name
        # The table keeps the raw characters; only the matching copy is normalised.
        assert [matching_text(t) for t in article["text"]] == \
            [matching_text(t) for t in plain["text"]], name


@pytest.mark.parametrize("measure", [
    framing.guarantee_mentions, framing.generic_frames, framing.extract_quotes,
    score_sentences,
], ids=["guarantee_mentions", "frames", "quotes", "sentiment"])
def test_every_variant_gets_the_rows_of_the_plain_article(corpus, measure):
    sentences, _ = corpus
    table = measure(sentences)
    plain = _per_article(table, "plain")
    # The article does carry labels, frames, a quote and tones for the variants to keep.
    assert len(plain) >= {"guarantee_mentions": 6, "generic_frames": 2}.get(
        measure.__name__, 1)
    different = [name for i, name in enumerate(VARIANTS)
                 if _per_article(table, f"v{i}") != plain]
    assert different == []


def test_every_variant_has_the_words_of_the_plain_article(corpus):
    sentences, _ = corpus
    words = {article_id: [tokenize(t) for t in group["text"]]
             for article_id, group in sentences.groupby("article_id")}
    different = [name for i, name in enumerate(VARIANTS) if words[f"v{i}"] != words["plain"]]
    assert different == []


def test_matching_text_spells_each_variant_one_way():
    pairs = [
        ("secu\u00adrity gua\u200brantee", "security guarantee"),
        ("Ukr\u200eaine\u2069 \u2066Kyiv\u2069\u202c", "Ukraine Kyiv"),
        ("\u201cdon\u2019t\u201d \u2013 now \u2015 \u2039then\u203a", "\"don't\" - now - 'then'"),
        ("a\u00a0b\u2005c\u3000d\u2028e\u205ff", "a b c d e f"),
        ("caf\u0065\u0301", "caf\u00e9"),
        ("&quot;fair&quot; &amp; just", "\"fair\" & just"),
    ]
    assert [matching_text(spelt) for spelt, _ in pairs] == [plain for _, plain in pairs]
