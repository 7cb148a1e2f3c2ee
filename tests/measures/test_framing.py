"""Tests for analysis.measures.framing: guarantee labels, generic frames, quotes and summaries.

Hand-made sentences cover every label, every negation pattern and sentences that must
give nothing; the articles under tests/fixtures/framing/ (seed layout, written for these
tests) and the two seed articles check the rules on whole articles.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from analysis.data.corpus import build_corpus_tables
from analysis.data.tables import TABLES
from analysis.errors import InputError
from analysis.measures import framing
from analysis.measures.framing import (
    dominant_labels,
    extract_quotes,
    frame_shares,
    generic_frames,
    guarantee_mentions,
    guarantee_summary,
    voice_summary,
)
from analysis.measures.framing.guarantee_rules import _guarantee_lexicon
from analysis.measures.framing.rules import _compile, _expand

from factories import FIXTURES, ROOT, sentences_table

ARTICLES_DIR = FIXTURES / "framing"
DEC, FEB = "ked-2025-12-15", "ked-2025-02-27"


def labels_of(text: str) -> set[tuple[str, str, bool]]:
    mentions = guarantee_mentions(sentences_table(text))
    return set(zip(mentions["dimension"], mentions["label"], mentions["negated"], strict=True))


def parse_label(spec: str) -> tuple[str, str, bool]:
    dimension, label, *negated = spec.split(":")
    return dimension, label, negated == ["negated"]


def G(label, negated=False):  # noqa: N802 - short constructors keep the case table readable
    return ("guarantor", label, negated)


def F(label, negated=False):  # noqa: N802
    return ("form", label, negated)


@pytest.fixture(scope="module")
def test_articles():
    return build_corpus_tables(ARTICLES_DIR)


@pytest.fixture(scope="module")
def expected():
    return yaml.safe_load((ARTICLES_DIR / "expected.yaml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# Guarantee labels on hand-made sentences

GUARANTOR_CASES = [
    # The other party of Ukraine's agreement on guarantees; "the role of X"; an actor's
    # proposals.
    ("Kyiv signed a pact with Washington that puts the security guarantees into law.",
     {G("united_states")}),
    ("The minister stressed the role of Canada in the security guarantees.", {G("other")}),
    ("Paris tabled European proposals for a security guarantee.", {G("europe")}),
    # What a guarantee is for opens the gate: protecting the country from renewed attack.
    ("Nordic countries offered military help to shield Ukraine against any renewed Russian "
     "invasion.", {G("europe"), F("military_aid")}),
    # Reported speech whose subject is the actor again.
    ("Denmark and Norway said they would send troops as a security guarantee.",
     {G("europe"), F("troop_deployment")}),
    ("Vance stressed that he would not offer Kyiv security guarantees.",
     {G("united_states", True)}),
    ("Beijing argues that it must be a guarantor of Ukraine's security.", {G("other")}),
    ("The United States will provide security guarantees to Ukraine.", {G("united_states")}),
    ("Washington will not provide security guarantees to Ukraine.", {G("united_states", True)}),
    ("Zelensky wants security guarantees from the United States.", {G("united_states")}),
    ("The United States has proposed security guarantees to Ukraine.", {G("united_states")}),
    ("A U.S.-led monitoring mission would police the ceasefire.",
     {G("united_states"), F("monitoring")}),
    ("Washington is working with London on security guarantees for Kyiv.",
     {G("united_states"), G("europe")}),
    ("European peacekeepers would be deployed after a ceasefire.",
     {G("europe"), F("troop_deployment")}),
    ("The security guarantees offered by Britain and France would include air defence.",
     {G("europe"), F("military_aid")}),
    ("Britain is ready to act as a guarantor of Ukraine's security.", {G("europe")}),
    ("It is up to Europe to guarantee Ukraine's security.", {G("europe")}),
    ("Guaranteeing Ukraine's security is the responsibility of Europe.", {G("europe")}),
    ("NATO will deploy troops to guarantee Ukraine's security.",
     {G("nato"), F("troop_deployment")}),
    ("Security guarantees will not come from NATO.", {G("nato", True)}),
    ("A strong Ukrainian army is the best security guarantee.",
     {G("ukraine"), F("military_aid")}),
    ("Ukraine alone cannot guarantee its own security, Macron said.", {G("ukraine", True)}),
    ("Russia has offered security guarantees to Ukraine in exchange for neutrality.",
     {G("russia"), F("other")}),
    ("The Kremlin refuses to provide any security guarantees.", {G("russia", True)}),
    ("Turkey and Canada have offered to provide peacekeepers.",
     {G("other"), F("troop_deployment")}),
    ("China will not provide security guarantees to Ukraine.", {G("other", True)}),
    # Proposing content is not providing: Europe is the provider here, not Trump.
    ("Trump proposed that Europe should provide security guarantees.", {G("europe")}),
    # The provider as a possessive or compound modifier.
    ("Washington's pledge of security guarantees reassured Kyiv.", {G("united_states")}),
    ("Kyiv asked for a U.S. backstop as its security guarantee.", {G("united_states")}),
    ("NATO's nuclear umbrella is not part of the security guarantee.",
     {G("nato", True), F("other", True)}),
    # The provider in a prepositional phrase.
    ("The security guarantees would have the backing of Washington.", {G("united_states")}),
    ("A force led by France and Britain would secure the ceasefire as a security guarantee.",
     {G("europe"), F("troop_deployment")}),
    # Idioms of responsibility.
    ("Kyiv looks to Washington for security guarantees.", {G("united_states")}),
    ("The burden of Ukraine's security guarantees falls to Europe.", {G("europe")}),
    ("Responsibility for Ukraine's security lies with the Europeans, the US envoy said.",
     {G("europe")}),
    ("Ukraine's security is Europe's business, not Washington's.",
     {G("europe"), G("united_states", True)}),
    # Coalitions and member states stand for Europe.
    ("The coalition of the willing will provide security guarantees after a ceasefire.",
     {G("europe")}),
    ("EU member states pledged to send monitors as part of the security guarantees.",
     {G("europe"), F("monitoring")}),
    # Modal and auxiliary chains, contractions, appositions.
    ("The United States would help guarantee Ukraine's security.", {G("united_states")}),
    ("Washington is not going to provide troops for the security guarantees.",
     {G("united_states", True), F("troop_deployment", True)}),
    ("Britain, the force's main backer, has agreed to deploy troops as a security guarantee.",
     {G("europe"), F("troop_deployment")}),
    ("Britain and France signed a declaration of intent to deploy troops as a security "
     "guarantee.", {G("europe"), F("troop_deployment")}),
    # A relative clause between the provider and its verb; Ukraine as what is protected.
    ("European leaders, who have pledged troops as a security guarantee, met in London.",
     {G("europe"), F("troop_deployment")}),
    ("Poland will support Ukraine under the security guarantees.", {G("europe")}),
    # The coalition's force stands for Europe.
    ("The Multinational Force Ukraine would deploy after a ceasefire as a security guarantee.",
     {G("europe"), F("troop_deployment")}),
    # An envoy speaks for an actor, not as a provider.
    ("The guarantee is a matter for Europe, the US envoy said of Ukraine's security.", set()),
]

FORM_CASES = [
    ("The guarantee would be similar to Article 5.", {F("collective_defense")}),
    ("The proposal does not include an Article 5-style commitment.",
     {F("collective_defense", True)}),
    ("Washington offered a NATO-style security guarantee.",
     {G("united_states"), F("collective_defense")}),
    ("There will be no foreign troops in Ukraine, Putin said.", {F("troop_deployment", True)}),
    ("International observers would handle ceasefire monitoring along the front line.",
     {F("monitoring")}),
    ("Moscow has rejected any ceasefire monitoring mission.", {F("monitoring", True)}),
    ("Security guarantees must include air defence and weapons.", {F("military_aid")}),
    ("The security arrangement will not include weapons deliveries.",
     {F("military_aid", True)}),
    ("American investment in Ukraine would itself serve as a security guarantee.",
     {F("economic_stake")}),
    ("The minerals deal is no substitute for security guarantees.",
     {F("economic_stake", True)}),
    ("Kyiv wants NATO membership as its ultimate security guarantee.",
     {F("alliance_membership")}),
    ("Ukraine cannot join NATO.", {F("alliance_membership", True)}),
    ("The Budapest Memorandum failed to protect Ukraine.", {F("other")}),
    ("Kyiv rejects any demilitarized zone as part of the security arrangements.",
     {F("other", True)}),
    # Troops and the minerals deal named in a sentence about guarantees (fallback rules).
    ("Only two countries have committed soldiers to the security guarantees.",
     {F("troop_deployment")}),
    ("Russian soldiers massed at the border as talks on security guarantees began.", set()),
    ("The minerals deal was signed before any security guarantee was agreed.",
     {F("economic_stake")}),
    # Bilateral and legally binding arrangements; Article 5 in other words.
    ("Kyiv and Washington are drafting a bilateral security document.", {F("other")}),
    ("The guarantee would treat an armed attack against any member as an attack against "
     "all of them.", {F("collective_defense")}),
]

NEGATION_CASES = [
    # contrast "A, not B" and "A's X, not B's"
    ("Europe, not the United States, should provide security guarantees to Ukraine.",
     {G("europe"), G("united_states", True)}),
    ("Ukraine's security guarantee is Europe's responsibility, not America's.",
     {G("europe"), G("united_states", True)}),
    ("Europe rather than America should provide the security guarantees.",
     {G("europe"), G("united_states", True)}),
    ("Europe will deploy peacekeepers instead of the United States.",
     {G("europe"), G("united_states", True), F("troop_deployment")}),
    ("Ukraine can't join NATO.", {F("alliance_membership", True)}),
    ("Poland will not send soldiers to Ukraine, Tusk said.",
     {G("europe", True), F("troop_deployment", True)}),
    # The negation rules out the U.S. backstop, not the European troops behind it.
    ("Rubio said the U.S. would not provide a backstop for European troops.",
     {G("united_states", True), G("europe"), F("troop_deployment")}),
    ("Washington won't send American troops to Ukraine.",
     {G("united_states", True), F("troop_deployment", True)}),
    ("The administration ruled out Ukraine's accession to NATO.",
     {F("alliance_membership", True)}),
    ("NATO membership for Ukraine is off the table.", {F("alliance_membership", True)}),
    ("It is impossible for Ukraine to join NATO.", {F("alliance_membership", True)}),
    ("Neither Germany nor Italy will send troops to the reassurance force.",
     {G("europe", True), F("troop_deployment"), F("troop_deployment", True)}),
    # Scope: the negation stops at the clause boundary.
    ("Ukraine does not need Western troops, but it wants NATO membership.",
     {F("troop_deployment", True), G("other", True), F("alliance_membership")}),
    # Not a negation: "never give up", "not only".
    ("Ukraine will never give up on joining NATO.", {F("alliance_membership")}),
    ("The guarantees would cover not only air defence but also training of Ukrainian troops "
     "under the security arrangement.", {F("military_aid")}),
    # Lexical negation.
    ("The United States is barred from deploying troops in Ukraine as a security guarantee.",
     {G("united_states", True), F("troop_deployment", True)}),
    ("Moscow wants a ban on Western troops in Ukraine.",
     {G("other", True), F("troop_deployment", True)}),
    ("The security plan stops short of an Article 5 commitment.",
     {F("collective_defense", True)}),
    ("There is no role for American soldiers in the security guarantee.",
     {G("united_states", True), F("troop_deployment", True)}),
    ("Germany opposes sending troops to Ukraine as a security guarantee.",
     {G("europe", True), F("troop_deployment", True)}),
    # A demand phrased as a condition is not a negation.
    ("Kyiv will not sign a ceasefire without a US security guarantee.",
     {G("united_states")}),
    # The cue as the subject of a negated verb.
    ("Foreign peacekeepers cannot serve as a security guarantee, Moscow insists.",
     {F("troop_deployment", True)}),
    ("American soldiers will not take part in the security guarantees.",
     {G("united_states", True), F("troop_deployment", True)}),
    # "lack of", "absence of".
    ("Kyiv worries about the lack of a US security guarantee.", {G("united_states", True)}),
    # An actor merely named in a sentence saying the guarantees are missing or withheld.
    ("The agreement signed by Washington still has no security guarantees.",
     {G("united_states", True)}),
    ("The envoy left the White House without any firm security commitments.",
     {G("united_states", True)}),
    ("Kyiv said Washington gave no clear promise on security guarantees.",
     {G("united_states", True)}),
    # Refusal verbs reach further into their clause; ruling-out predicates after the cue.
    ("The Kremlin says it will never tolerate the stationing of Western soldiers as a "
     "security guarantee.", {G("other", True), F("troop_deployment", True)}),
    ("Moscow ruled out letting the coalition of the willing send peacekeepers to Ukraine "
     "after a truce.", {G("europe", True), F("troop_deployment", True)}),
    ("NATO membership remains blocked for now, diplomats say.", {F("alliance_membership", True)}),
    ('Kyiv called NATO membership "not a realistic option" for now.',
     {F("alliance_membership", True)}),
    # ... but not across a clause boundary.
    ("Moscow rejected the talks, and Britain will deploy troops as a security guarantee.",
     {G("europe"), F("troop_deployment")}),
    # "not ... unless": a condition on the provision, not a refusal.
    ("Sweden would not send troops unless it got a US security guarantee, its minister said.",
     {G("europe"), F("troop_deployment"), G("united_states")}),
]

NOTHING_CASES = [
    # Protecting the power grid from attacks is the war, not a guarantee.
    "Crews worked to shield Ukraine's power plants from renewed missile attacks.",
    "I spoke with leaders of Germany, Italy, Finland, France, the U.K., and NATO.",
    "Ukraine is not a NATO member.",
    "Finland joined NATO in 2023.",
    "Sweden's NATO membership strengthened the alliance.",
    "Russian forces advanced near Pokrovsk.",
    "Russia deployed more troops near the border.",
    "Russia has sent more troops to Ukraine's east.",
    "EU member states will provide a backstop for the reparations loan.",
    "Moscow said NATO's eastward expansion threatens Russia's security.",
    "Japan and South Korea discussed security cooperation on Friday.",
    "The minerals deal was signed in Washington.",
    "Food security in Africa depends on Ukrainian grain.",
    "Trump proposed a ceasefire, and Europe welcomed it.",
    "The United States sent weapons to Ukraine last year.",
    "Security guarantees were discussed in Berlin.",
    "Ukraine's security guarantees remain unclear.",
    "",
]


@pytest.mark.parametrize(("text", "expected"), GUARANTOR_CASES + FORM_CASES + NEGATION_CASES)
def test_guarantee_labels(text, expected):
    assert labels_of(text) == expected


@pytest.mark.parametrize("text", NOTHING_CASES)
def test_sentences_without_guarantee_framing_give_nothing(text):
    assert labels_of(text) == set()


# A sentence that continues an article's discussion of guarantees without naming them.
CONTEXT_LEAD = "Allies met in Paris to agree on security guarantees for Ukraine."
CONTEXT_CASES = [
    ("The force would be led by France and Britain.", {G("europe"), F("troop_deployment")}),
    ("Washington would back the troops with air cover.",
     {G("united_states"), F("military_aid"), F("troop_deployment")}),
    ("Germany will not send soldiers to Ukraine.",
     {G("europe", True), F("troop_deployment", True)}),
    ("EU members offered to train Ukrainian troops.", {G("europe"), F("military_aid")}),
    # Context opens the gate; the roles still decide: a meeting is not a guarantee.
    ("Merz met Zelensky in Berlin on Monday.", set()),
    ("Russian forces shelled Kharkiv overnight.", set()),
]


@pytest.mark.parametrize(("text", "expected"), CONTEXT_CASES)
def test_a_sentence_continuing_an_article_about_guarantees_is_read_in_context(text, expected):
    mentions = guarantee_mentions(sentences_table(CONTEXT_LEAD, text))
    second = mentions[mentions["sentence_id"] == 1]
    assert set(zip(second["dimension"], second["label"], second["negated"],
                   strict=True)) == expected


def test_context_opens_no_gate_in_an_article_that_never_speaks_of_guarantees():
    mentions = guarantee_mentions(sentences_table(
        "Ministers discussed farm subsidies in Brussels.",
        "Washington would back the troops with air cover."))
    assert mentions.empty


def test_every_label_and_both_polarities_are_tested():
    cases = GUARANTOR_CASES + FORM_CASES + NEGATION_CASES
    covered = set().union(*(expected for _, expected in cases))
    vocabulary = framing.guarantee_vocabulary()
    for dimension, labels in vocabulary.items():
        for label in labels:
            assert (dimension, label, False) in covered, label
            assert (dimension, label, True) in covered, label


def test_guarantees_an_article_ties_only_to_others_are_not_labelled():
    summit = ("NATO leaders met in The Hague.",
              "Trump questioned the security guarantee of Article 5 for the allies.")
    # The article names Ukraine, but only outside the guarantee talk: no labels.
    mentions = guarantee_mentions(sentences_table(*summit, "Aid to Ukraine was also discussed."))
    assert len(mentions) == 0
    # Once a sentence about guarantees names Ukraine, the labels come back.
    mentions = guarantee_mentions(sentences_table(
        *summit, "Aid to Ukraine was also discussed.",
        "Kyiv wants a similar security guarantee from Washington."))
    assert {"collective_defense", "united_states"} <= set(mentions["label"])
    # An article that never names Ukraine is read as part of a corpus about it.
    assert "collective_defense" in set(guarantee_mentions(sentences_table(*summit))["label"])


def test_cue_names_rule_text_and_negator():
    mentions = guarantee_mentions(sentences_table("Ukraine cannot join NATO."))
    assert mentions["cue"].tolist() == [
        "form.alliance_membership.join_nato: 'Ukraine cannot join NATO' [negated by 'cannot']"
    ]
    mentions = guarantee_mentions(sentences_table(
        "According to officials, the security guarantees are similar in form to NATO treaty "
        "Article 5, including surveillance and conflict prevention."))
    cues = dict(zip(mentions["label"], mentions["cue"], strict=True))
    assert cues["collective_defense"] == (
        "form.collective_defense.nato_style: 'similar in form to NATO treaty' | "
        "form.collective_defense.article_5: 'Article 5'")
    assert cues["monitoring"] == ("form.monitoring.surveillance: 'surveillance' | "
                                  "form.monitoring.surveillance: 'conflict prevention'")


def test_we_in_a_quote_is_the_speakers_side():
    said_by_trump = sentences_table(
        'President Trump said, "I had a good call."',
        ("body", 1, 'He added, "We are working with Europe on security guarantees."'),
    )
    mentions = guarantee_mentions(said_by_trump)
    assert set(zip(mentions["label"], mentions["negated"], strict=True)) == {
        ("united_states", False), ("europe", False)}
    assert "guarantor.united_states.works_on: 'We are working with Europe" in "".join(
        mentions["cue"])
    # Ukraine is the recipient: Zelensky's "we" never makes Ukraine a guarantor.
    said_by_zelensky = sentences_table(
        'President Zelensky said, "We are working with our partners on security guarantees."')
    assert labels_of(said_by_zelensky["text"][0]) == {G("other")}
    assert set(guarantee_mentions(said_by_zelensky)["label"]) == {"other"}
    # "I am not going to": the speaker's side, negated.
    refused = guarantee_mentions(sentences_table(
        '"I am not going to offer any security guarantee," President Trump said.'))
    assert set(zip(refused["label"], refused["negated"], strict=True)) == {
        ("united_states", True)}
    # "We" outside any quote has no speaker: nothing.
    assert labels_of("We will provide security guarantees.") == set()


def test_mentions_table_shape_and_empty_input():
    empty = guarantee_mentions(sentences_table())
    assert list(empty.columns) == list(TABLES["guarantee_mentions"].columns)
    assert len(empty) == 0
    mentions = guarantee_mentions(sentences_table(
        "Europe, not the United States, should provide security guarantees to Ukraine."))
    assert list(mentions.columns) == list(TABLES["guarantee_mentions"].columns)
    assert mentions["negated"].dtype == bool


def test_missing_columns_are_reported():
    with pytest.raises(ValueError, match=r"lacks columns \['section', 'paragraph_id'\]"):
        guarantee_mentions(pd.DataFrame({"article_id": ["a"], "sentence_id": [0],
                                         "text": ["x"]}))


def test_results_do_not_depend_on_row_order_or_partition(test_articles, seed_sentences):
    _, sentences = test_articles
    sentences = pd.concat([sentences, seed_sentences], ignore_index=True)
    shuffled = sentences.sample(frac=1.0, random_state=7)
    for function in (guarantee_mentions, generic_frames, extract_quotes):
        whole = function(sentences)
        assert function(shuffled).equals(whole)
        parts = [function(sentences[sentences["article_id"] == a])
                 for a in sorted(set(sentences["article_id"]))]
        assert pd.concat(parts, ignore_index=True).equals(whole)


def test_requires_keywords_cover_every_match(test_articles, seed_sentences):
    """A rule's `requires` keywords are a prefilter: no match may lack all of them."""
    texts = list(test_articles[1]["text"]) + list(seed_sentences["text"])
    texts += [t for t, _ in GUARANTOR_CASES + FORM_CASES + NEGATION_CASES] + NOTHING_CASES
    lex = _guarantee_lexicon()
    # Gate rules include the forms that open the gate: count each rule once.
    rules = {(type(r).__name__, r.rule_id): (r.regex, (r.requires, r.requires_also))
             for r in [*lex.gate, *lex.forms, *lex.roles]}
    rules[("contrast", "contrast")] = (lex.contrast, (lex.contrast_requires,))
    rules[("negation", "refusal")] = (lex.negation.refusal, (lex.negation.refusal_words,))
    matched = set()
    for rule_id, (regex, lists) in rules.items():
        for text in texts:
            for match in regex.finditer(text):
                matched.add(rule_id)
                # An actor-led role may go without keywords (an empty list).
                for requires in filter(None, lists):
                    assert any(k in match.group(0).lower() for k in requires), (rule_id, text)
    assert len(matched) >= len(rules) - 2  # nearly every rule is exercised


