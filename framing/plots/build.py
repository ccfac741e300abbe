"""Draw every figure from the scored tables into a folder, with a manifest of what made each one,
and write the per-outlet table for papers (``tables/framing_by_outlet.csv`` and ``.tex``)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .._io import write_text
from ..codebook import load_codebook
from ..tables import outlet_table, read_tables, write_outlet_table
from .blame import blame_shares, who_blames_whom
from .evidence import evidence_view
from .framing_map import framing_map
from .overview import actor_salience
from .sourcing import sourcing_composition
from .stance import stance_heatmap
from .style import save_figure

EVIDENCE_ARTICLE = "seed-000"  # the article shown by the evidence view (the first one if absent)

# name -> (function of (features, evidence, codebook) -> Figure, what the figure shows)
FIGURES = {
    "actor_salience": (
        lambda f, e, c: actor_salience(f, c),
        "Actor salience by outlet: counted actor mentions per 1,000 words.",
    ),
    "stance_heatmap": (
        lambda f, e, c: stance_heatmap(f, c),
        "Mean sentence stance toward each actor by outlet, with the number of coded sentences.",
    ),
    "blame_shares": (
        lambda f, e, c: blame_shares(f, c),
        "Blame shares per outlet: the US, the Taliban, Daesh and all other actors.",
    ),
    "who_blames_whom": (
        lambda f, e, c: who_blames_whom(f, c),
        "Who blames whom: blame codes by attributor and blamed actor, all articles.",
    ),
    "sourcing_composition": (
        lambda f, e, c: sourcing_composition(f, e, c),
        "Sourcing per outlet: attributions by source type, origin and form.",
    ),
    "framing_map": (
        lambda f, e, c: framing_map(f, c),
        "Framing map: PCA of standardised article features with the strongest loadings.",
    ),
    "evidence_view": (
        lambda f, e, c: evidence_view(
            e, EVIDENCE_ARTICLE if EVIDENCE_ARTICLE in set(f["id"]) else f["id"].iloc[0]),
        "Evidence view of one article: its coded sentences by family of codes.",
    ),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_figures(scores_dir: str | os.PathLike, out_dir: str | os.PathLike, codebook=None) -> dict:
    """Write each figure of :data:`FIGURES` as PDF and PNG, and ``manifest.json``; return the manifest."""
    from .. import __version__

    scores_dir, out_dir = Path(scores_dir), Path(out_dir)
    features, evidence = read_tables(scores_dir)
    book = load_codebook(codebook)
    inputs = {p.name: _sha256(p) for p in sorted(scores_dir.glob("*.parquet"))}
    manifest = {
        "framing": __version__,
        "codebook": {"name": book.name, "version": book.version, "sha256": book.sha256},
        "inputs": {"folder": scores_dir.as_posix(), "sha256": inputs},
        "figures": [],
    }
    for name, (draw, description) in FIGURES.items():
        paths = save_figure(draw(features, evidence, book), out_dir / name)
        manifest["figures"].append({
            "name": name,
            "description": description,
            "files": {p.suffix[1:]: {"file": p.name, "sha256": _sha256(p)} for p in paths},
        })
    for path in write_outlet_table(outlet_table(features, book), out_dir / "tables" / "framing_by_outlet"):
        manifest.setdefault("tables", []).append({"file": path.relative_to(out_dir).as_posix(),
                                                  "sha256": _sha256(path)})
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest
