"""The framing validation's report: every measure with its target, as a table, as
Markdown and as the findings notebook 02 prints.

:func:`analysis.measures.validation.score_processed` scores a processed folder;
:func:`scores_table` turns its :class:`~analysis.measures.validation.Scores` into one long table
(``reports/validation/framing_scores.csv``), :func:`report_markdown` into
``reports/validation/framing.md``; :func:`read_scores`, :func:`scores_overview` and
:func:`validation_findings` show the committed table in notebook 02.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.config import PROJECT_ROOT
from analysis.errors import InputError
from analysis.measures.validation import HELD_OUT, Scores, coders_part, f1, rules_on_coders_part

# Measure, target (the issue's "done when"; None: reported only), and how to get its Count.
_MEASURES = (
    ("sentence level precision", 0.85, lambda s: s.overall["precision"]),
    ("sentence level recall", None, lambda s: s.overall["recall"]),
    ("guarantor precision", None, lambda s: s.by_dimension["guarantor"]["precision"]),
    ("guarantor recall", 0.75, lambda s: s.by_dimension["guarantor"]["recall"]),
    ("europe recall", 0.75, lambda s: s.europe_recall),
    ("form precision", None, lambda s: s.by_dimension["form"]["precision"]),
    ("form recall", None, lambda s: s.by_dimension["form"]["recall"]),
    ("negated-label recall", 0.70, lambda s: s.negated_recall),
    ("modality agreement on matched labels", None, lambda s: s.modality_agreement),
    ("dominant guarantor right (articles)", 0.85, lambda s: s.dominant["guarantor"]),
    ("dominant form right (articles)", 0.85, lambda s: s.dominant["form"]),
    ("quotes: named speaker right", 0.85, lambda s: s.quotes),
    ("generic frames precision", 0.80, lambda s: s.frames["precision"]),
    ("generic frames recall", None, lambda s: s.frames["recall"]),
    ("keyword baseline: guarantor precision", None,
     lambda s: s.baseline["guarantor"]["precision"]),
    ("keyword baseline: guarantor recall", None, lambda s: s.baseline["guarantor"]["recall"]),
)
_F1_MEASURES = (
    ("sentence level F1", 0.80, lambda s: (s.overall["precision"], s.overall["recall"])),
    ("guarantor F1", None, lambda s: (s.by_dimension["guarantor"]["precision"],
                                      s.by_dimension["guarantor"]["recall"])),
    ("form F1", None, lambda s: (s.by_dimension["form"]["precision"],
                                 s.by_dimension["form"]["recall"])),
    ("keyword baseline: guarantor F1", None,
     lambda s: (s.baseline["guarantor"]["precision"], s.baseline["guarantor"]["recall"])),
    ("keyword baseline: form F1", None,
     lambda s: (s.baseline["form"]["precision"], s.baseline["form"]["recall"])),
)


def scores_table(scores: dict[str, Scores]) -> pd.DataFrame:
    """Every measure of every part as one long table.

    Returns
    -------
    DataFrame
        split, measure, target (nan: reported only), value, hits, n, low, high (the 95%
        Wilson interval; nan for F1, which is not a proportion).
    """
    rows = []
    for split, part in scores.items():
        for measure, target, get in _MEASURES:
            count = get(part)
            low, high = count.interval()
            rows.append((split, measure, target, count.share, count.hits, count.n, low, high))
        for measure, target, get in _F1_MEASURES:
            precision, recall = get(part)
            rows.append((split, measure, target, f1(precision, recall), recall.hits,
                         recall.n, float("nan"), float("nan")))
        rows.append((split, "labels on off-topic texts (count)", 0.0,
                     float(part.off_topic_labels.hits), part.off_topic_labels.hits,
                     part.off_topic_labels.n, float("nan"), float("nan")))
    columns = ["split", "measure", "target", "value", "hits", "n", "low", "high"]
    return pd.DataFrame(rows, columns=columns).astype({"target": float})


def _cell(row) -> str:
    if row.measure.endswith("(count)"):
        return f"{row.hits} in {row.n} sentences"
    if row.value != row.value:
        return f"n/a (n = {row.n})"
    if row.low == row.low:
        return f"{row.value:.2f} [{row.low:.2f}, {row.high:.2f}] ({row.hits}/{row.n})"
    return f"{row.value:.2f} (n = {row.n})"


# The committed scores of the validation report, for notebook 02 (a repository path: the
# package is installed from the checkout).
SCORES_FILE = PROJECT_ROOT / "reports" / "validation" / "framing_scores.csv"


def read_scores(path: str | Path | None = None) -> pd.DataFrame | None:
    """The scores table that ``framing-validation score`` wrote, or None where there is none.

    Parameters
    ----------
    path : str or Path, optional
        A ``framing_scores.csv``; by default the committed one (:data:`SCORES_FILE`).
    """
    path = Path(path) if path is not None else SCORES_FILE
    if not path.is_file():
        return None
    try:
        table = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise InputError([f"{path}: cannot be read: {err}"]) from err
    missing = [c for c in ("split", "measure", "target", "value", "hits", "n", "low", "high")
               if c not in table.columns]
    if missing:
        raise InputError([f"{path}: missing columns {missing}"])
    return table


def scores_overview(table: pd.DataFrame | None) -> pd.DataFrame:
    """The scores table of :func:`scores_table` (or its CSV) as one row per measure.

    Returns
    -------
    DataFrame
        measure, target (text; empty when reported only), and one column per split:
        the value with its 95% interval and counts, as the report prints them. No rows
        when ``table`` is None (no scores found).
    """
    if table is None:
        return pd.DataFrame(columns=["measure", "target"])
    splits = list(dict.fromkeys(table["split"]))
    rows = []
    for measure, group in table.groupby("measure", sort=False):
        target = group["target"].iloc[0]
        row = {"measure": measure,
               "target": "0" if measure.endswith("(count)")
               else "" if target != target else f">= {target:.2f}"}
        row.update({split: _cell(r) for split, r in zip(
            group["split"], group.itertuples(index=False), strict=True)})
        rows.append(row)
    return pd.DataFrame(rows, columns=["measure", "target", *splits])


def report_markdown(scores: dict[str, Scores], parts: dict[str, pd.DataFrame],
                    command: str) -> str:
    """The validation report: the set, every measure by part with its target, per label.

    ``scores`` and ``parts`` are :func:`analysis.measures.validation.score_processed`'s output.
    """
    table = scores_table(scores)
    splits = list(scores)
    lines = [
        "# Framing on real news: validation report",
        "",
        f"Written by `{command}`; do not edit by hand. Codebook: `docs/codebook.md`; "
        "the set: `validation/framing/` (sources and codes, never the texts).",
        "",
        "## The set",
        "",
        "| part | texts | on-topic | off-topic | outlets | coded sentences | missing |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split in splits:
        part = parts[split]
        lines.append(
            f"| {split} | {len(part)} | {(part['topic'] == 'on').sum()} | "
            f"{(part['topic'] == 'off').sum()} | {part['outlet'].nunique()} | "
            f"{scores[split].n_sentences} | {scores[split].n_missing} |")
    lines += [
        "",
        "`missing`: coded sentences whose key the processed folder does not have (a text "
        "collected differently, or segmented differently); their labels count as missed.",
        *([] if not any(part.endswith(coders_part("")) for part in scores) else [
            "",
            f"`<part>{coders_part('')}`: a second coder coded some texts of the part again, "
            "independently and blind to the first coder's codes and to the rules' output; "
            "this column scores the second coder against the first on the sentences both "
            "coded, as if the second coder were the tool: how far two coders agree, the "
            f"ceiling that the rules can be held to. `<part>{rules_on_coders_part('')}`: the "
            "rules against the first coder on exactly those sentences."]),
        "",
        "## Measures",
        "",
        "Shares with their 95% Wilson interval and counts; F1 with the number of coded "
        "labels behind it. The sentence level compares (sentence, dimension, label, "
        "negated). The keyword baseline tags every actor and form keyword of a sentence "
        "that says guarantee, security, troops or peacekeeping.",
        "",
        "| measure | target | " + " | ".join(splits) + " |",
        "| --- | --- | " + " | ".join("---" for _ in splits) + " |",
    ]
    for row in scores_overview(table).itertuples(index=False):
        lines.append("| " + " | ".join(str(value) for value in row) + " |")
    for split in splits:
        by_label = scores[split].by_label
        lines += ["", f"## Per label: {split}", "",
                  "| dimension | label | coded | tool | matched | precision | recall | F1 |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for row in by_label.itertuples(index=False):
            values = [f"{v:.2f}" if v == v else "n/a" for v in (row.precision, row.recall,
                                                                  row.f1)]
            lines.append(f"| {row.dimension} | {row.label} | {row.coded} | {row.tool} | "
                         f"{row.matched} | " + " | ".join(values) + " |")
    return "\n".join(lines) + "\n"


def validation_findings(table: pd.DataFrame | None) -> list[str]:
    """The validation's headline figures as findings, from the held-out part if scored.

    Parameters
    ----------
    table : DataFrame or None
        :func:`scores_table` (or :func:`read_scores`' result).

    Returns
    -------
    list of str
        One sentence on the rules against the coders, one on the keyword baseline; a
        note when there are no scores.
    """
    if table is None or table.empty:
        return ["No validation scores were found (see validation/framing/README.md): the "
                "labels' agreement with human coding of real news is not known here."]
    present = list(dict.fromkeys(table["split"]))
    held_out = [split for split in HELD_OUT if split in present]
    split = held_out[-1] if held_out else present[0]
    rows = {row.measure: row for row in table[table["split"] == split].itertuples(index=False)}

    def share(measure: str) -> str:
        row = rows[measure]
        return (f"{row.value:.2f} [{row.low:.2f}, {row.high:.2f}] "
                f"({int(row.hits)}/{int(row.n)})")

    part = f"held-out part {split}" if split in HELD_OUT else f"{split} part"
    agreement = []
    for coded_split in (s for s in present if coders_part(s) in present):
        pairs = {row.measure: row for row in table[table["split"] == coders_part(coded_split)]
                 .itertuples(index=False)}
        tool = {row.measure: row for row in table[table["split"] == rules_on_coders_part(
            coded_split)].itertuples(index=False)}
        agreement.append(
            f"On the {coded_split} texts that a second coder coded again independently "
            f"({int(pairs['sentence level recall'].n)} labels of the first coder), the "
            f"second coder agrees with the first at sentence-level F1 "
            f"{pairs['sentence level F1'].value:.2f}; the rules reach "
            f"{tool['sentence level F1'].value:.2f} on the same sentences.")
    return [
        f"Against hand coding of real news ({part}), the rules' sentence-level precision is "
        f"{share('sentence level precision')} and recall {share('sentence level recall')} "
        f"(F1 {rows['sentence level F1'].value:.2f}); guarantor recall "
        f"{share('guarantor recall')}, negated-label recall {share('negated-label recall')}.",
        f"A naive keyword tagger reaches guarantor F1 "
        f"{rows['keyword baseline: guarantor F1'].value:.2f} where the rules reach "
        f"{rows['guarantor F1'].value:.2f}; the dominant guarantor of an article is right in "
        f"{share('dominant guarantor right (articles)')} of the articles.",
        *agreement,
    ]
