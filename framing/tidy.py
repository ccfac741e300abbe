"""Tidy tables: article-level ``features``, one row per (article, actor) the article codes
(``actors``), and one per (article, blamer, blamed, kind) of blame (``blame_pairs``).

The extractors compute per-actor measures as features of an article (``stance_russia``); a codebook of a
hundred actors would give a table of one row per article thousands of columns, nearly all zero. So
``framing score`` writes those measures as the long ``actors`` table, one row per pair that exists, and
``features`` keeps the article-level measures (frames, wire, sourcing composition, counts): a study
reads, filters and pools actors with ordinary ``groupby``/``merge``. :func:`split` makes the written
tables from the extractors' output (with ``blame_pairs`` and ``voices``, from the evidence);
:func:`wide` and :func:`with_actors` give the wide view back for
the actors a user names (``framing.read_scores(folder, actors=[...])``).

``actors`` columns (docs/codebook.md, "Tables"): ``article_id, actor, mentions, mentions_per_1000,
first_mention, stance, stance_n, stance_label, stance_mean, stance_author, stance_author_n,
stance_sources, stance_sources_n, blame_score, blame_share, denials, role_villain,
role_hero, role_victim, role_villain_present, role_hero_present, role_victim_present, blamed_n,
blames_n, speaks_n, speaks_direct, speaks_partial, speaks_indirect, speaks_according_to``. A pair is
listed when the article mentions the actor, has a stance sentence toward it, blames it or has it
blame, or quotes or cites it. A measure whose extractor did not run is missing (NaN; the counts are 0),
and ``run.json`` lists the extractors that ran.

``blame_pairs`` columns: ``article_id, blamer`` (an actor id, ``author`` or ``other``), ``blamed``,
``kind`` (the blame code: accusation, causal, harmful_action, responsibility, ...), ``n`` (blame codes
with weight above 0). Every number in both tables is computable from the article's evidence rows, like
every feature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# per-actor measures the extractors compute: (column of the actors table, prefix of the extractors'
# feature names, the extractor that computes it, the value of an article that does not code the actor)
_FROM_FEATURES = (
    ("mentions", "mentions_", "actors", 0.0), ("mentions_per_1000", "mentions_per_1000_", "actors", 0.0),
    ("first_mention", "first_mention_", "actors", np.nan),
    ("stance", "stance_", "stance", np.nan), ("stance_n", "stance_n_", "stance", 0.0),
    ("stance_mean", "stance_mean_", "stance", np.nan),
    ("stance_author", "stance_author_", "stance", np.nan),
    ("stance_author_n", "stance_author_n_", "stance", 0.0),
    ("stance_sources", "stance_sources_", "stance", np.nan),
    ("stance_sources_n", "stance_sources_n_", "stance", 0.0),
    ("blame_score", "blame_score_", "blame", 0.0), ("blame_share", "blame_share_", "blame", 0.0),
    ("denials", "denials_", "blame", 0.0),
    ("role_villain", "role_villain__", "roles", 0.0), ("role_hero", "role_hero__", "roles", 0.0),
    ("role_victim", "role_victim__", "roles", 0.0),
    ("role_villain_present", "role_villain_present__", "roles", 0.0),
    ("role_hero_present", "role_hero_present__", "roles", 0.0),
    ("role_victim_present", "role_victim_present__", "roles", 0.0),
)
PREFIX = {name: prefix for name, prefix, _, _ in _FROM_FEATURES}
DEFAULT = {name: default for name, _, _, default in _FROM_FEATURES}
FORMS = ("direct", "partial", "indirect", "according_to")
_COUNTS = ("blamed_n", "blames_n", "speaks_n", *(f"speaks_{f}" for f in FORMS))
_LABELLED = {"stance_n": "stance_label"}  # a label after these
ACTOR_COLUMNS = ["article_id", "actor",
                 *(c for name, *_ in _FROM_FEATURES for c in (name, _LABELLED.get(name)) if c), *_COUNTS]
VOICE_COLUMNS = ["article_id", "speaker", "source", "target", "stance", "n", "negative", "neutral",
                 "positive"]
MEASURES = [c for c in ACTOR_COLUMNS[2:] if not c.endswith("_label")]  # the numeric measures
BLAME_PAIR_COLUMNS = ["article_id", "blamer", "blamed", "kind", "n"]


def actor_measures(extractors) -> list[str]:
    """The actors table's measures that a run of ``extractors`` (names, as ``run.json`` records them)
    computes: the others are missing in its table (their extractor did not run)."""
    ran = set(extractors)
    computed = [name for name, _, extractor, _ in _FROM_FEATURES if extractor in ran]
    counted = [c for c in _COUNTS if ("blame" if c.startswith("blame") else "attribution") in ran]
    return computed + counted


def is_actor_column(column: str, actors) -> bool:
    """Whether ``column`` of an extractor's features is a per-actor measure of one of ``actors``."""
    return any(column.startswith(prefix) and column[len(prefix):] in actors
               for _, prefix, _, _ in _FROM_FEATURES)


