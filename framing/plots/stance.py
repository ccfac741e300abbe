"""Stance figures: how each outlet portrays each actor."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..codebook import Codebook
from .style import actor_labels, article_labels, finish, rotate_actor_labels, theme


def stance_heatmap(features: pd.DataFrame, codebook: Codebook):
    """Outlet by actor: mean sentence stance (-1 to +1), with the number of coded sentences."""
    theme()
    actors = codebook.actor_ids
    values = features[[f"stance_{a}" for a in actors]].astype(float).to_numpy()
    counts = features[[f"stance_n_{a}" for a in actors]].to_numpy()
    table = pd.DataFrame(values, index=article_labels(features),
                         columns=[actor_labels(codebook)[a] for a in actors])
    notes = np.array([[("n=0" if n == 0 else f"{v:+.2f}\n(n={int(n)})") for v, n in zip(vr, nr)]
                      for vr, nr in zip(values, counts)])
    fig, ax = plt.subplots(figsize=(1.25 * len(actors) + 3, 0.9 * len(table) + 2.2))
    sns.heatmap(table, annot=notes, fmt="", cmap="RdBu", vmin=-1, vmax=1, center=0, ax=ax,
                cbar_kws={"label": "mean stance (-1 unfavourable, +1 favourable)"},
                linewidths=0.5, linecolor="white", annot_kws={"fontsize": 8})
    ax.set_facecolor("#eeeeee")
    ax.set_xlabel("actor")
    ax.set_ylabel("outlet, date")
    ax.set_title("Stance toward actors by outlet (n = coded sentences; grey = never coded)")
    rotate_actor_labels(ax)
    finish(fig, features)
    return fig
