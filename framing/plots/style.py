"""What every figure shares: actor colours and labels, outlet labels, and reproducible saving."""

from __future__ import annotations

import os
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


def outlet_colors(features: pd.DataFrame) -> dict[str, tuple]:
    """One colour per outlet (by first appearance), the same in every figure."""
    outlets = list(dict.fromkeys(article_labels(features)))
    palette = sns.color_palette("colorblind", max(len(outlets), 1))
    return {o: palette[i % len(palette)] for i, o in enumerate(outlets)}


def one_article_note(features: pd.DataFrame) -> str:
    """A caption line that says when outlets are single articles (no inference possible)."""
    per_outlet = features.groupby(features.get("outlet", features["id"])).size()
    if len(per_outlet) and per_outlet.max() == 1:
        return "One article per outlet: differences describe these articles, not the outlets."
    return ""


def rotate_actor_labels(ax) -> None:
    """Actor names on the x axis, slanted and right-aligned to their column."""
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


def finish(fig, features: pd.DataFrame) -> None:
    """Add the one-article-per-outlet caption when it applies, and lay the figure out."""
    note = one_article_note(features)
    if note:
        fig.text(0.01, 0.005, note, fontsize=8, style="italic")
    fig.tight_layout(rect=(0, 0.03, 1, 1))


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
