"""The analysis as a pipeline of steps: validate the raw corpus, build the processed tables.

``build_tables`` is the single place that turns ``data/raw`` into ``data/processed``:
every per-sentence measure is computed by its own module and written through the
table catalog. Writes are staged, so a failed build leaves the previous tables exactly
as they were. Notebook execution lives in :mod:`analysis.notebooks`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import compare, corpus, framing, notebooks, sentiment, tables

PROCESSED_README = "README.md"


@dataclass(frozen=True)
class CorpusTables:
    """The per-sentence tables of one corpus, shaped as the data contract says."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    guarantee_mentions: pd.DataFrame
    frames: pd.DataFrame
    quotes: pd.DataFrame
    sentiment: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def score_sentences(sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every per-sentence measure of ``sentences``: framing, frames, quotes, sentiment.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table, for any subset of whole articles.

    Returns
    -------
    dict of str to DataFrame
        ``guarantee_mentions``, ``frames``, ``quotes`` and ``sentiment`` tables.
    """
    return {
        "guarantee_mentions": framing.guarantee_mentions(sentences),
        "frames": framing.generic_frames(sentences),
        "quotes": framing.extract_quotes(sentences),
        "sentiment": sentiment.score_sentences(sentences),
    }


def compute_corpus_tables(raw_dir: str | os.PathLike,
                          checked: corpus.CorpusReport | None = None) -> CorpusTables:
    """Validate ``raw_dir`` and compute every per-sentence table (no writing).

    ``checked`` is the report of ``corpus.check_corpus(raw_dir)`` when the caller has
    already checked the corpus (to show its warnings first, say): every file is then
    read and hashed once, not twice.
    """
    if checked is None:
        articles, sentences = corpus.build_corpus_tables(raw_dir)
    else:
        articles, sentences = corpus.partition_tables(checked.manifest, raw_dir)
    return CorpusTables(articles=articles, sentences=sentences, **score_sentences(sentences))


def summary_tables(computed: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Corpus-level tables derived from the per-sentence ones, with default settings.

    The notebooks recompute these with their own parameters (bootstrap size, seed);
    the written tables are the defaults, so a reader of ``data/processed`` has them too.
    """
    scores = computed["sentiment"]
    return {
        "distinctive_terms": compare.distinctive_terms(computed["sentences"]),
        "article_sentiment": sentiment.article_sentiment(scores),
        "aspect_sentiment": sentiment.aspect_sentiment(
            scores, computed["guarantee_mentions"], computed["quotes"]
        ),
    }


def processed_readme() -> str:
    """``data/processed/README.md``: every table of the catalog, its key and columns."""
    lines = [
        "# Processed tables",
        "",
        "Written by `python -m analysis build` (and `run`) from `data/raw/`; never edit by hand.",
        "Rules for every table: CSV, UTF-8, header row, `\\n` line ends, rows sorted by the key,",
        "floats rounded to 6 decimals, booleans `true`/`false`, written whole or not at all.",
        "Tables and their columns are declared in `src/analysis/tables.py`; the label",
        "vocabularies are in `../shared/design/data-contract.md`.",
        "",
    ]
    for spec in tables.TABLES.values():
        key = ", ".join(spec.key)
        lines += [f"## `{spec.filename}`", "", spec.description, "", f"Key: {key}.", ""]
        lines += ["| column | type |", "| --- | --- |"]
        lines += [f"| `{col}` | {kind} |" for col, kind in spec.columns.items()]
        lines.append("")
    return "\n".join(lines)


def build_tables(raw_dir: str | os.PathLike, processed_dir: str | os.PathLike,
                 checked: corpus.CorpusReport | None = None) -> list[Path]:
    """Build every processed table of ``raw_dir`` into ``processed_dir``, all or nothing.

    ``checked``: as for :func:`compute_corpus_tables`.

    Returns
    -------
    list of Path
        The written tables, in catalog order, plus the folder's README.

    Raises
    ------
    analysis.errors.InputError
        If the raw corpus is invalid; nothing is written then.
    """
    computed = compute_corpus_tables(raw_dir, checked).as_dict()
    computed.update(summary_tables(computed))
    processed_dir = Path(processed_dir)
    with tables.staged_directory(processed_dir) as staging:
        for name, frame in computed.items():
            tables.write_table(frame, name, staging)
        tables.write_bytes_atomic(staging / PROCESSED_README, processed_readme().encode("utf-8"))
    return [processed_dir / f"{name}.csv" for name in computed] + [processed_dir / PROCESSED_README]


def _same_place(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def notebook_output_dir(
    notebooks_dir: str | os.PathLike,
    raw_dir: str | os.PathLike,
    processed_dir: str | os.PathLike,
    reports_dir: str | os.PathLike,
) -> Path:
    """Where executed notebooks go: in place for the checkout's own folders, else reports.

    The committed notebooks are re-executed in place only when every folder is the
    checkout's default (``data/raw``, ``data/processed``, ``reports`` beside
    ``notebooks/``); a run on any other corpus writes ``<reports>/notebooks/`` and
    never touches the checkout's notebooks.
    """
    root = Path(notebooks_dir).resolve().parent
    defaults = ((raw_dir, root / "data" / "raw"), (processed_dir, root / "data" / "processed"),
                (reports_dir, root / "reports"))
    if all(_same_place(given, default) for given, default in defaults):
        return Path(notebooks_dir)
    return Path(reports_dir) / "notebooks"


def run_all(
    raw_dir: str | os.PathLike,
    processed_dir: str | os.PathLike,
    reports_dir: str | os.PathLike,
    notebooks_dir: str | os.PathLike = "notebooks",
    workers: int | None = None,
    checked: corpus.CorpusReport | None = None,
) -> list[Path]:
    """The main job: build the tables, execute every notebook, render HTML.

    ``checked``: as for :func:`compute_corpus_tables`.

    Returns
    -------
    list of Path
        The executed notebooks, in execution order.

    Raises
    ------
    analysis.errors.InputError
        Bad raw corpus (nothing written).
    analysis.notebooks.NotebookExecutionError
        A notebook failed: the report names notebook and cell; the executed notebooks,
        figures and HTML of the previous run are kept.
    """
    reports_dir = Path(reports_dir)
    parameters = {
        "raw_dir": Path(raw_dir).absolute(),
        "processed_dir": Path(processed_dir).absolute(),
        "figures_dir": (reports_dir / "figures").absolute(),
    }
    output_dir = notebook_output_dir(notebooks_dir, raw_dir, processed_dir, reports_dir)
    pages = {}

    def render(staged: Path, final: Path) -> None:
        # Rendered beside the other notebooks' execution; written once all succeeded.
        pages[final.stem] = notebooks.render_page(staged, folder=final.parent)

    # The kernels start and import while the tables are built; a failed build stops
    # them before any cell reads a table, and its own error (bad input) is raised.
    with ThreadPoolExecutor(max_workers=1) as builder:
        built = builder.submit(build_tables, raw_dir, processed_dir, checked)
        try:
            executed = notebooks.run_notebooks(
                notebooks_dir, output_dir, reports_dir, parameters=parameters,
                workers=workers, restore_on_failure=[parameters["figures_dir"]],
                on_executed=render, inputs=built,
            )
        except notebooks.InputsUnavailable:
            built.result()
            raise
    notebooks.write_html([pages[path.stem] for path in executed], reports_dir / "html")
    return executed
