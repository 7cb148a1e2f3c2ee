"""Agreement on guarantee labels: between human coders, and between the tool and them.

How far independent coders agree on a sentence's guarantor and form labels is the ceiling
the rules can be held to, so the tool is judged twice: by Krippendorff's alpha next to the
coders' own alpha (:func:`alpha_table`), and by precision and recall against the coders'
majority (:func:`consensus`, :func:`tool_scores`), with the sentences behind every miss
(:func:`confusion_table`, :func:`disagreements`).

Inputs share one model. ``coded`` holds one row per (coder, sentence) coded: ``coder``,
``article_id``, ``sentence_id`` and ``labels``, a tuple of the (dimension, label) pairs the
coder affirmed (negated labels are not affirmed). ``tool`` is the ``guarantee_mentions``
table, whose rows with ``negated`` False are the tool's affirmed labels.

References
----------
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
Communication, University of Pennsylvania, departmental paper 43.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import krippendorff
import numpy as np
import pandas as pd

from analysis.data.tables import require_columns
from analysis.measures.framing import GUARANTEE_DIMENSIONS
from analysis.measures.validation.metrics import Count, f1

ANY_LABEL = "(any label)"
ALL_LABELS = "(all)"
NO_LABEL = "none"
UNIT = ("article_id", "sentence_id")
KEY = (*UNIT, "dimension", "label")
CODED_COLUMNS = ("coder", *UNIT, "labels")
TOOL_COLUMNS = (*KEY, "negated", "cue")
CONSENSUS_COLUMNS = (*KEY, "n_for", "n_coders")


class Consensus(NamedTuple):
    """The coders' majority labels, their ties, and the sentences they cover."""

    labels: pd.DataFrame  # CONSENSUS_COLUMNS: affirmed by more than half of the coders
    ties: pd.DataFrame  # CONSENSUS_COLUMNS: affirmed by exactly half
    units: pd.DataFrame  # article_id, sentence_id, n_coders: every coded sentence


def alpha_nominal(reliability) -> float:
    """Krippendorff's alpha of nominal values, with missing values.

    The ``krippendorff`` package raises ``ValueError`` when the data hold fewer than two
    distinct values or no unit with two values, and divides 0 by 0 (a ``RuntimeWarning``
    and nan) when the second value occurs only in units with a single value. Those
    units carry no pairable value (they leave alpha unchanged), so they are dropped first
    and every such case returns nan.

    Parameters
    ----------
    reliability : array-like of float, shape (n_coders, n_units)
        The value each coder gave each unit, ``np.nan`` where the coder gave none.

    Returns
    -------
    float
        Alpha in [-1, 1]; nan when undefined: fewer than two pairable values, or all
        pairable values equal (no variation, hence no expected disagreement).
    """
    data = np.asarray(reliability, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"reliability must be 2-D (coders x units), got shape {data.shape}")
    pairable = data[:, _n_values(data) >= 2]
    if len(np.unique(pairable[~np.isnan(pairable)])) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=pairable, level_of_measurement="nominal"))


