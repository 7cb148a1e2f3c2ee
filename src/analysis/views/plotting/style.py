"""The project's matplotlib style and the colours every figure shares.

:func:`use_style` applies the packaged ``analysis.mplstyle``; :func:`label_colors` gives
each label one colour, the same in every figure: the data contract's guarantors and forms
have fixed colours (:data:`LABEL_COLORS`), any other label a colour of :data:`PALETTE`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

STYLE_FILE = "analysis.mplstyle"

# Okabe & Ito (2008), the colour-blind safe cycle of analysis.mplstyle.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
)
OTHER_COLOR = "#999999"

# Fixed colours for the data contract's label vocabularies, so that a label looks the
# same in every figure whatever else is plotted beside it.
LABEL_COLORS = {
    # guarantor
    "united_states": "#0072B2",
    "europe": "#E69F00",
    "nato": "#009E73",
    "ukraine": "#56B4E9",
    "russia": "#D55E00",
    # form
    "collective_defense": "#0072B2",
    "troop_deployment": "#D55E00",
    "monitoring": "#56B4E9",
    "military_aid": "#E69F00",
    "economic_stake": "#009E73",
    "alliance_membership": "#CC79A7",
    "other": OTHER_COLOR,
}


def style_path() -> Path:
    """Path of the packaged ``analysis.mplstyle``.

    Raises
    ------
    FileNotFoundError
        If the package was installed without its style file.
    """
    path = Path(os.fspath(resources.files("analysis").joinpath(STYLE_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"{path}: style file missing from the analysis package")
    return path


def use_style() -> None:
    """Apply the project's matplotlib style (fonts, grid, colour cycle, dpi, SVG salt)."""
    import matplotlib.pyplot as plt

    plt.style.use(str(style_path()))


def label_colors(labels: Iterable[str]) -> dict[str, str]:
    """Stable colour for each label.

    Labels of the data contract's vocabularies (guarantors, forms) keep their fixed
    colour from :data:`LABEL_COLORS`; any other label (an article id, a frame) gets the
    palette colours in sorted label order, so the mapping does not depend on the order
    in which labels are met.

    Parameters
    ----------
    labels : iterable of str
        Labels to colour; duplicates are fine.

    Returns
    -------
    dict of str to str
        Label to hex colour, keys sorted.
    """
    unique = sorted(set(labels))
    others = [label for label in unique if label not in LABEL_COLORS]
    colors = {label: LABEL_COLORS[label] for label in unique if label in LABEL_COLORS}
    colors.update({label: PALETTE[i % len(PALETTE)] for i, label in enumerate(others)})
    return dict(sorted(colors.items()))
