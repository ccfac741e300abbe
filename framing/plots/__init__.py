"""Plots: one module per measure, each a function from the scored tables to a matplotlib Figure.

- ``overview.actor_salience``: actor mentions per 1,000 words, outlet by actor;
- ``stance.stance_heatmap``: mean stance, outlet by actor, with the number of coded sentences;
- ``blame.blame_shares`` and ``blame.who_blames_whom``: blame shares per outlet; attributor by blamed;
- ``sourcing.sourcing_composition``: attributions by source type, origin and form per outlet;
- ``framing_map.framing_map``: PCA of the article features with loadings;
- ``evidence.evidence_view``: one article's coded sentences by family.

``style`` holds what every figure shares (one colour per actor and per outlet, outlet and date labels,
byte-reproducible saving); ``build`` draws every figure into a folder with a manifest
(``framing figures`` and ``make figures``).
"""

from .blame import blame_shares, who_blames_whom
from .evidence import evidence_view
from .framing_map import framing_map
from .overview import actor_salience
from .sourcing import sourcing_composition
from .stance import stance_heatmap

__all__ = ["actor_salience", "blame_shares", "evidence_view", "framing_map", "sourcing_composition",
           "stance_heatmap", "who_blames_whom"]
