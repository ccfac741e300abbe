"""Blame figures: whom each outlet presents as responsible, and who does the blaming."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..codebook import Codebook
from .style import actor_labels, article_labels, finish, rotate_actor_labels, theme

FOCUS = ("us", "taliban", "daesh")


def blame_shares(features: pd.DataFrame, codebook: Codebook):
    """Stacked bars per outlet: blame share of the US, the Taliban, Daesh and all other actors."""
    theme()
    colors = codebook.colors()
    labels = actor_labels(codebook)
    focus = [a for a in FOCUS if a in codebook.actors]
    others = [a for a in codebook.actor_ids if a not in focus]
    shares = pd.DataFrame({labels[a]: features[f"blame_share_{a}"].astype(float) for a in focus})
    shares["other actors"] = features[[f"blame_share_{a}" for a in others]].astype(float).sum(axis=1)
    shares.index = article_labels(features)
    scores = features[[f"blame_score_{a}" for a in codebook.actor_ids]].astype(float).sum(axis=1)
    fig, ax = plt.subplots(figsize=(9, 0.8 * len(shares) + 2))
    left = np.zeros(len(shares))
    palette = [colors[a] for a in focus] + ["#bbbbbb"]
    for column, color in zip(shares.columns, palette):
        ax.barh(shares.index, shares[column], left=left, color=color, label=column, edgecolor="white")
        for i, (x, w) in enumerate(zip(left, shares[column])):
            if w >= 0.08:
                ax.text(x + w / 2, i, f"{w:.0%}", ha="center", va="center", fontsize=8, color="white")
        left += shares[column].to_numpy()
    for i, total in enumerate(scores):
        ax.text(1.01, i, f"score {total:g}" if total else "nothing blamed", va="center", fontsize=8)
    ax.set_xlim(0, 1.2)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_xlabel("share of the article's blame score")
    ax.invert_yaxis()
    ax.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.45, 1.0), frameon=False, fontsize=8)
    ax.set_title("Blame shares by outlet", pad=28)
    finish(fig, features)
    return fig


def who_blames_whom(features: pd.DataFrame, codebook: Codebook):
    """Attributor (who blames) by blamed actor: blame codes summed over all articles."""
    theme()
    labels = actor_labels(codebook)
    attributors = ["author", *codebook.actor_ids, "other"]
    matrix = pd.DataFrame(
        [[features[f"blamer_{b}__{a}"].astype(float).sum() for a in codebook.actor_ids]
         for b in attributors],
        index=["the author", *[labels[a] for a in codebook.actor_ids], "other sources"],
        columns=[labels[a] for a in codebook.actor_ids])
    matrix = matrix.loc[matrix.sum(axis=1) > 0]
    fig, ax = plt.subplots(figsize=(1.1 * len(matrix.columns) + 3, 0.6 * len(matrix) + 2))
    sns.heatmap(matrix, annot=True, fmt="g", cmap="Reds", ax=ax, cbar_kws={"label": "blame codes"},
                linewidths=0.5, linecolor="white")
    ax.set_xlabel("blamed actor")
    ax.set_ylabel("who blames (attributor)")
    ax.set_title(f"Who blames whom: blame codes with weight > 0 in {len(features)} articles")
    rotate_actor_labels(ax)
    fig.tight_layout()
    return fig
