"""The compared articles: checking the ids a notebook or view was given, and taking
those articles' rows of any table in the order of the ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import InputError


def check_article_ids(articles: pd.DataFrame, article_ids: Sequence[str]) -> list[str]:
    """Check the article ids a notebook or caller was asked to compare.

    Parameters
    ----------
    articles : DataFrame
        Any table with an ``article_id`` column (``articles``, ``sentiment``).
    article_ids : sequence of str
        Ids to compare: at least one, no repeats, each an article of the corpus.

    Returns
    -------
    list of str
        ``article_ids`` as a list, in the given order.

    Raises
    ------
    analysis.errors.InputError
        One problem per unknown or repeated id; unknown ids list the available ones.
    """
    ids = [str(a) for a in article_ids]
    available = sorted(set(articles["article_id"].astype(str)))
    problems = [f"article id {a!r} is not in the corpus; available: {', '.join(available)}"
                for a in ids if a not in available]
    repeated = sorted({a for a in ids if ids.count(a) > 1})
    problems += [f"article id {a!r} is given more than once" for a in repeated]
    if not ids:
        problems.append("no article ids given; pass at least one")
    if problems:
        raise InputError(problems)
    return ids


def select_articles(table: pd.DataFrame, article_ids: Sequence[str],
                    column: str = "article_id") -> pd.DataFrame:
    """The rows of the given articles, in ``article_ids`` order.

    Parameters
    ----------
    table : DataFrame
        Any table with an article id column.
    article_ids : sequence of str
        The articles to keep, e.g. the compared ones (see :func:`check_article_ids`);
        ids without rows are skipped.
    column : str, default "article_id"
        The column holding the article id.

    Returns
    -------
    DataFrame
        The rows of the first id, then those of the second, and so on; the rows of one
        article keep their order in ``table``. The index is a fresh ``0..n-1``.
    """
    order = {a: i for i, a in enumerate(article_ids)}
    ranks = np.array([order.get(a, -1) for a in table[column]], dtype=np.int64)
    # Row positions of the given articles, stably sorted by article: one take, no copies.
    rows = np.flatnonzero(ranks >= 0)
    return table.take(rows[np.argsort(ranks[rows], kind="stable")]).reset_index(drop=True)
