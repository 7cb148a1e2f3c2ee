"""One packaged style, byte-stable figure files, stable colours, escaped tables."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.views import plotting

# Built by exec so that a fresh interpreter can draw the very same figure.
FIGURE_CODE = """
fig, ax = plt.subplots()
ax.bar(["europe", "united_states"], [3, 5], label="mentions")
ax.plot([0, 1], [2.5, 4.5], marker="o", label="trend")
ax.set_title("Guarantors <by> article & outlet")
ax.legend()
"""


def _figure():
    namespace = {"plt": plt}
    exec(FIGURE_CODE, namespace)
    return namespace["fig"]


def test_style_file_is_packaged_and_applied(styled):
    path = plotting.style_path()
    assert path.name == "analysis.mplstyle" and path.parent.name == "analysis"
    rc = matplotlib.rcParams
    assert rc["svg.hashsalt"] == "analysis" and rc["svg.fonttype"] == "path"
    assert rc["figure.dpi"] == 100 and rc["savefig.dpi"] == 100
    assert rc["font.family"] == ["DejaVu Sans"]
    cycle = [matplotlib.colors.to_hex(c).upper() for c in rc["axes.prop_cycle"].by_key()["color"]]
    assert cycle == list(plotting.PALETTE)


def test_savefig_twice_gives_identical_png_and_svg(styled, tmp_path):
    first = plotting.savefig(_figure(), tmp_path / "a" / "guarantors")
    second = plotting.savefig(_figure(), tmp_path / "b" / "guarantors.png")
    assert [p.name for p in first] == ["guarantors.png", "guarantors.svg"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    png, svg = (p.read_bytes() for p in first)
    assert png.startswith(b"\x89PNG") and b"Software" not in png and b"atplotlib" not in png
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg
    assert b"<by>" not in svg and b"&lt;by&gt;" in svg  # glyphs are paths; the comment escapes
    assert not list(tmp_path.rglob(".*"))  # atomic writes leave no temporary files


def test_svg_and_png_bytes_are_the_same_in_a_fresh_process(styled, tmp_path):
    """The SVG id salt and PNG stamps must not depend on the process (hash seeds, time)."""
    script = (
        "import sys\nimport matplotlib\nmatplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\nfrom analysis.views import plotting\n"
        f"plotting.use_style()\n{FIGURE_CODE}\nplotting.savefig(fig, sys.argv[1])\n"
    )
    here = plotting.savefig(_figure(), tmp_path / "here")
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "there")], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "random"})
    there = [tmp_path / "there.png", tmp_path / "there.svg"]
    assert [p.read_bytes() for p in here] == [p.read_bytes() for p in there]


def test_label_colors_are_fixed_for_vocabulary_and_order_free_for_others():
    colors = plotting.label_colors(["russia", "ked-2025-12-15", "europe", "ked-2025-02-27",
                                    "europe"])
    assert colors == {
        "europe": "#E69F00",
        "ked-2025-02-27": plotting.PALETTE[0],
        "ked-2025-12-15": plotting.PALETTE[1],
        "russia": "#D55E00",
    }
    assert plotting.label_colors(reversed(list(colors))) == colors
    assert plotting.label_colors([]) == {}
    many = plotting.label_colors(f"a{i:02d}" for i in range(10))
    assert many["a08"] == plotting.PALETTE[0] and len(set(many.values())) == 8


def test_show_table_escapes_article_text():
    table = pd.DataFrame({"text": ["<script>alert(1)</script>", "Tom & Jerry"], "n": [1, 2]})
    html = plotting.show_table(table).data
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Tom &amp; Jerry" in html
    assert html.count("<tr") == 3 and 'class="dataframe"' in html
    long = pd.DataFrame({"n": range(5), "text": list("vwxyz")})
    cut = plotting.show_table(long, max_rows=2).data
    assert cut.count("<td>...</td>") == 2 and "<td>z</td>" in cut and "<td>x</td>" not in cut


def test_a_long_table_shows_its_first_rows_and_links_the_whole_table(tmp_path):
    long = pd.DataFrame({"n": range(5), "text": ["v", "w", "x & y", "y", "z"]})
    full = tmp_path / "tables" / "01_long.csv"
    cut = plotting.show_table(long, max_rows=2, full=full).data
    assert cut.count("<tr") == 3 and "<td>w</td>" in cut and "<td>x &amp; y</td>" not in cut
    assert "The first 2 of 5 rows." in cut
    assert '<a href="../tables/01_long.csv">01_long.csv</a>' in cut
    assert full.read_text(encoding="utf-8") == "n,text\n0,v\n1,w\n2,x & y\n3,y\n4,z\n"
    short = tmp_path / "tables" / "01_short.csv"
    whole = plotting.show_table(long, max_rows=5, full=short).data
    assert whole.count("<tr") == 6 and "The first" not in whole and not short.exists()
    for bad in (0, -1, 2.5, True):
        with pytest.raises(InputError, match="max_rows must be a whole number"):
            plotting.show_table(long, max_rows=bad, full=full)


def test_show_figure_returns_the_written_png_and_closes_the_figure(styled, tmp_path):
    fig = _figure()
    image = plotting.show_figure(fig, tmp_path / "fig", formats=("png",))
    assert image.data == (tmp_path / "fig.png").read_bytes()
    assert image.format == "png" and not plt.fignum_exists(fig.number)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.png"]


def _legend_below_figure(layout=None):
    """Two panels and a figure legend under them, outside the figure as in the notebooks."""
    fig, axes = plt.subplots(1, 2, layout=layout)
    for ax in axes:
        ax.barh(["united_states", "collective_defense"], [2, 3], label="mentions")
        ax.set_title("Guarantors")
    fig.suptitle("Who guarantees")
    if layout is None:
        fig.tight_layout()
    fig.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), title="article")
    return fig


def _tight_savefig_png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", **plotting.SAVE_OPTIONS["png"])
    return buffer.getvalue()


def test_figure_is_cropped_as_a_tight_savefig_crops_it(styled):
    """Laid out once and measured once for all formats, the crop is still savefig's tight box."""
    fig = _legend_below_figure()
    box = plotting.tight_bbox(fig)
    assert box.y0 < 0  # the legend under the figure is inside the saved area
    assert plotting.figure_bytes(fig, "png") == _tight_savefig_png(fig)


def test_savefig_runs_a_layout_engine_once_and_puts_it_back(styled, tmp_path):
    fig = _legend_below_figure(layout="constrained")
    engine = fig.get_layout_engine()
    png, _svg = plotting.savefig(fig, tmp_path / "constrained")
    assert fig.get_layout_engine() is engine
    assert png.read_bytes() == _tight_savefig_png(fig)
