"""The framing map: articles placed by a PCA of their framing features, with the loadings shown.

The columns are those :class:`framing.FramingFeatures` emits (selected from an already scored table,
so nothing is parsed again); the projection is a scikit-learn pipeline (StandardScaler, PCA).
To place new texts, fit ``make_pipeline(FramingFeatures(), StandardScaler(), PCA(2))`` on them.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..codebook import Codebook
from ..compare import MAX_GROUPS, group
from ..stats import MIN_GROUP_SIZE
from ..transformer import feature_columns
from .style import article_labels, finish_comparison, short_label, theme

PREFIXES = ("mentions_per_1000_", "stance_", "blame_share_", "share_type_", "share_form_")


MIN_SHARE = 0.05  # a feature enters the map when at least this share of articles has it (non-zero)


def map_features(features: pd.DataFrame, min_share: float = MIN_SHARE) -> pd.DataFrame:
    """The map's columns: the FramingFeatures columns that describe framing (salience, stance, blame
    shares, source types and forms) that at least ``min_share`` of the articles have (a value other
    than 0 and missing), so that rare actors of a large codebook do not drive the axes; a never-coded
    stance counts as 0 (neutral); constants dropped."""
    columns = [c for prefix in PREFIXES for c in feature_columns(features)  # in PREFIXES order, whatever
               if c.startswith(prefix) and not c.startswith("stance_n_")]     # the table's order
    table = features[columns].astype(float).fillna(0.0)
    common = (table != 0).mean() >= min_share
    return table.loc[:, (table.std(ddof=0) > 0) & common]


def framing_map(features: pd.DataFrame, codebook: Codebook, n_loadings: int = 8, by: str = "outlet",
                max_groups: int = MAX_GROUPS, min_size: int = MIN_GROUP_SIZE, labelled: int = 12):
    """Scatter of articles on the first two principal components of the standardised features: one
    point per article, coloured by group (the smallest groups pooled, in grey), each group's centroid
    drawn as a large marker; articles are labelled only when there are at most ``labelled``."""
    theme()
    table = map_features(features)
    projection = make_pipeline(StandardScaler(), PCA(n_components=2, svd_solver="full", random_state=0))
    points = projection.fit_transform(table.to_numpy())
    pca = projection.named_steps["pca"]
    grouped, grouping = group(features, by, max_groups, min_size)
    palette = sns.color_palette("colorblind", max(len(grouping.groups), 1))
    colors = {g: ("#aaaaaa" if g == grouping.other else palette[i % len(palette)])
              for i, g in enumerate(grouping.groups)}
    fig, ax = plt.subplots(figsize=(10.5, 7.5))
    membership = grouped["__group__"].to_numpy()
    size = 90 if len(points) <= 50 else max(8, 3000 / len(points))
    for g in grouping.groups:
        mine = points[membership == g]
        ax.scatter(mine[:, 0], mine[:, 1], s=size, color=colors[g], edgecolor="black", linewidth=0.4,
                   alpha=0.85 if len(points) <= 200 else 0.5, zorder=3,
                   label=f"{short_label(g)} ({len(mine)})")
        if len(mine) > 1:
            cx, cy = mine.mean(axis=0)
            ax.scatter(cx, cy, s=260, marker="X", color=colors[g], edgecolor="black", linewidth=1.2,
                       zorder=5)
    if len(points) <= labelled:
        for (x, y), label in zip(points, article_labels(features)):
            ax.annotate(label.replace("\n", ", "), (x, y), textcoords="offset points", xytext=(6, 6),
                        fontsize=8, zorder=4)
    ax.legend(title=f"{by} (articles); X = centroid", fontsize=7, title_fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False)
    loadings = pca.components_.T * np.sqrt(pca.explained_variance_)
    strongest = np.argsort(-np.linalg.norm(loadings, axis=1))[:n_loadings]
    scale = np.abs(points).max() / max(np.abs(loadings[strongest]).max(), 1e-9) * 0.8
    for j in strongest:
        dx, dy = loadings[j] * scale
        ax.arrow(0, 0, dx, dy, color="#888888", width=0.005, head_width=0.08, zorder=2,
                 length_includes_head=True)
        ax.text(dx * 1.08, dy * 1.08, table.columns[j], fontsize=7, color="#555555", ha="center")
    ax.axhline(0, color="#dddddd", zorder=1)
    ax.axvline(0, color="#dddddd", zorder=1)
    ratio = pca.explained_variance_ratio_
    ax.set_xlabel(f"PC1 ({ratio[0]:.0%} of variance)")
    ax.set_ylabel(f"PC2 ({ratio[1]:.0%} of variance)")
    ax.set_title(f"Framing map: PCA of {table.shape[1]} standardised features of {len(points)} articles "
                 f"(grey arrows: the {len(strongest)} strongest loadings)", fontsize=10)
    finish_comparison(fig, grouping, method=False)
    return fig
