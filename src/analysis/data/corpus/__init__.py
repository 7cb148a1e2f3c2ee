"""The raw corpus: manifest loading and validation, article parsing, sentence splitting.

``data/raw/manifest.csv`` lists the articles (see ``data-contract.md``). This package
checks the manifest and every file it lists, parses each article into its parts
(title, summary bullets, deck lines, body paragraphs, byline author) and splits the
parts into sentences whose character offsets point into the article's decoded text,
so that ``raw_text[start:end] == text`` for every sentence.

Problem messages
----------------
Every problem is one line that names where it is:

* manifest problems name the manifest and the data row, e.g.
  ``data/raw/manifest.csv row 3 (line 4, article_id 'x'): published '2025-13-01' is not a
  real date (YYYY-MM-DD)``. ``row N`` counts data records from 1 (the header is not a
  row, blank lines are skipped); ``line`` is the physical line where the record starts.
* file problems name the file as ``<raw_dir>/<file>`` (the path as given in the manifest,
  joined to ``raw_dir`` as given by the caller) and the article id, e.g.
  ``data/raw/a.txt (article_id 'x'): not valid UTF-8: byte 0xff at byte offset 120
  (line 4)``. A path that leaves ``raw_dir`` is named as written in the manifest:
  ``data/raw/manifest.csv (article_id 'x'): file '../a.txt': path has a '..' component``.
* files under ``raw_dir`` that no row lists are warnings, not errors (hidden files,
  ``README*``, the manifest itself and a web page a row's ``note`` names as its text's
  source are not articles).

Adding articles
---------------
:mod:`analysis.data.corpus.adding` (``python -m analysis add``) is the one writer of a
raw folder: it copies new article files in (a saved web page becomes its text through
trafilatura, the page kept beside it), appends their manifest rows, validates, and
puts everything back as it was when anything fails. It never changes an existing file.

Decoded text
------------
An article's text is its bytes decoded as strict UTF-8, with no newline translation
(:func:`read_article_text`). Opening the file in text mode would turn ``\\r\\n`` into
``\\n`` and shift the offsets, so readers of ``start``/``end`` must use that function.

Compared articles
-----------------
Notebooks and views compare a few articles of the corpus: :func:`compared_articles`
takes them from the parameters or, where those are ``None``, from the data (the earliest
and the latest article) and says which; :func:`check_article_ids` checks given ids and
:func:`select_articles` picks those articles' rows of any table, in the order of the ids.

Modules
-------
- ``manifest``: reading ``manifest.csv`` and checking its rows; :func:`load_manifest`.
- ``decoding``: strict UTF-8 decoding with no newline translation; :func:`read_article_text`.
- ``articles``: one listed file checked, read, hashed and parsed; :func:`validate_article`.
- ``validate``: the whole raw corpus checked; :func:`validate_corpus`, :func:`check_corpus`.
- ``language``: an article's ``language`` checked: what a language other than English
  leaves out, and whether the text reads as the row's language (``py3langid``).
- ``lines``: the decoded text as lines and spans, the entity shadow, shared character cues.
- ``dates``: dates and timestamps as pages print them.
- ``bylines``: byline and wire-credit lines and the author they name.
- ``furniture``: page lines that are not the article (furniture, captions, images, links).
- ``parse``: title, summary, deck, body and author of an article; :func:`parse_article`.
- ``sentences``: sentence splitting with offsets; :func:`split_sentences`,
  :func:`sentence_spans`.
- ``build``: the ``articles`` and ``sentences`` tables; :func:`build_corpus_tables`,
  :func:`partition_tables`, :func:`article_tables`.
- ``selection``: the compared articles; :func:`compared_articles` (from the data unless
  given), :func:`check_article_ids`, :func:`select_articles`.
"""

from analysis.data.corpus.articles import validate_article
from analysis.data.corpus.build import article_tables, build_corpus_tables, partition_tables
from analysis.data.corpus.decoding import read_article_text
from analysis.data.corpus.manifest import (
    MANIFEST_NAME,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    load_manifest,
    no_articles_problem,
)
from analysis.data.corpus.parse import Block, ParsedArticle, parse_article
from analysis.data.corpus.selection import (
    ComparedArticles,
    check_article_ids,
    compared_articles,
    select_articles,
)
from analysis.data.corpus.sentences import sentence_spans, split_sentences
from analysis.data.corpus.validate import CorpusReport, check_corpus, validate_corpus

__all__ = [
    "MANIFEST_NAME",
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "load_manifest",
    "no_articles_problem",
    "read_article_text",
    "validate_article",
    "CorpusReport",
    "validate_corpus",
    "check_corpus",
    "Block",
    "ParsedArticle",
    "parse_article",
    "split_sentences",
    "sentence_spans",
    "article_tables",
    "partition_tables",
    "build_corpus_tables",
    "ComparedArticles",
    "check_article_ids",
    "compared_articles",
    "select_articles",
]
