"""Sourcing figures: whose voice each group of articles relays, of what type, origin and form."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..codebook import Codebook
from ..compare import MAX_GROUPS, cells, group
from ..stats import MIN_GROUP_SIZE
from .groups import group_heatmap
from .style import finish_comparison, theme

FORMS = ("direct", "partial", "indirect", "according_to")


def sourcing_composition(features: pd.DataFrame, evidence: pd.DataFrame, codebook: Codebook,
                         by: str = "outlet", max_groups: int = MAX_GROUPS, min_size: int = MIN_GROUP_SIZE):
    """Three panels, groups by categories: the mean share of an article's attributions by source type,
    by origin and by form (over the articles with at least one attribution)."""
    theme()
    spec = codebook.section("sourcing", needed_by="sourcing figure")
    grouped, grouping = group(features, by, max_groups, min_size)
    quoting = grouped[grouped["n_attributions"].astype(float) > 0]
    panels = [("share_type_", spec["source_types"], "by source type"),
              ("share_origin_", spec["origins"], "by origin"),
              ("share_form_", FORMS, "by form")]
    widths = [len(categories) for _, categories, _ in panels]
    height = 0.62 * len(grouping.groups) + 3.4
    ratios = [w + (1.2 if i == 2 else 0) for i, w in enumerate(widths)]  # the last panel holds the bar
    fig, axes = plt.subplots(1, 3, figsize=(0.95 * sum(widths) + 5, height), sharey=True,
                             gridspec_kw={"wspace": 0.06, "width_ratios": ratios})
    for ax, (prefix, categories, title) in zip(axes, panels):
        columns = [f"{prefix}{c}" for c in categories if f"{prefix}{c}" in features.columns]
        table = cells(quoting if len(quoting) else grouped, grouping, columns)
        group_heatmap(ax, table, grouped, grouping, columns, [c.removeprefix(prefix) for c in columns],
                      spec=".2f", cmap="Greens", vmin=0, vmax=1, cbar_label="mean share of attributions",
                      cbar=ax is axes[-1])
        ax.set_title(title, fontsize=10)
        if ax is not axes[0]:
            ax.set_ylabel("")
    n = len(quoting)
    fig.suptitle(f"Sourcing by {by}: who is quoted or cited ({n} of {len(features)} articles quote or "
                 "cite someone; n = those articles)", fontsize=11)
    finish_comparison(fig, grouping)
    return fig
