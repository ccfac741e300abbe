"""Tidy tables: one row per (article, actor) the article codes, and one per (article, blamer, blamed,
kind) of blame, derived from the features and evidence of the same articles.

A codebook of a hundred actors gives the article-level ``features`` table thousands of per-actor
columns; these long tables hold the same per-actor measures with one row per pair that exists, so a
study reads, filters and pools actors with ordinary ``groupby``/``merge``. ``framing score`` writes both
beside ``features`` and ``evidence`` (``actors.parquet``/``.csv``, ``blame_pairs.parquet``/``.csv``);
:meth:`framing.ScoreResult.actors` and :meth:`~framing.ScoreResult.blame_pairs` give them in memory, and
:func:`wide` turns the actors table back into wide columns for the few actors a user names.

``actors`` columns (docs/codebook.md, "Tables"): ``article_id, actor, mentions, mentions_per_1000,
first_mention, stance, stance_n, blame_score, blame_share, denials, blamed_n, blames_n, role_villain,
role_hero, role_victim, role_villain_present, role_hero_present, role_victim_present, speaks_n,
speaks_direct, speaks_partial, speaks_indirect, speaks_according_to``. A pair is listed when the
article mentions the actor, has a stance sentence toward it, blames it or has it blame, or quotes or
cites it; a measure whose extractor did not run is missing (NaN).

``blame_pairs`` columns: ``article_id, blamer`` (an actor id, ``author`` or ``other``), ``blamed``,
``kind`` (the blame code: accusation, causal, harmful_action, responsibility, ...), ``n`` (blame codes
with weight above 0). Every number in both tables is computable from the article's evidence rows, like
every feature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# per-actor columns of the features table: (long column, wide prefix)
_FROM_FEATURES = (
    ("mentions", "mentions_"), ("mentions_per_1000", "mentions_per_1000_"),
    ("first_mention", "first_mention_"),
    ("stance", "stance_"), ("stance_n", "stance_n_"), ("blame_score", "blame_score_"),
    ("blame_share", "blame_share_"), ("denials", "denials_"),
    ("role_villain", "role_villain__"), ("role_hero", "role_hero__"), ("role_victim", "role_victim__"),
    ("role_villain_present", "role_villain_present__"), ("role_hero_present", "role_hero_present__"),
    ("role_victim_present", "role_victim_present__"),
)
FORMS = ("direct", "partial", "indirect", "according_to")
ACTOR_COLUMNS = ["article_id", "actor", *(c for c, _ in _FROM_FEATURES), "blamed_n", "blames_n", "speaks_n",
                 *(f"speaks_{f}" for f in FORMS)]
BLAME_PAIR_COLUMNS = ["article_id", "blamer", "blamed", "kind", "n"]
_COUNTS = {"blamed_n", "blames_n", "speaks_n", *(f"speaks_{f}" for f in FORMS)}


def actor_ids(features: pd.DataFrame) -> list[str]:
    """The codebook's actor ids, in order, read from a features table's ``mentions_<actor>`` columns."""
    return [c[len("mentions_"):] for c in features.columns
            if c.startswith("mentions_") and not c.startswith("mentions_per_1000_")]


def actor_table(features: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """One row per (article, actor) the article codes (see the module docstring), in article order, then
    codebook order; fixed columns and types, so that tables built from parts concatenate."""
    actors = actor_ids(features)
    ids = features["id"].astype(str).to_numpy()
    n_articles, n_actors = len(ids), len(actors)
    columns: dict[str, np.ndarray] = {}
    for name, prefix in _FROM_FEATURES:
        wide_columns = [f"{prefix}{a}" for a in actors]
        block = np.full((n_articles, n_actors), np.nan)
        present = [k for k, c in enumerate(wide_columns) if c in features.columns]
        if present:
            block[:, present] = features[[wide_columns[k] for k in present]].astype(float).to_numpy()
        columns[name] = block
    position = {a: k for k, a in enumerate(actors)}
    row_of = {article: k for k, article in enumerate(ids)}
    counts = {name: np.zeros((n_articles, n_actors)) for name in _COUNTS}
    for name, family, key, condition in (
            ("blamed_n", "blame", "actor", lambda e: e.value > 0),
            ("blames_n", "blame", "attributor", lambda e: e.value > 0),
            ("speaks_n", "attribution", "actor", None),
            *((f"speaks_{f}", "attribution", "actor", (lambda e, f=f: e.label == f)) for f in FORMS)):
        rows = evidence[evidence.family == family] if len(evidence) else evidence
        if key not in rows.columns or not len(rows):
            continue
        if condition is not None:
            rows = rows[condition(rows).fillna(False).astype(bool)]
        for (article, actor), n in rows.groupby(["article_id", key], sort=False).size().items():
            if article in row_of and actor in position:
                counts[name][row_of[article], position[actor]] += n
    columns.update(counts)
    coded = (np.nan_to_num(columns["mentions"]) > 0) | (np.nan_to_num(columns["stance_n"]) > 0) \
        | (counts["blamed_n"] > 0) | (counts["blames_n"] > 0) | (counts["speaks_n"] > 0)
    article_index, actor_index = np.nonzero(coded)
    table = pd.DataFrame({"article_id": pd.array(ids[article_index], dtype="string"),
                          "actor": pd.array(np.asarray(actors, dtype=object)[actor_index] if n_actors else [],
                                            dtype="string")})
    for name in ACTOR_COLUMNS[2:]:
        values = columns[name][article_index, actor_index]
        table[name] = values.astype("int64") if name in _COUNTS else values.astype("float64")
    return table[ACTOR_COLUMNS]


def blame_pairs(evidence: pd.DataFrame) -> pd.DataFrame:
    """Who blames whom, how, how often: one row per (article, blamer, blamed, kind) with ``n`` blame
    codes of weight above 0, in article order."""
    if not len(evidence) or "attributor" not in evidence.columns:
        return _empty_pairs()
    rows = evidence[(evidence.family == "blame") & (evidence.value > 0)]
    if not len(rows):
        return _empty_pairs()
    order = {a: k for k, a in enumerate(dict.fromkeys(rows.article_id))}
    counted = (rows.groupby(["article_id", "attributor", "actor", "label"], sort=False).size()
               .rename("n").reset_index())
    counted = counted.rename(columns={"attributor": "blamer", "actor": "blamed", "label": "kind"})
    counted["position"] = counted.article_id.map(order)
    counted = counted.sort_values(["position", "blamer", "blamed", "kind"], kind="stable")
    return _typed_pairs(counted[BLAME_PAIR_COLUMNS].reset_index(drop=True))


def _empty_pairs() -> pd.DataFrame:
    return _typed_pairs(pd.DataFrame({c: [] for c in BLAME_PAIR_COLUMNS}))


def _typed_pairs(table: pd.DataFrame) -> pd.DataFrame:
    for column in BLAME_PAIR_COLUMNS[:4]:
        table[column] = table[column].astype("string")
    table["n"] = table["n"].astype("int64")
    return table


def wide(actor_rows: pd.DataFrame, actors: list[str], measures: list[str] | None = None) -> pd.DataFrame:
    """The wide view of the actors table for the ``actors`` a user names: one row per article of the
    table (an article that codes no actor has no row), columns ``<measure>_<actor>`` (``stance_russia``),
    missing where the article does not code the actor."""
    measures = measures or [c for c in ACTOR_COLUMNS[2:]]
    unknown = [m for m in measures if m not in ACTOR_COLUMNS[2:]]
    if unknown:
        raise ValueError(f"unknown measures {unknown}; the actors table has {ACTOR_COLUMNS[2:]}")
    picked = actor_rows[actor_rows.actor.isin(actors)]
    table = picked.pivot(index="article_id", columns="actor", values=measures)
    table.columns = [f"{m}_{a}" for m, a in table.columns]
    ordered = [f"{m}_{a}" for a in actors for m in measures if f"{m}_{a}" in table.columns]
    articles = list(dict.fromkeys(actor_rows.article_id))
    return table.reindex(index=articles, columns=ordered).reset_index()


__all__ = ["ACTOR_COLUMNS", "BLAME_PAIR_COLUMNS", "actor_table", "blame_pairs", "wide"]
