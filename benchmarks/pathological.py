"""``python -m analysis build`` on pathological corpora of growing size: is the cost linear?

Three kinds of input, each at several sizes, written into a temporary folder (removed
afterwards; the checkout's folders are never touched):

* ``line``: one article whose body is a single line of words without any punctuation,
  of 0.25, 0.5, 1 and 2 MB by default. Its one "sentence" is cut into pieces of at most
  ``MAX_SENTENCE_CHARS`` characters (with a warning); without that cut the sentiment
  step's cost grows with the square of the sentence's length.
* ``word``: one article whose body is a single run of letters without any space
  (4,750 characters, then 4 times and 16 times that), cut at the limit itself.
* ``many``: many tiny articles (a title and one short sentence each).

Two timings for each input, both wall time:

* ``article steps``, in this process: the corpus check, the ``articles`` and
  ``sentences`` tables and every per-article step (guarantee framing, frames, quotes,
  sentiment), i.e. everything whose cost depends on how long the sentences are;
* ``build`` (with ``--full``): ``python -m analysis build`` in a fresh process, every
  table written into a temporary folder, import time included. Its corpus-wide steps
  (the topic sweep fits len(models) x len(k_values) x n_seeds models, 140 with the
  defaults) grow with the number of sentences up to ``topics.max_sentences``, whatever
  the sentences hold.

``s / unit`` divides the time above that of the smallest size by the size above the
smallest: about constant when the cost is linear. Deterministic inputs, no network.

Usage (from the repository root)::

    .venv/bin/python benchmarks/pathological.py
    .venv/bin/python benchmarks/pathological.py --kinds line --line-mb 0.25,0.5,1,2,3.4
    .venv/bin/python benchmarks/pathological.py --full --line-mb 0.25,0.5 --kinds line
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "article_id,file,outlet,published,url,language,sha256,note\n"
WORDS = ("talks", "guarantee", "envoy", "border", "treaty", "allies", "troops", "summit",
         "minister", "ceasefire", "monitoring", "funding", "pledge", "delegation")
WORD_CHARS = 4750


def _write_corpus(raw: Path, articles: list[str]) -> None:
    """``articles`` as files ``a0.txt``, ``a1.txt``, ... and their manifest in ``raw``."""
    raw.mkdir(parents=True)
    rows = []
    for i, text in enumerate(articles):
        (raw / f"a{i}.txt").write_text(text, encoding="utf-8", newline="")
        rows.append(f"a{i},a{i}.txt,Bench Outlet,2025-01-01,,,,\n")
    (raw / "manifest.csv").write_text(HEADER + "".join(rows), encoding="utf-8")


def long_line(n_bytes: int) -> list[str]:
    """One article: a title, then one line of ``n_bytes`` of words and no punctuation."""
    words = []
    size = 0
    i = 0
    while size < n_bytes:
        word = WORDS[i % len(WORDS)]
        words.append(word)
        size += len(word) + 1
        i += 1
    return ["A headline without an end\n" + " ".join(words) + "\n"]


def long_word(n_chars: int) -> list[str]:
    """One article: a title, then a body that is one "word" of ``n_chars`` letters."""
    letters = "".join(WORDS)
    word = (letters * (n_chars // len(letters) + 1))[:n_chars]
    return [f"A headline about one long word\nThe word follows. {word}\n"]


def many_tiny(n_articles: int) -> list[str]:
    """``n_articles`` articles of a title and one short sentence each."""
    return [f"Headline number {i}\nThe envoy met the delegation on day {i}.\n"
            for i in range(n_articles)]


def article_steps_seconds(raw: Path) -> tuple[float, int]:
    """Wall seconds of the corpus check, the corpus tables and the per-article steps on
    ``raw``, and the number of sentences."""
    from analysis.data import corpus
    from analysis.pipeline import build

    start = time.perf_counter()
    corpus.check_corpus(raw)
    _, sentences = corpus.build_corpus_tables(raw)
    build.score_sentences(sentences)
    return time.perf_counter() - start, len(sentences)


def build_seconds(raw: Path, processed: Path) -> float:
    """Wall seconds of ``python -m analysis build`` on ``raw`` into ``processed``."""
    command = [sys.executable, "-m", "analysis", "build", "--raw", str(raw),
               "--processed", str(processed)]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


KINDS: dict[str, tuple[str, Callable[[float], list[str]], Callable[[float], str]]] = {
    "line": ("MB", lambda mb: long_line(int(mb * 1024 * 1024)), lambda mb: f"{mb:g} MB"),
    "word": ("k chars", lambda k: long_word(int(k * 1000)), lambda k: f"{k * 1000:,.0f} chars"),
    "many": ("k articles", lambda k: many_tiny(int(k * 1000)),
             lambda k: f"{k * 1000:,.0f} articles"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default="line,word,many",
                        help="which inputs, comma-separated: line, word, many (default all)")
    parser.add_argument("--line-mb", type=_floats, default=[0.25, 0.5, 1, 2],
                        help="sizes of the long line in MB (default 0.25,0.5,1,2)")
    parser.add_argument("--word-k", type=_floats,
                        default=[WORD_CHARS / 1000, 4 * WORD_CHARS / 1000,
                                 16 * WORD_CHARS / 1000],
                        help="lengths of the long word in thousands of characters "
                             "(default 4.75,19,76)")
    parser.add_argument("--many-k", type=_floats, default=[0.25, 0.5, 1, 2],
                        help="numbers of tiny articles in thousands (default 0.25,0.5,1,2)")
    parser.add_argument("--full", action="store_true",
                        help="also time the whole `python -m analysis build`")
    args = parser.parse_args(argv)
    sizes = {"line": args.line_mb, "word": args.word_k, "many": args.many_k}
    timed = ["article steps"] + (["build"] if args.full else [])
    print("| input | size | sentences | " + " | ".join(f"{t} s | {t} s / unit"
                                                      for t in timed) + " |")
    print("| --- | ---: | ---: |" + " ---: | ---: |" * len(timed), flush=True)
    for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
        unit, make, label = KINDS[kind]
        first: tuple[float, list[float]] | None = None
        for size in sizes[kind]:
            work = Path(tempfile.mkdtemp(prefix=f"pathological-{kind}-"))
            try:
                _write_corpus(work / "raw", make(size))
                seconds, sentences = article_steps_seconds(work / "raw")
                times = [seconds]
                if args.full:
                    times.append(build_seconds(work / "raw", work / "processed"))
            finally:
                shutil.rmtree(work, ignore_errors=True)
            first = (size, times) if first is None else first
            cells = []
            for seconds, first_seconds in zip(times, first[1], strict=True):
                marginal = ("-" if size == first[0] else
                            f"{(seconds - first_seconds) / (size - first[0]):.2f} s / {unit}")
                cells += [f"{seconds:.1f}", marginal]
            print(f"| {kind} | {label(size)} | {sentences:,} | {' | '.join(cells)} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
