"""Sourcing figures: whose voice each outlet relays, in what form, of what type and origin."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..codebook import Codebook
from .style import article_labels, finish, theme

FORMS = ("direct", "partial", "indirect", "according_to")


def _stacked(ax, table: pd.DataFrame, palette, title: str) -> None:
    left = np.zeros(len(table))
    for column, color in zip(table.columns, palette):
        ax.barh(table.index, table[column], left=left, color=color, label=column, edgecolor="white")
        for i, (x, w) in enumerate(zip(left, table[column])):
            if w >= 1:
                ax.text(x + w / 2, i, f"{int(w)}", ha="center", va="center", fontsize=7)
        left += table[column].to_numpy()
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower right", frameon=True)
    ax.set_xlabel("attributions")


def sourcing_composition(features: pd.DataFrame, evidence: pd.DataFrame, codebook: Codebook):
    """Three panels per outlet: attributions by source type, by origin, and by form."""
    theme()
    spec = codebook.section("sourcing", needed_by="sourcing figure")
    rows = evidence[evidence.family == "attribution"]
    index = article_labels(features)
    by_id = dict(zip(features["id"], index))

    def counts(column: str, categories) -> pd.DataFrame:
        table = pd.crosstab(rows["article_id"].map(by_id), rows[column])
        return table.reindex(index=list(index), columns=list(categories), fill_value=0)

    types = counts("source_type", spec["source_types"])
    origins = counts("origin", spec["origins"])
    forms = counts("form", FORMS)
    fig, axes = plt.subplots(1, 3, figsize=(17, 0.8 * len(index) + 2.5), sharey=True)
    _stacked(axes[0], types, sns.color_palette("tab10", len(types.columns)), "by source type")
    _stacked(axes[1], origins, sns.color_palette("tab20", len(origins.columns)), "by origin")
    _stacked(axes[2], forms, sns.color_palette("Greens_r", len(forms.columns)),
             "by form (direct and partial quotes vs. indirect)")
    axes[0].invert_yaxis()
    fig.suptitle("Sourcing by outlet: who is quoted or cited", fontsize=12)
    finish(fig, features)
    return fig
