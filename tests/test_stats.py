"""Outlet statistics: bootstrap intervals and permutation tests, and their refusal with one article."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.stats import ONE_ARTICLE, TOO_FEW, compare_outlets, outlet_means, permutation_test


def test_one_article_per_outlet_gives_no_inference(scored):
    means = outlet_means(scored.features, "blame_share_us")
    assert (means.n_articles == 1).all() and means.ci_low.isna().all()
    assert set(means.note) == {ONE_ARTICLE}
    pairs = compare_outlets(scored.features, "blame_share_us")
    assert len(pairs) == 10 and pairs.p_value.isna().all() and set(pairs.note) == {TOO_FEW}


def test_bootstrap_interval_contains_the_mean_and_is_reproducible():
    f = pd.DataFrame({"outlet": ["A"] * 6 + ["B"] * 6,
                      "x": [0.1, 0.2, 0.3, 0.2, 0.1, 0.3, 0.8, 0.9, 0.7, 0.8, 0.9, 0.7]})
    m = outlet_means(f, "x").set_index("outlet")
    assert m.loc["A", "mean"] == pytest.approx(0.2) and m.loc["A", "ci_low"] <= 0.2 <= m.loc["A", "ci_high"]
    assert m.loc["B", "ci_low"] >= 0.7
    assert outlet_means(f, "x").equals(outlet_means(f, "x"))


def test_permutation_test_exact_small_case():
    # a = [1, 2], b = [3, 4]: of the 6 splits of {1,2,3,4} into two pairs, 2 have |difference| >= 2
    # (the observed one and its mirror), so p is about 1/3
    diff, p = permutation_test([1, 2], [3, 4], n_perm=20000, seed=1)
    assert diff == -2.0 and p == pytest.approx(1 / 3, abs=0.02)
    _, p_same = permutation_test(np.ones(5), np.ones(5), n_perm=200)
    assert p_same == 1.0
