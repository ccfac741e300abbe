"""Roles figure: whom each group of articles casts as villain, hero and victim."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..codebook import Codebook
from ..compare import MAX_GROUPS, group
from ..extract.roles import ROLES
from ..stats import MIN_GROUP_SIZE
from .groups import share_heatmap
from .style import actor_labels, comparison_size, finish_comparison, theme

CMAPS = {"villain": "Reds", "hero": "Greens", "victim": "Purples"}


def role_shares(
    features,
    codebook: Codebook,
    by: str = "outlet",
    max_groups: int = MAX_GROUPS,
    min_size: int = MIN_GROUP_SIZE,
):
    """Three panels (villain, hero, victim), groups by actors: the share of the group's articles that
    cast the actor in the role (``role_<role>_present__<actor>``; 0 where the article does not mention
    the actor), with intervals and article counts."""
    theme()
    grouped, grouping = group(features, by, max_groups, min_size)
    labels = actor_labels(codebook)
    width, height = comparison_size(len(codebook.actor_ids), len(grouping.groups))
    fig, axes = plt.subplots(len(ROLES), 1, figsize=(width, height * len(ROLES) * 0.8), squeeze=False)
    for ax, role in zip(axes[:, 0], ROLES):
        columns = [f"role_{role}_present__{a}" for a in codebook.actor_ids]
        share_heatmap(ax, grouped, grouping, columns if all(c in features.columns for c in columns) else [],
                      [labels[a] for a in codebook.actor_ids], CMAPS[role], f"share cast as {role}",
                      "scored without the roles extractor")
        ax.set_title(f"{role.capitalize()}: share of articles that cast the actor as {role}, by {by}")
    finish_comparison(fig, grouping)
    return fig
