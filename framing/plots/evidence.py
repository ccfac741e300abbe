"""The evidence view: one article's coded sentences, marked by the families of codes they carry."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Rectangle

from .style import theme

FAMILY_COLORS = {"actor": "#4c72b0", "stance": "#dd8452", "blame": "#c44e52", "attribution": "#55a868"}


def evidence_view(evidence: pd.DataFrame, article_id: str, title: str = "", width: int = 110):
    """Each coded sentence of ``article_id`` with one coloured box per family of codes it carries."""
    theme()
    rows = evidence[evidence.article_id == article_id]
    sentences = (rows.groupby("sentence_index")
                 .agg(sentence=("sentence", "first"), families=("family", lambda f: set(f)))
                 .sort_index())
    lines = [(index, textwrap.wrap(" ".join(r.sentence.split()), width) or [""], r.families)
             for index, r in sentences.iterrows()]
    height = sum(len(wrapped) for _, wrapped, _ in lines) * 0.19 + len(lines) * 0.08 + 1.4
    fig, ax = plt.subplots(figsize=(12, height))
    ax.set_axis_off()
    total = sum(len(wrapped) for _, wrapped, _ in lines) + len(lines) * 0.4
    y = total
    for index, wrapped, families in lines:
        for k, family in enumerate(FAMILY_COLORS):
            color = FAMILY_COLORS[family] if family in families else "#eeeeee"
            ax.add_patch(Rectangle((k * 0.9, y - 0.8), 0.8, 0.8, color=color))
        ax.text(4.0, y - 0.4, f"{index:>3}", fontsize=7, va="center", family="DejaVu Sans Mono")
        for line in wrapped:
            ax.text(6.2, y - 0.4, line, fontsize=7.5, va="center")
            y -= 1
        y -= 0.4
    ax.set_xlim(0, 90)
    ax.set_ylim(0, total + 0.5)
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in FAMILY_COLORS.values()]
    ax.legend(handles, list(FAMILY_COLORS), ncol=4, loc="lower left", bbox_to_anchor=(0, 1.0),
              frameon=False, fontsize=8)
    ax.set_title(title or f"Evidence view of article {article_id}: coded sentences", loc="left",
                 fontsize=10, pad=22)
    fig.tight_layout()
    return fig
