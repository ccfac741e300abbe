"""Blame figures: whom each group of articles presents as responsible, and who does the blaming."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..codebook import Codebook
from ..compare import MAX_GROUPS, cells, group
from ..stats import MIN_GROUP_SIZE
from .groups import group_heatmap
from .style import actor_labels, comparison_size, finish_comparison, rotate_actor_labels, theme


def blame_shares(features: pd.DataFrame, codebook: Codebook, by: str = "outlet",
                 max_groups: int = MAX_GROUPS, min_size: int = MIN_GROUP_SIZE):
    """Groups by actors: mean blame share (an actor's share of its article's blame score; 0 where the
    article blames nobody), with intervals and article counts."""
    theme()
    grouped, grouping = group(features, by, max_groups, min_size)
    columns = [f"blame_share_{a}" for a in codebook.actor_ids]
    fig, ax = plt.subplots(figsize=comparison_size(len(columns), len(grouping.groups)))
    group_heatmap(ax, cells(grouped, grouping, columns), grouped, grouping, columns,
                  [actor_labels(codebook)[a] for a in codebook.actor_ids], spec=".2f", cmap="Reds",
                  vmin=0, vmax=1, cbar_label="mean blame share (0 where nothing is blamed)")
    ax.set_xlabel("blamed actor")
    blamed = (features[[f"blame_score_{a}" for a in codebook.actor_ids]].astype(float).sum(axis=1) > 0).sum()
    ax.set_title(f"Blame shares by {by} ({blamed} of {len(features)} articles blame an actor)")
    finish_comparison(fig, grouping)
    return fig


def who_blames_whom(features: pd.DataFrame, evidence: pd.DataFrame, codebook: Codebook):
    """Attributor (who blames) by blamed actor: blame codes of weight above 0 summed over all articles
    (the ``blame_pairs`` table, :func:`framing.tidy.blame_pairs`), for the codebook's actors."""
    from ..tidy import blame_pairs

    theme()
    labels = actor_labels(codebook)
    attributors = ["author", *codebook.actor_ids, "other"]
    pairs = blame_pairs(evidence[evidence.article_id.isin(set(features["id"]))])
    counts = pairs.groupby(["blamer", "blamed"]).n.sum()
    matrix = pd.DataFrame(
        [[float(counts.get((b, a), 0)) for a in codebook.actor_ids] for b in attributors],
        index=["the author", *[labels[a] for a in codebook.actor_ids], "other sources"],
        columns=[labels[a] for a in codebook.actor_ids])
    matrix = matrix.loc[matrix.sum(axis=1) > 0]
    fig, ax = plt.subplots(figsize=(1.1 * len(matrix.columns) + 3, 0.6 * max(len(matrix), 1) + 2))
    if len(matrix):
        sns.heatmap(matrix, annot=True, fmt="g", cmap="Reds", ax=ax, cbar_kws={"label": "blame codes"},
                    linewidths=0.5, linecolor="white")
    else:
        ax.text(0.5, 0.5, "no blame codes", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("blamed actor")
    ax.set_ylabel("who blames (attributor)")
    ax.set_title(f"Who blames whom: blame codes with weight > 0 in {len(features)} articles")
    rotate_actor_labels(ax)
    fig.tight_layout()
    return fig