# ---------------------------------------------------------------------------
# Whole articles: the seeds and the framing test articles

SEED_EXPECTED = {
    DEC: [
        ("NATO-style security guarantee for Ukraine", {F("collective_defense")}),
        ("the U.S. proposed a security guarantee similar to the NATO treaty",
         {G("united_states"), F("collective_defense")}),
        ('"The proposals offered to Ukraine are similar to the NATO treaty"',
         {F("collective_defense")}),
        ("The United States has proposed a level of security guarantees",
         {G("united_states"), F("collective_defense")}),
        ("We are working with Europe on security guarantees", {G("united_states"), G("europe")}),
        ("similar in form to NATO treaty Article 5", {F("collective_defense"), F("monitoring")}),
        ("Article 5 of the NATO treaty stipulates", {F("collective_defense")}),
        ("European troop deployments", {G("europe"), F("troop_deployment")}),
    ],
    FEB: [
        ('"Ukraine\'s Security is Europe\'s Responsibility"', {G("europe")}),
        ("President Trump stated that", {G("europe")}),
        ("Ukraine cannot join NATO, and stated", {F("alliance_membership", True)}),
        ("Not America's", {G("europe"), G("united_states", True)}),
        ("Ukraine cannot join the North Atlantic Treaty Organization",
         {F("alliance_membership", True)}),
        ("Europe, not the United States, should provide security guarantees",
         {G("europe"), G("united_states", True), F("economic_stake")}),
        # Named in the arrangement (a fallback role): the US in the minerals deal's
        # balance of security and economy, and as the party that "supports" Ukraine.
        ("Attention is focused on whether the balance of interests",
         {G("united_states"), F("economic_stake")}),
        ("Regarding security guarantees, foreign media reported", {G("united_states")}),
    ],
}


