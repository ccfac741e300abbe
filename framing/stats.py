"""Statistics for comparing outlets: bootstrap intervals of per-outlet means, permutation tests.

Both need several articles per outlet. With one article per outlet (the bundled corpus) the
intervals and p-values are missing and the ``note`` column says why, rather than implying inference.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

ONE_ARTICLE = "one article: no interval"
TOO_FEW = "fewer than two articles in an outlet: not testable"


def _outlets(features: pd.DataFrame) -> pd.Series:
    name = next((c for c in ("outlet_short", "outlet") if c in features.columns), "id")
    return features[name].astype(str)


def outlet_means(features: pd.DataFrame, column: str, n_boot: int = 2000, level: float = 0.95,
                 seed: int = 0) -> pd.DataFrame:
    """Per outlet: n articles, mean of ``column`` and a percentile bootstrap interval of the mean."""
    rng = np.random.default_rng(seed)
    rows = []
    for outlet, values in features[column].astype(float).groupby(_outlets(features), sort=False):
        x = values.dropna().to_numpy()
        row = {"outlet": outlet, "n_articles": len(x), "mean": x.mean() if len(x) else np.nan,
               "ci_low": np.nan, "ci_high": np.nan, "note": ""}
        if len(x) >= 2:
            boots = rng.choice(x, size=(n_boot, len(x)), replace=True).mean(axis=1)
            row["ci_low"], row["ci_high"] = np.quantile(boots, [(1 - level) / 2, (1 + level) / 2])
        else:
            row["note"] = ONE_ARTICLE if len(x) == 1 else "no article with a value"
        rows.append(row)
    return pd.DataFrame(rows)


def permutation_test(a, b, n_perm: int = 10000, seed: int = 0) -> tuple[float, float]:
    """Difference of means (a - b) and its two-sided permutation p-value (with the +1 correction)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = a.mean() - b.mean()
    pooled = np.concatenate([a, b])
    rng = np.random.default_rng(seed)
    extreme = 0
    for _ in range(n_perm):
        rng.shuffle(pooled)
        extreme += abs(pooled[:len(a)].mean() - pooled[len(a):].mean()) >= abs(observed) - 1e-12
    return float(observed), (extreme + 1) / (n_perm + 1)


def compare_outlets(features: pd.DataFrame, column: str, n_perm: int = 10000, seed: int = 0,
                    ) -> pd.DataFrame:
    """Every pair of outlets: difference of means of ``column`` and permutation p-value."""
    groups = {o: v.dropna().to_numpy() for o, v in
              features[column].astype(float).groupby(_outlets(features), sort=False)}
    rows = []
    for first, second in combinations(groups, 2):
        a, b = groups[first], groups[second]
        row = {"outlet_a": first, "outlet_b": second, "difference": np.nan, "p_value": np.nan,
               "note": ""}
        if len(a) >= 2 and len(b) >= 2:
            row["difference"], row["p_value"] = permutation_test(a, b, n_perm, seed)
        else:
            row["difference"] = (a.mean() - b.mean()) if len(a) and len(b) else np.nan
            row["note"] = TOO_FEW
        rows.append(row)
    return pd.DataFrame(rows)
