"""Corpus mode on Dask gives the single-process path's tables, row for row.

The test corpus is the two seeds, synthetic articles recombined from them and three
plain articles without any guarantee talk (their partition has empty tables), scored
in partitions of three articles by the local process pool and by a
``distributed.LocalCluster`` started here.
"""

from __future__ import annotations

import argparse
import csv
import errno
import hashlib
import math
import multiprocessing
import os
import shutil
from pathlib import Path

import dask
import pandas as pd
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from analysis import __main__ as cli
from analysis.__main__ import main
from analysis.data import corpus, tables
from analysis.errors import InputError
from analysis.pipeline import publish, scale, steps
from analysis.pipeline.scale import partitions
from benchmarks import bench

from factories import SEED_RAW

N_SYNTHETIC = 5
# Sorted first by id, so they make up the first partition.
CALM_DAYS = {f"calm-day-{i}": f"Calm day {i}\nIt rained in Seoul on day {i}. Markets were calm.\n"
             for i in range(1, 4)}
N_ARTICLES = N_SYNTHETIC + 2 + len(CALM_DAYS)
PER_PARTITION = 3


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _append_rows(raw: Path, rows: list[list[str]]) -> None:
    """Append manifest rows (required fields), the optional ones left empty."""
    width = len(corpus.REQUIRED_COLUMNS + corpus.OPTIONAL_COLUMNS)
    with (raw / "manifest.csv").open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            row + [""] * (width - len(row)) for row in rows)


def _score_args(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(["score", *argv])


@pytest.fixture(scope="module")
def good_raw(tmp_path_factory) -> Path:
    """Synthetic articles (in subfolders), the seeds and the calm days."""
    raw = bench.synthetic_corpus(tmp_path_factory.mktemp("good") / "raw", N_SYNTHETIC, seed=7,
                                 source_raw=SEED_RAW)
    seeds = corpus.load_manifest(SEED_RAW)
    for file in seeds["file"]:
        shutil.copyfile(SEED_RAW / file, raw / file)
    for article_id, text in CALM_DAYS.items():
        (raw / f"{article_id}.txt").write_text(text, encoding="utf-8")
    _append_rows(raw, [*seeds[list(corpus.REQUIRED_COLUMNS)].values.tolist(),
                       *[[article_id, f"{article_id}.txt", "Other Outlet", "2026-03-01"]
                         for article_id in CALM_DAYS]])
    return raw


@pytest.fixture(scope="module")
def reference(good_raw) -> dict[str, pd.DataFrame]:
    """The single-process path of the notebooks."""
    per_article = [step for step in steps.STEPS if step.name == "corpus" or step.per_article]
    return steps.run_steps({steps.RAW: steps.RawCorpus(good_raw)}, {}, per_article)


@pytest.fixture(scope="module")
def local_out(good_raw, tmp_path_factory) -> tuple[Path, scale.ScoreReport]:
    out = tmp_path_factory.mktemp("local") / "scored"
    report = scale.score_corpus(good_raw, out, n_workers=2, articles_per_partition=PER_PARTITION,
                                progress=False)
    return out, report


@pytest.fixture
def bad_raw(good_raw, tmp_path) -> Path:
    """The good corpus plus an article that is not UTF-8 and one whose file is missing."""
    raw = tmp_path / "raw"
    shutil.copytree(good_raw, raw)
    (raw / "broken.txt").write_bytes(b"A title\nBad \xff byte.\n")
    _append_rows(raw, [["bad-bytes", "broken.txt", "Outlet", "2025-05-05"],
                       ["bad-missing", "nowhere.txt", "Outlet", "2025-05-06"]])
    return raw


def _bad_problems(raw: Path) -> dict[str, list[str]]:
    manifest = corpus.load_manifest(raw).set_index("article_id", drop=False)
    return {article_id: corpus.validate_article(manifest.loc[article_id], raw)
            for article_id in ("bad-bytes", "bad-missing")}


def test_local_scheduler_gives_the_single_process_tables(local_out, reference):
    out, report = local_out
    n_articles = len(reference["articles"])
    assert n_articles == N_ARTICLES
    assert report.partitions == math.ceil(n_articles / PER_PARTITION)
    assert report.n_articles == n_articles
    assert report.n_sentences == len(reference["sentences"])
    assert report.skipped == []
    assert report.rows == {name: len(reference[name]) for name in scale.SCORED_TABLES}
    assert min(len(reference[name]) for name in scale.SCORED_TABLES) > 0
    for name in scale.SCORED_TABLES:
        assert_frame_equal(scale.read_scored(out, name), reference[name])
    assert scale.read_skipped(out).empty


def test_scored_tables_are_those_of_the_per_article_steps():
    made = {output for step in steps.STEPS if step.name == "corpus" or step.per_article
            for output in step.outputs}
    assert tuple(name for name in tables.TABLES if name in made) == scale.SCORED_TABLES


def test_parts_share_the_catalog_schema_and_concatenate_in_key_order(local_out, reference):
    out, report = local_out
    for name in scale.SCORED_TABLES:
        parts = scale.scored_parts(out, name)
        assert [p.name for p in parts] == [f"part-{i:05d}.parquet"
                                           for i in range(report.partitions)]
        assert all(pq.read_schema(p) == scale.arrow_schema(name) for p in parts)
        whole = pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)
        assert_frame_equal(tables.conform(whole, name), reference[name])
        key = list(tables.spec_for(name).key)
        assert whole[key].values.tolist() == reference[name][key].values.tolist()
    # The calm days' partition has no guarantee mention and no quote: empty parts.
    for name in ("guarantee_mentions", "quotes"):
        assert pq.read_metadata(scale.scored_parts(out, name)[0]).num_rows == 0