def sentence_labels(mentions: pd.DataFrame, sentences: pd.DataFrame, article_id: str
                    ) -> dict[str, set]:
    own = sentences[sentences["article_id"] == article_id]
    found = {text: set() for text in own["text"]}
    texts = dict(zip(own["sentence_id"], own["text"], strict=True))
    for row in mentions[mentions["article_id"] == article_id].itertuples():
        found[texts[row.sentence_id]].add((row.dimension, row.label, row.negated))
    return found


def check_article(found: dict[str, set], cases: list[tuple[str, set]]) -> None:
    """Each fragment names one sentence with exactly its labels; the rest get none."""
    claimed = set()
    for fragment, labels in cases:
        texts = [t for t in found if fragment in t]
        assert len(texts) == 1, (fragment, texts)
        assert found[texts[0]] == labels, texts[0]
        claimed.add(texts[0])
    unexpected = {t: labels for t, labels in found.items() if labels and t not in claimed}
    assert not unexpected


@pytest.mark.parametrize("article_id", [DEC, FEB])
def test_seed_labels(seed_sentences, article_id):
    sentences = seed_sentences
    found = sentence_labels(guarantee_mentions(sentences), sentences, article_id)
    check_article(found, SEED_EXPECTED[article_id])


def test_seed_names_only_sentence_and_status_sentence_give_nothing(seed_sentences):
    sentences = seed_sentences
    found = sentence_labels(guarantee_mentions(sentences), sentences, DEC)
    spoke = [t for t in found if t.startswith('President Trump said, "I also had long')]
    assert spoke and found[spoke[0]] == set()
    assert found["Ukraine is not a NATO member."] == set()


