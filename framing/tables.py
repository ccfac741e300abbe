"""The two output tables: building them with fixed columns and types, writing and reading them.

``DIR/features.csv`` and ``.parquet`` (one row per article) and ``DIR/evidence.csv`` and ``.parquet``
(one row per coded span), with ``DIR/run.json`` (codebook, model, versions, failures), are written in
one atomic step: a failed run leaves earlier outputs as they were. No timestamps are written, so the
same inputs and versions give the same bytes.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._io import write_all
from .errors import FramingError
from .evidence import EVIDENCE_COLUMNS, Evidence

if TYPE_CHECKING:
    from .pipeline import ScoreResult

TABLES = ("features", "evidence")
_INT_COLUMNS = ("start", "end", "sentence_start", "sentence_end", "sentence_index")


def evidence_frame(rows: list[Evidence]) -> pd.DataFrame:
    """The evidence table: contract columns first, then extractors' added columns in name order.

    Added columns are typed by their values: whole numbers as nullable ``Int64`` (offsets that may be
    missing), booleans as nullable ``boolean``, anything else as ``string``.
    """
    frame = pd.DataFrame([{c: getattr(r, c) for c in EVIDENCE_COLUMNS} for r in rows],
                         columns=EVIDENCE_COLUMNS)
    for column in _INT_COLUMNS:
        frame[column] = frame[column].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    for column in EVIDENCE_COLUMNS:
        if column not in _INT_COLUMNS and column != "value":
            frame[column] = frame[column].astype("string")
    for column in sorted({k for r in rows for k in r.extra}):
        values = [r.extra.get(column) for r in rows]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            dtype = "boolean"
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            dtype = "Int64"
        else:
            dtype = "string"
        frame[column] = pd.array(values, dtype=dtype)
    return frame


def features_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("string")
    return frame


def write_tables(result: ScoreResult, out: Path) -> list[Path]:
    from . import __version__

    run = {
        "framing": __version__,
        "python": platform.python_version(),
        "versions": _versions(),
        **result.run,
    }
    writers = {
        out / "features.csv": lambda p: result.features.to_csv(p, index=False, lineterminator="\n"),
        out / "features.parquet": lambda p: result.features.to_parquet(p, index=False),
        out / "evidence.csv": lambda p: result.evidence.to_csv(p, index=False, lineterminator="\n"),
        out / "evidence.parquet": lambda p: result.evidence.to_parquet(p, index=False),
        out / "run.json": lambda p: p.write_text(json.dumps(run, indent=2, sort_keys=True) + "\n",
                                                 encoding="utf-8"),
    }
    write_all(writers)
    return list(writers)


def outlet_table(features: pd.DataFrame, codebook) -> pd.DataFrame:
    """Per-outlet table for a paper: words, mentions per 1,000 words, stance and blame share per actor,
    and the sourcing shares; the mean over each outlet's articles, with the number of articles."""
    actors = codebook.actor_ids
    columns = (["n_words"] + [f"mentions_per_1000_{a}" for a in actors] + [f"stance_{a}" for a in actors]
               + [f"blame_share_{a}" for a in actors]
               + [c for c in features.columns if c.startswith(("share_form_", "share_type_"))]
               + ["n_attributions", "share_named"])
    columns = [c for c in columns if c in features.columns]
    name = next((c for c in ("outlet_short", "outlet") if c in features.columns), "id")
    outlet = features[name]
    grouped = features[columns].astype(float).groupby(outlet.astype(str), sort=False)
    table = grouped.mean().round(3)
    table.insert(0, "n_articles", grouped.size())
    table.index.name = "outlet"
    return table


def write_outlet_table(table: pd.DataFrame, stem: Path) -> list[Path]:
    """``stem.csv`` and ``stem.tex`` (booktabs, one row per outlet), atomically."""
    def latex(path: Path) -> None:
        body = table.T.to_latex(float_format="%.2f", na_rep="--", escape=True,
                                caption="Framing features by outlet (means over articles).",
                                label="tab:framing-by-outlet")
        path.write_text(body, encoding="utf-8")

    writers = {
        stem.with_suffix(".csv"): lambda p: table.to_csv(p, lineterminator="\n"),
        stem.with_suffix(".tex"): latex,
    }
    write_all(writers)
    return list(writers)


def read_tables(directory: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``features`` and ``evidence`` written by ``framing score`` (Parquet, else CSV)."""
    directory = Path(directory)
    frames = []
    for name in TABLES:
        parquet, csv = directory / f"{name}.parquet", directory / f"{name}.csv"
        if parquet.is_file():
            frames.append(pd.read_parquet(parquet))
        elif csv.is_file():
            frames.append(pd.read_csv(csv, dtype={"id": str, "article_id": str}))
        else:
            raise FramingError(f"{directory}: no {name}.parquet or {name}.csv; run "
                               f"'framing score CORPUS --out {directory}' first")
    return frames[0], frames[1]


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("spacy", "pandas", "pyarrow", "numpy", "scikit-learn", "textblob"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "not installed"
    return out
