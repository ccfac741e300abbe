"""Statistics for comparing groups of articles (outlets, bias ratings, any metadata column).

One small module over the libraries that own these methods, with the package's defaults and its rule
for groups too small to say anything about:

- :func:`group_means`: per group, the mean of a measure over its articles with a percentile bootstrap
  interval;
- :func:`compare_groups`: per measure and pair of groups, the difference in means with its bootstrap
  interval, a two-sided permutation test (exact, with ``scipy.stats.permutation_test``, when the
  groups are small enough to enumerate every split), and the p-values corrected for multiple
  comparisons (``statsmodels.stats.multitest.multipletests``) over every test of the table,
  Benjamini-Hochberg by default (Holm on request; ``family="measure"`` corrects each measure's pairs
  apart).

Every statistic here is a mean, so the resamples are drawn once for all the measures that share their
articles and the resampled means are one matrix product (:func:`_resampled_means`,
:func:`_permuted_differences`): a bootstrap resample draws each article's index uniformly with
replacement, as ``scipy.stats.bootstrap`` does, turned into counts; a permutation draws a uniformly
random split of the pooled articles, as ``scipy.stats.permutation_test`` does; the percentile interval
and the two-sided p-value are computed as scipy computes them (tested against scipy on the same draws'
law). A figure of a hundred actors at 10,000 articles tests thousands of means: scipy's general
machinery (index gathering per statistic) took most of ``framing figures``' time there.

A group with fewer than ``min_size`` articles (default :data:`MIN_GROUP_SIZE`) gets its mean but no
interval and is left out of the tests; its ``note`` says so. Every random draw comes from a generator
seeded with ``seed``, so the same inputs give the same numbers.
"""

from __future__ import annotations

import gc
import warnings
from itertools import combinations

import numpy as np
import pandas as pd

from .errors import OptionError

MIN_GROUP_SIZE = 3  # articles a group needs for an interval and a test
LEVEL = 0.95
N_BOOTSTRAP = 2000
N_PERMUTATIONS = 1999  # p-values down to 1/2000
# Multiple comparisons: corrected over every test a table reports (the family), Benjamini-Hochberg
# (false discovery rate) by default; Holm (family-wise error) on request; "measure" families (the pairs
# of groups of each measure apart) only when asked for, since a table of many measures then holds
# about as many chance findings as families.
CORRECTION = "fdr_bh"
FAMILY = "table"
FAMILIES = {"table": "all the tests in the table", "measure": "the pairs of groups of each measure"}
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


def _mean(x, axis=-1):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(x, axis=axis)


def _rowwise(samples: tuple[np.ndarray, ...], compute, n_out: int) -> list[np.ndarray]:
    """``compute(samples)`` (arrays of measures x articles in, ``n_out`` arrays of one value per
    measure out) over the measures of ``samples``: the measures with a value for every article in one
    vectorised call, each other measure on its own values (a resample of articles must not fall on
    articles without a value: their mean would be empty)."""
    n = samples[0].shape[0]
    out = [np.full(n, np.nan) for _ in range(n_out)]
    complete = np.logical_and.reduce([~np.isnan(s).any(axis=1) for s in samples])
    if complete.any():
        for o, values in zip(out, compute(tuple(s[complete] for s in samples))):
            o[complete] = values
    for i in np.flatnonzero(~complete):
        rows = tuple(s[i][~np.isnan(s[i])][None, :] for s in samples)
        if all(r.shape[1] for r in rows):
            for o, values in zip(out, compute(rows)):
                o[i] = values[0]
    return out


_CHUNK = 256  # resamples drawn at a time: memory holds a chunk x articles array