@pytest.mark.parametrize("article_id", ["fr-reassurance-force", "fr-nato-path",
                                        "fr-minerals-army", "fr-grain-exports"])
def test_framing_test_articles(test_articles, expected, article_id):
    _, sentences = test_articles
    found = sentence_labels(guarantee_mentions(sentences), sentences, article_id)
    cases = [(case["contains"], {parse_label(spec) for spec in case["labels"]})
             for case in expected[article_id]["mentions"]]
    check_article(found, cases)
    quotes = extract_quotes(sentences)
    quotes = quotes[quotes["article_id"] == article_id]
    own = sentences[sentences["article_id"] == article_id]
    texts = dict(zip(own["sentence_id"], own["text"], strict=True))
    got = sorted((texts[r.sentence_id], r.speaker, r.quote) for r in quotes.itertuples())
    want = []
    for fragment, speaker, quote in expected[article_id]["quotes"]:
        matching = [t for t in texts.values() if fragment in t]
        assert len(matching) == 1, fragment
        want.append((matching[0], speaker, quote))
    assert got == sorted(want)


def test_article_without_guarantee_content_is_zero_safe(test_articles):
    _, sentences = test_articles
    grain = sentences[sentences["article_id"] == "fr-grain-exports"]
    mentions = guarantee_mentions(grain)
    assert len(mentions) == 0
    summary = guarantee_summary(mentions, grain)
    assert len(summary) == 13  # 6 guarantor + 7 form labels
    assert (summary[["affirmed", "negated"]] == 0).all().all()
    assert (summary["share"] == 0.0).all()
    assert (summary["n_sentences"] == len(grain)).all()
    dominant = dominant_labels(mentions, grain)
    assert dominant["label"].tolist() == ["none", "none"]
    assert not dominant["tie"].any()
    voices = voice_summary(extract_quotes(grain), mentions)
    assert (voices["n_guarantee_quotes"] == 0).all()
    assert (voices["guarantee_share"] == 0.0).all()


