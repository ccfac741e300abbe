"""The comparison heatmap every group figure uses: groups by measures, each cell the group's mean,
its 95% bootstrap interval and its number of articles; small groups set apart below a line."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import seaborn as sns

from ..compare import Grouping, cells, wide
from .style import short_label


def _fmt(value: float, spec: str) -> str:
    text = format(value, spec)
    return text.lstrip("+-") if float(text) == 0 else text  # no "-0.00"


def cell_notes(cell_table: pd.DataFrame, grouping: Grouping, columns: list[str], spec: str) -> np.ndarray:
    """The text of each cell: mean, [low, high] and n (or "n=0" where no article has a value)."""
    mean = wide(cell_table, grouping, columns, "mean")
    low = wide(cell_table, grouping, columns, "ci_low")
    high = wide(cell_table, grouping, columns, "ci_high")
    n = wide(cell_table, grouping, columns, "n_articles").fillna(0).astype(int)
    notes = []
    for g in mean.index:
        row = []
        for c in mean.columns:
            if n.loc[g, c] == 0:
                row.append("n=0")
            elif np.isnan(low.loc[g, c]):
                row.append(f"{_fmt(mean.loc[g, c], spec)}\nn={n.loc[g, c]}")
            else:
                row.append(f"{_fmt(mean.loc[g, c], spec)}\n[{_fmt(low.loc[g, c], spec)}, "
                           f"{_fmt(high.loc[g, c], spec)}]\nn={n.loc[g, c]}")
        notes.append(row)
    return np.array(notes, dtype=object)


def group_row_labels(grouped: pd.DataFrame, grouping: Grouping) -> list[str]:
    counts = grouped["__group__"].value_counts()
    return [f"{short_label(g)} ({counts[g]})" for g in grouping.groups]


def group_heatmap(ax, cell_table: pd.DataFrame, grouped: pd.DataFrame, grouping: Grouping,
                  columns: list[str], column_labels: list[str], spec: str = ".2f", cbar_label: str = "",
                  cbar: bool = True, **heatmap) -> None:
    """Draw the comparison heatmap on ``ax`` (``heatmap`` goes to seaborn: cmap, vmin, vmax, center)."""
    mean = wide(cell_table, grouping, columns, "mean")
    mean.index = group_row_labels(grouped, grouping)
    mean.columns = column_labels
    notes = cell_notes(cell_table, grouping, columns, spec)
    with warnings.catch_warnings():  # seaborn's own use of a colormap API matplotlib deprecates
        warnings.filterwarnings("ignore", message="The set_bad function will be deprecated")
        sns.heatmap(mean, annot=notes, fmt="", ax=ax, linewidths=0.5, linecolor="white", cbar=cbar,
                    cbar_kws={"label": cbar_label} if cbar else None, annot_kws={"fontsize": 6.5}, **heatmap)
    ax.set_facecolor("#eeeeee")
    if grouping.small and len(grouping.small) < len(grouping.groups):
        ax.axhline(len(grouping.groups) - len(grouping.small), color="black", linewidth=1.5)
    ax.set_ylabel(f"{grouping.by} (articles)")
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


def share_heatmap(ax, grouped: pd.DataFrame, grouping: Grouping, columns: list[str], column_labels: list[str],
                  cmap: str, cbar_label: str, missing: str) -> None:
    """A heatmap of 0/1 columns as shares of each group's articles (0 to 1, with intervals and counts),
    or, when ``columns`` is empty (scored without the extractor), the ``missing`` message."""
    if columns:
        group_heatmap(ax, cells(grouped, grouping, columns), grouped, grouping, columns, column_labels,
                      spec=".2f", cmap=cmap, vmin=0, vmax=1, cbar_label=cbar_label)
    else:
        ax.text(0.5, 0.5, missing, ha="center", va="center", transform=ax.transAxes)
