"""Draw every figure from the scored tables into a folder, with a manifest of what made each one."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .._io import write_text
from ..codebook import load_codebook
from ..tables import read_tables
from .overview import actor_salience
from .style import save_figure

# name -> (function of (features, evidence, codebook) -> Figure, what the figure shows)
FIGURES = {
    "actor_salience": (
        lambda features, evidence, codebook: actor_salience(features, codebook),
        "Actor salience by outlet: counted actor mentions per 1,000 words.",
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
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest
