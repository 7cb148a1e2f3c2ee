"""Fixtures shared by the whole suite; builders and paths are in ``factories.py``."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.corpus import build_corpus_tables

from factories import SEED_RAW


def _fingerprint(frame: pd.DataFrame) -> tuple:
    return tuple(frame.columns), tuple(pd.util.hash_pandas_object(frame, index=True))


@pytest.fixture(scope="session")
def seed_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, sentences)`` of the seed corpus (``data/raw``), built once per run.

    Every test that asks for them gets the same frames: tests must not modify them (the
    teardown checks that none did).
    """
    tables = build_corpus_tables(SEED_RAW)
    before = [_fingerprint(frame) for frame in tables]
    yield tables
    assert [_fingerprint(frame) for frame in tables] == before, "a test modified seed_tables"


@pytest.fixture(scope="session")
def seed_sentences(seed_tables) -> pd.DataFrame:
    """The ``sentences`` table of the seed corpus (see :func:`seed_tables`)."""
    return seed_tables[1]