def article_features(features: pd.DataFrame, actors) -> pd.DataFrame:
    """``features`` without the per-actor columns of ``actors``: the article-level table."""
    actors = set(actors)
    return features[[c for c in features.columns if not is_actor_column(c, actors)]]


def split(features: pd.DataFrame, evidence: pd.DataFrame, codebook,
          stance_method: str = "transformer") -> tuple[pd.DataFrame, ...]:
    """The extractors' features (with per-actor columns) and evidence of some articles as the five
    written tables, in the order :data:`framing.tables.WRITTEN` names them: article-level
    ``features``, ``evidence``, ``actors``, ``blame_pairs`` and ``voices``."""
    actors = codebook.actor_ids
    return (article_features(features, actors), evidence,
            actor_table(features, evidence, actors, stance_method), blame_pairs(evidence), voices(evidence))


def actor_table(features: pd.DataFrame, evidence: pd.DataFrame, actors: list[str],
                stance_method: str = "transformer") -> pd.DataFrame:
    """One row per (article, actor of ``actors``) the article codes (see the module docstring), in
    article order, then codebook order, from the extractors' per-actor features and the evidence rows;
    fixed columns and types, so that tables built from parts concatenate. ``stance_label`` is the
    article value labelled at the cut points shipped for ``stance_method``
    (:mod:`framing.stance.article`)."""
    from .stance.article import load as article_model

    ids = features["id"].astype(str).to_numpy()
    n_articles, n_actors = len(ids), len(actors)
    columns: dict[str, np.ndarray] = {}
    for name, prefix, _, _ in _FROM_FEATURES:
        wide_columns = [f"{prefix}{a}" for a in actors]
        block = np.full((n_articles, n_actors), np.nan)
        present = [k for k, c in enumerate(wide_columns) if c in features.columns]
        if present:
            block[:, present] = features[[wide_columns[k] for k in present]].astype(float).to_numpy()
        columns[name] = block
    position = {a: k for k, a in enumerate(actors)}
    row_of = {article: k for k, article in enumerate(ids)}
    counts = {name: np.zeros((n_articles, n_actors)) for name in _COUNTS}
    family = evidence.family if len(evidence) else None
    blamed = evidence[(family == "blame") & (evidence.value > 0)] if family is not None else evidence
    cited = evidence[family == "attribution"] if family is not None else evidence

    def count(rows: pd.DataFrame, keys: list[str], name: str | None = None) -> None:
        """Add the rows per (article, first key) to ``counts[name]``; without ``name``, per form too
        (the second key, ``label``) to ``counts["speaks_<form>"]``."""
        if not len(rows) or any(key not in rows.columns for key in keys):
            return
        for (article, actor, *form), n in rows.groupby(["article_id", *keys], sort=False).size().items():
            if article in row_of and actor in position:
                counts[name or f"speaks_{form[0]}"][row_of[article], position[actor]] += n

    count(blamed, ["actor"], "blamed_n")
    count(blamed, ["attributor"], "blames_n")
    count(cited, ["actor"], "speaks_n")
    count(cited[cited.label.isin(FORMS)] if len(cited) else cited, ["actor", "label"])
    columns.update(counts)
    coded = (np.nan_to_num(columns["mentions"]) > 0) | (np.nan_to_num(columns["stance_n"]) > 0) \
        | (counts["blamed_n"] > 0) | (counts["blames_n"] > 0) | (counts["speaks_n"] > 0)
    article_index, actor_index = np.nonzero(coded)
    table = pd.DataFrame({"article_id": pd.array(ids[article_index], dtype="string"),
                          "actor": pd.array(np.asarray(actors, dtype=object)[actor_index] if n_actors else [],
                                            dtype="string")})
    for name in MEASURES:
        values = columns[name][article_index, actor_index]
        table[name] = values.astype("int64") if name in _COUNTS else values.astype("float64")
    article = article_model(stance_method)  # the article value cut at the shipped cut points
    table["stance_label"] = pd.array([None if np.isnan(v) else article.label(v) for v in table.stance],
                                     dtype="string")
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


