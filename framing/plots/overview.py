"""Overview figures: how much each group of articles (outlet, bias rating, ...) talks about each actor."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..codebook import Codebook
from ..compare import MAX_GROUPS, cells, group
from ..stats import MIN_GROUP_SIZE
from .groups import group_heatmap
from .style import actor_labels, comparison_size, finish_comparison, theme


def actor_salience(features, codebook: Codebook, by: str = "outlet", max_groups: int = MAX_GROUPS,
                   min_size: int = MIN_GROUP_SIZE):
    """Groups by actors: mean counted mentions per 1,000 words, with intervals and article counts."""
    theme()
    grouped, grouping = group(features, by, max_groups, min_size)
    columns = [f"mentions_per_1000_{a}" for a in codebook.actor_ids]
    fig, ax = plt.subplots(figsize=comparison_size(len(columns), len(grouping.groups)))
    group_heatmap(ax, cells(grouped, grouping, columns), grouped, grouping, columns,
                  [actor_labels(codebook)[a] for a in codebook.actor_ids], spec=".1f", cmap="Blues",
                  vmin=0, cbar_label="mentions per 1,000 words (mean over articles)")
    ax.set_xlabel("actor")
    ax.set_title(f"Actor salience by {by}: mentions per 1,000 words")
    finish_comparison(fig, grouping)
    return fig
