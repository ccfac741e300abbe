"""Statistics for comparing groups of articles (outlets, bias ratings, any metadata column).

One small module over the libraries that own these methods, with the package's defaults and its rule
for groups too small to say anything about:

- :func:`group_means`: per group, the mean of a measure over its articles with a percentile bootstrap
  interval (``scipy.stats.bootstrap``, vectorised);
- :func:`compare_groups`: per measure and pair of groups, the difference in means with its bootstrap
  interval, a two-sided permutation test (``scipy.stats.permutation_test``, vectorised; exact when
  the groups are small enough), and the p-values corrected for multiple comparisons
  (``statsmodels.stats.multitest.multipletests``, Holm by default). The family is the pairs of groups
  compared on one measure: "do the outlets differ in their blame of the US, and which?" is one
  question. (A family of every measure at once would ask for p-values below 1e-4 that 9,999
  permutations cannot give.)

A group with fewer than ``min_size`` articles (default :data:`MIN_GROUP_SIZE`) gets its mean but no
interval and is left out of the tests; its ``note`` says so. Every random draw comes from a generator
seeded with ``seed``, so the same inputs give the same numbers.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from .errors import OptionError

MIN_GROUP_SIZE = 3  # articles a group needs for an interval and a test
LEVEL = 0.95
N_BOOTSTRAP = 2000
N_PERMUTATIONS = 9999
CORRECTION = "holm"
ALPHA = 0.05
TOO_SMALL = "fewer than {n} articles with a value: no interval, not tested"
CORRECTIONS = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"}


def group_labels(features: pd.DataFrame, by: str = "outlet") -> pd.Series:
    """The group of each article: the column ``by`` as text (missing values are the group "unknown")."""
    if by not in features.columns:
        columns = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
        raise OptionError(f"no column {by!r} to group by; the metadata columns are: {', '.join(columns)}")
    labels = features[by].astype("string").fillna("").str.strip()
    return labels.mask(labels == "", "unknown").astype(str)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _mean_interval(x: np.ndarray, level: float, n_resamples: int, seed: int) -> tuple[float, float]:
    from scipy.stats import bootstrap

    if np.all(x == x[0]):  # no spread: the interval is the value (scipy warns and returns NaN)
        return float(x[0]), float(x[0])
    result = bootstrap((x,), np.mean, confidence_level=level, n_resamples=n_resamples, method="percentile",
                       vectorized=True, rng=_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def group_means(features: pd.DataFrame, columns: str | list[str], by: str = "outlet",
                min_size: int = MIN_GROUP_SIZE, level: float = LEVEL, n_resamples: int = N_BOOTSTRAP,
                seed: int = 0) -> pd.DataFrame:
    """Per measure and group: ``n_articles`` (with a value), ``mean``, ``ci_low``, ``ci_high`` (the
    percentile bootstrap interval of the mean), ``small`` (fewer than ``min_size`` articles) and a
    ``note``. Groups come in order of size (most articles first), then name."""
    columns = [columns] if isinstance(columns, str) else list(columns)
    labels = group_labels(features, by)
    order = _group_order(labels)
    rows = []
    for column in columns:
        values = features[column].astype(float)
        for group in order:
            x = values[labels == group].dropna().to_numpy()
            row = {"measure": column, "group": group, "n_articles": len(x),
                   "mean": float(x.mean()) if len(x) else np.nan, "ci_low": np.nan, "ci_high": np.nan,
                   "small": len(x) < min_size, "note": ""}
            if len(x) >= min_size:
                row["ci_low"], row["ci_high"] = _mean_interval(x, level, n_resamples, seed)
            else:
                row["note"] = TOO_SMALL.format(n=min_size)
            rows.append(row)
    return pd.DataFrame(rows, columns=["measure", "group", "n_articles", "mean", "ci_low", "ci_high",
                                       "small", "note"])


def _group_order(labels: pd.Series) -> list[str]:
    sizes = labels.value_counts()
    return sorted(sizes.index, key=lambda g: (-sizes[g], g))


def _difference(a, b, axis=-1):
    return np.mean(a, axis=axis) - np.mean(b, axis=axis)


def _test_pair(a: np.ndarray, b: np.ndarray, level: float, n_bootstrap: int, n_permutations: int,
               seed: int) -> tuple[float, float, float]:
    """Bootstrap interval of mean(a) - mean(b) and the two-sided permutation p-value."""
    from scipy.stats import bootstrap, permutation_test

    pooled = np.concatenate([a, b])
    if np.all(pooled == pooled[0]):  # nothing varies: no difference, nothing to test
        return 0.0, 0.0, 1.0
    interval = bootstrap((a, b), _difference, confidence_level=level, n_resamples=n_bootstrap,
                         method="percentile", vectorized=True, rng=_rng(seed))
    test = permutation_test((a, b), _difference, permutation_type="independent", vectorized=True,
                            n_resamples=n_permutations, alternative="two-sided", rng=_rng(seed))
    return (float(interval.confidence_interval.low), float(interval.confidence_interval.high),
            float(test.pvalue))


def compare_groups(features: pd.DataFrame, columns: str | list[str], by: str = "outlet",
                   groups: list[str] | None = None, min_size: int = MIN_GROUP_SIZE, level: float = LEVEL,
                   n_bootstrap: int = N_BOOTSTRAP, n_permutations: int = N_PERMUTATIONS,
                   correction: str = CORRECTION, alpha: float = ALPHA, seed: int = 0) -> pd.DataFrame:
    """Every pair of groups (of ``groups``, default all) for every measure in ``columns``.

    Columns: ``measure, group_a, group_b, n_a, n_b, mean_a, mean_b, difference`` (a - b),
    ``ci_low, ci_high`` (bootstrap interval of the difference), ``p_value`` (permutation test),
    ``p_adjusted`` (``correction`` over the tested pairs of the same measure: the family), ``significant``
    (``p_adjusted < alpha``) and ``note``. A pair with a group below ``min_size`` articles is listed
    with its difference but not tested (its p-values are empty and it is not in the family).
    """
    from statsmodels.stats.multitest import multipletests

    if correction not in CORRECTIONS:
        raise OptionError(f"unknown correction {correction!r}; use one of {', '.join(CORRECTIONS)}")
    columns = [columns] if isinstance(columns, str) else list(columns)
    labels = group_labels(features, by)
    chosen = groups if groups is not None else _group_order(labels)
    rows = []
    for column in columns:
        values = features[column].astype(float)
        samples = {g: values[labels == g].dropna().to_numpy() for g in chosen}
        for first, second in combinations(chosen, 2):
            a, b = samples[first], samples[second]
            row = {"measure": column, "group_a": first, "group_b": second, "n_a": len(a), "n_b": len(b),
                   "mean_a": a.mean() if len(a) else np.nan, "mean_b": b.mean() if len(b) else np.nan,
                   "difference": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                   "note": ""}
            if len(a) and len(b):
                row["difference"] = float(a.mean() - b.mean())
            if len(a) >= min_size and len(b) >= min_size:
                row["ci_low"], row["ci_high"], row["p_value"] = _test_pair(
                    a, b, level, n_bootstrap, n_permutations, seed)
            else:
                row["note"] = TOO_SMALL.format(n=min_size)
            rows.append(row)
    table = pd.DataFrame(rows, columns=["measure", "group_a", "group_b", "n_a", "n_b", "mean_a", "mean_b",
                                        "difference", "ci_low", "ci_high", "p_value", "note"])
    table["p_adjusted"] = np.nan
    for column in columns:
        family = table.p_value.notna() & (table.measure == column)
        if family.any():
            table.loc[family, "p_adjusted"] = multipletests(table.loc[family, "p_value"], alpha=alpha,
                                                            method=correction)[1]
    table["significant"] = table.p_adjusted < alpha
    return table[["measure", "group_a", "group_b", "n_a", "n_b", "mean_a", "mean_b", "difference", "ci_low",
                  "ci_high", "p_value", "p_adjusted", "significant", "note"]]


def method_note(correction: str = CORRECTION, min_size: int = MIN_GROUP_SIZE, level: float = LEVEL,
                n_bootstrap: int = N_BOOTSTRAP, n_permutations: int = N_PERMUTATIONS,
                alpha: float = ALPHA) -> str:
    """One sentence that says how the intervals and tests were computed (for figures and tables)."""
    return (f"Means over articles with {level:.0%} percentile bootstrap intervals "
            f"({n_bootstrap:,} resamples); "
            f"differences tested two-sided by permutation ({n_permutations:,} resamples, exact for small "
            f"groups), {CORRECTIONS[correction]}-corrected over the pairs of groups of each measure "
            f"(significant: adjusted p < {alpha:g}); groups with fewer than {min_size} articles get no "
            "interval and no test.")


def outlet_means(features: pd.DataFrame, column: str, **options) -> pd.DataFrame:
    """:func:`group_means` of one measure by outlet (the short name when the corpus has one)."""
    by = next((c for c in ("outlet_short", "outlet") if c in features.columns), "id")
    return group_means(features, column, by=by, **options).drop(columns="measure").rename(
        columns={"group": "outlet"})


def compare_outlets(features: pd.DataFrame, column: str, **options) -> pd.DataFrame:
    """:func:`compare_groups` of one measure between outlets."""
    by = next((c for c in ("outlet_short", "outlet") if c in features.columns), "id")
    return compare_groups(features, column, by=by, **options).drop(columns="measure").rename(
        columns={"group_a": "outlet_a", "group_b": "outlet_b"})


__all__ = ["ALPHA", "CORRECTION", "LEVEL", "MIN_GROUP_SIZE", "compare_groups", "compare_outlets",
           "group_labels", "group_means", "method_note", "outlet_means"]
