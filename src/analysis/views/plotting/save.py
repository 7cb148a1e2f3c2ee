"""Byte-stable figure files: same figure, same bytes.

:func:`savefig` writes a figure as PNG and SVG (atomically) and :func:`figure_bytes`
renders it in memory, both without the time or version stamps matplotlib would write and
cropped to the figure's tight box (:func:`tight_bbox`), laid out once for all formats.
Both draw corpus text as written: never as mathematics, no word longer than
:data:`~analysis.views.plotting.axes.MAX_WORD_CHARS` characters.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from analysis.data.tables import write_bytes_atomic
from analysis.views.plotting.axes import plain_figure_text

FIGURE_FORMATS = ("png", "svg")

# Options of savefig per format. Metadata: none of the stamps matplotlib would otherwise
# write (version, creation date). PNG: zlib level 3 gives files as small as the default
# level 6 on these flat-colour figures and encodes about a third faster.
SAVE_OPTIONS = {
    "png": {"metadata": {"Software": None}, "pil_kwargs": {"compress_level": 3}},
    "svg": {"metadata": {"Date": None, "Creator": None}},
    "pdf": {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}},
}


def tight_bbox(fig):
    """The box ``savefig(bbox_inches="tight")`` would save, in inches.

    Measured with an Agg renderer at the figure's dpi and padded by
    ``savefig.pad_inches``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure whose layout is final.

    Returns
    -------
    matplotlib.transforms.Bbox
        The area to save, in inches.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    # An Agg canvas (the notebooks' backend) keeps the renderer that laid the figure
    # out, with its text sizes cached; any other canvas is left alone.
    if isinstance(fig.canvas, FigureCanvasAgg):
        renderer = fig.canvas.get_renderer()
    else:
        renderer = RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)
    return fig.get_tightbbox(renderer).padded(mpl.rcParams["savefig.pad_inches"])


@contextmanager
def _laid_out(fig):
    """Lay ``fig`` out once and yield its :func:`tight_bbox`; no layout while saving.

    The figure's text is drawn as written and without over-long words
    (:func:`~analysis.views.plotting.axes.plain_figure_text`), before the layout, so
    that the layout makes room for the text as saved.

    Matplotlib lays a figure out again (a full draw without output) on every save
    while it has a layout engine, even the inert one ``tight_layout`` leaves behind,
    and once more to measure ``bbox_inches="tight"``. Here the engine runs once, is
    switched off for the saves and put back afterwards, and the box is measured once.
    """
    engine = fig.get_layout_engine()
    with plain_figure_text(fig):
        if engine is not None:
            engine.execute(fig)
        # None means "no engine" as long as the style leaves figure.autolayout and
        # figure.constrained_layout.use off, as analysis.mplstyle does.
        fig.set_layout_engine(None)
        try:
            yield tight_bbox(fig)
        finally:
            fig.set_layout_engine(engine)


def _render(fig, fmt: str, bbox_inches) -> bytes:
    # SVG is text: written to a StringIO it is encoded once, not element by element.
    text = fmt == "svg"
    buffer = io.StringIO() if text else io.BytesIO()
    fig.savefig(buffer, format=fmt, bbox_inches=bbox_inches, **SAVE_OPTIONS.get(fmt, {}))
    data = buffer.getvalue()
    return data.encode("utf-8") if text else data


def figure_bytes(fig, fmt: str) -> bytes:
    """Render ``fig`` in format ``fmt`` without time or version stamps: same figure, same bytes.

    The figure is cropped to its tight box (:func:`tight_bbox`) as ``savefig.bbox:
    tight`` would crop it.
    """
    with _laid_out(fig) as box:
        return _render(fig, fmt, box)


def savefig(fig, path: str | os.PathLike, formats: Sequence[str] = FIGURE_FORMATS) -> list[Path]:
    """Write ``fig`` once per format, byte-stable and atomically.

    The figure is laid out and its tight box measured once for all formats, so each
    format costs one draw of the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    path : path-like
        Target without format suffix, e.g. ``figures_dir / "sentiment_by_article"``; a
        suffix, if given, is replaced by each format's.
    formats : sequence of str
        Matplotlib format names, default PNG and SVG.

    Returns
    -------
    list of Path
        The written files, one per format, in ``formats`` order.
    """
    path = Path(path)
    with _laid_out(fig) as box:
        return [write_bytes_atomic(path.with_suffix(f".{fmt}"), _render(fig, fmt, box))
                for fmt in formats]
