"""Which words set an article apart: log-odds with a Dirichlet prior, keyness, collocations, KWIC.

Every function takes the ``sentences`` table (columns article_id, sentence_id, section,
paragraph_id, start, end, text) or term counts derived from it, so it runs on any
subset of the corpus and can be cut by section (``sections=("body",)``).

Terms are the unigrams of :func:`analysis.data.text.content_tokens` (lower-cased, stop words,
numbers and one-letter tokens removed, possessive ``'s`` dropped). Bigrams are left to
:func:`collocations`, which scores them as units instead of counting them as terms.

Modules:

- ``statistics``: :func:`log_odds_dirichlet` with :func:`informative_prior` (Monroe et
  al. 2008) and :func:`keyness` (Dunning's 1993 G2 of the 2x2 table) of two term-count vectors.
- ``terms``: :func:`term_counts`, :func:`distinctive_terms` (table distinctive_terms),
  :func:`compare_groups` and :func:`top_distinctive_terms`.
- ``bigrams``: :func:`collocations`, bigrams scored with NLTK's association measures.
- ``concordance``: :func:`keyword_pattern` and :func:`keyword_in_context` (KWIC).
"""

from analysis.measures.compare.bigrams import collocations
from analysis.measures.compare.concordance import (
    KWIC_COLUMNS,
    keyword_in_context,
    keyword_pattern,
)
from analysis.measures.compare.statistics import (
    DEFAULT_PRIOR_SIZE,
    informative_prior,
    keyness,
    log_odds_dirichlet,
)
from analysis.measures.compare.terms import (
    compare_groups,
    distinctive_terms,
    prior_sensitivity,
    term_counts,
    top_distinctive_terms,
)

__all__ = [
    "DEFAULT_PRIOR_SIZE",
    "KWIC_COLUMNS",
    "term_counts",
    "informative_prior",
    "log_odds_dirichlet",
    "keyness",
    "distinctive_terms",
    "compare_groups",
    "top_distinctive_terms",
    "prior_sensitivity",
    "collocations",
    "keyword_pattern",
    "keyword_in_context",
]
