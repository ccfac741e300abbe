"""Stance figures: how each group of articles portrays each actor."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..codebook import Codebook
from ..compare import MAX_GROUPS, cells, group
from ..stats import MIN_GROUP_SIZE
from .groups import group_heatmap
from .style import actor_labels, comparison_size, finish_comparison, theme


def stance_heatmap(features, codebook: Codebook, by: str = "outlet", max_groups: int = MAX_GROUPS,
                   min_size: int = MIN_GROUP_SIZE):
    """Groups by actors: mean article stance (-1 to +1) over the articles that code the actor."""
    theme()
    grouped, grouping = group(features, by, max_groups, min_size)
    columns = [f"stance_{a}" for a in codebook.actor_ids]
    fig, ax = plt.subplots(figsize=comparison_size(len(columns), len(grouping.groups)))
    group_heatmap(ax, cells(grouped, grouping, columns), grouped, grouping, columns,
                  [actor_labels(codebook)[a] for a in codebook.actor_ids], spec="+.2f", cmap="RdBu",
                  vmin=-1, vmax=1, center=0,
                  cbar_label="mean article stance (-1 unfavourable, +1 favourable)")
    ax.set_xlabel("actor")
    ax.set_title(f"Stance toward actors by {by} (n = articles that code the actor; grey = none)")
    finish_comparison(fig, grouping)
    return fig
