"""The compared articles: chosen from the data unless given, checked, and their rows.

A notebook that compares two articles takes them from its parameters; where those are
``None`` (the default), :func:`compared_articles` chooses them from the corpus (the
earliest and the latest article) and says so. :func:`check_article_ids` checks given
ids, and :func:`select_articles` takes those articles' rows of any table in the order of
the ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.text import english_rows
from analysis.errors import InputError

LIST_COMMAND = "python -m analysis articles"


@dataclass(frozen=True)
class ComparedArticles:
    """The articles a notebook compares, and how they were chosen.

    Attributes
    ----------
    ids : list of str
        The article ids, the reference (``article_a``) first.
    how : str
        One sentence for the reader: which articles, and whether the data or the
        parameters chose them.
    """

    ids: list[str]
    how: str


def compared_articles(articles: pd.DataFrame, article_a: str | None = None,
                      article_b: str | None = None,
                      extra: Sequence[str] = ()) -> ComparedArticles:
    """The two articles to compare (plus ``extra``), from the parameters or the data.

    An id left ``None`` is chosen from the corpus: ``article_a`` the earliest article,
    ``article_b`` the latest (by ``published``, then ``article_id``), never the other
    one. On the seed corpus that is its February and its December article. In a corpus
    with articles in other languages the choice is among the English ones (the framing,
    sentiment and topic measures read English only) while there are enough of them.

    Parameters
    ----------
    articles : DataFrame
        Table ``articles`` (``article_id``, ``published``, ``outlet``; ``language`` if
        it has one).
    article_a, article_b : str or None
        Ids given by the notebook's parameters, or ``None`` to choose from the data.
    extra : sequence of str
        Further ids to compare after the two.

    Returns
    -------
    ComparedArticles

    Raises
    ------
    analysis.errors.InputError
        An unknown or repeated id, or a corpus with fewer than two articles.
    """
    given = [str(a) for a in (article_a, article_b, *extra) if a is not None]
    if given:
        check_article_ids(articles, given)
    by_date = articles.sort_values(["published", "article_id"], kind="stable")
    candidates = [a for a in by_date["article_id"].astype(str) if a not in given]
    if len(candidates) + len(given) < 2 + len(extra):
        raise InputError([f"the corpus has {len(articles)} article(s); a comparison needs two"])
    kind = "article"
    in_english = english_rows(by_date)
    if not in_english.all():
        english = [a for a in by_date.loc[in_english, "article_id"].astype(str)
                   if a not in given]
        if len(english) + len(given) >= 2 + len(extra):
            candidates, kind = english, "English article"
    chosen_a = str(article_a) if article_a is not None else candidates[0]
    rest = [a for a in candidates if a != chosen_a]
    chosen_b = str(article_b) if article_b is not None else rest[-1]
    ids = [chosen_a, chosen_b, *[str(a) for a in extra]]
    described = dict(zip(articles["article_id"].astype(str),
                         zip(articles["published"].astype(str), articles["outlet"].astype(str),
                             strict=True), strict=True))

    def name(article_id: str) -> str:
        published, outlet = described[article_id]
        return f"{article_id} ({outlet}, {published})"

    sources = {"a": "given" if article_a is not None else f"the earliest {kind}",
               "b": "given" if article_b is not None else f"the latest {kind}"}
    how = (f"Compared: {name(chosen_a)}, {sources['a']}, and {name(chosen_b)}, {sources['b']}"
           + (f"; also {', '.join(name(a) for a in ids[2:])}" if extra else "")
           + f". Set article_a / article_b to compare others ({LIST_COMMAND} lists them).")
    return ComparedArticles(ids, how)


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
        One problem per unknown or repeated id; an unknown id names the command that
        lists the corpus's ids.
    """
    ids = [str(a) for a in article_ids]
    available = sorted(set(articles["article_id"].astype(str)))
    problems = [f"article id {a!r} is not in the corpus of {len(available)} articles; "
                f"list them with `{LIST_COMMAND}`" for a in ids if a not in available]
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