# ---------------------------------------------------------------------------
# Summaries


def test_guarantee_summary_counts_shares_and_sections():
    sentences = sentences_table(
        ("title", 'Trump: "Ukraine\'s Security Guarantee is Europe\'s Responsibility, Not '
                  'America\'s"'),
        "Europe, not the United States, should provide security guarantees to Ukraine.",
        "Washington will send weapons as part of the security arrangement.",
        "Ukraine cannot join NATO.",
        "Grain exports rose in March.",
    )
    mentions = guarantee_mentions(sentences)
    summary = guarantee_summary(mentions, sentences).set_index(["dimension", "label"])
    assert summary.loc[("guarantor", "europe"), ["affirmed", "negated"]].tolist() == [2, 0]
    assert summary.loc[("guarantor", "united_states"), ["affirmed", "negated"]].tolist() == [1, 2]
    assert summary.loc[("guarantor", "europe"), "share"] == pytest.approx(2 / 3)
    assert summary.loc[("form", "military_aid"), "share"] == 1.0
    assert summary.loc[("form", "alliance_membership"), ["affirmed", "negated"]].tolist() == [0, 1]
    assert summary.loc[("form", "troop_deployment"), "share"] == 0.0
    assert (summary["n_sentences"] == 5).all()
    by_section = guarantee_summary(mentions, sentences, by=("article_id", "section"))
    title = by_section[(by_section["section"] == "title") & (by_section["label"] == "europe")]
    assert title[["affirmed", "n_sentences", "share"]].values.tolist() == [[1, 1, 1.0]]
    assert list(by_section.columns) == ["article_id", "section", "dimension", "label",
                                        "affirmed", "negated", "share", "n_sentences"]