def test_bad_articles_fail_the_run_with_their_validation_messages(bad_raw, tmp_path):
    out = tmp_path / "scored"
    out.mkdir()
    (out / "earlier.txt").write_text("from an earlier run\n")
    before = _snapshot(tmp_path)
    with pytest.raises(InputError) as excinfo:
        cli.cmd_score(_score_args("--raw", str(bad_raw), "--out", str(out), "--no-progress"))
    expected = _bad_problems(bad_raw)
    assert all(expected.values())
    problems = excinfo.value.problems
    assert problems[:-1] == expected["bad-bytes"] + expected["bad-missing"]
    assert f"2 of {N_ARTICLES + 2} articles are invalid" in problems[-1]
    assert any("not valid UTF-8" in p and "broken.txt" in p for p in problems)
    assert any("file not found" in p and "nowhere.txt" in p for p in problems)
    assert _snapshot(tmp_path) == before  # nothing written, no staging folder left


def test_skip_invalid_scores_the_rest_and_lists_the_skipped(bad_raw, tmp_path, reference,
                                                            capsys):
    out = tmp_path / "scored"
    status = cli.cmd_score(_score_args("--raw", str(bad_raw), "--out", str(out),
                                         "--skip-invalid", "--articles-per-partition", "4",
                                         "--no-progress"))
    assert status == 0
    expected = _bad_problems(bad_raw)
    skipped = scale.read_skipped(out)
    assert skipped.columns.tolist() == ["article_id", "problem"]
    assert skipped.values.tolist() == [[article_id, problem] for article_id, problems
                                       in expected.items() for problem in problems]
    err = capsys.readouterr().err
    assert all(f"skipped {a}: {p}" in err for a, p in skipped.values.tolist())
    assert "skipped 2 article(s)" in err
    for name in scale.SCORED_TABLES:
        assert_frame_equal(scale.read_scored(out, name), reference[name])


def test_a_rerun_replaces_the_parts_of_the_earlier_run(good_raw, local_out, tmp_path,
                                                      reference):
    out = tmp_path / "scored"
    shutil.copytree(local_out[0], out)
    (out / "notes.txt").write_text("not the run's\n")
    (out / "sentences" / "part-00000.parquet.bak").write_text("in a table folder: the run's\n")
    report = scale.score_corpus(good_raw, out, n_workers=1, articles_per_partition=100,
                                progress=False)
    assert report.partitions == 1
    assert (out / "notes.txt").read_text() == "not the run's\n"
    assert not (out / "sentences" / "part-00000.parquet.bak").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scored"]  # no lock, journal...
    for name in scale.SCORED_TABLES:
        assert [p.name for p in scale.scored_parts(out, name)] == ["part-00000.parquet"]
        assert_frame_equal(scale.read_scored(out, name),
                           scale.read_scored(local_out[0], name))
        # Tasks write the measures' tables without conforming them again: the bytes
        # are still those of the conformed table.
        assert (out / name / "part-00000.parquet").read_bytes() == \
            scale.parquet_bytes(reference[name], name)


