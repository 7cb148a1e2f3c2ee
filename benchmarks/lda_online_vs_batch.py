"""Online against batch LDA on a sample of sentences: time per fit and how alike the topics are.

The evidence behind ``analysis.measures.topics.fitting.LDA_BATCH_LIMIT``: on 1,000
sentences drawn (pandas ``sample``, ``random_state=0``) from a generated corpus of 200
articles (:func:`bench.synthetic_corpus`, seed 0), for k = 3, 5, 8, each line prints the
CPU seconds of the project's batch fit (seed 0), then for online LDA (seed 0) and for a
batch fit with seed 1 their CPU seconds and the mean best-match Jaccard index of their
top-10 term sets against the batch fit's (Hungarian matching). Online LDA gives "the
same picture" if it is at least as close to the batch fit as another batch seed is.

Usage (from the repository root)::

    .venv/bin/python benchmarks/lda_online_vs_batch.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import bench
import numpy as np
from scipy.optimize import linear_sum_assignment

from analysis.data import corpus
from analysis.measures.topics import documents, fitting

ROOT = Path(__file__).resolve().parents[1]


def top_terms(estimator, terms, n: int = 10) -> list[set[str]]:
    return [set(terms[np.argsort(-row, kind="stable")[:n]]) for row in estimator.components_]


def mean_matched_jaccard(a: list[set[str]], b: list[set[str]]) -> float:
    jaccard = np.array([[len(x & y) / len(x | y) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-jaccard)
    return float(jaccard[rows, cols].mean())


def timed_fit(estimator, matrix) -> float:
    start = time.process_time()
    estimator.fit(matrix)
    return time.process_time() - start


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="lda-compare-") as work:
        raw = bench.synthetic_corpus(Path(work) / "raw", 200, 0,
                                     source_raw=ROOT / "data" / "raw")
        _, sentences = corpus.build_corpus_tables(raw)
    docs = documents.select_documents(sentences, None).sample(1000, random_state=0)
    vectorizer, matrix = documents.document_term(docs, 8, "lda", 1)
    terms = vectorizer.get_feature_names_out()
    n_docs = fitting.LDA_BATCH_LIMIT  # at the limit: batch
    for k in (3, 5, 8):
        reference = fitting._estimator("lda", k, 0, n_docs)
        seconds = timed_fit(reference, matrix)
        line = [f"k={k}: batch seed 0 {seconds:.1f} s"]
        for name, other in (("online seed 0", fitting._estimator("lda", k, 0, n_docs + 1)),
                            ("batch seed 1", fitting._estimator("lda", k, 1, n_docs))):
            seconds = timed_fit(other, matrix)
            jaccard = mean_matched_jaccard(top_terms(reference, terms), top_terms(other, terms))
            line.append(f"{name} {seconds:.1f} s, Jaccard {jaccard:.2f}")
        print(" | ".join(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
