"""Contrasts a paper reports: a measure pooled over a group of actors, compared between groups of
articles.

A study of partisan coverage asks "is stance toward Democrats minus stance toward Republicans
different between outlets?". With actor attributes in the codebook (``attributes: {party: [democrat,
republican]}`` and ``party: democrat`` on each actor), that question is one expression::

    framing compare SCORES --by outlet --contrast "stance[party=democrat] - stance[party=republican]"

or, in Python, ``framing.contrast.compare_contrast(features, codebook, "stance[party=democrat] -
stance[party=republican]", by="outlet")`` with ``features`` holding the per-actor columns
(``framing.read_scores(SCORES)`` or ``result.wide()``).

**Terms.** A term is ``MEASURE[SELECTOR]``, optionally with a coefficient (``0.5*stance[us]``); terms
are joined by ``+`` and ``-``. A selector is an actor attribute and value (``party=democrat``) or an
actor id (``russia``). Each measure pools the selected actors' per-article columns:

- ``stance``: the mean stance of the article's stance sentences toward any of the actors (each actor's
  ``stance_<a>`` weighted by its ``stance_n_<a>``); missing where the article has none;
- ``mentions``, ``mentions_per_1000``, ``blame_score``, ``blame_share``: the sum over the actors
  (``blame_share`` missing where the article blames nobody);
- ``role_villain``, ``role_hero``, ``role_victim``: the largest probability that one of the actors is
  cast in the role (missing where none is mentioned).

**Estimates.** A group's contrast is the sum of each term's coefficient times the term's mean over the
group's articles that have a value for it (an article that covers only Republicans still counts toward
the Republican mean). Its interval is a percentile bootstrap that resamples the group's articles
(:data:`framing.stats.N_BOOTSTRAP` resamples, seeded). Two groups are compared by the difference of
their contrasts, tested two-sided by permuting the articles' groups (:data:`framing.stats.
N_PERMUTATIONS` permutations); the p-values of all the pairs are corrected together (the family is
every pair the table reports), Benjamini-Hochberg by default. A group with fewer than ``min_size``
articles with a value for some term gets no interval and no test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from .errors import OptionError
from .stats import ALPHA, CORRECTION, CORRECTIONS, LEVEL, MIN_GROUP_SIZE, N_BOOTSTRAP, N_PERMUTATIONS

# measure -> (the column prefix of each actor, how the actors' values are pooled)
MEASURES = {
    "stance": ("stance_", "weighted"),
    "mentions": ("mentions_", "sum"),
    "mentions_per_1000": ("mentions_per_1000_", "sum"),
    "blame_score": ("blame_score_", "sum"),
    "blame_share": ("blame_share_", "sum"),
    "role_villain": ("role_villain__", "max"),
    "role_hero": ("role_hero__", "max"),
    "role_victim": ("role_victim__", "max"),
}
_TERM = re.compile(r"\s*(?P<sign>[+-])?\s*(?:(?P<coef>\d+(?:\.\d+)?)\s*\*\s*)?(?P<measure>[a-z_0-9]+)\s*"
                   r"\[\s*(?P<selector>[^\]]+?)\s*\]\s*")
_CHUNK = 250  # permutations drawn at a time (memory: chunk x articles of two groups)


@dataclass(frozen=True)
class Term:
    """One term of a contrast: ``coefficient * measure[selector]``."""

    coefficient: float
    measure: str
    selector: str

    def __str__(self) -> str:
        return f"{self.measure}[{self.selector}]"


def parse_contrast(text: str) -> list[Term]:
    """The terms of a contrast expression; an error that shows where it stops making sense."""
    terms, at = [], 0
    text = str(text)
    while at < len(text):
        match = _TERM.match(text, at)
        if not match or (terms and not match.group("sign")) or match.end() == at:
            raise OptionError(f"contrast {text!r}: cannot read it from position {at} ({text[at:at + 20]!r}); "
                              "write terms like 'stance[party=democrat] - stance[party=republican]' "
                              f"(measures: {', '.join(MEASURES)})")
        if match.group("measure") not in MEASURES:
            raise OptionError(f"contrast {text!r}: unknown measure {match.group('measure')!r}; use one of "
                              f"{', '.join(MEASURES)}")
        sign = -1.0 if match.group("sign") == "-" else 1.0
        terms.append(Term(sign * float(match.group("coef") or 1), match.group("measure"),
                          match.group("selector")))
        at = match.end()
    if not terms:
        raise OptionError("an empty contrast; write terms like 'stance[party=democrat] - "
                          "stance[party=republican]'")
    return terms


def selected_actors(selector: str, codebook) -> list[str]:
    """The actor ids a selector names: ``attribute=value`` or one actor id."""
    if "=" in selector:
        name, value = (part.strip() for part in selector.split("=", 1))
        actors = codebook.actors_with(name, value)
        if not actors:
            raise OptionError(f"[{selector}]: no actor of codebook {codebook.name!r} has {name} = {value}")
        return actors
    if selector not in codebook.actors:
        raise OptionError(f"[{selector}]: not an actor id of codebook {codebook.name!r} nor an "
                          "'attribute=value' selector")
    return [selector]


def measure_columns(measure: str, actors: list[str]) -> list[str]:
    """The features columns ``measure`` pools for ``actors`` (``stance_epa``, ``role_hero__epa``)."""
    return [f"{MEASURES[measure][0]}{a}" for a in actors]


def pooled(features: pd.DataFrame, measure: str, actors: list[str]) -> np.ndarray:
    """One value per article: ``measure`` pooled over ``actors`` (see the module docstring)."""
    how = MEASURES[measure][1]
    columns = measure_columns(measure, actors)
    missing = [c for c in columns if c not in features.columns]
    if missing:
        raise OptionError(f"{measure}: the scores have no column {missing[0]!r}; were they scored with this "
                          "codebook and the extractor behind this measure?")
    values = features[columns].astype(float).to_numpy()
    if how == "weighted":
        weights = features[[f"stance_n_{a}" for a in actors]].astype(float).fillna(0).to_numpy()
        weights = np.where(np.isnan(values), 0.0, weights)
        total = weights.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, np.nansum(np.nan_to_num(values) * weights, axis=1) / total, np.nan)
    any_value = ~np.isnan(values).all(axis=1)
    if how == "sum":
        return np.where(any_value, np.nansum(values, axis=1), np.nan)
    return np.where(any_value, np.nanmax(np.where(np.isnan(values), -np.inf, values), axis=1), np.nan)


def term_values(features: pd.DataFrame, codebook, terms: list[Term]) -> np.ndarray:
    """terms x articles: each term's pooled value per article."""
    return np.vstack([pooled(features, t.measure, selected_actors(t.selector, codebook)) for t in terms])