def alpha_table(coded: pd.DataFrame, tool: pd.DataFrame,
                vocabulary: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Krippendorff's alpha per label: among the coders, and of the tool with each coder.

    A unit is a sentence coded by at least one compared party; the tool counts as having
    coded every sentence any coder coded. Per label, a party's value is 1 when it affirms
    the label in the sentence, else 0; for label ``"(any label)"`` it is the sorted set of
    the dimension's affirmed labels, ``"+"``-joined (``"none"`` when empty).

    Parameters
    ----------
    coded : DataFrame, shape (n_codings, 4)
        ``coder``, ``article_id``, ``sentence_id``, ``labels`` (module docstring).
    tool : DataFrame, shape (n_mentions, >= 6)
        The tool's ``guarantee_mentions``.
    vocabulary : mapping of str to sequence of str
        Labels per dimension, e.g. :func:`analysis.measures.framing.guarantee_vocabulary`.

    Returns
    -------
    DataFrame, shape (n_dimensions * (n_labels + 1) * n_comparisons, 5)
        ``dimension``, ``label``, ``comparison`` (``"coders"``, only with at least two
        coders, then ``"tool vs <coder>"`` per coder), ``n_units`` (units with at least
        two values) and ``alpha`` (nan when undefined).
    """
    coders = _coder_sets(coded)
    _check_known(_all_pairs(coders), vocabulary, "coded")
    _check_tool(tool, vocabulary)
    machine = _tool_sets(tool, set().union(*coders.values()))
    comparisons = [("coders", list(coders.values()))] if len(coders) >= 2 else []
    comparisons += [(f"tool vs {name}", [machine, own]) for name, own in coders.items()]
    rows = []
    for dimension, labels in vocabulary.items():
        for label in [*labels, ANY_LABEL]:
            for comparison, parties in comparisons:
                data = _reliability(parties, dimension, label)
                rows.append({"dimension": dimension, "label": label, "comparison": comparison,
                             "n_units": int((_n_values(data) >= 2).sum()),
                             "alpha": alpha_nominal(data)})
    return pd.DataFrame(rows, columns=["dimension", "label", "comparison", "n_units", "alpha"])


def consensus(coded: pd.DataFrame) -> Consensus:
    """The labels more than half of a sentence's coders affirm, and the ties.

    Parameters
    ----------
    coded : DataFrame, shape (n_codings, 4)
        ``coder``, ``article_id``, ``sentence_id``, ``labels`` (module docstring).

    Returns
    -------
    Consensus
        ``labels`` and ``ties`` (one row per sentence and label: ``article_id``,
        ``sentence_id``, ``dimension``, ``label``, ``n_for``, ``n_coders``), the ties being
        the labels exactly half the coders affirm, to list and to leave out of scoring;
        ``units``, one row per coded sentence with its ``n_coders``. With one coder the
        consensus is that coder's labels.
    """
    coders = _coder_sets(coded)
    n_coders = Counter(u for own in coders.values() for u in own)
    n_for = Counter((*u, *pair) for own in coders.values()
                    for u, pairs in own.items() for pair in pairs)
    units = _unit_frame(sorted(n_coders)).assign(n_coders=[n_coders[u] for u in sorted(n_coders)])
    counts = _key_frame(sorted(n_for)).assign(n_for=[n_for[k] for k in sorted(n_for)])
    counts = counts.merge(units, on=list(UNIT), how="left")
    counts = counts.astype({"n_for": "int64", "n_coders": "int64"})[list(CONSENSUS_COLUMNS)]
    majority = 2 * counts["n_for"] > counts["n_coders"]
    tie = 2 * counts["n_for"] == counts["n_coders"]
    return Consensus(labels=counts[majority].reset_index(drop=True),
                     ties=counts[tie].reset_index(drop=True), units=units)


def tool_scores(agreed: Consensus, tool: pd.DataFrame,
                vocabulary: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Precision and recall of the tool's affirmed labels against the consensus.

    Parameters
    ----------
    agreed : Consensus
        :func:`consensus` of the coders: its ``labels`` are the truth, its ``units`` the
        sentences scored (the tool's labels elsewhere do not count) and its ``ties``
        (sentence, label) pairs left out.
    tool : DataFrame, shape (n_mentions, >= 6)
        The tool's ``guarantee_mentions``.
    vocabulary : mapping of str to sequence of str
        Labels per dimension.

    Returns
    -------
    DataFrame, shape (n_dimensions * (n_labels + 1), 12)
        ``dimension``, ``label`` (per label, then ``"(all)"`` pooling the dimension),
        ``tp``, ``fp``, ``fn``, ``precision``, ``precision_low``, ``precision_high``,
        ``recall``, ``recall_low``, ``recall_high``, ``f1``. Shares are nan with no item
        (e.g. precision without a prediction); their 95% Wilson interval is then (0, 1),
        as :func:`analysis.measures.proportions.wilson_interval` gives.
    """
    _check_tool(tool, vocabulary)
    gold, predicted, _ = _scored(agreed, tool)
    _check_known({key[2:] for key in gold}, vocabulary, "consensus_labels")
    rows = []
    for dimension, labels in vocabulary.items():
        for label in [*labels, ALL_LABELS]:
            rows.append({"dimension": dimension, "label": label,
                         **_prf_row(_chosen(gold, dimension, label),
                                    _chosen(predicted, dimension, label))})
    return pd.DataFrame(rows)


def confusion_table(agreed: Consensus, tool: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Sentences counted by the consensus's label set and the tool's, in one dimension.

    Parameters
    ----------
    agreed, tool
        As in :func:`tool_scores`; tied labels are left out of both sets.
    dimension : str
        ``"guarantor"`` or ``"form"``.

    Returns
    -------
    DataFrame, shape (n_sets, n_sets + 1)
        Column ``consensus``: the consensus's sets (sorted labels ``"+"``-joined,
        ``"none"`` for no label); then one column per tool set; cells count sentences.
        Rows and columns are every set either side has, sorted with ``"none"`` first, so
        the diagonal holds the agreements.
    """
    if dimension not in GUARANTEE_DIMENSIONS:
        raise ValueError(f"dimension must be one of {list(GUARANTEE_DIMENSIONS)}, "
                         f"got {dimension!r}")
    _check_tool(tool)
    gold, predicted, units = _scored(agreed, tool)
    gold_sets, tool_sets = _by_unit(gold), _by_unit(predicted)
    pairs = [(_set_name(gold_sets.get(u, ()), dimension),
              _set_name(tool_sets.get(u, ()), dimension)) for u in sorted(units)]
    names = sorted({name for pair in pairs for name in pair}, key=lambda n: (n != NO_LABEL, n))
    cells = Counter(pairs)
    table = pd.DataFrame([[cells[(g, t)] for t in names] for g in names], columns=names,
                         dtype="int64")
    table.insert(0, "consensus", names)
    return table.rename_axis(columns="tool")


def disagreements(agreed: Consensus, tool: pd.DataFrame, sentences: pd.DataFrame
                  ) -> pd.DataFrame:
    """The (sentence, label) pairs the tool and the consensus decide differently.

    Parameters
    ----------
    agreed, tool
        As in :func:`tool_scores`; tied pairs are no disagreement.
    sentences : DataFrame, shape (n_sentences, >= 3)
        ``article_id``, ``sentence_id``, ``text``.

    Returns
    -------
    DataFrame, shape (n_disagreements, 8)
        ``article_id``, ``sentence_id``, ``dimension``, ``label``, ``coders`` and ``tool``
        (``"affirmed"`` or ``"not"``), ``cue`` (the tool's cues of the affirmed label,
        ``"; "``-joined; ``""`` when it did not affirm it), ``text`` (``""`` when
        ``sentences`` lacks the sentence); sorted by the first four columns.
    """
    _check_tool(tool)
    require_columns(sentences, [*UNIT, "text"], "sentences")
    gold, predicted, _ = _scored(agreed, tool)
    cues = _affirmed(tool).groupby(list(KEY))["cue"].agg(lambda c: "; ".join(sorted(set(c))))
    rows = [(*key, "affirmed" if key in gold else "not", "affirmed" if key in predicted else "not",
             cues.get(key, "")) for key in sorted(gold ^ predicted)]
    table = pd.DataFrame(rows, columns=[*KEY, "coders", "tool", "cue"])
    texts = _with_int_ids(sentences)[[*UNIT, "text"]].drop_duplicates(list(UNIT))
    table = _with_int_ids(table).merge(texts, on=list(UNIT), how="left")
    return table.fillna({"text": ""})


def _n_values(data: np.ndarray) -> np.ndarray:
    """Number of values per unit (column) of a coders x units array."""
    return (~np.isnan(data)).sum(axis=0)


def _reliability(parties: list[dict], dimension: str, label: str) -> np.ndarray:
    """Parties x units values of one label (1/0), or of the dimension's label set (as
    codes of the set names, since the package reads only numbers next to nan)."""
    units = sorted(set().union(*parties))
    if label == ANY_LABEL:
        names = [[_set_name(p[u], dimension) if u in p else None for u in units]
                 for p in parties]
        codes = {n: i for i, n in enumerate(sorted({n for row in names for n in row} - {None}))}
        return np.array([[np.nan if n is None else codes[n] for n in row] for row in names],
                        dtype=float).reshape(len(parties), len(units))
    return np.array([[float((dimension, label) in p[u]) if u in p else np.nan for u in units]
                     for p in parties], dtype=float).reshape(len(parties), len(units))


def _set_name(pairs, dimension: str) -> str:
    """The affirmed labels of ``dimension``, sorted and ``"+"``-joined; ``"none"`` if none."""
    return "+".join(sorted(label for dim, label in pairs if dim == dimension)) or NO_LABEL


def _by_unit(keys: set) -> dict[tuple, set]:
    """(sentence, dimension, label) keys as each sentence's (dimension, label) pairs."""
    pairs: dict[tuple, set] = {}
    for a, s, dim, label in keys:
        pairs.setdefault((a, s), set()).add((dim, label))
    return pairs


