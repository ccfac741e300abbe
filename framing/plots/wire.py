"""Wire figure: how much of each group's coverage is agency copy or a copy of an earlier article."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..codebook import Codebook
from ..compare import MAX_GROUPS, group
from ..stats import MIN_GROUP_SIZE
from .groups import share_heatmap
from .style import comparison_size, finish_comparison, theme

COLUMNS = {"is_wire": "agency copy (wire_source)", "is_copy": "copy of an earlier article (is_copy)"}


def wire_shares(features: pd.DataFrame, codebook: Codebook, by: str = "outlet",
                max_groups: int = MAX_GROUPS, min_size: int = MIN_GROUP_SIZE):
    """Groups by the share of their articles that are agency copy and that copy an earlier article of
    the corpus, with intervals and article counts."""
    theme()
    columns = [c for c in COLUMNS if c in features.columns]
    data = features.copy()
    data[columns] = data[columns].astype(float)
    grouped, grouping = group(data, by, max_groups, min_size)
    fig, ax = plt.subplots(figsize=comparison_size(max(len(columns), 2), len(grouping.groups)))
    share_heatmap(ax, grouped, grouping, columns, [COLUMNS[c] for c in columns], "Purples",
                  "share of articles", "scored without the wire extractor")
    n_wire = int(data["is_wire"].sum()) if "is_wire" in data else 0
    n_copy = int(data["is_copy"].sum()) if "is_copy" in data else 0
    ax.set_title(f"Agency copy and copies by {by} ({n_wire} agency copy, {n_copy} copies, "
                 f"{len(features)} articles)")
    finish_comparison(fig, grouping)
    return fig
