"""Frames figure: which generic news frames each group of articles uses."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..codebook import Codebook
from ..compare import MAX_GROUPS, group
from ..extract.frames import FRAMES
from ..stats import MIN_GROUP_SIZE
from .groups import share_heatmap
from .style import comparison_size, finish_comparison, theme


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
    labels = [c.removeprefix("frame_").replace("_", " ") for c in columns]
    share_heatmap(ax, grouped, grouping, columns, labels, "Oranges", "share of articles using the frame",
                  "scored without the frames extractor")
    ax.set_xlabel("generic news frame (Semetko & Valkenburg; decided by framing's frames model)")
    ax.set_title(f"Frames by {by}")
    finish_comparison(fig, grouping)
    return fig