def _chosen(keys: set, dimension: str, label: str) -> set:
    """The keys of ``label`` in ``dimension``, or of all its labels for ``"(all)"``."""
    return {k for k in keys if k[2] == dimension and label in (k[3], ALL_LABELS)}


def _prf_row(gold: set, predicted: set) -> dict:
    tp = len(gold & predicted)
    precision, recall = Count(tp, len(predicted)), Count(tp, len(gold))
    (p_low, p_high), (r_low, r_high) = precision.interval(), recall.interval()
    return {"tp": tp, "fp": len(predicted - gold), "fn": len(gold - predicted),
            "precision": precision.share, "precision_low": p_low, "precision_high": p_high,
            "recall": recall.share, "recall_low": r_low, "recall_high": r_high,
            "f1": f1(precision, recall)}


def _scored(agreed: Consensus, tool: pd.DataFrame) -> tuple[set, set, set]:
    """Consensus and tool (sentence, dimension, label) keys on the coded sentences, with
    the ties left out of both, and the set of coded sentences."""
    require_columns(agreed.labels, KEY, "consensus labels")
    require_columns(agreed.units, UNIT, "consensus units")
    units = set(_with_int_ids(agreed.units)[list(UNIT)].itertuples(index=False, name=None))
    tied = _keys(agreed.ties, "consensus ties")

    def on_units(keys: set) -> set:
        return {k for k in keys if k[:2] in units} - tied

    return (on_units(_keys(agreed.labels, "consensus labels")),
            on_units(_keys(_affirmed(tool), "tool")), units)


