"""One figure style, byte-stable figure files, safe display helpers and the notebooks' figures.

Notebooks call :func:`use_style` once, draw with matplotlib (or one of the ``plot_*``
figures below), and end a figure cell with ``show_figure(fig, figures_dir / "name")``:
the figure is written as PNG and SVG with no timestamps or version stamps, and the PNG
is returned for display, so the notebook, the rendered HTML and ``reports/figures`` all
carry the same image. Tables go through :func:`show_table`, which escapes every cell.

Everything public is re-exported here, so notebooks say ``plotting.x`` whichever module
holds ``x``. Modules:

- ``style``: the packaged matplotlib style, the palette and each label's stable colour.
- ``save``: byte-stable, atomic PNG/SVG files of a figure, cropped to its tight box.
- ``display``: :func:`show_figure`, :func:`show_table` and :func:`show_findings`, what a
  notebook cell returns.
- ``axes``: drawing helpers the figure modules share (count ticks, grouped bars, empty
  panels).
- ``corpus``: notebook 01's sentences per section.
- ``framing``: notebook 02's guarantor and form shares, affirmed versus negated labels,
  labels by section, generic frames and voices.
- ``terms``: notebook 02's distinctive terms.
- ``sentiment``: notebook 03's sentence scores, article means, lexicon agreement and
  aspect sentiment.
- ``topics``: notebook 04's k sweep, top terms and topic prevalence.
- ``synthesis``: notebook 05's four-panel comparison.
- ``trends``: notebook 06's label shares over time and by outlet.
"""

from analysis.views.plotting.corpus import plot_sections_per_article
from analysis.views.plotting.display import show_figure, show_findings, show_table
from analysis.views.plotting.framing import (
    plot_frame_shares,
    plot_guarantee_by_section,
    plot_guarantee_polarity,
    plot_guarantee_shares,
    plot_voices,
)
from analysis.views.plotting.save import (
    FIGURE_FORMATS,
    SAVE_OPTIONS,
    figure_bytes,
    savefig,
    tight_bbox,
)
from analysis.views.plotting.sentiment import (
    plot_article_sentiment,
    plot_aspect_sentiment,
    plot_lexicon_agreement,
    plot_sentence_sentiment,
)
from analysis.views.plotting.style import (
    LABEL_COLORS,
    OTHER_COLOR,
    PALETTE,
    STYLE_FILE,
    label_colors,
    style_path,
    use_style,
)
from analysis.views.plotting.synthesis import plot_synthesis_summary
from analysis.views.plotting.terms import plot_distinctive_terms
from analysis.views.plotting.topics import plot_topic_prevalence, plot_topic_sweep, plot_topic_terms
from analysis.views.plotting.trends import plot_label_shares_by_group, plot_label_shares_over_time

__all__ = [
    "STYLE_FILE",
    "PALETTE",
    "OTHER_COLOR",
    "LABEL_COLORS",
    "style_path",
    "use_style",
    "label_colors",
    "FIGURE_FORMATS",
    "SAVE_OPTIONS",
    "tight_bbox",
    "figure_bytes",
    "savefig",
    "show_figure",
    "show_findings",
    "show_table",
    "plot_sections_per_article",
    "plot_guarantee_shares",
    "plot_guarantee_polarity",
    "plot_guarantee_by_section",
    "plot_frame_shares",
    "plot_voices",
    "plot_distinctive_terms",
    "plot_sentence_sentiment",
    "plot_article_sentiment",
    "plot_lexicon_agreement",
    "plot_aspect_sentiment",
    "plot_topic_sweep",
    "plot_topic_terms",
    "plot_topic_prevalence",
    "plot_synthesis_summary",
    "plot_label_shares_over_time",
    "plot_label_shares_by_group",
]
