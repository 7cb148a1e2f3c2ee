"""The sections of table ``sentences``: their names in reading order, and selecting them.

:data:`SECTIONS` is the data contract's vocabulary of ``sentences.section``;
:func:`section_order` orders section names for display and :func:`select_sections`
keeps the rows of some sections.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pandas as pd

from analysis.data.tables.catalog import require_columns
from analysis.errors import InputError

#: Values of sentences.section, in reading order (the data contract's vocabulary).
SECTIONS = ("title", "summary", "deck", "body")
#: The sections a reader sees before the body.
FRONT_SECTIONS = SECTIONS[:3]


def section_order(sections: Iterable[str]) -> list[str]:
    """The distinct section names of ``sections`` in reading order.

    Parameters
    ----------
    sections : iterable of str
        Section names, e.g. the ``section`` column of table ``sentences``; repeats are
        fine.

    Returns
    -------
    list of str
        Those of :data:`SECTIONS` in reading order, then any other names sorted.
    """
    present = set(sections)
    return [s for s in SECTIONS if s in present] + sorted(present - set(SECTIONS))


def select_sections(sentences: pd.DataFrame,
                    sections: str | Collection[str] | None) -> pd.DataFrame:
    """The rows of ``sentences`` in one of ``sections``.

    Parameters
    ----------
    sentences : DataFrame
        Table ``sentences`` or any frame with a ``section`` column.
    sections : str, collection of str or None
        Sections to keep, each one of :data:`SECTIONS`, e.g. ``("body",)``; a single
        name stands for itself; ``None`` keeps every row.

    Returns
    -------
    DataFrame
        The matching rows, in their order, with their index.

    Raises
    ------
    analysis.errors.InputError
        If ``sections`` names a section that is not one of :data:`SECTIONS`.
    ValueError
        If ``sentences`` has no ``section`` column.
    """
    if sections is None:
        return sentences
    sections = [sections] if isinstance(sections, str) else list(sections)
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise InputError([f"sections: unknown {unknown}; choose from {list(SECTIONS)}"])
    require_columns(sentences, ["section"], "sentences")
    return sentences.loc[sentences["section"].isin(sections)]