@pytest.mark.parametrize(("n_articles", "n_workers", "expected"), [
    (1_000, 2, 125),      # four partitions a worker
    (600, 2, 75),
    (10_000, 2, 250),     # the memory bound
    (100_000, 64, 250),
    (120, 2, 50),         # the floor: a task's fixed cost
    (0, 2, 50),
    (1_000, 0, 250),      # a cluster without workers yet counts as one
])
def test_default_partition_size_balances_workers_within_bounds(n_articles, n_workers, expected):
    assert scale.default_partition_size(n_articles, n_workers) == expected


def test_partitions_default_to_a_few_a_worker_with_the_same_tables(good_raw, reference,
                                                                 tmp_path, monkeypatch):
    # The test corpus is far below the floor: lower it to see the balancing.
    monkeypatch.setattr(partitions, "MIN_ARTICLES_PER_PARTITION", 1)
    report = scale.score_corpus(good_raw, tmp_path / "scored", n_workers=2, progress=False)
    per_partition = math.ceil(N_ARTICLES / (scale.PARTITIONS_PER_WORKER * 2))
    assert report.partitions == math.ceil(N_ARTICLES / per_partition) > 2
    for name in scale.SCORED_TABLES:
        assert_frame_equal(scale.read_scored(tmp_path / "scored", name), reference[name])


def test_an_empty_manifest_is_refused_as_build_refuses_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "manifest.csv").write_text("article_id,file,outlet,published\n")
    with pytest.raises(InputError, match="manifest.csv: lists no articles"):
        scale.score_corpus(raw, tmp_path / "scored", n_workers=1, progress=False)
    assert not (tmp_path / "scored").exists()


def test_output_inside_the_raw_folder_is_refused(good_raw):
    with pytest.raises(InputError, match="inside the raw folder"):
        scale.score_corpus(good_raw, good_raw / "scored", progress=False)
    assert not (good_raw / "scored").exists()


def test_output_containing_the_raw_folder_is_refused(good_raw):
    before = _snapshot(good_raw.parent)
    with pytest.raises(InputError, match="contains the raw folder"):
        scale.score_corpus(good_raw, good_raw.parent, progress=False)
    assert _snapshot(good_raw.parent) == before


class _FullDisk(publish.FileOps):
    """The disk fills up as the run publishes (when it writes the plan)."""

    def __init__(self):
        self.journal_writes = 0

    def before(self, op, path):
        if op == "write_json":
            self.journal_writes += 1
            if self.journal_writes == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def test_a_full_disk_exits_with_status_2_naming_the_path(good_raw, local_out, tmp_path,
                                                        monkeypatch, capsys):
    out = tmp_path / "scored"
    shutil.copytree(local_out[0], out)
    before = _snapshot(tmp_path)
    monkeypatch.setattr(publish, "OPS", _FullDisk())
    status = main(["score", "--raw", str(good_raw), "--out", str(out), "--workers", "1",
                   "--articles-per-partition", "100", "--no-progress"])
    assert status == 2
    journal = publish.journal_path(out)
    assert capsys.readouterr().err == (f"error: no space left on device while writing "
                                       f"{journal}; nothing was published\n")
    assert _snapshot(tmp_path) == before


def test_reading_an_unscored_folder_says_how_to_score(tmp_path):
    with pytest.raises(FileNotFoundError, match="analysis score"):
        scale.read_scored(tmp_path, "sentences")


