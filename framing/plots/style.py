"""What every figure shares: actor colours and labels, outlet labels, and reproducible saving."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from .._io import atomic_path  # noqa: E402
from ..codebook import Codebook  # noqa: E402

FORMATS = ("pdf", "png")
DPI = 150
# No generator or date stamps: the same inputs and versions give the same bytes.
_METADATA = {
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    "png": {"Software": None},
}


def theme() -> None:
    """The seaborn theme used by every figure."""
    sns.set_theme(context="paper", style="white", font="DejaVu Sans", font_scale=1.1)
    plt.rcParams["svg.hashsalt"] = "framing"
    plt.rcParams["pdf.fonttype"] = 42


def article_labels(features: pd.DataFrame) -> pd.Series:
    """One axis label per article: the outlet (short name when given) and the date on a second line."""
    def label(row) -> str:
        outlet = row.get("outlet_short") or row.get("outlet") or row["id"]
        date = row.get("date") or ""
        return f"{outlet}\n{date}" if date else str(outlet)

    return features.apply(label, axis=1)


def actor_labels(codebook: Codebook) -> dict[str, str]:
    return {a.id: a.label for a in codebook.actors.values()}


def rotate_actor_labels(ax) -> None:
    """Actor names on the x axis, slanted and right-aligned to their column."""
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


def comparison_size(n_columns: int, n_groups: int) -> tuple[float, float]:
    """A comparison figure's size: set by the number of measures and of drawn groups (at most
    ``compare.MAX_GROUPS`` + 1), never by the number of articles."""
    return 1.05 * n_columns + 4.5, 0.62 * n_groups + 3.2


def finish_comparison(fig, grouping, method: bool = True) -> None:
    """Print the grouping's rules and how the intervals were computed under the figure; lay it out."""
    from ..stats import LEVEL, N_BOOTSTRAP

    lines = [grouping.caption()]
    if method and not grouping.one_each:
        lines.append(f"Cells: mean over articles, [{LEVEL:.0%} percentile bootstrap interval, "
                     f"{N_BOOTSTRAP:,} resamples], n = articles with a value.")
    text = "\n".join(line for line in lines if line)
    with warnings.catch_warnings():  # a panel without its own colour bar: laid out all the same
        warnings.filterwarnings("ignore", message="This figure includes Axes that are not compatible")
        fig.tight_layout()
    if text:  # below everything drawn (tick labels included); bbox_inches="tight" keeps it in the image
        bottom = fig.get_tightbbox(fig.canvas.get_renderer()).y0 / fig.get_size_inches()[1]
        fig.text(0.01, min(bottom, 0.0) - 0.01, text, fontsize=7.5, style="italic", va="top")


def save_figure(fig, stem: str | os.PathLike, formats=FORMATS) -> list[Path]:
    """Save ``fig`` as ``stem.pdf`` and ``stem.png`` atomically, without timestamps."""
    paths = []
    for fmt in formats:
        path = Path(f"{stem}.{fmt}")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, dpi=DPI, metadata=_METADATA[fmt], bbox_inches="tight")
        paths.append(path)
    plt.close(fig)
    return paths
