"""The benchmark's measurements count what they time and report it."""

from __future__ import annotations

import pytest

from benchmarks import bench

from factories import SEED_RAW


def test_side_by_side_times_one_loop_alone_and_two_at_once(tmp_path):
    result = bench.side_by_side(tmp_path, 0, SEED_RAW, n_articles=3, repeat=2)
    assert result.n_articles == 3
    assert len(result.alone) == len(result.together) == 2
    assert all(len(together) == 2 for together in result.together)
    assert min(min(min(run) for run in result.alone),
               *(min(min(run) for run in together) for together in result.together)) > 0
    assert result.ceilings == pytest.approx(
        [2 * alone / ((first + second) / 2) for (alone, _), ((first, _), (second, _))
         in zip(result.alone, result.together, strict=True)])
    assert result.ceiling == pytest.approx(sum(result.ceilings) / 2)
    lines = bench.format_side_by_side(result)
    assert lines[0].startswith("side by side") and f"{result.ceiling:.2f} x one loop" in lines[0]
    assert "3 articles a loop" in lines[1] and lines[1].count("together") == 2
    assert list(tmp_path.iterdir()) == []  # the corpus is removed


def test_side_by_side_ceiling_is_two_when_neither_loop_slows_the_other():
    result = bench.SideBySide(10, [(8.0, 7.9)], [[(8.0, 7.9), (8.0, 8.0)]], 0.1)
    assert result.ceiling == pytest.approx(2.0)
    slowed = bench.SideBySide(10, [(8.0, 7.9)], [[(10.0, 9.0), (10.0, 9.1)]], 0.1)
    assert slowed.ceiling == pytest.approx(1.6)
    # Each repetition compares neighbours in time; the median resists one odd one.
    drifting = bench.SideBySide(10, [(8.0, 8.0), (6.0, 6.0), (9.0, 9.0)],
                                [[(8.0, 8.0)] * 2, [(7.5, 7.5)] * 2, [(9.0, 9.0)] * 2], 0.1)
    assert drifting.ceilings == pytest.approx([2.0, 1.6, 2.0])
    assert drifting.ceiling == pytest.approx(2.0)


def test_size_report_compares_the_ratio_with_the_ceiling(tmp_path):
    result = bench.bench_size(tmp_path, 3, 0, SEED_RAW, n_workers=1)
    assert result.partitions == 1  # three articles: one partition by default
    assert result.loop.vader_alone > 0
    ratio = result.corpus_rate / result.loop_rate
    lines = bench.format_size(result, ceiling=2 * ratio)
    assert "1 partition(s)" in lines[1]
    assert lines[3].endswith("; 50% of the side-by-side ceiling)")
    assert "ceiling" not in "".join(bench.format_size(result))
