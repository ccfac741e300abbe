"""The framing map: articles placed by a PCA of their framing features, with the loadings shown.

The columns are those :class:`framing.FramingFeatures` emits (selected from an already scored table,
so nothing is parsed again); the projection is a scikit-learn pipeline (StandardScaler, PCA).
To place new texts, fit ``make_pipeline(FramingFeatures(), StandardScaler(), PCA(2))`` on them.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..codebook import Codebook
from ..transformer import feature_columns
from .style import article_labels, finish, outlet_colors, theme

PREFIXES = ("mentions_per_1000_", "stance_", "blame_share_", "share_type_", "share_form_")


def map_features(features: pd.DataFrame) -> pd.DataFrame:
    """The map's columns: the FramingFeatures columns that describe framing (salience, stance, blame
    shares, source types and forms); a never-coded stance counts as 0 (neutral); constants dropped."""
    columns = [c for c in feature_columns(features)
               if c.startswith(PREFIXES) and not c.startswith("stance_n_")]
    table = features[columns].astype(float).fillna(0.0)
    return table.loc[:, table.std(ddof=0) > 0]


def framing_map(features: pd.DataFrame, codebook: Codebook, n_loadings: int = 8):
    """Scatter of articles on the first two principal components of the standardised features."""
    theme()
    table = map_features(features)
    projection = make_pipeline(StandardScaler(), PCA(n_components=2, svd_solver="full", random_state=0))
    points = projection.fit_transform(table.to_numpy())
    pca = projection.named_steps["pca"]
    labels = article_labels(features)
    colors = outlet_colors(features)
    fig, ax = plt.subplots(figsize=(10, 7.5))
    for (x, y), label in zip(points, labels):
        ax.scatter(x, y, s=90, color=colors[label], edgecolor="black", zorder=3)
        ax.annotate(label.replace("\n", ", "), (x, y), textcoords="offset points", xytext=(6, 6),
                    fontsize=8, zorder=4)
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
    ax.set_title(f"Framing map: PCA of {table.shape[1]} standardised article features "
                 f"(grey arrows: the {len(strongest)} strongest loadings)", fontsize=10)
    finish(fig, features)
    return fig