def _estimate(values: np.ndarray, coefficients: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """The contrast for each row of article indices in ``samples`` (resamples x articles)."""
    total = np.zeros(samples.shape[0])
    for k, coefficient in enumerate(coefficients):
        picked = values[k][samples]
        with np.errstate(invalid="ignore", divide="ignore"):
            total += coefficient * (np.nansum(picked, axis=1) / (~np.isnan(picked)).sum(axis=1))
    return total


def compare_contrast(features: pd.DataFrame, codebook, contrast: str, by: str = "outlet",
                     min_size: int = MIN_GROUP_SIZE, level: float = LEVEL, n_bootstrap: int = N_BOOTSTRAP,
                     n_permutations: int = N_PERMUTATIONS, correction: str = CORRECTION,
                     alpha: float = ALPHA, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The contrast per group of ``by`` and between every pair of groups, and the note that says how.

    Returns ``(groups, pairs, note)``: ``groups`` has ``group, n_articles, n_<term>...``, ``estimate,
    ci_low, ci_high, note``; ``pairs`` has ``group_a, group_b, difference`` (a - b), ``p_value,
    p_adjusted, significant, note``. See the module docstring for the estimates and tests."""
    from statsmodels.stats.multitest import multipletests

    from .stats import group_labels

    if correction not in CORRECTIONS:
        raise OptionError(f"unknown correction {correction!r}; use one of {', '.join(CORRECTIONS)}")
    terms = parse_contrast(contrast)
    values = term_values(features, codebook, terms)
    coefficients = np.array([t.coefficient for t in terms])
    labels = group_labels(features, by).to_numpy()
    sizes = pd.Series(labels).value_counts()
    order = sorted(sizes.index, key=lambda g: (-sizes[g], g))
    members = {g: np.flatnonzero(labels == g) for g in order}
    rng = np.random.default_rng(seed)
    rows, testable = [], []
    for g in order:
        idx = members[g]
        counts = [int((~np.isnan(values[k][idx])).sum()) for k in range(len(terms))]
        row = {"group": g, "n_articles": len(idx),
               **{f"n {t}": n for t, n in zip(terms, counts)},
               "estimate": float(_estimate(values, coefficients, idx[None, :])[0]) if min(counts) else np.nan,
               "ci_low": np.nan, "ci_high": np.nan, "note": ""}
        if min(counts) >= min_size:
            samples = idx[rng.integers(0, len(idx), size=(n_bootstrap, len(idx)))]
            boot = _estimate(values, coefficients, samples)
            boot = boot[~np.isnan(boot)]
            tail = (1 - level) / 2
            row["ci_low"], row["ci_high"] = (float(q) for q in np.quantile(boot, [tail, 1 - tail]))
            testable.append(g)
        else:
            row["note"] = (f"fewer than {min_size} articles with a value for some term: no interval, "
                           "not tested")
        rows.append(row)
    groups = pd.DataFrame(rows)
    estimates = dict(zip(groups.group, groups.estimate))
    pairs = []
    for first, second in combinations(order, 2):
        pair = {"group_a": first, "group_b": second, "difference": estimates[first] - estimates[second],
                "p_value": np.nan, "note": ""}
        if first in testable and second in testable:
            pair["p_value"] = _permutation_p(values, coefficients, members[first], members[second],
                                             n_permutations, rng)
        else:
            pair["note"] = "a group too small for a test"
        pairs.append(pair)
    pairs = pd.DataFrame(pairs, columns=["group_a", "group_b", "difference", "p_value", "note"])
    pairs["p_adjusted"] = np.nan
    tested = pairs.p_value.notna()
    if tested.any():
        pairs.loc[tested, "p_adjusted"] = multipletests(pairs.loc[tested, "p_value"], alpha=alpha,
                                                        method=correction)[1]
    pairs["significant"] = pairs.p_adjusted < alpha
    pairs = pairs[["group_a", "group_b", "difference", "p_value", "p_adjusted", "significant", "note"]]
    written = " ".join(_signed(t) for t in terms).removeprefix("+ ")
    note = (f"Contrast {written} by {by}: per group, the sum of each "
            "term's coefficient times its mean over the group's articles with a value for it, with a "
            f"{level:.0%} percentile bootstrap interval resampling articles ({n_bootstrap:,} resamples); "
            f"pairs of groups tested two-sided by permuting the articles' groups ({n_permutations:,} "
            f"permutations), {CORRECTIONS[correction]}-corrected over all {int(tested.sum())} tested pairs "
            f"(the family); significant: adjusted p < {alpha:g}. Groups with fewer than {min_size} articles "
            "with a value for some term get no interval and no test.")
    return groups, pairs, note


def _signed(term: Term) -> str:
    sign = "-" if term.coefficient < 0 else "+"
    size = abs(term.coefficient)
    return f"{sign} {'' if size == 1 else f'{size:g}*'}{term}"


def _permutation_p(values: np.ndarray, coefficients: np.ndarray, a: np.ndarray, b: np.ndarray,
                   n_permutations: int, rng: np.random.Generator) -> float:
    """Two-sided permutation p-value of the difference of the two groups' contrasts."""
    pool = np.concatenate([a, b])
    observed = (_estimate(values, coefficients, a[None, :])[0]
                - _estimate(values, coefficients, b[None, :])[0])
    extreme, done = 0, 0
    while done < n_permutations:
        n = min(_CHUNK, n_permutations - done)
        shuffled = pool[np.argsort(rng.random((n, len(pool))), axis=1)]
        difference = (_estimate(values, coefficients, shuffled[:, :len(a)])
                      - _estimate(values, coefficients, shuffled[:, len(a):]))
        extreme += int((np.abs(difference) >= abs(observed) - 1e-12).sum())
        done += n
    return (1 + extreme) / (1 + n_permutations)


__all__ = ["MEASURES", "Term", "compare_contrast", "measure_columns", "parse_contrast", "pooled",
           "selected_actors"]