def voices(evidence: pd.DataFrame) -> pd.DataFrame:
    """Who says what about whom: one row per (article, speaker, source, target) of the stance rows,
    in article order: ``speaker`` ``author`` (the journalist's own voice), a codebook actor id, or
    ``other`` (a source that is no codebook actor); ``source`` the speaker's canonical name (empty for
    the author); ``target`` the actor the stance is toward; ``stance`` the mean of the rows' values,
    ``n`` the rows and ``negative``, ``neutral``, ``positive`` their labels. The rows behind one line are
    the evidence rows of family ``stance`` with that ``article_id``, ``attributor``, ``source`` and
    ``actor``."""
    rows = evidence[evidence.family == "stance"] if "voice" in evidence.columns else evidence.iloc[0:0]
    if not len(rows):
        return _typed_voices(pd.DataFrame({c: [] for c in VOICE_COLUMNS}))
    rows = rows.assign(speaker=rows.attributor.fillna("author"), source=rows.source.fillna(""),
                       target=rows.actor)
    order = {a: k for k, a in enumerate(dict.fromkeys(rows.article_id))}
    keys = ["article_id", "speaker", "source", "target"]
    grouped = rows.groupby(keys, sort=False)
    table = grouped.value.agg(stance="mean", n="size").reset_index()
    labels = rows.groupby([*keys, "label"], sort=False).size().unstack("label", fill_value=0)
    table = table.merge(labels.reset_index(), on=keys, how="left")
    for label in ("negative", "neutral", "positive"):
        table[label] = table[label] if label in table.columns else 0
    table["position"] = table.article_id.map(order)
    table = table.sort_values(["position", "speaker", "source", "target"], kind="stable")
    return _typed_voices(table[VOICE_COLUMNS].reset_index(drop=True))


def _typed_voices(table: pd.DataFrame) -> pd.DataFrame:
    for column in VOICE_COLUMNS[:4]:
        table[column] = table[column].astype("string")
    table["stance"] = table["stance"].astype("float64")
    for column in ("n", "negative", "neutral", "positive"):
        table[column] = table[column].fillna(0).astype("int64")
    table.columns = pd.Index(VOICE_COLUMNS)  # plain names, not the labels' string dtype
    return table


def _empty_pairs() -> pd.DataFrame:
    return _typed_pairs(pd.DataFrame({c: [] for c in BLAME_PAIR_COLUMNS}))


def _typed_pairs(table: pd.DataFrame) -> pd.DataFrame:
    for column in BLAME_PAIR_COLUMNS[:4]:
        table[column] = table[column].astype("string")
    table["n"] = table["n"].astype("int64")
    return table


def wide(actor_rows: pd.DataFrame, actors: list[str], measures: list[str] | None = None) -> pd.DataFrame:
    """The wide view of the actors table for the ``actors`` a user names: one row per article of the
    table (an article that codes no actor has no row), columns named as the extractors name them
    (``stance_russia``, ``role_hero__russia``; counts ``speaks_n_russia``), missing where the article
    does not code the actor. :func:`with_actors` gives every article, with the values of a pair that
    is not coded."""
    measures = measures or MEASURES
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measures {unknown}; the actors table has {MEASURES}")
    picked = actor_rows[actor_rows.actor.isin(actors)]
    table = picked.pivot(index="article_id", columns="actor", values=measures)
    table.columns = [column_name(m, a) for m, a in table.columns]
    ordered = [column_name(m, a) for a in actors for m in measures if column_name(m, a) in table.columns]
    articles = list(dict.fromkeys(actor_rows.article_id))
    return table.reindex(index=articles, columns=ordered).reset_index()


def column_name(measure: str, actor: str) -> str:
    """The wide column of ``measure`` for ``actor``: the extractors' feature name (``stance_russia``)."""
    return f"{PREFIX.get(measure, measure + '_')}{actor}"


def with_actors(features: pd.DataFrame, actor_rows: pd.DataFrame, actors: list[str],
                measures: list[str]) -> pd.DataFrame:
    """``features`` (one row per article) with a column per (measure, actor of ``actors``) from the
    actors table, named as the extractors name them: the wide view that figures and tables of one
    article per row read. A pair the article does not code takes the value the extractors give it
    (0 mentions, blame and roles; missing stance and first mention); ``measures`` are those the run
    computed (:func:`actor_measures`): the others get no column."""
    measures = [m for m in MEASURES if m in set(measures)]
    position = pd.Index(features["id"].astype(str))
    actor_position = {a: k for k, a in enumerate(actors)}
    picked = actor_rows[actor_rows.actor.isin(list(actor_position))]
    rows = position.get_indexer(picked.article_id.astype(str))
    keep = rows >= 0
    cols = picked.actor.astype(str).map(actor_position).to_numpy()[keep]
    rows = rows[keep]
    added = {}
    for measure in measures:
        block = np.full((len(position), len(actors)), DEFAULT.get(measure, 0.0))
        block[rows, cols] = picked[measure].to_numpy(dtype=float)[keep]
        for k, actor in enumerate(actors):
            added[column_name(measure, actor)] = block[:, k]
    out = pd.concat([features, pd.DataFrame(added, index=features.index)], axis=1)
    out.attrs = dict(features.attrs)
    return out


__all__ = ["ACTOR_COLUMNS", "BLAME_PAIR_COLUMNS", "MEASURES", "actor_measures", "actor_table",
           "article_features", "blame_pairs", "column_name", "split", "voices", "wide", "with_actors"]