def _keys(frame: pd.DataFrame, what: str) -> set:
    require_columns(frame, KEY, what)
    return set(_with_int_ids(frame)[list(KEY)].itertuples(index=False, name=None))


def _with_int_ids(frame: pd.DataFrame) -> pd.DataFrame:
    # Sentence ids read from a coding sheet may come as floats or strings; keys must match.
    return frame.astype({"article_id": str, "sentence_id": "int64"})


def _unit_frame(units: list) -> pd.DataFrame:
    return pd.DataFrame(units, columns=list(UNIT)).pipe(_with_int_ids)


def _key_frame(keys: list) -> pd.DataFrame:
    return pd.DataFrame(keys, columns=list(KEY)).pipe(_with_int_ids)


def _affirmed(tool: pd.DataFrame) -> pd.DataFrame:
    return _with_int_ids(tool.loc[~tool["negated"].to_numpy(dtype=bool)])


def _tool_sets(tool: pd.DataFrame, units: set) -> dict[tuple, frozenset]:
    """The tool's affirmed (dimension, label) pairs on each of ``units``."""
    sets: dict[tuple, set] = {u: set() for u in units}
    for a, s, dim, label in _keys(_affirmed(tool), "tool"):
        if (a, s) in sets:
            sets[(a, s)].add((dim, label))
    return {u: frozenset(pairs) for u, pairs in sets.items()}


def _coder_sets(coded: pd.DataFrame) -> dict[str, dict[tuple, frozenset]]:
    """Per coder (in sorted order), per coded sentence, the affirmed (dimension, label)s."""
    require_columns(coded, CODED_COLUMNS, "coded")
    rows = _with_int_ids(coded)
    if rows.duplicated(["coder", *UNIT]).any():
        dupes = rows.loc[rows.duplicated(["coder", *UNIT]), ["coder", *UNIT]]
        raise ValueError("coded has a sentence twice for one coder: "
                         f"{dupes.head(5).to_dict('records')}")
    sets: dict[str, dict[tuple, frozenset]] = {}
    for coder, a, s, labels in rows[list(CODED_COLUMNS)].itertuples(index=False, name=None):
        sets.setdefault(str(coder), {})[(a, s)] = _pairs(labels)
    return dict(sorted(sets.items()))


def _pairs(labels) -> frozenset:
    if not isinstance(labels, tuple | list | set | frozenset) or not all(
            isinstance(p, tuple | list) and len(p) == 2 for p in labels):
        raise ValueError(f"coded labels must be (dimension, label) pairs, got {labels!r}")
    return frozenset((str(d), str(label)) for d, label in labels)


def _all_pairs(coders: dict[str, dict[tuple, frozenset]]) -> set:
    return {pair for own in coders.values() for pairs in own.values() for pair in pairs}


def _check_tool(tool: pd.DataFrame, vocabulary: Mapping[str, Sequence[str]] | None = None
                ) -> None:
    require_columns(tool, TOOL_COLUMNS, "tool")
    if not pd.api.types.is_bool_dtype(tool["negated"]):
        raise ValueError(f"tool column 'negated' must be bool, got {tool['negated'].dtype}")
    if vocabulary is not None:
        _check_known(set(zip(tool["dimension"], tool["label"], strict=True)), vocabulary, "tool")


def _check_known(pairs: set, vocabulary: Mapping[str, Sequence[str]], what: str) -> None:
    """Labels outside the vocabulary would silently drop out of every table."""
    unknown = sorted(p for p in pairs if p[1] not in vocabulary.get(p[0], ()))
    if unknown:
        raise ValueError(f"{what} has labels outside the vocabulary: {unknown[:5]}")