def test_dominant_labels_and_ties():
    sentences = pd.concat([
        sentences_table("The United States will provide security guarantees to Ukraine.",
                       "Europe will provide security guarantees to Ukraine.",
                       article_id="tie"),
        sentences_table("Europe will deploy peacekeepers instead of the United States.",
                       "Britain will send troops as part of the security guarantees.",
                       article_id="clear"),
        sentences_table("Grain exports rose.", article_id="empty"),
    ], ignore_index=True)
    mentions = guarantee_mentions(sentences)
    dominant = dominant_labels(mentions, sentences).set_index(["article_id", "dimension"])
    assert dominant.loc[("tie", "guarantor")].tolist() == [
        "united_states", 1, True, "united_states|europe"]
    assert dominant.loc[("clear", "guarantor")].tolist() == ["europe", 2, False, ""]
    assert dominant.loc[("clear", "form")].tolist() == ["troop_deployment", 2, False, ""]
    assert dominant.loc[("empty", "guarantor"), "label"] == "none"
    # Without sentences only articles with mentions appear.
    assert set(dominant_labels(mentions)["article_id"]) == {"tie", "clear"}
    with pytest.raises(ValueError, match="need the sentences table"):
        dominant_labels(mentions, by=("article_id", "section"))


def test_frame_shares_with_zero_frames_and_sections():
    sentences = sentences_table(
        ("title", "Leaders clash over a compromise"),
        "Both sides accuse each other of breaking the truce.",
        "Civilians and children were killed in the attack.",
        "The deal will cost billions of dollars.",
    )
    frames = generic_frames(sentences)
    shares = frame_shares(frames, sentences).set_index("frame")
    assert list(shares.index) == ["responsibility", "human_interest", "conflict", "morality",
                                  "economic_consequences"]
    assert shares.loc["conflict", ["n_with_frame", "share"]].tolist() == [2, 0.5]
    assert shares.loc["morality", ["n_with_frame", "share"]].tolist() == [0, 0.0]
    assert shares.loc["human_interest", "share"] == 0.25
    by_section = frame_shares(frames, sentences, by=("article_id", "section"))
    title = by_section[by_section["section"] == "title"].set_index("frame")
    assert title.loc["conflict", "share"] == 1.0
    assert title.loc["responsibility", "share"] == 1.0  # "compromise": a solution (q3)
    empty = frame_shares(generic_frames(sentences_table()), sentences_table())
    assert len(empty) == 0


