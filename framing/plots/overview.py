"""Overview figures: how much each outlet talks about each actor."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..codebook import Codebook
from .style import actor_labels, article_labels, rotate_actor_labels, theme


def salience_table(features: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Mentions per 1,000 words, one row per article (labelled by outlet and date), one column per actor."""
    columns = [f"mentions_per_1000_{a}" for a in codebook.actor_ids]
    table = features[columns].astype(float)
    table.columns = [actor_labels(codebook)[a] for a in codebook.actor_ids]
    table.index = article_labels(features)
    return table


def actor_salience(features: pd.DataFrame, codebook: Codebook):
    """Heatmap of actor salience by outlet: counted mentions per 1,000 words, values annotated.

    Each row is one article, labelled with its outlet and date; the bundled corpus has one article
    per outlet, so a row is an outlet's single article, not an outlet average.
    """
    theme()
    table = salience_table(features, codebook)
    counts = features[[f"mentions_{a}" for a in codebook.actor_ids]].to_numpy()
    notes = [[f"{v:.1f}\n(n={int(n)})" for v, n in zip(row, nrow)]
             for row, nrow in zip(table.to_numpy(), counts)]
    fig, ax = plt.subplots(figsize=(1.25 * len(table.columns) + 3, 0.9 * len(table) + 2))
    sns.heatmap(table, annot=pd.DataFrame(notes).to_numpy(), fmt="", cmap="Blues", ax=ax,
                cbar_kws={"label": "mentions per 1,000 words"}, linewidths=0.5, linecolor="white",
                annot_kws={"fontsize": 8})
    ax.set_xlabel("actor")
    ax.set_ylabel("outlet (one article each), date")
    ax.set_title("Actor salience by outlet: mentions per 1,000 words (n = mentions)")
    rotate_actor_labels(ax)
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig
