"""Groups of articles for comparison figures and tables: which groups are drawn, and their cells.

A comparison aggregates articles by a grouping column (``outlet`` by default, any metadata column on
request: ``bias``, ``mbfc_bias``, ``country``). To stay legible as corpora grow, at most
``max_groups`` groups are drawn, the largest by article count; the others are pooled as one group
"other (K groups)" and the figure says so. Each cell is a group's mean over its articles, with a
bootstrap interval and the article count (:func:`framing.stats.group_means`); a group with fewer
than ``min_size`` articles is drawn apart, without an interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import OptionError
from .stats import MIN_GROUP_SIZE, group_labels, group_means

MAX_GROUPS = 12
GROUP = "__group__"  # the column that holds each article's (possibly pooled) group


@dataclass(frozen=True)
class Grouping:
    """How a table's articles were grouped for a comparison."""

    by: str
    groups: tuple[str, ...]  # drawn, largest first (the pooled group last, if any)
    small: tuple[str, ...]  # drawn apart: fewer than min_size articles
    pooled: tuple[str, ...]  # the groups pooled into "other"
    min_size: int
    one_each: bool  # every group holds one article
    view: str = ""  # which articles were drawn (:func:`own_reporting`), said on every figure

    @property
    def other(self) -> str | None:
        return f"other ({len(self.pooled)} {self.by} groups)" if self.pooled else None

    def caption(self) -> str:
        """The rules a reader needs, in one or two sentences (printed on every comparison figure)."""
        parts = [self.view] if self.view else []
        if self.one_each:
            parts.append(f"One article per {self.by}: differences describe these articles, not the groups.")
        elif self.small:
            parts.append(f"Groups with fewer than {self.min_size} articles are set apart (below the line): "
                         "means only, no interval.")
        if self.pooled:
            parts.append(f"The {len(self.pooled)} smallest {self.by} groups are pooled as '{self.other}'.")
        return " ".join(parts)


def group(features: pd.DataFrame, by: str = "outlet", max_groups: int = MAX_GROUPS,
          min_size: int = MIN_GROUP_SIZE) -> tuple[pd.DataFrame, Grouping]:
    """``features`` with a column :data:`GROUP` (the article's group, the smallest pooled as "other")
    and the :class:`Grouping`. Large groups come first, then small ones, each by size then name."""
    labels = group_labels(features, by)
    sizes = labels.value_counts()
    ranked = sorted(sizes.index, key=lambda g: (-sizes[g], g))
    kept, pooled = ranked[:max_groups], ranked[max_groups:]
    grouping_other = f"other ({len(pooled)} {by} groups)" if pooled else None
    out = features.copy()
    out[GROUP] = labels.where(labels.isin(kept), grouping_other) if pooled else labels
    counts = out[GROUP].value_counts()
    large = [g for g in [*kept, grouping_other] if g and counts[g] >= min_size]
    small = [g for g in [*kept, grouping_other] if g and counts[g] < min_size]
    grouping = Grouping(by=by, groups=tuple(large + small), small=tuple(small), pooled=tuple(pooled),
                        min_size=min_size, one_each=bool(len(sizes)) and int(sizes.max()) == 1,
                        view=str(features.attrs.get(VIEW, "")))
    return out, grouping


VIEW = "framing_view"  # the features table's attrs key that says which articles a figure draws


def own_reporting(features: pd.DataFrame, evidence: pd.DataFrame | None = None,
                  own: bool = False) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The articles a comparison draws, with a note that says which (in ``features.attrs``; the
    figures print it). With ``own``, agency copy (``is_wire``) and copies of an earlier article
    (``is_copy``) are left out; without it, every article is drawn and the note gives their shares.
    Scores without the wire columns are drawn whole, saying so."""
    have = [c for c in ("is_wire", "is_copy") if c in features.columns]
    n = len(features)
    if own and not have:
        raise OptionError("these scores have no is_wire or is_copy column (scored without the wire "
                          "extractor); score the corpus again with it to draw own reporting only")
    if not have:
        out = features.copy()
        out.attrs[VIEW] = "All articles (scored without the wire extractor: agency copy not identified)."
        return out, evidence
    flags = features[have].fillna(0).astype(int).astype(bool)
    none = pd.Series(False, index=features.index)
    wire, copy = flags.get("is_wire", none), flags.get("is_copy", none)
    left_out = wire | copy
    if own:
        out = features.loc[~left_out].reset_index(drop=True)
        if out.empty:
            raise OptionError(f"all {n} articles are agency copy or copies: no own reporting to draw; "
                              "draw them without --own-reporting")
        out.attrs[VIEW] = (f"Own reporting only: {int(left_out.sum())} of {n} articles left out "
                           f"({int(wire.sum())} agency copy, {int(copy.sum())} copies of an earlier "
                           "article).")
        if evidence is not None:
            evidence = evidence[evidence.article_id.isin(set(out["id"]))].reset_index(drop=True)
        return out, evidence
    out = features.copy()
    out.attrs[VIEW] = (f"All articles, agency copy and copies included ({int(wire.sum())} agency copy, "
                       f"{int(copy.sum())} copies of an earlier article, of {n}).")
    return out, evidence


def cells(grouped: pd.DataFrame, grouping: Grouping, columns: list[str], seed: int = 0) -> pd.DataFrame:
    """Long table of one cell per (measure, group): n_articles, mean, ci_low, ci_high, small."""
    table = group_means(grouped, columns, by=GROUP, min_size=grouping.min_size, seed=seed)
    order = {g: i for i, g in enumerate(grouping.groups)}
    table["order"] = table.group.map(order)
    return table.sort_values(["measure", "order"], kind="stable").drop(columns="order").reset_index(drop=True)


def wide(cell_table: pd.DataFrame, grouping: Grouping, columns: list[str], field: str) -> pd.DataFrame:
    """One ``field`` of :func:`cells` as a groups x measures table, in the grouping's order."""
    return cell_table.pivot(index="group", columns="measure", values=field).reindex(
        index=list(grouping.groups), columns=columns)


