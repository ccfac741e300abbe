"""Tables a paper can print: framing by group (means, intervals, article counts) and the tests between
groups (differences, intervals, permutation p-values corrected for multiple comparisons).

Rows carry the codebook's labels grouped by measure ("Mentions per 1,000 words: Russia"), counts are
whole numbers, intervals sit beside the means, and a note under each table says what the numbers are
and how they were tested. Both are written as CSV (for analysis) and booktabs LaTeX (for the paper).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._io import write_all
from ..codebook import Codebook
from ..compare import GROUP, Grouping, cells
from ..stats import compare_groups, method_note

MAX_TESTED_GROUPS = 6  # the largest groups are tested pairwise (15 pairs); the table says so


def measures(features: pd.DataFrame, codebook: Codebook, actors: list[str] | None = None,
             ) -> list[tuple[str, str, str]]:
    """``(column, measure, label)`` of every table row: salience, stance and blame share per actor,
    then the sourcing shares, in the codebook's order, then the shares of agency copy and copies; the
    per-actor rows for ``actors`` (default: every actor of the codebook)."""
    labels = {a.id: a.label for a in codebook.actors.values()}
    chosen = set(codebook.actor_ids if actors is None else actors)
    ids = [a for a in codebook.actor_ids if a in chosen]
    rows = [(f"mentions_per_1000_{a}", "Mentions per 1,000 words", labels[a]) for a in ids]
    rows += [(f"stance_{a}", "Stance (-1 to +1)", labels[a]) for a in ids]
    rows += [(f"blame_share_{a}", "Blame share", labels[a]) for a in ids]
    for prefix, measure in (("share_type_", "Sources by type (share)"),
                            ("share_origin_", "Sources by origin (share)"),
                            ("share_form_", "Attributions by form (share)")):
        rows += [(c, measure, c.removeprefix(prefix).replace("_", " "))
                 for c in features.columns if c.startswith(prefix)]
    rows += [(f"frame_{f}", "Frames (share of articles)", f.replace("_", " "))
             for f in ("resolution", "conflict", "human_interest", "moral", "economic")]
    for role in ("villain", "hero", "victim"):
        rows += [(f"role_{role}_present__{a}", f"Cast as {role} (share)", labels[a]) for a in ids]
    rows += [("is_wire", "Agency copy and copies (share)", "agency copy"),
             ("is_copy", "Agency copy and copies (share)", "copy of an earlier article")]
    return [r for r in rows if r[0] in features.columns]


def _number(value: float, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def group_table(grouped: pd.DataFrame, grouping: Grouping, codebook: Codebook) -> pd.DataFrame:
    """One row per (measure, label, group): n articles (a whole number), mean, ci_low, ci_high."""
    rows = measures(grouped, codebook)
    table = _labelled(cells(grouped, grouping, [c for c, _, _ in rows]), rows)  # groups stay in order
    table = table.rename(columns={"group": grouping.by})
    table["n_articles"] = table["n_articles"].astype(int)
    return table[["measure", "label", grouping.by, "n_articles", "mean", "ci_low", "ci_high", "note"]]


def differences_table(grouped: pd.DataFrame, grouping: Grouping, codebook: Codebook,
                      max_groups: int = MAX_TESTED_GROUPS, seed: int = 0,
                      actors: list[str] | None = None) -> pd.DataFrame:
    """Pairwise tests between the ``max_groups`` largest groups with enough articles, per measure: the
    article-level measures and the per-actor measures of ``actors`` (default: every actor)."""
    tested = [g for g in grouping.groups if g not in grouping.small and g != grouping.other][:max_groups]
    rows = measures(grouped, codebook, actors)
    table = _labelled(compare_groups(grouped, [c for c, _, _ in rows], by=GROUP, groups=tested,
                                     min_size=grouping.min_size, seed=seed), rows)
    table["n_a"], table["n_b"] = table["n_a"].astype(int), table["n_b"].astype(int)
    return table[["measure", "label", "group_a", "group_b", "n_a", "n_b", "mean_a", "mean_b", "difference",
                  "ci_low", "ci_high", "p_value", "p_adjusted", "significant", "note"]]


def _labelled(table: pd.DataFrame, rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """``table`` (a ``measure`` column of feature names) with the rows' measure and label in their
    place, in the order of ``rows`` (stable: the order within a measure is kept)."""
    info = pd.DataFrame(rows, columns=["column", "measure_label", "label"]).reset_index(names="row")
    table = table.merge(info, left_on="measure", right_on="column").drop(columns=["column", "measure"])
    table = table.sort_values("row", kind="stable").drop(columns="row").reset_index(drop=True)
    return table.rename(columns={"measure_label": "measure"})


def _escape(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                          ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\~{}"),
                          ("^", r"\^{}")):
        text = text.replace(char, escaped)
    return text


def _interval(low: float, high: float) -> str:
    return f"[{_number(low)}, {_number(high)}]" if not np.isnan(low) else ""


LATEX_GROUPS = 6  # group columns a printed table holds (the largest); the CSV has them all


def group_latex(table: pd.DataFrame, grouping: Grouping, note: str) -> str:
    """Booktabs: one row per measure label, one column pair (mean, interval) per group (the
    ``LATEX_GROUPS`` largest), n in the header."""
    groups = list(dict.fromkeys(table[grouping.by]))[:LATEX_GROUPS]
    counts = table.groupby(grouping.by)["n_articles"].max()
    spec = "ll" + "rl" * len(groups)
    lines = [r"\begin{table}", r"\centering", r"\small", rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
             " & & " + " & ".join(rf"\multicolumn{{2}}{{c}}{{{_escape(g)} ($n={counts[g]}$)}}"
                                  for g in groups) + r" \\",
             r"Measure & Actor or category & " + " & ".join(["mean & 95\\% CI"] * len(groups)) + r" \\",
             r"\midrule"]
    previous = None
    for (measure, label), rows in table.groupby(["measure", "label"], sort=False):
        if previous is not None and measure != previous:
            lines.append(r"\addlinespace")
        cells_ = []
        by_group = rows.set_index(grouping.by)
        for g in groups:
            if g in by_group.index and by_group.loc[g, "n_articles"] > 0:
                row = by_group.loc[g]
                cells_ += [_number(row["mean"]), _interval(row["ci_low"], row["ci_high"])]
            else:
                cells_ += ["--", ""]
        lines.append(f"{_escape(measure) if measure != previous else ''} & {_escape(label)} & "
                     + " & ".join(cells_) + r" \\")
        previous = measure
    lines += [r"\bottomrule", r"\end{tabular}", rf"\caption*{{\footnotesize {_escape(note)}}}",
              rf"\caption{{Framing by {_escape(grouping.by)}.}}",
              rf"\label{{tab:framing-by-{_escape(grouping.by)}}}", r"\end{table}", ""]
    return "\n".join(lines)


def differences_latex(table: pd.DataFrame, grouping: Grouping, note: str) -> str:
    """Booktabs: the significant differences (adjusted), or a line that says there are none."""
    shown = table[table.significant]
    lines = [r"\begin{table}", r"\centering", r"\small", r"\begin{tabular}{llllrrlrr}", r"\toprule",
             r"Measure & Actor or category & Group A & Group B & $n_A$ & $n_B$ & "
             r"Difference A $-$ B [95\% CI] & $p$ & $p_{adj}$ \\", r"\midrule"]
    if shown.empty:
        lines.append(r"\multicolumn{9}{l}{No difference between groups is significant after correction.} \\")
    for row in shown.itertuples():
        lines.append(" & ".join([
            _escape(row.measure), _escape(row.label), _escape(row.group_a), _escape(row.group_b),
            str(row.n_a), str(row.n_b), f"{_number(row.difference)} {_interval(row.ci_low, row.ci_high)}",
            f"{row.p_value:.4f}", f"{row.p_adjusted:.4f}"]) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", rf"\caption*{{\footnotesize {_escape(note)}}}",
              rf"\caption{{Differences between {_escape(grouping.by)} groups.}}",
              rf"\label{{tab:differences-by-{_escape(grouping.by)}}}", r"\end{table}", ""]
    return "\n".join(lines)


def write_group_tables(grouped: pd.DataFrame, grouping: Grouping, codebook: Codebook, folder: Path,
                       tested_actors: list[str] | None = None) -> list[Path]:
    """``framing_by_<by>.csv/.tex`` (every actor) and ``differences_by_<by>.csv/.tex`` (the tests: the
    article-level measures and the per-actor measures of ``tested_actors``, default every actor) in
    ``folder``, atomically."""
    means = group_table(grouped, grouping, codebook)
    tests = differences_table(grouped, grouping, codebook, actors=tested_actors)
    untested = [] if tested_actors is None else [a for a in codebook.actor_ids if a not in set(tested_actors)]
    tested = sorted(set(tests.group_a) | set(tests.group_b))
    note = method_note() + (" " + grouping.caption() if grouping.caption() else "")
    if len(grouping.groups) > LATEX_GROUPS:
        note += f" The {LATEX_GROUPS} largest groups are shown; framing_{f'by_{grouping.by}'}.csv has all."
    n_tests = int(tests.p_value.notna().sum())
    test_note = (f"{method_note(n_tests=n_tests)} Pairs of the {len(tested)} largest {grouping.by} groups "
                 f"with at least {grouping.min_size} articles; {n_tests} tests, "
                 f"{int(tests.significant.sum())} significant. The CSV lists every pair."
                 + (f" Per-actor measures are tested for the {len(tested_actors)} actors the figures draw; "
                    f"the {len(untested)} others are in framing_by_{grouping.by}.csv, untested."
                    if untested else "")
                 + (f" {grouping.view}" if grouping.view else ""))
    stem = f"by_{grouping.by}"
    writers = {
        folder / f"framing_{stem}.csv": lambda p: means.to_csv(p, index=False, lineterminator="\n",
                                                               float_format="%.4f"),
        folder / f"framing_{stem}.tex": lambda p: p.write_text(group_latex(means, grouping, note),
                                                               encoding="utf-8"),
        folder / f"differences_{stem}.csv": lambda p: tests.to_csv(p, index=False, lineterminator="\n",
                                                                   float_format="%.6g"),
        folder / f"differences_{stem}.tex": lambda p: p.write_text(differences_latex(tests, grouping,
                                                                                     test_note),
                                                                   encoding="utf-8"),
    }
    write_all(writers)
    return list(writers)