def _resampled_means(x: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap means of each row of ``x`` (measures x articles, no missing value): ``n_resamples`` x
    measures. Each resample draws as many article indices, uniformly with replacement (the same law as
    ``scipy.stats.bootstrap``); their counts times ``x`` give every row's mean in one product."""
    m, n = x.shape
    out = np.empty((n_resamples, m))
    for start in range(0, n_resamples, _CHUNK):
        k = min(_CHUNK, n_resamples - start)
        draws = rng.integers(0, n, size=(k, n)) + (np.arange(k) * n)[:, None]
        counts = np.bincount(draws.ravel(), minlength=k * n).reshape(k, n)
        out[start:start + k] = counts @ x.T / n
    return out


def _permuted_differences(a: np.ndarray, b: np.ndarray, n_resamples: int, rng: np.random.Generator,
                          ) -> np.ndarray:
    """The permutation distribution of mean(a) - mean(b) for each row (measures x articles of each
    group, no missing value): each resample splits the pooled articles at random into groups of the
    same sizes (as ``scipy.stats.permutation_test`` with ``permutation_type="independent"``)."""
    pooled = np.concatenate([a, b], axis=1)
    n_a, n = a.shape[1], pooled.shape[1]
    total = pooled.sum(axis=1)
    out = np.empty((n_resamples, pooled.shape[0]))
    for start in range(0, n_resamples, _CHUNK):
        k = min(_CHUNK, n_resamples - start)
        chosen = np.argpartition(rng.random((k, n)), n_a - 1, axis=1)[:, :n_a]  # a random n_a-subset
        in_a = np.zeros((k, n))
        np.put_along_axis(in_a, chosen, 1.0, axis=1)
        sum_a = in_a @ pooled.T
        out[start:start + k] = sum_a / n_a - (total - sum_a) / (n - n_a)
    return out


def _percentile_interval(distribution: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = (1 - level) / 2  # scipy's percentile method: np.percentile at alpha and 1 - alpha
    low, high = np.percentile(distribution, [100 * alpha, 100 * (1 - alpha)], axis=0)
    return low, high


def _two_sided_p(null: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """scipy's two-sided p-value of a random permutation test: twice the smaller tail, with the
    observed split counted (+1) and a relative tolerance for ties."""
    gamma = np.abs(np.finfo(float).eps * 100 * observed)
    n = null.shape[0]
    less = ((null <= observed + gamma).sum(axis=0) + 1) / (n + 1)
    greater = ((null >= observed - gamma).sum(axis=0) + 1) / (n + 1)
    return np.minimum(1.0, 2 * np.minimum(less, greater))


def _mean_intervals(x: np.ndarray, level: float, n_resamples: int, seed: int,
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap intervals of the mean of each row of ``x`` (measures x articles, NaN where
    an article has no value; each row resamples its own values)."""

    def compute(samples):
        return _percentile_interval(_resampled_means(samples[0], n_resamples, _rng(seed)), level)

    low, high = _rowwise((x,), compute, 2)
    for i, row in enumerate(x):  # no spread: the interval is the value
        row = row[~np.isnan(row)]
        if len(row) and np.all(row == row[0]):
            low[i] = high[i] = row[0]
    return low, high


def group_means(features: pd.DataFrame, columns: str | list[str], by: str = "outlet",
                min_size: int = MIN_GROUP_SIZE, level: float = LEVEL, n_resamples: int = N_BOOTSTRAP,
                seed: int = 0) -> pd.DataFrame:
    """Per measure and group: ``n_articles`` (with a value), ``mean``, ``ci_low``, ``ci_high`` (the
    percentile bootstrap interval of the mean), ``small`` (fewer than ``min_size`` articles) and a
    ``note``. Groups come in order of size (most articles first), then name."""
    columns = [columns] if isinstance(columns, str) else list(columns)
    labels = group_labels(features, by)
    order = _group_order(labels)
    values = features[columns].astype(float).to_numpy().T  # measures x articles
    results = {}
    for group in order:
        x = values[:, (labels == group).to_numpy()]
        n = (~np.isnan(x)).sum(axis=1)
        low, high = np.full(len(columns), np.nan), np.full(len(columns), np.nan)
        enough = n >= min_size
        if enough.any():
            low[enough], high[enough] = _mean_intervals(x[enough], level, n_resamples, seed)
        results[group] = (n, _mean(x, axis=1), low, high)
    rows = []
    for m, column in enumerate(columns):
        for group in order:
            n, mean, low, high = results[group]
            rows.append({"measure": column, "group": group, "n_articles": int(n[m]),
                         "mean": float(mean[m]) if n[m] else np.nan, "ci_low": low[m], "ci_high": high[m],
                         "small": bool(n[m] < min_size),
                         "note": "" if n[m] >= min_size else TOO_SMALL.format(n=min_size)})
    return pd.DataFrame(rows, columns=["measure", "group", "n_articles", "mean", "ci_low", "ci_high",
                                       "small", "note"])


def _group_order(labels: pd.Series) -> list[str]:
    sizes = labels.value_counts()
    return sorted(sizes.index, key=lambda g: (-sizes[g], g))


def _difference(a, b, axis=-1):
    return np.mean(a, axis=axis) - np.mean(b, axis=axis)


def _test_pair(a: np.ndarray, b: np.ndarray, level: float, n_bootstrap: int, n_permutations: int,
               seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row (a measure) of ``a`` and ``b`` (measures x articles, NaN where an article has no
    value): the bootstrap interval of the difference in means and the two-sided permutation p-value.

    The measures with a value for every article share their resamples (:func:`_resampled_means`,
    :func:`_permuted_differences`); each other measure is resampled on its own values
    (:func:`_rowwise`). When every split of the pooled articles can be enumerated within
    ``n_permutations``, the test is scipy's exact one."""
    from math import comb

    from scipy.stats import permutation_test

    def compute(samples):
        x, y = samples
        rng = _rng(seed)
        difference = _resampled_means(x, n_bootstrap, rng) - _resampled_means(y, n_bootstrap, rng)
        low, high = _percentile_interval(difference, level)
        observed = x.mean(axis=1) - y.mean(axis=1)
        if comb(x.shape[1] + y.shape[1], x.shape[1]) <= n_permutations:  # small groups: exact
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                p = permutation_test(samples, _difference, permutation_type="independent", vectorized=True,
                                     n_resamples=n_permutations, alternative="two-sided", axis=-1).pvalue
        else:
            p = _two_sided_p(_permuted_differences(x, y, n_permutations, rng), observed)
        return low, high, p

    low, high, p = _rowwise((a, b), compute, 3)
    for i in range(a.shape[0]):  # no spread in a measure: nothing to test, no interval to draw
        pooled = np.concatenate([a[i], b[i]])
        pooled = pooled[~np.isnan(pooled)]
        if len(pooled) and np.all(pooled == pooled[0]):
            low[i], high[i], p[i] = 0.0, 0.0, 1.0
    return low, high, p


def compare_groups(features: pd.DataFrame, columns: str | list[str], by: str = "outlet",
                   groups: list[str] | None = None, min_size: int = MIN_GROUP_SIZE, level: float = LEVEL,
                   n_bootstrap: int = N_BOOTSTRAP, n_permutations: int = N_PERMUTATIONS,
                   correction: str = CORRECTION, alpha: float = ALPHA, seed: int = 0,
                   family: str = FAMILY) -> pd.DataFrame:
    """Every pair of groups (of ``groups``, default all) for every measure in ``columns``.

    Columns: ``measure, group_a, group_b, n_a, n_b, mean_a, mean_b, difference`` (a - b),
    ``ci_low, ci_high`` (bootstrap interval of the difference), ``p_value`` (permutation test),
    ``p_adjusted`` (``correction`` over the family of tests: with ``family="table"``, the default, every
    tested pair of every measure; with ``"measure"``, the pairs of each measure apart), ``significant``
    (``p_adjusted < alpha``) and ``note``. A pair with a group below ``min_size`` articles is listed
    with its difference but not tested (its p-values are empty and it is not in the family).
    """
    from statsmodels.stats.multitest import multipletests

    if correction not in CORRECTIONS:
        raise OptionError(f"unknown correction {correction!r}; use one of {', '.join(CORRECTIONS)}")
    if family not in FAMILIES:
        raise OptionError(f"unknown family {family!r}; use one of {', '.join(FAMILIES)}")
    columns = [columns] if isinstance(columns, str) else list(columns)
    labels = group_labels(features, by)
    chosen = groups if groups is not None else _group_order(labels)
    values = features[columns].astype(float).to_numpy().T  # measures x articles
    members = {g: (labels == g).to_numpy() for g in chosen}
    rows = []
    for first, second in combinations(chosen, 2):
        a, b = values[:, members[first]], values[:, members[second]]
        n_a, n_b = (~np.isnan(a)).sum(axis=1), (~np.isnan(b)).sum(axis=1)
        testable = (n_a >= min_size) & (n_b >= min_size)
        low = high = p = np.full(len(columns), np.nan)
        if testable.any():
            low, high, p = _test_pair(a[testable], b[testable], level, n_bootstrap, n_permutations, seed)
            low, high, p = (_spread(x, testable) for x in (low, high, p))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean_a, mean_b = np.nanmean(a, axis=1), np.nanmean(b, axis=1)
        for m, column in enumerate(columns):
            rows.append({"measure": column, "group_a": first, "group_b": second, "n_a": int(n_a[m]),
                         "n_b": int(n_b[m]), "mean_a": mean_a[m], "mean_b": mean_b[m],
                         "difference": mean_a[m] - mean_b[m], "ci_low": low[m], "ci_high": high[m],
                         "p_value": p[m], "note": "" if testable[m] else TOO_SMALL.format(n=min_size)})
    table = pd.DataFrame(rows, columns=["measure", "group_a", "group_b", "n_a", "n_b", "mean_a", "mean_b",
                                        "difference", "ci_low", "ci_high", "p_value", "note"])
    table["p_adjusted"] = np.nan
    # statsmodels' Holm runs gc.collect() on every call (0.15 s each with figures in memory): the
    # objects alive now are set aside from collection while the families are corrected
    gc.freeze()
    try:
        for column in columns if family == "measure" else [None]:
            tests = table.p_value.notna() & ((table.measure == column) if column else True)
            if tests.any():
                table.loc[tests, "p_adjusted"] = multipletests(table.loc[tests, "p_value"], alpha=alpha,
                                                               method=correction)[1]
    finally:
        gc.unfreeze()
    table["significant"] = table.p_adjusted < alpha
    return table[["measure", "group_a", "group_b", "n_a", "n_b", "mean_a", "mean_b", "difference", "ci_low",
                  "ci_high", "p_value", "p_adjusted", "significant", "note"]]


def _spread(values: np.ndarray, where: np.ndarray) -> np.ndarray:
    out = np.full(len(where), np.nan)
    out[where] = values
    return out


def method_note(correction: str = CORRECTION, min_size: int = MIN_GROUP_SIZE, level: float = LEVEL,
                n_bootstrap: int = N_BOOTSTRAP, n_permutations: int = N_PERMUTATIONS,
                alpha: float = ALPHA, family: str = FAMILY, n_tests: int | None = None) -> str:
    """One sentence that says how the intervals and tests were computed (for figures and tables):
    which correction, over which family of tests (and how many, when ``n_tests`` is given)."""
    how_many = f" ({n_tests:,} tests)" if n_tests is not None else ""
    return (f"Means over articles with {level:.0%} percentile bootstrap intervals "
            f"({n_bootstrap:,} resamples); "
            f"differences tested two-sided by permuting the articles' groups ({n_permutations:,} "
            f"resamples, exact for small groups), {CORRECTIONS[correction]}-corrected over "
            f"{FAMILIES[family]}{how_many} "
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


__all__ = ["ALPHA", "CORRECTION", "FAMILY", "LEVEL", "MIN_GROUP_SIZE", "compare_groups", "compare_outlets",
           "group_labels", "group_means", "method_note", "outlet_means"]