def evidence_behind(scores, group: str, by: str = "outlet", actor: str | None = None,
                    family: str | None = None, evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """The evidence rows behind one cell of a comparison: the rows of the articles of ``group`` (by
    the column ``by``), of ``actor`` and ``family`` when given, with the group and each article's
    metadata beside them, in article and text order. ``scores`` is a folder written by ``framing
    score``, a :class:`~framing.ScoreResult`, or a features table (then pass ``evidence``)::

        framing.evidence_behind("scores/climate-2019", "right", by="bias", actor="epa", family="stance")
    """
    from .tables import read_tables

    if isinstance(scores, pd.DataFrame):
        features = scores
        if evidence is None:
            raise ValueError("pass evidence= with a features table")
    elif hasattr(scores, "features") and hasattr(scores, "evidence"):
        features, evidence = scores.features, scores.evidence
    else:
        features, evidence = read_tables(scores)
    labels = group_labels(features, by)
    if group not in set(labels):
        raise OptionError(f"no {by} group {group!r}; the groups are: {', '.join(sorted(set(labels)))}")
    ids = features.loc[labels == group, "id"]
    rows = evidence[evidence.article_id.isin(set(ids))]
    if actor is not None:
        rows = rows[rows.actor == actor]
    if family is not None:
        rows = rows[rows.family == family]
    meta = features[["id", by]].rename(columns={"id": "article_id"})
    order = {a: i for i, a in enumerate(ids)}
    rows = rows.merge(meta, on="article_id", how="left")
    rows = rows.assign(_order=rows.article_id.map(order)).sort_values(["_order", "start"], kind="stable")
    return rows.drop(columns="_order").reset_index(drop=True)


def stance_behind(scores, article_id: str, actor: str, evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """The stance rows behind one article value (``stance`` of ``actor`` in ``article_id``), the rows that
    drove it first: each row's ``term`` is its share of the mean (``article_weight``) times its value,
    and the rows are sorted by the term's size (a source's row the value leaves out, weight 0, comes
    last). ``scores`` is a folder written by ``framing score`` or a :class:`~framing.ScoreResult`
    (or None with ``evidence``)::

        framing.stance_behind("scores/afghanistan-2021", "seed-000", "taliban")[["sentence", "value",
                                                                                 "voice", "article_weight"]]
    """
    from .tables import read_tables

    if evidence is None:
        evidence = scores.evidence if hasattr(scores, "evidence") else read_tables(scores)[1]
    rows = evidence[(evidence.family == "stance") & (evidence.article_id == article_id)
                    & (evidence.actor == actor)]
    if not len(rows):
        raise OptionError(f"no stance rows of actor {actor!r} in article {article_id!r}: the article never "
                          "codes its stance toward the actor (or no such article or actor)")
    keep = [c for c in ("article_id", "actor", "sentence_index", "sentence", "start", "end", "label", "value",
                        "cue", "voice", "attributor", "source", "article_weight") if c in rows.columns]
    weight, value = rows.article_weight.astype(float), rows.value.astype(float)
    rows = rows[keep].assign(article_weight=weight, value=value, term=weight * value)
    order = rows.term.abs().sort_values(ascending=False, kind="stable").index
    return rows.loc[order].reset_index(drop=True)


__all__ = ["GROUP", "MAX_GROUPS", "VIEW", "Grouping", "cells", "evidence_behind", "group", "own_reporting",
           "stance_behind", "wide"]