def test_synthetic_corpus_is_deterministic_valid_and_varied(tmp_path):
    first = bench.synthetic_corpus(tmp_path / "a", 12, seed=3, source_raw=SEED_RAW)
    again = bench.synthetic_corpus(tmp_path / "b", 12, seed=3, source_raw=SEED_RAW)
    other = bench.synthetic_corpus(tmp_path / "c", 12, seed=4, source_raw=SEED_RAW)
    prefix = bench.synthetic_corpus(tmp_path / "d", 5, seed=3, source_raw=SEED_RAW)
    assert _snapshot(first) == _snapshot(again)
    assert _snapshot(first) != _snapshot(other)
    files = {k: v for k, v in _snapshot(first).items() if k != "manifest.csv"}
    assert set(_snapshot(prefix)) - {"manifest.csv"} <= set(files)
    assert all(files[k] == v for k, v in _snapshot(prefix).items() if k != "manifest.csv")
    report = corpus.check_corpus(first)
    assert report.warnings == []
    manifest = report.manifest
    assert manifest["sha256"].tolist() == [hashlib.sha256((first / f).read_bytes()).hexdigest()
                                           for f in manifest["file"]]
    assert manifest["published"].between("2025-01-01", "2026-06-30").all()
    assert manifest["outlet"].nunique() > 1
    articles, sentences = corpus.build_corpus_tables(first)
    assert set(sentences["section"]) == {"title", "summary", "deck", "body"}
    assert (articles["author"] != "").all()
    assert sentences["text"].nunique() > 0.8 * len(sentences)


def test_notebook_imports_are_collected_from_code_cells(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("import nothing"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport pandas as pd\nx = 1"),
        nbformat.v4.new_code_cell("from analysis.data import corpus\nprint(x)"),
    ]
    path = tmp_path / "01_demo.ipynb"
    nbformat.write(nb, path)
    assert bench.notebook_imports(path) == "import pandas as pd\nfrom analysis.data import corpus"


def test_benchmark_of_one_size_counts_what_it_times(tmp_path):
    result = bench.bench_size(tmp_path, 4, 0, SEED_RAW, n_workers=1, articles_per_partition=2)
    assert result.n_articles == 4
    assert result.n_sentences == result.loop.n_sentences > 0
    assert 0 < result.loop.n_unique <= result.loop.n_sentences
    assert result.corpus.peak_bytes > 10 * 2**20
    assert result.corpus.cpu_seconds > 0
    assert min(result.corpus.wall_seconds, result.loop.total, result.loop.vader_alone) > 0
    lines = bench.format_size(result)
    assert lines[0].startswith("4 articles")
    assert list(tmp_path.iterdir()) == []  # corpora and outputs are removed


# Last: a cluster leaves threads behind, after which local pools cannot fork.


def test_distributed_cluster_writes_the_same_bytes(good_raw, local_out, tmp_path, capsys,
                                                   monkeypatch):
    distributed = pytest.importorskip("distributed")
    out, _ = local_out
    # Not "fork": this process has threads by now (the cluster's event loop, earlier
    # tests' kernel clients), and a worker forked while one of them holds a lock hangs
    # for good. A fork server is single-threaded; spawned workers re-import everything.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() \
        else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}), \
            distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster:
        report = scale.score_corpus(good_raw, tmp_path / "scored",
                                    scheduler=cluster.scheduler_address,
                                    articles_per_partition=PER_PARTITION, progress=True)
        # By default the partitions follow the cluster's threads, not the local cores.
        monkeypatch.setattr(partitions, "MIN_ARTICLES_PER_PARTITION", 1)
        default = scale.score_corpus(good_raw, tmp_path / "default",
                                     scheduler=cluster.scheduler_address, progress=False)
    assert report.partitions == math.ceil(report.n_articles / PER_PARTITION)
    assert _snapshot(tmp_path / "scored") == _snapshot(out)
    assert "partition" in capsys.readouterr().err  # the progress bar
    per_partition = math.ceil(N_ARTICLES / (scale.PARTITIONS_PER_WORKER * 3))
    assert default.partitions == math.ceil(N_ARTICLES / per_partition)
    for name in scale.SCORED_TABLES:
        assert_frame_equal(scale.read_scored(tmp_path / "default", name),
                           scale.read_scored(out, name))


def test_unreachable_scheduler_is_bad_input(good_raw, tmp_path):
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        scale.score_corpus(good_raw, tmp_path / "out", scheduler="tcp://127.0.0.1:9",
                           progress=False)
    assert not (tmp_path / "out").exists()
