"""Draw every figure from the scored tables into a folder, with a manifest of what made each one, and
write the tables for papers (``tables/framing_by_<group>.csv/.tex``: means and intervals per group;
``tables/differences_by_<group>.csv/.tex``: the tests between groups).

Comparison figures are drawn once per grouping column (``by``: ``outlet`` by default; ``framing
figures SCORES --by bias,outlet``); their names end in ``_by_<group>``."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .._io import write_text
from ..compare import MAX_GROUPS, VIEW, group, own_reporting
from ..errors import OptionError
from ..stats import MIN_GROUP_SIZE, group_labels
from ..tables import read_tables, scores_codebook, with_actor_columns
from .actor_groups import actor_group_panels, check_attribute
from .blame import blame_shares, who_blames_whom
from .evidence import evidence_view
from .frames import frame_prevalence
from .framing_map import framing_map
from .overview import actor_salience
from .roles import role_shares
from .sourcing import sourcing_composition
from .stance import stance_heatmap
from .style import MAX_ACTORS, drawn_actors, save_figure
from .tables import write_group_tables
from .wire import wire_shares

# the per-actor measures the figures and tables read (the actors table has more)
ACTOR_MEASURES = ["mentions", "mentions_per_1000", "stance", "stance_n", "blame_score", "blame_share",
                  "role_villain", "role_hero", "role_victim", "role_villain_present", "role_hero_present",
                  "role_victim_present"]
EVIDENCE_ARTICLE = "seed-000"  # the article shown by the evidence view (the first one if absent)

# name -> (function of (features, evidence, codebook, by, max_groups, min_size) -> Figure, what it shows)
COMPARISONS = {
    "actor_salience": (
        lambda f, e, c, **g: actor_salience(f, c, **g),
        "Actor salience by {by}: mean mentions per 1,000 words, with intervals and article counts.",
    ),
    "stance_heatmap": (
        lambda f, e, c, **g: stance_heatmap(f, c, **g),
        "Mean article stance toward each actor by {by}, with intervals and article counts.",
    ),
    "blame_shares": (
        lambda f, e, c, **g: blame_shares(f, c, **g),
        "Mean blame share of each actor by {by}, with intervals and article counts.",
    ),
    "sourcing_composition": (
        lambda f, e, c, **g: sourcing_composition(f, e, c, **g),
        "Sourcing by {by}: mean shares of attributions by source type, origin and form.",
    ),
    "frame_prevalence": (
        lambda f, e, c, **g: frame_prevalence(f, c, **g),
        "Generic news frames by {by}: share of articles using each frame, with intervals and counts.",
    ),
    "role_shares": (
        lambda f, e, c, **g: role_shares(f, c, **g),
        "Narrative roles by {by}: shares of articles casting each actor as villain, hero and victim.",
    ),
    "wire_shares": (
        lambda f, e, c, **g: wire_shares(f, c, **g),
        "Agency copy and copies by {by}: share of articles, with intervals and article counts.",
    ),
    "framing_map": (
        lambda f, e, c, **g: framing_map(f, c, **g),
        "Framing map: PCA of standardised article features, one point per article, coloured by {by}, "
        "with group centroids.",
    ),
}
# comparisons drawn from every article even with own=True (what they show is the copy itself)
ALL_ARTICLES = {"wire_shares"}
# figures of the whole corpus, drawn once
FIGURES = {
    "who_blames_whom": (
        lambda f, e, c: who_blames_whom(f, e, c),
        "Who blames whom: blame codes by attributor and blamed actor, all articles.",
    ),
    "evidence_view": (
        lambda f, e, c: evidence_view(
            e, EVIDENCE_ARTICLE if EVIDENCE_ARTICLE in set(f["id"]) else f["id"].iloc[0]),
        "Evidence view of one article: its coded sentences by family of codes.",
    ),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_figures(scores_dir: str | os.PathLike, out_dir: str | os.PathLike, codebook=None,
                  by: str | list[str] = "outlet", max_groups: int = MAX_GROUPS,
                  min_size: int = MIN_GROUP_SIZE, own: bool = False, allow_other: bool = False,
                  max_actors: int = MAX_ACTORS, actors: list[str] | None = None,
                  actors_by: list[str] | None = None) -> dict:
    """Write every figure as PDF and PNG, the tables, and ``manifest.json``; return the manifest.

    ``by`` names the grouping column(s) of the comparisons; at most ``max_groups`` groups are drawn
    (the smallest pooled as "other"), and groups of fewer than ``min_size`` articles are set apart.
    Per-actor figures draw ``actors``, else the ``max_actors`` coded in the most articles, and say
    which are left out (:func:`framing.plots.style.drawn_actors`); the table of group means keeps every
    actor, the tests between groups cover the drawn actors (and the article-level measures). For each
    actor attribute in ``actors_by`` (``party``), ``actor_groups_<attribute>_by_<by>`` pools the actors
    of each value (:mod:`framing.plots.actor_groups`).
    With ``own``, agency copy and copies of an earlier article are left out (own reporting only); every
    comparison figure and table says which articles it draws (:func:`framing.compare.own_reporting`).
    The codebook is the one the scores were made with (:func:`framing.tables.scores_codebook`).
    ``out_dir`` may not be, hold or lie inside an input (:mod:`framing.outputs`)."""
    from ..outputs import check_output, output_lock

    given_codebook = codebook if isinstance(codebook, (str, os.PathLike)) else None
    check_output(out_dir, "figures", [scores_dir, given_codebook])
    with output_lock(out_dir, "figures"):
        return _build_figures(Path(scores_dir), Path(out_dir), codebook, allow_other, own,
                              {"by": by, "max_groups": max_groups, "min_size": min_size,
                               "max_actors": max_actors, "actors": actors, "actors_by": actors_by or []})


def _build_figures(scores_dir: Path, out_dir: Path, codebook, allow_other: bool, own: bool,
                   options: dict) -> dict:
    """:func:`build_figures` once the output folder is checked and locked."""
    from .. import __version__
    from ..outputs import mark

    by, max_groups, min_size = options["by"], options["max_groups"], options["min_size"]
    features, evidence = read_tables(scores_dir)
    book = scores_codebook(scores_dir, codebook, allow_other)
    features = with_actor_columns(scores_dir, features, book.actor_ids, ACTOR_MEASURES)  # the actors table
    every_article, _ = own_reporting(features, None, False)
    features, evidence = own_reporting(features, evidence, own)
    groupings = [by] if isinstance(by, str) else list(by)
    for column in groupings:
        group_labels(features, column)  # a missing column stops here, naming the columns there are
    if max_groups < 1 or min_size < 1:
        raise OptionError(f"max_groups and min_size must be at least 1, not {max_groups} and {min_size}")
    for attribute in options["actors_by"]:  # an unknown attribute stops here, before any figure
        check_attribute(book, attribute)
    chosen, actor_note = drawn_actors(features, book, options["max_actors"], options["actors"])
    drawn_book = book.restricted(chosen)
    if actor_note:  # printed under every comparison figure, with which articles it draws
        features.attrs[VIEW] = f"{features.attrs[VIEW]} {actor_note}".strip()
    inputs = {p.name: _sha256(p) for p in sorted(scores_dir.glob("*.parquet"))}
    manifest = {
        "framing": __version__,
        "codebook": {"name": book.name, "version": book.version, "sha256": book.sha256},
        "inputs": {"folder": scores_dir.as_posix(), "sha256": inputs},
        "groupings": {"by": groupings, "max_groups": max_groups, "min_size": min_size},
        "articles": {"own_reporting": own, "n": len(features), "note": features.attrs[VIEW]},
        "actors": {"drawn": chosen, "of": len(book.actors), "note": actor_note},
        "figures": [],
        "tables": [],
    }

    def record(name: str, description: str, paths: list[Path]) -> None:
        manifest["figures"].append({
            "name": name, "description": description,
            "files": {p.suffix[1:]: {"file": p.name, "sha256": _sha256(p)} for p in paths},
        })

    for column in groupings:
        grouping_options = {"by": column, "max_groups": max_groups, "min_size": min_size}
        for name, (draw, description) in COMPARISONS.items():
            stem = f"{name}_by_{column}"
            drawn = every_article if name in ALL_ARTICLES else features
            record(stem, description.format(by=column),
                   save_figure(draw(drawn, evidence, drawn_book, **grouping_options), out_dir / stem))
        for attribute in options["actors_by"]:
            stem = f"actor_groups_{attribute}_by_{column}"
            record(stem, f"Actors grouped by {attribute}, by {column}: stance, salience, blame and roles "
                         "toward the actors of each value, with intervals and article counts.",
                   save_figure(actor_group_panels(features, book, attribute, **grouping_options),
                               out_dir / stem))
        grouped, grouping = group(features, column, max_groups, min_size)
        for path in write_group_tables(grouped, grouping, book, out_dir / "tables", tested_actors=chosen):
            manifest["tables"].append({"file": path.relative_to(out_dir).as_posix(), "sha256": _sha256(path)})
    for name, (draw, description) in FIGURES.items():
        record(name, description, save_figure(draw(features, evidence, drawn_book), out_dir / name))
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    mark(out_dir, "figures")
    return manifest