def test_voice_summary_counts_guarantee_quotes_per_speaker(seed_sentences):
    sentences = seed_sentences
    quotes = extract_quotes(sentences)
    mentions = guarantee_mentions(sentences)
    voices = voice_summary(quotes, mentions).set_index(["article_id", "speaker"])
    trump = voices.loc[(DEC, "Donald Trump")]
    assert trump["actor"] == "united_states"
    assert trump["n_quotes"] == 12
    # The title ("NATO-style security guarantee ... Trump: ..."), "closer than ever" (in the
    # sentence on the Article-5-like proposal) and "We are working with Europe on ...".
    assert trump["n_guarantee_quotes"] == 3
    assert trump["guarantee_share"] == pytest.approx(3 / 12)
    assert voices.loc[(DEC, "AFP"), "n_guarantee_quotes"] == 1
    assert voices.loc[(FEB, "Donald Trump"), "n_guarantee_quotes"] == 3
    plain = voice_summary(quotes)
    assert list(plain.columns) == ["article_id", "speaker", "actor", "n_quotes"]
    by_section = voice_summary(quotes, mentions, sentences, by=("article_id", "section"))
    deck = by_section[(by_section["article_id"] == DEC) & (by_section["section"] == "deck")]
    assert sorted(deck["speaker"]) == ["Donald Trump", "U.S. officials", "unknown"]


# ---------------------------------------------------------------------------
# Generic frames


@pytest.mark.parametrize(("text", "frame", "question"), [
    ("The government has the ability to alleviate the crisis.", "responsibility",
     "q1_government_can_alleviate"),
    ("Ukraine's security is Europe's responsibility.", "responsibility",
     "q2_government_responsible"),
    ("The plan offers a way out of the crisis.", "responsibility", "q3_solution"),
    ("Civilians fled the shelling with their children.", "human_interest", "q6_human_face"),
    ("The tragic scenes left families in grief.", "human_interest", "q7_emotion"),
    ("His son-in-law attended the dinner.", "human_interest", "q9_private_lives"),
    ("The move provoked backlash from Kyiv.", "conflict", "q11_disagreement"),
    ("Moscow accused Kyiv of sabotage.", "conflict", "q12_reproach"),
    ("Two camps formed in the parliament.", "conflict", "q13_two_sides"),
    ("They have already lost that territory.", "conflict", "q14_winners_losers"),
    ("It is a question of justice and dignity.", "morality", "q15_moral_message"),
    ("The church called for prayer.", "morality", "q16_religion"),
    ("Leaders ought to keep their promises.", "morality", "q17_prescriptions"),
    ("The fund will reinvest the profits.", "economic_consequences",
     "q18_financial_losses_gains"),
    ("The reconstruction will cost $500 billion.", "economic_consequences", "q19_costs"),
    ("The deal would boost Ukraine's economy.", "economic_consequences",
     "q20_economic_consequences"),
])
def test_each_frame_question_has_a_cue(text, frame, question):
    frames = generic_frames(sentences_table(text))
    cues = dict(zip(frames["frame"], frames["cue"], strict=True))
    assert frame in cues
    assert re.search(rf"\b{question}: '", cues[frame])


def test_frames_need_whole_words_and_leave_neutral_sentences_alone():
    assert len(generic_frames(sentences_table("The talks took place in Berlin on Monday."))) == 0
    # "war" and "attack" name the topic, they are not conflict cues; "wine" is not "win".
    assert len(generic_frames(sentences_table("The war continued with a drone attack."))) == 0
    assert len(generic_frames(sentences_table("Guests drank wine at the reception."))) == 0
    frames = generic_frames(sentences_table("Two Camps Blame Each Other"))
    assert set(frames["frame"]) == {"conflict", "responsibility"}
    cue = frames.set_index("frame").loc["conflict", "cue"]
    assert cue == "q13_two_sides: 'Two Camps'; q12_reproach: 'Blame'"  # reading order
    # The parties at the table, a solution under negotiation, an urgent meeting, a
    # disagreement or condemnation ruled out: no frame.
    for text in ("Both sides met in Geneva.", "They seek a political solution.",
                 "Leaders held an urgent video call.", "Moscow would not object to the force.",
                 "The statement did not include a condemnation of the strike.",
                 "Kyiv could lose the pledge."):
        assert len(generic_frames(sentences_table(text))) == 0, text


# ---------------------------------------------------------------------------
# Quotes and speakers


def quotes_of(*lines) -> list[tuple[int, str, str]]:
    table = extract_quotes(sentences_table(*lines))
    return list(zip(table["sentence_id"], table["speaker"], table["quote"], strict=True))


def test_explicit_attribution_and_titles():
    assert quotes_of('U.S. President Donald Trump said, "We will have a very good meeting."') == [
        (0, "Donald Trump", "We will have a very good meeting.")]
    assert quotes_of('"There was progress," said President Zelensky.') == [
        (0, "Volodymyr Zelensky", "There was progress")]
    assert quotes_of('"The corridor works," according to Reuters.') == [
        (0, "Reuters", "The corridor works")]
    assert quotes_of('Earlier, U.S. government officials said, "About 90% is agreed."') == [
        (0, "U.S. officials", "About 90% is agreed.")]
    assert quotes_of('However, foreign media reported that "talks will resume soon."') == [
        (0, "foreign media", "talks will resume soon.")]


