"""Actor groups by group of articles: stance, salience, blame and roles toward the actors that share
an attribute (``framing figures --actors-by party``: Democrats vs Republicans by outlet).

Each panel pools the actors of each attribute value per article as :func:`framing.contrast.pooled`
does (stance weighted by sentences; salience and blame shares summed; a role's largest probability),
then draws each group's mean, interval and article count as every comparison figure does.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..compare import MAX_GROUPS, cells, group
from ..contrast import measure_columns, pooled
from ..errors import OptionError
from ..stats import MIN_GROUP_SIZE
from .groups import group_heatmap
from .style import comparison_size, finish_comparison, short_label, theme

# (measure of framing.contrast, panel title, heatmap options)
PANELS = (
    ("stance", "stance (-1 to +1)", {"spec": "+.2f", "cmap": "RdBu", "vmin": -1, "vmax": 1, "center": 0}),
    ("mentions_per_1000", "mentions per 1,000 words", {"spec": ".1f", "cmap": "Blues", "vmin": 0}),
    ("blame_share", "blame share", {"spec": ".2f", "cmap": "Reds", "vmin": 0, "vmax": 1}),
    ("role_villain", "villain (probability)", {"spec": ".2f", "cmap": "Reds", "vmin": 0, "vmax": 1}),
    ("role_hero", "hero (probability)", {"spec": ".2f", "cmap": "Greens", "vmin": 0, "vmax": 1}),
    ("role_victim", "victim (probability)", {"spec": ".2f", "cmap": "Purples", "vmin": 0, "vmax": 1}),
)


def check_attribute(codebook: Codebook, attribute: str) -> None:
    """An error naming the declared attributes when ``codebook`` does not declare ``attribute``."""
    if attribute not in codebook.attributes:
        declared = ", ".join(codebook.attributes) or "none"
        raise OptionError(f"--actors-by {attribute}: codebook {codebook.name!r} declares no such actor "
                          f"attribute (declared: {declared}); see docs/codebook.md, 'Actor attributes'")


def pooled_columns(features: pd.DataFrame, codebook: Codebook, attribute: str) -> tuple[pd.DataFrame, dict]:
    """``features`` with one column per (measure, attribute value) that has actors, and
    ``{measure: [(column, value), ...]}`` (measures the scores have no columns for are left out)."""
    check_attribute(codebook, attribute)
    out, panels = features.copy(), {}
    for measure, _, _ in PANELS:
        for value in codebook.attributes[attribute]:
            actors = codebook.actors_with(attribute, value)
            if not actors or not all(c in features.columns for c in measure_columns(measure, actors)):
                continue
            column = f"__{measure}__{value}"
            out[column] = pooled(features, measure, actors)
            panels.setdefault(measure, []).append((column, value))
    return out, panels


def actor_group_panels(features: pd.DataFrame, codebook: Codebook, attribute: str, by: str = "outlet",
                       max_groups: int = MAX_GROUPS, min_size: int = MIN_GROUP_SIZE):
    """Up to six panels (stance, salience, blame share, villain, hero, victim), groups by the values of
    ``attribute``, each cell a group's mean over its articles with a value, with interval and count."""
    theme()
    table, panels = pooled_columns(features, codebook, attribute)
    if not panels:
        raise OptionError(f"--actors-by {attribute}: no actor of codebook {codebook.name!r} has a value "
                          "of it")
    grouped, grouping = group(table, by, max_groups, min_size)
    drawn = [p for p in PANELS if p[0] in panels]
    n_values = max(len(v) for v in panels.values())
    width, height = comparison_size(n_values, len(grouping.groups))
    n_rows = int(np.ceil(len(drawn) / 3))
    fig, axes = plt.subplots(n_rows, min(3, len(drawn)), figsize=(min(3, len(drawn)) * (width - 2.5),
                                                                    height * n_rows * 0.9), squeeze=False)
    for k, (ax, (measure, title, options)) in enumerate(zip(axes.flat, drawn)):
        columns = [c for c, _ in panels[measure]]
        options = dict(options)
        spec = options.pop("spec")
        group_heatmap(ax, cells(grouped, grouping, columns), grouped, grouping, columns,
                      [short_label(v, 20) for _, v in panels[measure]], spec=spec, cbar_label="", **options)
        ax.set_title(title)
        ax.set_xlabel(attribute)
        if k % 3:
            ax.set_ylabel("")
            ax.set_yticklabels([])
    for ax in list(axes.flat)[len(drawn):]:
        ax.set_visible(False)
    fig.suptitle(f"Actors grouped by {attribute}, by {by}: actors of one {attribute} pooled per article "
                 "(stance weighted by sentences; salience and blame summed; a role's largest probability)",
                 fontsize=10)
    finish_comparison(fig, grouping)
    return fig


__all__ = ["PANELS", "actor_group_panels", "check_attribute", "pooled_columns"]
