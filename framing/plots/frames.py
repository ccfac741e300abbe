"""Frames figure: which generic news frames each group of articles uses."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..codebook import Codebook
from ..compare import MAX_GROUPS, cells, group
from ..stats import MIN_GROUP_SIZE
from .groups import group_heatmap
from .style import comparison_size, finish_comparison, theme

FRAMES = ("resolution", "conflict", "human_interest", "moral", "economic")


def frame_prevalence(
    features,
    codebook: Codebook,
    by: str = "outlet",
    max_groups: int = MAX_GROUPS,
    min_size: int = MIN_GROUP_SIZE,
):
    """Groups by frames: the share of the group's articles that use each frame (``frame_<name>``),
    with intervals and article counts."""
    theme()
    columns = [f"frame_{f}" for f in FRAMES if f"frame_{f}" in features.columns]
    grouped, grouping = group(features, by, max_groups, min_size)
    fig, ax = plt.subplots(figsize=comparison_size(max(len(columns), 2), len(grouping.groups)))
    if columns:
        group_heatmap(
            ax,
            cells(grouped, grouping, columns),
            grouped,
            grouping,
            columns,
            [c.removeprefix("frame_").replace("_", " ") for c in columns],
            spec=".2f",
            cmap="Oranges",
            vmin=0,
            vmax=1,
            cbar_label="share of articles using the frame",
        )
    else:
        ax.text(
            0.5, 0.5, "scored without the frames extractor", ha="center", va="center", transform=ax.transAxes
        )
    ax.set_xlabel("generic news frame (Semetko & Valkenburg; decided by framing's frames model)")
    ax.set_title(f"Frames by {by}")
    finish_comparison(fig, grouping)
    return fig