def test_deck_colon_and_headline_subject():
    assert quotes_of(("deck", 'Trump: "Ceasefire agreement close"')) == [
        (0, "Donald Trump", "Ceasefire agreement close")]
    assert quotes_of(("title", 'Trump to Negotiate Peace... "Ukraine\'s Security is Europe\'s '
                               'Responsibility"')) == [
        (0, "Donald Trump", "Ukraine's Security is Europe's Responsibility")]
    assert quotes_of(("deck", '"The proposals are similar to the NATO treaty"')) == [
        (0, "unknown", "The proposals are similar to the NATO treaty")]
    # In the body an unattributed quote is not given to the sentence's first name.
    assert quotes_of('Trump met Zelensky and "the talks went on for hours."') == [
        (0, "unknown", "the talks went on for hours.")]


def test_pronouns_carry_the_last_named_speaker():
    lines = ['President Trump said, "I spoke with him."',
             'He added, "We are working with Europe."',
             'AFP reported that "the talks stalled."',
             'He argued, "It is going well."',
             'Foreign Minister Andrii Kovalenko said, "We need air defence."',
             'Kovalenko later said, "Today is important."',
             'She said, "Nothing is agreed."']
    assert [speaker for _, speaker, _ in quotes_of(*lines)] == [
        "Donald Trump", "Donald Trump", "AFP", "Donald Trump", "Andrii Kovalenko",
        "Andrii Kovalenko", "Andrii Kovalenko"]
    assert quotes_of('He said, "Nothing is agreed."') == [(0, "unknown", "Nothing is agreed.")]


def test_several_quotes_and_speakers_in_one_sentence():
    assert quotes_of('President Trump said, "A good call," and "a long one."') == [
        (0, "Donald Trump", "A good call \u2026 a long one.")]
    # No named speaker earlier: "he" is unknown too, like the asker.
    assert quotes_of('Asked "Why should Ukraine cede territory?", he argued, "They lost it."') == [
        (0, "unknown", "Why should Ukraine cede territory? \u2026 They lost it.")]
    rows = quotes_of('President Trump said, "I had a call."',
                     'Asked "Why should Ukraine cede territory?", he argued, "They lost it."')
    assert rows[1:] == [(1, "Donald Trump", "They lost it."),
                        (1, "unknown", "Why should Ukraine cede territory?")]


def test_quote_cut_by_the_sentence_splitter_keeps_its_speaker():
    rows = quotes_of(("body", 0, 'President Trump said, "I spoke with leaders of NATO.'),
                     ("body", 0, 'Contacts were made with Norway."'),
                     ("body", 0, 'He also said, "We talked to Putin."'))
    assert rows == [(0, "Donald Trump", "I spoke with leaders of NATO."),
                    (1, "Donald Trump", "Contacts were made with Norway."),
                    (2, "Donald Trump", "We talked to Putin.")]


def test_curly_quotes_single_quotes_and_scare_quotes():
    assert quotes_of("\u201cFarmers are the backbone,\u201d said Prime Minister Yulia "
                     "Svyrydenko.") == [(0, "Yulia Svyrydenko", "Farmers are the backbone")]
    assert quotes_of("President Trump's 'peace diplomacy' enters a crucial phase.") == []
    assert quotes_of('The so-called "Black Sea Grain Initiative" collapsed.') == []
    assert quotes_of('Analysts discussed the "grain corridor" at length.') == []
    # Short, but attributed: the speaker's own words.
    assert quotes_of('Trump said a ceasefire is "closer than ever."') == [
        (0, "Donald Trump", "closer than ever.")]


def test_seed_quotes(seed_sentences):
    sentences = seed_sentences
    quotes = extract_quotes(sentences)
    dec = quotes[quotes["article_id"] == DEC]
    assert dec["speaker"].value_counts().to_dict() == {
        "Donald Trump": 12, "U.S. officials": 2, "unknown": 2, "AFP": 1, "NATO treaty": 1,
        "Volodymyr Zelensky": 1}
    working = dec[dec["quote"] == "We are working with Europe on security guarantees."]
    assert working["speaker"].tolist() == ["Donald Trump"]
    feb = quotes[quotes["article_id"] == FEB]
    assert sorted(set(feb["speaker"])) == ["Donald Trump", "Scott Bessent", "foreign media"]
    assert not feb["quote"].str.contains("complete restoration|peace diplomacy").any()


# ---------------------------------------------------------------------------
# Lexicons


def test_lexicons_are_versioned_and_cite_sources():
    versions = framing.lexicon_versions()
    assert set(versions) == {"guarantees.yaml", "frames.yaml", "speakers.yaml"}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in versions.values())
    frames = yaml.safe_load((ROOT / "src/analysis/lexicons/frames.yaml").read_text("utf-8"))
    assert "Semetko" in frames["source"] and "Valkenburg" in frames["source"]
    questions = [q["id"] for qs in frames["frames"].values() for q in qs]
    assert len(questions) == 20
    assert framing.frame_names() == ("responsibility", "human_interest", "conflict",
                                     "morality", "economic_consequences")


def test_lexicon_errors_name_the_file():
    with pytest.raises(InputError, match=r"guarantees\.yaml: x: unknown placeholder \{nope\}"):
        _expand("{nope}", {}, "analysis/lexicons/guarantees.yaml: x")
    with pytest.raises(InputError, match="invalid regular expression"):
        _compile("(", "analysis/lexicons/guarantees.yaml: x")
