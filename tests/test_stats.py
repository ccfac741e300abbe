"""Group statistics: scipy's bootstrap and permutation test, statsmodels' corrections, and the rule
for groups too small to say anything about."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.errors import OptionError
from framing.stats import compare_groups, compare_outlets, group_means, method_note, outlet_means


def test_one_article_per_outlet_gives_no_inference(scored):
    means = outlet_means(scored.wide(), "blame_share_us")
    assert (means.n_articles == 1).all() and means.ci_low.isna().all() and means.small.all()
    assert set(means.note) == {"fewer than 3 articles with a value: no interval, not tested"}
    pairs = compare_outlets(scored.wide(), "blame_share_us")
    assert len(pairs) == 10 and pairs.p_value.isna().all() and pairs.p_adjusted.isna().all()
    assert not pairs.significant.any()


def test_bootstrap_interval_contains_the_mean_and_is_reproducible():
    f = pd.DataFrame({"outlet": ["A"] * 6 + ["B"] * 6,
                      "x": [0.1, 0.2, 0.3, 0.2, 0.1, 0.3, 0.8, 0.9, 0.7, 0.8, 0.9, 0.7]})
    m = outlet_means(f, "x").set_index("outlet")
    assert m.loc["A", "mean"] == pytest.approx(0.2) and m.loc["A", "ci_low"] <= 0.2 <= m.loc["A", "ci_high"]
    assert 0.1 <= m.loc["A", "ci_low"] and m.loc["A", "ci_high"] <= 0.3  # inside the data's range
    assert m.loc["B", "ci_low"] >= 0.7
    assert outlet_means(f, "x").equals(outlet_means(f, "x"))


def test_permutation_p_value_is_exact_for_small_groups():
    # a = [1, 2, 3], b = [4, 5, 6]: of the 20 splits of six values into two triples, 2 have
    # |difference| >= 3 (the observed one and its mirror): p = 2/20 exactly
    f = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 3, "x": [1, 2, 3, 4, 5, 6]})
    row = compare_groups(f, "x", by="g").iloc[0]
    assert row.difference == -3.0 and row.p_value == pytest.approx(0.1)
    assert row.ci_low <= -3.0 <= row.ci_high and row.n_a == 3 and row.n_b == 3


def test_correction_spans_the_whole_table_by_default_or_each_measure_on_request():
    rng = np.random.default_rng(0)
    groups = np.repeat(["A", "B", "C"], 30)
    f = pd.DataFrame({"g": groups,
                      "same": rng.normal(0, 1, 90),
                      "shifted": np.concatenate([rng.normal(0, 1, 30), rng.normal(0, 1, 30),
                                                 rng.normal(3, 1, 30)])})
    table = compare_groups(f, ["same", "shifted"], by="g", correction="holm", family="measure")
    same, shifted = table[table.measure == "same"], table[table.measure == "shifted"]
    assert not same.significant.any()
    # C differs from A and B; A and B do not differ
    assert list(shifted.significant) == [False, True, True]
    for measure in (same, shifted):  # Holm: the smallest p times 3 (the pairs of one measure)
        smallest = measure.p_value.idxmin()
        assert measure.loc[smallest, "p_adjusted"] == pytest.approx(min(1.0, 3 * measure.p_value.min()))
    assert (table.p_adjusted >= table.p_value).all()
    # the default: Benjamini-Hochberg over all six tests of the table, worked by hand
    whole = compare_groups(f, ["same", "shifted"], by="g")
    p = whole.p_value.to_numpy()
    order = np.argsort(p)
    stepped = np.minimum.accumulate((p[order] * 6 / np.arange(1, 7))[::-1])[::-1]
    expected = np.empty(6)
    expected[order] = np.minimum(stepped, 1.0)
    assert whole.p_adjusted.to_numpy() == pytest.approx(expected)
    assert list(whole[whole.measure == "shifted"].significant) == [False, True, True]
    holm = compare_groups(f, ["same", "shifted"], by="g", correction="holm")
    smallest = holm.p_value.idxmin()  # Holm over the table: the smallest p times 6
    assert holm.loc[smallest, "p_adjusted"] == pytest.approx(min(1.0, 6 * holm.p_value.min()))


def test_group_means_orders_groups_and_sets_small_ones_apart():
    f = pd.DataFrame({"bias": ["left"] * 4 + ["right"] * 5 + ["questionable"] * 2,
                      "x": [1, 2, 3, 4, 1, 1, 2, 2, 3, 5, 6]})
    m = group_means(f, "x", by="bias")
    assert list(m.group) == ["right", "left", "questionable"]
    assert list(m.small) == [False, False, True] and np.isnan(m.ci_low.iloc[2])
    assert m["mean"].iloc[2] == 5.5


def test_bad_grouping_and_correction_are_named():
    f = pd.DataFrame({"outlet": ["A", "B"], "x": [1.0, 2.0]})
    with pytest.raises(OptionError, match="no column 'bias' to group by; the metadata columns are: outlet"):
        group_means(f, "x", by="bias")
    with pytest.raises(OptionError, match="unknown correction 'sidak'"):
        compare_groups(f, "x", correction="sidak")
    note = method_note(n_tests=12)
    assert "Benjamini-Hochberg-corrected over all the tests in the table (12 tests)" in note
    assert "Holm-corrected over the pairs of groups of each measure" in method_note("holm", family="measure")
    assert "bootstrap" in method_note()
    with pytest.raises(OptionError, match="unknown family 'pair'"):
        compare_groups(f, "x", family="pair")


def test_articles_without_a_value_do_not_enter_the_resamples():
    # a sparse measure (stance is missing where the actor is not coded): 6 values among 40 articles
    values = [0.1, -0.2, 0.3, 0.0, -0.1, 0.2] + [np.nan] * 34
    f = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 6, "x": values + [0.5, 0.6, 0.7, 0.4, 0.5, 0.6]})
    m = group_means(f, "x", by="g").set_index("group")
    assert m.loc["a", "n_articles"] == 6 and not np.isnan(m.loc["a", "ci_low"])
    dense = group_means(pd.DataFrame({"g": ["a"] * 6, "x": values[:6]}), "x", by="g")
    assert m.loc["a", "ci_low"] == dense.ci_low.iloc[0] and m.loc["a", "ci_high"] == dense.ci_high.iloc[0]
    sparse_test = compare_groups(f, "x", by="g").iloc[0]
    dense_test = compare_groups(f.dropna(), "x", by="g").iloc[0]
    assert sparse_test.p_value == dense_test.p_value and sparse_test.ci_low == dense_test.ci_low
    assert sparse_test.p_value < 0.01


def test_resampling_agrees_with_scipy_on_the_same_data():
    # the means' resamples are drawn as counts and multiplied out (framing.stats): the same law as
    # scipy's bootstrap and permutation test, so on the same data the numbers agree within Monte Carlo
    from scipy.stats import bootstrap, permutation_test

    rng = np.random.default_rng(1)
    a, b = rng.normal(0.3, 1, 50), rng.normal(0, 1, 40)  # a, the larger group, comes first
    sparse = np.concatenate([a, b])
    sparse[::4] = np.nan  # a measure some articles lack is resampled on its own values
    f = pd.DataFrame({"g": ["a"] * 50 + ["b"] * 40, "x": np.concatenate([a, b]), "y": sparse})
    ours = compare_groups(f, ["x", "y"], by="g", n_bootstrap=9999, n_permutations=9999).set_index("measure")

    def difference(u, v, axis=-1):
        return u.mean(axis=axis) - v.mean(axis=axis)

    for column, (u, v) in (("x", (a, b)), ("y", (sparse[:50], sparse[50:]))):
        u, v = u[~np.isnan(u)], v[~np.isnan(v)]
        interval = bootstrap((u, v), difference, method="percentile", n_resamples=9999,
                             rng=np.random.default_rng(2)).confidence_interval
        p = permutation_test((u, v), difference, n_resamples=9999, rng=np.random.default_rng(2)).pvalue
        row = ours.loc[column]
        assert row.difference == pytest.approx(u.mean() - v.mean())
        assert row.ci_low == pytest.approx(interval.low, abs=0.03)
        assert row.ci_high == pytest.approx(interval.high, abs=0.03)
        assert row.p_value == pytest.approx(p, abs=0.015) and 0.01 < p < 0.5  # a p-value worth comparing
    means = group_means(f, "x", by="g", n_resamples=9999).set_index("group")
    reference = bootstrap((a,), np.mean, method="percentile", n_resamples=9999,
                          rng=np.random.default_rng(3)).confidence_interval
    assert means.loc["a", "ci_low"] == pytest.approx(reference.low, abs=0.02)
    assert means.loc["a", "ci_high"] == pytest.approx(reference.high, abs=0.02)
