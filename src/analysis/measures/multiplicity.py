"""Many tests at once: Benjamini-Hochberg q-values beside the p-values.

A table with one test per term, frame or label shows, where nothing differs, about one
p below 0.05 in twenty by chance. Every such table carries, beside each p-value, its
Benjamini-Hochberg adjusted value (the q-value: the false discovery rate at which the
test would be called significant; Benjamini & Hochberg 1995), computed over the tests
the table shows together, and findings speak from q. The adjustment is
:func:`scipy.stats.false_discovery_control`, not a copy of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def q_values(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values of one family of tests.

    Parameters
    ----------
    p_values : array-like of float, shape (n_tests,)
        p-values in [0, 1]; nan for a test that could not be made.

    Returns
    -------
    ndarray of float, shape (n_tests,)
        The q-values, in the same order; nan where the p-value is nan (such tests are
        not counted in the family).

    Raises
    ------
    ValueError
        A p-value outside [0, 1].
    """
    from scipy.stats import false_discovery_control

    p = np.asarray(p_values, dtype=float)
    made = ~np.isnan(p)
    if ((p[made] < 0) | (p[made] > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    q = np.full(p.shape, np.nan)
    if made.any():
        q[made] = false_discovery_control(p[made], method="bh")
    return q


def with_q_values(table: pd.DataFrame, p: str = "p_value", q: str | None = None,
                  within: Sequence[str] = ()) -> pd.DataFrame:
    """``table`` with the q-values of its column ``p`` in a column right after it.

    Parameters
    ----------
    table : DataFrame
        One row a test.
    p : str, default "p_value"
        The p-value column.
    q : str, optional
        The new column's name; default ``p`` with its leading ``p`` replaced by ``q``
        (``p_value`` -> ``q_value``, ``p_fisher`` -> ``q_fisher``).
    within : sequence of str, default ()
        Columns whose values each form one family (one article's terms, say); default
        the whole table is one family.

    Returns
    -------
    DataFrame
        A copy with the q column inserted after ``p``.
    """
    q = q or "q" + p[1:]
    values = pd.Series(np.nan, index=table.index)
    families = ([rows.index for _, rows in table.groupby(list(within), sort=False,
                                                          dropna=False)]
                if within else [table.index])
    for rows in families:
        values.loc[rows] = q_values(table.loc[rows, p])
    out = table.drop(columns=q, errors="ignore")
    out.insert(out.columns.get_loc(p) + 1, q, values.to_numpy())
    return out
